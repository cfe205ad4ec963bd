package provider

import (
	"fmt"
	"regexp"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

const psaAddr = "northpass_salesforce_permission_set_assignment.jane"

// psaConfig assigns the Northpass Standard User permission set to Jane,
// finding both by the names the guide uses.
func psaConfig(org *fakeOrg, expiration string) string {
	exp := ""
	if expiration != "" {
		exp = fmt.Sprintf("  expiration_date   = %q\n", expiration)
	}
	return org.jwtProvider() + fmt.Sprintf(`
data "northpass_salesforce_permission_set" "standard_user" {
  label = %q
}
data "northpass_salesforce_user" "jane" {
  username = %q
}
resource "northpass_salesforce_permission_set_assignment" "jane" {
  permission_set_id = data.northpass_salesforce_permission_set.standard_user.id
  assignee_id       = data.northpass_salesforce_user.jane.id
%s}
`, nsuLabel, janeUsername, exp)
}

// janeAssignment is the fake's assignment of the permission set to Jane.
func (o *fakeOrg) janeAssignment(t *testing.T) (map[string]any, bool) {
	rec, ok := o.assignmentsOf(o.nsuID(t))[normalizeID(o.userID(t, janeUsername))]
	return rec, ok
}

func (o *fakeOrg) checkJaneAssigned(t *testing.T, expiration string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		return o.janeAssignedAs(t, func() (string, error) { return s.RootModule().Resources[psaAddr].Primary.ID, nil }, expiration)
	}
}

// janeAssignedInState is checkJaneAssigned as a state check, on the JSON
// state the step's other state checks read (one terraform show).
func (o *fakeOrg) janeAssignedInState(t *testing.T, expiration string) statecheck.StateCheck {
	return jsonStateCheck(func(s *tfjson.State) error {
		return o.janeAssignedAs(t, func() (string, error) {
			id, err := stateAttr(s, psaAddr, tfjsonpath.New("id"))
			return fmt.Sprint(id), err
		}, expiration)
	})
}

// janeAssignedAs: Jane has the permission set in the fake, as the assignment
// whose id the state holds (stateID), with expiration.
func (o *fakeOrg) janeAssignedAs(t *testing.T, stateID func() (string, error), expiration string) error {
	rec, ok := o.janeAssignment(t)
	if !ok {
		return fmt.Errorf("jane has no assignment of %s in the fake", nsuLabel)
	}
	got, err := stateID()
	if err != nil {
		return err
	}
	if !sameRecordID(got, fmt.Sprint(rec["Id"])) {
		return fmt.Errorf("state id %s, fake assignment %v", got, rec["Id"])
	}
	return expectExpiration(rec, expiration)
}

func (o *fakeOrg) checkJaneUnassigned(t *testing.T) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if rec, ok := o.janeAssignment(t); ok {
			return fmt.Errorf("jane still has %s: %v", nsuLabel, rec)
		}
		return nil
	}
}

