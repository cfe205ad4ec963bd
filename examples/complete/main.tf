# The Gainsight CE <-> Salesforce setup guide as one configuration.
#
# Step 1 (verify): both managed packages are installed at the versions the
# guide requires. The checks below warn in every plan when an admin uninstalls
# or downgrades a package, or when an upgrade is still pending.

data "northpass_salesforce_installed_packages" "all" {}

locals {
  installed = { for p in data.northpass_salesforce_installed_packages.all.packages : p.name => p }
}

check "northpass_package" {
  assert {
    condition     = contains(keys(local.installed), "Northpass") && provider::northpass::version_at_least(try(local.installed["Northpass"].version_number, "0"), var.required_packages["Northpass"])
    error_message = "Northpass is ${try("at version ${local.installed["Northpass"].version_number}", "not installed")}; the setup guide needs ${var.required_packages["Northpass"]} or later (Install for Admins Only)."
  }
}

check "data_connector_package" {
  assert {
    condition     = contains(keys(local.installed), "Gainsight Northpass Data Connector") && provider::northpass::version_at_least(try(local.installed["Gainsight Northpass Data Connector"].version_number, "0"), var.required_packages["Gainsight Northpass Data Connector"])
    error_message = "Gainsight Northpass Data Connector is ${try("at version ${local.installed["Gainsight Northpass Data Connector"].version_number}", "not installed")}; the setup guide needs ${var.required_packages["Gainsight Northpass Data Connector"]} or later (Install for Admins Only)."
  }
}
