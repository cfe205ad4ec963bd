# Import by the since date (a date or an RFC 3339 timestamp); the field names
# are then found by label, as northpass_salesforce_enrollment_schema finds them,
# and external_id_format starts at its default ("{enrollment_id}"): a
# different one in the configuration shows as an update, checked at plan.
terraform import northpass_salesforce_enrollment_backfill.this 2025-11-20
