terraform {
  required_version = ">= 1.11"
  required_providers {
    northpass = {
      source  = "ceiac/northpass"
      version = ">= 0.1.0"
    }
  }
}

# Credentials come from the environment (SALESFORCE_INSTANCE_URL,
# SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME, SALESFORCE_PRIVATE_KEY_FILE,
# NORTHPASS_API_KEY, …), so the same configuration serves every org.
provider "northpass" {
  salesforce = {
    sandbox = var.salesforce_sandbox
  }
}
