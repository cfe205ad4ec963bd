data "northpass_salesforce_org" "this" {}

# Stop before changing anything when the credentials reach the wrong org.
variable "expect_sandbox" {
  type    = bool
  default = true
}

check "right_org" {
  assert {
    condition     = data.northpass_salesforce_org.this.is_sandbox == var.expect_sandbox
    error_message = "The provider is connected to ${data.northpass_salesforce_org.this.name} (${data.northpass_salesforce_org.this.instance_url}), which is ${data.northpass_salesforce_org.this.is_sandbox ? "a sandbox" : "production"}."
  }
  assert {
    condition     = data.northpass_salesforce_org.this.daily_api_requests_remaining > 1000
    error_message = "Only ${data.northpass_salesforce_org.this.daily_api_requests_remaining} of ${data.northpass_salesforce_org.this.daily_api_requests_max} daily API requests are left."
  }
}

output "salesforce_org" {
  value = {
    id          = data.northpass_salesforce_org.this.id
    name        = data.northpass_salesforce_org.this.name
    instance    = data.northpass_salesforce_org.this.instance_url
    api_version = data.northpass_salesforce_org.this.api_version
    user        = data.northpass_salesforce_org.this.username
  }
}
