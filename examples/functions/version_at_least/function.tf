# true: 2.1.0.3 is at least 2.1
output "northpass_is_current" {
  value = provider::northpass::version_at_least("2.1.0.3", "2.1")
}

# Typical use: verify an installed package in a check block.
check "northpass_version" {
  data "northpass_salesforce_installed_package" "northpass" {
    name = "Northpass"
  }

  assert {
    condition     = provider::northpass::version_at_least(data.northpass_salesforce_installed_package.northpass.version_number, "2.1")
    error_message = "Northpass ${data.northpass_salesforce_installed_package.northpass.version_number} is installed; the setup guide needs 2.1 or later."
  }
}
