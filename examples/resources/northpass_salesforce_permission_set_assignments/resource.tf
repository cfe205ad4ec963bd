# Everyone who should have the Northpass Standard User permission set, in one
# place. The list is authoritative: users who have the permission set but are
# not listed here (assigned by hand in Setup, say) lose it on apply.
data "northpass_salesforce_permission_set" "standard_user" {
  label = "Northpass Standard User"
}

resource "northpass_salesforce_permission_set_assignments" "standard_users" {
  permission_set_id = data.northpass_salesforce_permission_set.standard_user.id

  usernames = [
    "jane.doe@acme.com",
    "john.smith@acme.com",
  ]

  # Optional: every assignment expires then. Changed in place.
  expiration_date = "2026-12-31T23:59:59Z"
}

# The assignment ids, by username.
output "standard_user_assignments" {
  value = {
    for username, a in northpass_salesforce_permission_set_assignments.standard_users.assignments : username => a.id
  }
}
