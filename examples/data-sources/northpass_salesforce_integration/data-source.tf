# Every plan warns when the CE <-> Salesforce connection is lost (revoked
# tokens, a changed instance), whoever manages the integration.
check "salesforce_integration_connected" {
  data "northpass_salesforce_integration" "this" {}

  assert {
    condition     = data.northpass_salesforce_integration.this.connected
    error_message = "The CE Salesforce integration is ${data.northpass_salesforce_integration.this.status}: ${data.northpass_salesforce_integration.this.status_message} Authorize it again as the integration user (terraform apply on northpass_salesforce_integration, or Apps -> Integrations -> Salesforce in CE)."
  }
}
