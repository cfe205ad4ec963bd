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

    # A sandbox: sign-in and JWT audience become https://test.salesforce.com.
    # sandbox = true

    # The JWT audience is https://login.salesforce.com (test.salesforce.com
    # for a sandbox) even when login_url is the My Domain URL. Pin another
    # one only when the app needs it, such as the My Domain URL for an
    # external client app that refuses the standard one.
    # jwt_audience = "https://acme.my.salesforce.com"
  }
}

variable "northpass_api_key" {
  type      = string
  sensitive = true
}

variable "salesforce_client_id" {
  type = string
}
