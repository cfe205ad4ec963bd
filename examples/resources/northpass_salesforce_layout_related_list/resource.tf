# The guide's "add the Enrollments related list to the Contact page layout":
# chosen fields, sort field and order, the New button removed. The rest of
# the layout (sections, action list, highlights panel, the other related
# lists) is left as it is: the layout is written through the Metadata API,
# which sends every other element back exactly as it was read.
#
# The Northpass package does not publish its API names, so they are looked up
# in the org by the labels the guide shows.
data "northpass_salesforce_enrollment_schema" "this" {}

resource "northpass_salesforce_layout_related_list" "enrollments" {
  layout       = "Contact-Contact Layout"
  related_list = data.northpass_salesforce_enrollment_schema.this.related_list

  fields = [
    "NAME",
    data.northpass_salesforce_enrollment_schema.this.fields["Course Name"],
    data.northpass_salesforce_enrollment_schema.this.fields["Progress Percentage"],
    data.northpass_salesforce_enrollment_schema.this.fields["Enrollment Date"],
  ]
  sort_field = data.northpass_salesforce_enrollment_schema.this.fields["Enrollment Date"]
  sort_order = "Desc"

  # The default: enrollments come from CE, not from the New button.
  exclude_buttons = ["New"]
}

# A layout whose name has special characters is written the way Salesforce
# writes full names ("Contact (Marketing) Layout"); position 0 puts the list
# at the top.
resource "northpass_salesforce_layout_related_list" "marketing" {
  layout       = "Contact-Contact %28Marketing%29 Layout"
  related_list = data.northpass_salesforce_enrollment_schema.this.related_list
  fields = [
    data.northpass_salesforce_enrollment_schema.this.fields["Course Name"],
    data.northpass_salesforce_enrollment_schema.this.fields["Progress Percentage"],
  ]
  position = 0
}
