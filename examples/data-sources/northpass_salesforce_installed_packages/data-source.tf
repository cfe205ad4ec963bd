data "northpass_salesforce_installed_packages" "all" {}

# Name => installed version, e.g. { "Northpass" = "2.1.0.3", ... }
output "installed_versions" {
  value = { for p in data.northpass_salesforce_installed_packages.all.packages : p.name => p.version_number }
}
