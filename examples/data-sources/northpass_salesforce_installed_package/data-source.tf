# By the name shown in Setup -> Installed Packages.
data "northpass_salesforce_installed_package" "northpass" {
  name = "Northpass"
}

# Or by namespace prefix, when you know it.
data "northpass_salesforce_installed_package" "connector" {
  namespace = "gsnpdc"
}

output "northpass_version" {
  value = data.northpass_salesforce_installed_package.northpass.version_number
}
