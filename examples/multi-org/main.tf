# A sandbox and a production org side by side: one provider configuration per
# org (aliases), and the same configuration (examples/complete, used here as a
# module) applied to both. Credentials for each org come from variables, so
# nothing secret is written here.

terraform {
  required_version = ">= 1.11"
  required_providers {
    northpass = {
      source  = "ceiac/northpass"
      version = ">= 0.1.0"
    }
  }
}

provider "northpass" {
  alias   = "sandbox"
  api_key = var.sandbox.ce_api_key

  salesforce = {
    sandbox      = true # logs in at https://test.salesforce.com
    instance_url = var.sandbox.instance_url
    client_id    = var.sandbox.client_id
    username     = var.sandbox.username
    private_key  = file(var.sandbox.private_key_file)
  }
}

provider "northpass" {
  alias   = "production"
  api_key = var.production.ce_api_key

  salesforce = {
    instance_url = var.production.instance_url
    client_id    = var.production.client_id
    username     = var.production.username
    private_key  = file(var.production.private_key_file)
  }
}

module "sandbox" {
  source    = "../complete"
  providers = { northpass = northpass.sandbox }

  northpass_version_id      = var.northpass_version_id
  data_connector_version_id = var.data_connector_version_id
  salesforce_instance_url   = var.sandbox.instance_url
  sandbox                   = true
  integration_username      = var.sandbox.integration_username
  standard_users            = var.sandbox.standard_users
}

module "production" {
  source    = "../complete"
  providers = { northpass = northpass.production }

  northpass_version_id      = var.northpass_version_id
  data_connector_version_id = var.data_connector_version_id
  salesforce_instance_url   = var.production.instance_url
  integration_username      = var.production.integration_username
  standard_users            = var.production.standard_users
}
