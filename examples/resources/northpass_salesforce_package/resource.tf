# The guide's first step: install (or upgrade) both managed packages with
# "Install for Admins Only". The 04t version ids come from the install links
# Gainsight sends you; they are not public, hence the variables.

variable "northpass_version_id" {
  description = "04t id of the Northpass package version 2.1, from its install link."
  type        = string
}

variable "data_connector_version_id" {
  description = "04t id of the Gainsight Northpass Data Connector version 1.0."
  type        = string
}

# Northpass 2.1. A 2.0 that is already installed is upgraded in place; a 2.1
# that is already installed is adopted without reinstalling.
resource "northpass_salesforce_package" "northpass" {
  version_id    = var.northpass_version_id
  security_type = "AdminsOnly" # the default: Install for Admins Only

  # Approve the Remote Site Settings and CSP Trusted Sites the version brings,
  # as the install page asks the admin to.
  # Unapproved, they arrive inactive. They are listed in remote_site_settings
  # and csp_trusted_sites; plan warns when a version brings sites and this
  # is unset.
  approve_remote_sites = true

  # Destroy only forgets the package; uninstalling would delete its data
  # (the Enrollments). Set true to uninstall on destroy.
  uninstall_on_destroy = false

  timeouts {
    create = "45m"
    update = "45m"
  }

  lifecycle {
    postcondition {
      condition     = provider::northpass::version_at_least(self.version_number, "2.1")
      error_message = "Northpass ${self.version_number} is installed; the setup guide needs 2.1 or later."
    }
  }
}

# The Data Connector 1.0, also for admins only.
resource "northpass_salesforce_package" "data_connector" {
  version_id           = var.data_connector_version_id
  approve_remote_sites = true
}

# A protected package version needs its installation key. The key is
# write-only (it never reaches the state or the plan), so Terraform cannot see
# it change: bump installation_key_wo_version whenever you change the key.
#
# variable "installation_key" {
#   type      = string
#   sensitive = true
#   ephemeral = true
# }
#
# resource "northpass_salesforce_package" "protected" {
#   version_id                  = "04t..."
#   installation_key            = var.installation_key
#   installation_key_wo_version = 1
# }

check "data_connector_installed" {
  assert {
    condition     = provider::northpass::version_at_least(northpass_salesforce_package.data_connector.version_number, "1.0")
    error_message = "The Gainsight Northpass Data Connector is at ${northpass_salesforce_package.data_connector.version_number}; the guide needs 1.0 or later."
  }
}

output "installed_packages" {
  value = {
    (northpass_salesforce_package.northpass.name)      = northpass_salesforce_package.northpass.version_number
    (northpass_salesforce_package.data_connector.name) = northpass_salesforce_package.data_connector.version_number
  }
}
