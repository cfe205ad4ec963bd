terraform {
  required_version = ">= 1.11"
  required_providers {
    northpass = {
      source  = "ceiac/northpass"
      version = ">= 0.1.0"
    }
  }
}

# No provider block: run on its own, the provider takes its credentials from
# the environment (SALESFORCE_INSTANCE_URL, SALESFORCE_CLIENT_ID,
# SALESFORCE_USERNAME, SALESFORCE_PRIVATE_KEY_FILE, NORTHPASS_API_KEY, …), and
# examples/multi-org calls this directory as a module with one aliased
# provider per org.
