# By the assignment's id (0Pa...):
terraform import northpass_salesforce_permission_set_assignment.jane 0PaXX0000000001AAA

# Or by "<permission set>/<username>". The permission set is its API name
# (namespace__Name for one from a managed package, as Setup -> Permission Sets
# shows it) or its label:
terraform import northpass_salesforce_permission_set_assignment.jane "Northpass Standard User/jane.doe@acme.com"
