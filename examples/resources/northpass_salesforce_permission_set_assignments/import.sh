# By the permission set's id (0PS...); the users who have it now become the
# state, and the next plan shows what differs from usernames.
terraform import northpass_salesforce_permission_set_assignments.standard_users 0PSXX0000000001AAA
