# Assign the Northpass Standard User permission set to one user, with
# expiration. The permission set comes with the Northpass package; look it up
# by the label Setup shows instead of copying its id between orgs.
data "northpass_salesforce_permission_set" "standard_user" {
  label = "Northpass Standard User"
}

data "northpass_salesforce_user" "jane" {
  username = "jane.doe@acme.com"
}

resource "northpass_salesforce_permission_set_assignment" "jane" {
  permission_set_id = data.northpass_salesforce_permission_set.standard_user.id
  assignee_id       = data.northpass_salesforce_user.jane.id

  # Optional: Salesforce removes the assignment at this time. Changing it
  # updates the assignment in place.
  expiration_date = "2026-12-31T23:59:59Z"
}
