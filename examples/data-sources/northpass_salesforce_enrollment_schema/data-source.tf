# The Northpass package does not publish its API names: find them in this org
# by the labels the install guide shows (Enrollment, Contact, External id,
# Course ID, Course Name, Enrollment Date, Progress Percentage, ...).
data "northpass_salesforce_enrollment_schema" "this" {
  # Optional: what CE's sync writes into the External id field, handed on to
  # the backfill and the sync check. Default "{enrollment_id}".
  # external_id_format = "{course_id}:{enrollment_id}"
}

# The Enrollments related list, as a Contact page layout names it.
output "enrollments_related_list" {
  value = data.northpass_salesforce_enrollment_schema.this.related_list
}

# Field API names by the labels users see, for related list columns.
output "enrollment_fields" {
  value = data.northpass_salesforce_enrollment_schema.this.fields
}
