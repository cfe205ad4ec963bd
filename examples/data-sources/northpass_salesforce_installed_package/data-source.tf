# By the name shown in Setup -> Installed Packages.
data "northpass_salesforce_installed_package" "northpass" {
  name = "Northpass"
}

data "northpass_salesforce_installed_package" "connector" {
  name = "Gainsight Northpass Data Connector"
}

# Or by namespace prefix, when you know it (shown in Setup -> Installed Packages).
data "northpass_salesforce_installed_package" "by_namespace" {
  namespace = data.northpass_salesforce_installed_package.northpass.namespace
}

output "northpass_version" {
  value = data.northpass_salesforce_installed_package.northpass.version_number
}
