# By the 04t id of a version of the package (the state records the installed
# version):
terraform import northpass_salesforce_package.northpass 04tXXXXXXXXXXXXXXX

# Or by the package's namespace prefix, as Setup -> Installed Packages shows it
# (the data source northpass_salesforce_installed_package finds it by name):
terraform import northpass_salesforce_package.data_connector "$DATA_CONNECTOR_NAMESPACE"
