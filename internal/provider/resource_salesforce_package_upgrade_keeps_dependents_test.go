package provider

import (
	"fmt"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// Upgrading the Northpass package in the guide's configuration defers the
// data sources that depend on it, so the permission set id and the related
// list name are unknown while the upgrade is planned. That must plan an
// update, not a replacement: users keep the permission set and the layout
// keeps its related list throughout the upgrade.
func TestAccPackageUpgrade_keepsAssignmentsAndRelatedList(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	v20 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.0")
	v21 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.1")
	config := func(versionID string) string {
		return org.jwtProvider() + fmt.Sprintf(`
resource "northpass_salesforce_package" "np" {
  version_id = %q
}

data "northpass_salesforce_permission_set" "standard_user" {
  label      = "Northpass Standard User"
  depends_on = [northpass_salesforce_package.np]
}

data "northpass_salesforce_enrollment_schema" "this" {
  depends_on = [northpass_salesforce_package.np]
}

resource "northpass_salesforce_permission_set_assignments" "users" {
  permission_set_id = data.northpass_salesforce_permission_set.standard_user.id
  usernames         = ["jane.doe@acme.example", "john.smith@acme.example"]
}

resource "northpass_salesforce_layout_related_list" "enrollments" {
  layout       = "Contact-Contact Layout"
  related_list = data.northpass_salesforce_enrollment_schema.this.related_list
  fields       = [data.northpass_salesforce_enrollment_schema.this.course_name_field]
}
`, versionID)
	}
	var before []string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: config(v20.VersionID),
				Check: func(*terraform.State) error {
					before = northpassAssignmentIDs(org)
					if len(before) != 2 {
						return fmt.Errorf("want 2 assignments after setup, got %v", before)
					}
					return nil
				},
			},
			{
				Config: config(v21.VersionID),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("northpass_salesforce_package.np", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("northpass_salesforce_permission_set_assignments.users", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("northpass_salesforce_layout_related_list.enrollments", plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					after := northpassAssignmentIDs(org)
					if fmt.Sprint(after) != fmt.Sprint(before) {
						return fmt.Errorf("the upgrade replaced the assignments: %v -> %v", before, after)
					}
					return nil
				},
			},
			{
				Config:             config(v21.VersionID),
				ConfigPlanChecks:   resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				PlanOnly:           false,
				ExpectNonEmptyPlan: false,
			},
		},
	})
}

// northpassAssignmentIDs lists the ids of the fake's assignments of the
// Northpass Standard User permission set, sorted.
func northpassAssignmentIDs(org *fakeOrg) []string {
	ps, ok := org.Lookup("PermissionSet", "Label", "Northpass Standard User")
	if !ok {
		return nil
	}
	var ids []string
	for _, r := range org.Records("PermissionSetAssignment") {
		if r["PermissionSetId"] == ps["Id"] {
			ids = append(ids, fmt.Sprint(r["Id"]))
		}
	}
	sort.Strings(ids)
	return ids
}
