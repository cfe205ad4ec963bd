variable "test_course_id" {
  description = "The CE course the test learner was enrolled in."
  type        = string
}

# The guide's "verify that a test enrollment synced": every plan warns while a
# CE enrollment from the last day has not reached Salesforce.
check "test_enrollment_synced" {
  data "northpass_salesforce_enrollment_sync" "this" {
    since      = timeadd(plantimestamp(), "-24h")
    course_ids = [var.test_course_id]
    # If the package keys records by course (see
    # northpass_salesforce_enrollment_schema's external_id_format):
    # external_id_format = "{course_id}:{enrollment_id}"
  }

  assert {
    condition     = data.northpass_salesforce_enrollment_sync.this.in_sync
    error_message = "${data.northpass_salesforce_enrollment_sync.this.missing_count} of ${data.northpass_salesforce_enrollment_sync.this.checked_count} CE enrollments from the last day have not reached Salesforce: ${join(", ", data.northpass_salesforce_enrollment_sync.this.missing)} ${data.northpass_salesforce_enrollment_sync.this.missing_note}. Check the integration's status in CE (Apps -> Integrations -> Salesforce)."
  }
}
