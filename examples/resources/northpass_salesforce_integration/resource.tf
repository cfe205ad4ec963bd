# The Salesforce card in CE (Apps -> Integrations -> Salesforce): instance URL,
# sandbox toggle, enabled, and the "Authorize" step as the integration user.
#
# On the first apply (and whenever the connection is lost), Terraform prints
# an authorization link and waits: open it in a private browser window, log in
# to Salesforce as the integration user and approve.
resource "northpass_salesforce_integration" "this" {
  instance_url = "https://acme.my.salesforce.com"
  sandbox      = false

  # A dedicated integration user who is not a System Administrator. With the
  # provider's salesforce credentials set, apply also refuses an administrator
  # or a user with Modify All Data.
  expected_username = "integration@acme.com"

  # Time for the integration user to approve. If it runs out, the link stays
  # valid and the next apply waits for it again; nothing is replaced.
  timeouts {
    create = "30m"
  }
}

output "salesforce_integration_status" {
  value = northpass_salesforce_integration.this.status
}

# While the integration waits for approval, the link is also here:
# terraform output -raw salesforce_authorization_url
output "salesforce_authorization_url" {
  value = northpass_salesforce_integration.this.authorization_url
}
