output "installed_packages" {
  description = "The guide's packages, name => installed version."
  value = {
    (northpass_salesforce_package.northpass.name)      = northpass_salesforce_package.northpass.version_number
    (northpass_salesforce_package.data_connector.name) = northpass_salesforce_package.data_connector.version_number
  }
}

output "integration_status" {
  description = "CE's connection status (connected when the card shows CONNECTED)."
  value       = northpass_salesforce_integration.this.status
}

output "standard_users" {
  description = "Users with the Northpass Standard User permission set, username => assignment id."
  value       = { for u, a in northpass_salesforce_permission_set_assignments.standard_users.assignments : u => a.id }
}

output "enrollments_backfilled" {
  description = "Enrollments the last backfill run upserted."
  value       = northpass_salesforce_enrollment_backfill.since_outage.upserted_count
}

output "enrollments_related_list" {
  description = "The related list added to the Contact layout (<object>.<lookup field>)."
  value       = northpass_salesforce_layout_related_list.enrollments.related_list
}
