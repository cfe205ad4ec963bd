# The Contact page layouts (object defaults to "Contact").
data "northpass_salesforce_layouts" "contact" {}

data "northpass_salesforce_enrollment_schema" "this" {}

# The Enrollments related list on every Contact page layout.
resource "northpass_salesforce_layout_related_list" "enrollments" {
  for_each = toset(data.northpass_salesforce_layouts.contact.layouts[*].full_name)

  layout       = each.key
  related_list = data.northpass_salesforce_enrollment_schema.this.related_list
  fields = [
    data.northpass_salesforce_enrollment_schema.this.fields["Course Name"],
    data.northpass_salesforce_enrollment_schema.this.fields["Progress Percentage"],
    data.northpass_salesforce_enrollment_schema.this.fields["Enrollment Date"],
  ]
  sort_field = data.northpass_salesforce_enrollment_schema.this.fields["Enrollment Date"]
  sort_order = "Desc"
}

output "contact_layouts" {
  value = data.northpass_salesforce_layouts.contact.layouts[*].full_name
}
