# There is one Salesforce integration per CE account: any id imports it.
terraform import northpass_salesforce_integration.this salesforce