func TestAccPermissionSetAssignment_lifecycle(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{AssignmentExpirationDates: true})
	profileOwned := org.profileOwnedAssignments()
	const exp1, exp2, outside = "2030-01-01T00:00:00Z", "2031-06-30T12:00:00Z", "2032-02-02T00:00:00Z"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy: func(s *terraform.State) error {
			if err := org.checkJaneUnassigned(t)(s); err != nil {
				return err
			}
			if n := org.profileOwnedAssignments(); n != profileOwned {
				return fmt.Errorf("profile-owned assignments changed: %d, was %d", n, profileOwned)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // create, with expiration
				Config: psaConfig(org, exp1),
				ConfigStateChecks: []statecheck.StateCheck{
					org.janeAssignedInState(t, exp1),
					statecheck.ExpectKnownValue(psaAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^0Pa\w{15}$`))),
					statecheck.ExpectKnownValue(psaAddr, tfjsonpath.New("permission_set_id"), knownvalue.StringExact(org.nsuID(t))),
					statecheck.ExpectKnownValue(psaAddr, tfjsonpath.New("expiration_date"), knownvalue.StringExact(exp1)),
				},
			},
			{ // import by id
				ResourceName:      psaAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{ // import by namespaced name and username
				ResourceName:      psaAddr,
				ImportState:       true,
				ImportStateId:     nsuQualified + "/" + janeUsername,
				ImportStateVerify: true,
			},
			{ // import by label and username
				ResourceName:      psaAddr,
				ImportState:       true,
				ImportStateId:     nsuLabel + "/" + janeUsername,
				ImportStateVerify: true,
			},
			{ // a new expiration is an in-place update
				Config: psaConfig(org, exp2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(psaAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: org.checkJaneAssigned(t, exp2),
			},
			{ // expiration changed in Setup: update back
				PreConfig: func() {
					rec, _ := org.janeAssignment(t)
					mustDo(t, org.Update("PermissionSetAssignment", fmt.Sprint(rec["Id"]), map[string]any{"ExpirationDate": outside}))
				},
				Config: psaConfig(org, exp2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(psaAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(psaAddr, tfjsonpath.New("expiration_date"), knownvalue.StringExact(exp2)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: org.checkJaneAssigned(t, exp2),
			},
			{ // assignment removed in Setup: created again
				PreConfig: func() {
					rec, _ := org.janeAssignment(t)
					mustDo(t, org.Delete("PermissionSetAssignment", fmt.Sprint(rec["Id"])))
				},
				Config: psaConfig(org, exp2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(psaAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: org.checkJaneAssigned(t, exp2),
			},
			{ // removing the expiration is an update too
				Config: psaConfig(org, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(psaAddr, plancheck.ResourceActionUpdate)},
				},
				Check: org.checkJaneAssigned(t, ""),
			},
		},
	})
}

// Another user is a different assignment: replace, not update.
func TestAccPermissionSetAssignment_otherUserReplaces(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	ps, jane, john := org.nsuID(t), org.userID(t, janeUsername), org.userID(t, johnUsername)
	config := func(user string) string {
		return org.jwtProvider() + fmt.Sprintf(`
resource "northpass_salesforce_permission_set_assignment" "jane" {
  permission_set_id = %q
  assignee_id       = %q
}
`, ps, user)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{Config: config(jane)},
			{ // the 15-character form of the same id changes nothing
				Config: config(jane[:15]),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(psaAddr, plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error {
					if n := len(org.assignmentsOf(ps)); n != 1 {
						return fmt.Errorf("%d assignments after an id respelling, want 1", n)
					}
					return nil
				},
			},
			{
				Config: config(john),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(psaAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: func(*terraform.State) error {
					got := org.usernamesAssigned(ps)
					if fmt.Sprint(got) != "["+johnUsername+"]" {
						return fmt.Errorf("assigned to %v, want only %s", got, johnUsername)
					}
					return nil
				},
			},
		},
	})
}

// An assignment made by hand in Setup is adopted: no error, no second
// record, its id in state and its expiration brought in line.
func TestAccPermissionSetAssignment_adoptsExisting(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{AssignmentExpirationDates: true})
	existing, err := org.Insert("PermissionSetAssignment", map[string]any{
		"AssigneeId": org.userID(t, janeUsername), "PermissionSetId": org.nsuID(t)})
	mustDo(t, err)
	const exp = "2030-01-01T00:00:00Z"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: psaConfig(org, exp),
			ConfigStateChecks: []statecheck.StateCheck{
				org.janeAssignedInState(t, exp),
				fakeCheck(func(*terraform.State) error {
					if n := len(org.assignmentsOf(org.nsuID(t))); n != 1 {
						return fmt.Errorf("%d assignments of %s, want the one adopted", n, nsuLabel)
					}
					return nil
				}),
				statecheck.ExpectKnownValue(psaAddr, tfjsonpath.New("id"), knownvalue.StringExact(normalizeID(existing))),
			},
		}},
	})
}

func TestAccPermissionSetAssignment_mixedUpIds(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	ps, jane := org.nsuID(t), org.userID(t, janeUsername)
	before := len(org.Records("PermissionSetAssignment"))
	config := func(psID, userID string) string {
		return org.jwtProvider() + fmt.Sprintf(`
resource "northpass_salesforce_permission_set_assignment" "jane" {
  permission_set_id = %q
  assignee_id       = %q
}
`, psID, userID)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config:      config(jane, ps),
				PlanOnly:    true,
				ExpectError: errorLike(`permission_set_id`, "is a user id (prefix 005), but a permission set id (prefix 0PS) is needed"),
			},
			{
				Config:      config(ps, ps),
				PlanOnly:    true,
				ExpectError: errorLike(`assignee_id`, "is a permission set id (prefix 0PS), but a user id (prefix 005) is needed"),
			},
			{
				Config:      org.jwtProvider() + `resource "northpass_salesforce_permission_set_assignment" "jane" {` + "\n" + `permission_set_id = "` + ps + `"` + "\n" + `assignee_id = "` + jane + `"` + "\n" + `expiration_date = "31/12/2030"` + "\n}\n",
				PlanOnly:    true,
				ExpectError: errorLike("Invalid expiration date", "not an RFC 3339 timestamp"),
			},
			{
				PreConfig: func() {
					if n := len(org.Records("PermissionSetAssignment")); n != before {
						t.Errorf("assignments changed from %d to %d", before, n)
					}
				},
				Config:      config(ps, jane) + "# unchanged org\n",
				ImportState: true, ResourceName: psaAddr, ImportStateId: "Sales_Ops/" + janeUsername,
				ExpectError: errorLike("Permission set not assigned", janeUsername, "Sales Ops"),
			},
		},
	})
}
