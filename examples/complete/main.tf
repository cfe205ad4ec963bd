# The Gainsight Customer Education <-> Salesforce setup guide, step by step.

# Step 1: install (or upgrade) both managed packages, "Install for Admins Only".
resource "northpass_salesforce_package" "northpass" {
  version_id    = var.northpass_version_id
  security_type = "AdminsOnly"
  # Approve the third-party sites the package brings, as the install page asks.
  approve_remote_sites = true
}

resource "northpass_salesforce_package" "data_connector" {
  version_id           = var.data_connector_version_id
  security_type        = "AdminsOnly"
  approve_remote_sites = true
  depends_on           = [northpass_salesforce_package.northpass]
}

# The package's API names are not public: find them by the labels the guide shows.
data "northpass_salesforce_enrollment_schema" "this" {
  external_id_format = var.enrollment_external_id_format
  depends_on         = [northpass_salesforce_package.northpass]
}

# Step 2: on the CE side, save the instance URL and sandbox flag, enable, and
# authorize as the dedicated integration user (apply prints the link and waits).
resource "northpass_salesforce_integration" "this" {
  instance_url      = var.salesforce_instance_url
  sandbox           = var.sandbox
  expected_username = var.integration_username

  depends_on = [northpass_salesforce_package.data_connector]
}

# Step 3: the Northpass Standard User permission set for the chosen users.
data "northpass_salesforce_permission_set" "standard_user" {
  label      = "Northpass Standard User"
  depends_on = [northpass_salesforce_package.northpass]
}

resource "northpass_salesforce_permission_set_assignments" "standard_users" {
  permission_set_id = data.northpass_salesforce_permission_set.standard_user.id
  usernames         = var.standard_users
  expiration_date   = var.standard_user_expiration
}

# Step 4: the Enrollments related list on the Contact layout: chosen fields,
# sorted by enrollment date, newest first, without the New button.
resource "northpass_salesforce_layout_related_list" "enrollments" {
  layout       = var.contact_layout
  related_list = data.northpass_salesforce_enrollment_schema.this.related_list
  fields = [
    "NAME",
    data.northpass_salesforce_enrollment_schema.this.course_name_field,
    data.northpass_salesforce_enrollment_schema.this.progress_field,
    data.northpass_salesforce_enrollment_schema.this.enrollment_date_field,
  ]
  sort_field      = data.northpass_salesforce_enrollment_schema.this.enrollment_date_field
  sort_order      = "Desc"
  exclude_buttons = ["New"]
}

# Step 5: backfill what did not reach Salesforce since the outage, by external
# id (never twice). `terraform plan` shows pending_count > 0 while records are missing.
resource "northpass_salesforce_enrollment_backfill" "since_outage" {
  since                 = var.backfill_since
  object                = data.northpass_salesforce_enrollment_schema.this.object
  external_id_field     = data.northpass_salesforce_enrollment_schema.this.external_id_field
  external_id_format    = data.northpass_salesforce_enrollment_schema.this.external_id_format
  contact_field         = data.northpass_salesforce_enrollment_schema.this.contact_field
  course_id_field       = data.northpass_salesforce_enrollment_schema.this.course_id_field
  course_name_field     = data.northpass_salesforce_enrollment_schema.this.course_name_field
  enrollment_date_field = data.northpass_salesforce_enrollment_schema.this.enrollment_date_field
  progress_field        = data.northpass_salesforce_enrollment_schema.this.progress_field

  depends_on = [northpass_salesforce_integration.this]
}
