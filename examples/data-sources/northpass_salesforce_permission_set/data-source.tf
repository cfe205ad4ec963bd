# The permission set the setup guide assigns, by the label Setup shows.
data "northpass_salesforce_permission_set" "standard_user" {
  label = "Northpass Standard User"
}

# Or by API name; add namespace when several packages have a permission set
# of that name ("" selects the one outside any package).
data "northpass_salesforce_permission_set" "sales_ops" {
  name      = "Sales_Ops"
  namespace = ""
}

output "standard_user_permission_set" {
  value = {
    id             = data.northpass_salesforce_permission_set.standard_user.id
    qualified_name = data.northpass_salesforce_permission_set.standard_user.qualified_name
  }
}
