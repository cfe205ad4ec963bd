data "northpass_salesforce_enrollment_schema" "this" {
  # What CE's sync writes into the External id field. The default is the CE
  # enrollment id; a package that keys records by course would use
  # "{course_id}:{enrollment_id}". If this is wrong, plan refuses with the
  # values both sides hold (and the format Salesforce's values follow)
  # instead of inserting duplicates.
  # external_id_format = "{course_id}:{enrollment_id}"
}

# Backfill the enrollment data that did not reach Salesforce after the
# November 2025 token revocation. `terraform plan` shows
# `~ pending_count = 37 -> 0` while CE has enrollments Salesforce lacks (or
# holds with other data); apply upserts exactly those, by external id, so
# nothing is ever created twice. Destroying this deletes nothing in Salesforce.
resource "northpass_salesforce_enrollment_backfill" "this" {
  since = "2025-11-20"

  # Optional: only these CE courses.
  # course_ids = ["8c3e7d1a-0f0e-4a57-9d3a-5b7c1f2e9a10"]

  object                = data.northpass_salesforce_enrollment_schema.this.object
  external_id_field     = data.northpass_salesforce_enrollment_schema.this.external_id_field
  external_id_format    = data.northpass_salesforce_enrollment_schema.this.external_id_format
  contact_field         = data.northpass_salesforce_enrollment_schema.this.contact_field
  course_id_field       = data.northpass_salesforce_enrollment_schema.this.course_id_field
  course_name_field     = data.northpass_salesforce_enrollment_schema.this.course_name_field
  enrollment_date_field = data.northpass_salesforce_enrollment_schema.this.enrollment_date_field
  progress_field        = data.northpass_salesforce_enrollment_schema.this.progress_field
}

output "enrollments_backfilled" {
  value = northpass_salesforce_enrollment_backfill.this.upserted_count
}
