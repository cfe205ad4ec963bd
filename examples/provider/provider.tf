terraform {
  required_version = ">= 1.11"
  required_providers {
    northpass = {
      source  = "ceiac/northpass"
      version = ">= 0.1.0"
    }
  }
}

# JWT bearer flow: a connected app (or external client app) with the
# certificate of this key uploaded, and the integration admin pre-authorized.
provider "northpass" {
  api_key = var.northpass_api_key # or NORTHPASS_API_KEY

  salesforce = {
    instance_url = "https://acme.my.salesforce.com"
    client_id    = var.salesforce_client_id
    username     = "terraform@acme.com"
    private_key  = file("${path.module}/server.key") # or SALESFORCE_PRIVATE_KEY_FILE
  }
}

variable "northpass_api_key" {
  type      = string
  sensitive = true
}

variable "salesforce_client_id" {
  type = string
}
