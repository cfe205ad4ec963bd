# The id is "<layout full name>|<related list>". The Enrollments related
# list's name comes from the org (the package does not publish it):
related_list="$(echo 'data.northpass_salesforce_enrollment_schema.this.related_list' | terraform console | tr -d '"')"
terraform import northpass_salesforce_layout_related_list.enrollments "Contact-Contact Layout|${related_list}"
