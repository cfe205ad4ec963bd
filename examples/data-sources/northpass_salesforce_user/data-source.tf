# The guide asks for a dedicated integration user who is not a System
# Administrator. This check warns at every plan if someone makes it one,
# through its profile or a permission set with Modify All Data.
check "integration_user_is_not_admin" {
  data "northpass_salesforce_user" "integration" {
    username = "integration@acme.com"
  }

  assert {
    condition     = data.northpass_salesforce_user.integration.is_active && !data.northpass_salesforce_user.integration.is_system_admin
    error_message = "The Salesforce integration user must be active and must not be a System Administrator (profile ${data.northpass_salesforce_user.integration.profile_name})."
  }
}

# By id, for example to see whose assignment something is.
data "northpass_salesforce_user" "by_id" {
  id = "005XX0000000001AAA"
}
