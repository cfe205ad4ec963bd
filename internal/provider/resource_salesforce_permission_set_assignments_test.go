package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

const psasAddr = "northpass_salesforce_permission_set_assignments.standard_users"

// psasConfig gives the Northpass Standard User permission set to exactly
// these users.
func psasConfig(org *fakeOrg, expiration string, usernames ...string) string {
	quoted := make([]string, len(usernames))
	for i, u := range usernames {
		quoted[i] = fmt.Sprintf("%q", u)
	}
	exp := ""
	if expiration != "" {
		exp = fmt.Sprintf("  expiration_date   = %q\n", expiration)
	}
	return org.jwtProvider() + fmt.Sprintf(`
data "northpass_salesforce_permission_set" "standard_user" {
  label = %q
}
resource "northpass_salesforce_permission_set_assignments" "standard_users" {
  permission_set_id = data.northpass_salesforce_permission_set.standard_user.id
  usernames         = [%s]
%s}
`, nsuLabel, strings.Join(quoted, ", "), exp)
}

// checkAssigned compares who has the permission set in the fake, and the
// expiration of each assignment, with want.
func (o *fakeOrg) checkAssigned(t *testing.T, expiration string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ps := o.nsuID(t)
		got := o.usernamesAssigned(ps)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("fake: %s assigned to %v, want %v", nsuLabel, got, want)
		}
		for _, rec := range o.assignmentsOf(ps) {
			if err := expectExpiration(rec, expiration); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestAccPermissionSetAssignments_lifecycle(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{AssignmentExpirationDates: true})
	profileOwned := org.profileOwnedAssignments()
	ps := org.nsuID(t)
	const exp1, exp2, outside = "2030-01-01T00:00:00Z", "2031-06-30T12:00:00Z", "2035-05-05T05:05:05Z"
	integration := sffake.DefaultIntegrationUsername
	var outsiderAssignment string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy: func(*terraform.State) error {
			if got := org.usernamesAssigned(ps); len(got) != 0 {
				return fmt.Errorf("after destroy, %s is still assigned to %v", nsuLabel, got)
			}
			if n := org.profileOwnedAssignments(); n != profileOwned {
				return fmt.Errorf("profile-owned assignments changed: %d, was %d", n, profileOwned)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // create
				Config: psasConfig(org, exp1, janeUsername, johnUsername),
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(resource.ComposeTestCheckFunc(
						org.checkAssigned(t, exp1, janeUsername, johnUsername),
						func(*terraform.State) error {
							if n := org.profileOwnedAssignments(); n != profileOwned {
								return fmt.Errorf("profile-owned assignments changed: %d, was %d", n, profileOwned)
							}
							return nil
						},
					)),
					statecheck.ExpectKnownValue(psasAddr, tfjsonpath.New("id"), knownvalue.StringExact(ps)),
					statecheck.ExpectKnownValue(psasAddr, tfjsonpath.New("assignments"), knownvalue.MapExact(map[string]knownvalue.Check{
						janeUsername: knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id":              knownvalue.StringRegexp(regexp.MustCompile(`^0Pa`)),
							"expiration_date": knownvalue.StringExact(exp1),
						}),
						johnUsername: knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id":              knownvalue.StringRegexp(regexp.MustCompile(`^0Pa`)),
							"expiration_date": knownvalue.StringExact(exp1),
						}),
					})),
				},
			},
			{ // import by permission set id
				ResourceName:      psasAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{ // new default expiration: updated in place
				Config: psasConfig(org, exp2, janeUsername, johnUsername),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(psasAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: org.checkAssigned(t, exp2, janeUsername, johnUsername),
			},
			{ // drift: a user assigned in Setup, and Jane's expiration changed there
				PreConfig: func() {
					id, err := org.Insert("PermissionSetAssignment", map[string]any{"AssigneeId": org.userID(t, integration), "PermissionSetId": ps})
					mustDo(t, err)
					outsiderAssignment = id
					jane := org.assignmentsOf(ps)[normalizeID(org.userID(t, janeUsername))]
					mustDo(t, org.Update("PermissionSetAssignment", fmt.Sprint(jane["Id"]), map[string]any{"ExpirationDate": outside}))
				},
				Config: psasConfig(org, exp2, janeUsername, johnUsername),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(psasAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(psasAddr, tfjsonpath.New("usernames"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(janeUsername), knownvalue.StringExact(johnUsername)})),
						plancheck.ExpectKnownValue(psasAddr, tfjsonpath.New("assignments").AtMapKey(janeUsername).AtMapKey("expiration_date"),
							knownvalue.StringExact(exp2)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					org.checkAssigned(t, exp2, janeUsername, johnUsername),
					func(*terraform.State) error {
						if _, ok := org.Lookup("PermissionSetAssignment", "Id", outsiderAssignment); ok {
							return fmt.Errorf("the assignment made outside Terraform (%s) is still there", outsiderAssignment)
						}
						return nil
					},
				),
			},
			{ // drift: Jane's assignment removed in Setup
				PreConfig: func() {
					jane := org.assignmentsOf(ps)[normalizeID(org.userID(t, janeUsername))]
					mustDo(t, org.Delete("PermissionSetAssignment", fmt.Sprint(jane["Id"])))
				},
				Config: psasConfig(org, exp2, janeUsername, johnUsername),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(psasAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(psasAddr, tfjsonpath.New("assignments").AtMapKey(janeUsername).AtMapKey("id")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: org.checkAssigned(t, exp2, janeUsername, johnUsername),
			},
			{ // the list changes: John out, the integration user in, no expiration
				Config: psasConfig(org, "", janeUsername, integration),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(psasAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: org.checkAssigned(t, "", integration, janeUsername),
			},
			{ // usernames compare without regard to case: no change, no diff
				Config: psasConfig(org, "", strings.ToUpper(janeUsername), integration),
				Check:  org.checkAssigned(t, "", integration, janeUsername),
			},
			{ // an empty list removes the permission set from everyone
				Config: psasConfig(org, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(org.checkAssigned(t, "")),
					statecheck.ExpectKnownValue(psasAddr, tfjsonpath.New("assignments"), knownvalue.MapSizeExact(0)),
				},
			},
		},
	})
}

// Taking over a permission set someone already uses: existing assignments
// of listed users are kept (not duplicated), everyone else loses it.
func TestAccPermissionSetAssignments_takesOverExisting(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	ps := org.nsuID(t)
	janeExisting, err := org.Insert("PermissionSetAssignment", map[string]any{"AssigneeId": org.userID(t, janeUsername), "PermissionSetId": ps})
	mustDo(t, err)
	_, err = org.Insert("PermissionSetAssignment", map[string]any{"AssigneeId": org.userID(t, johnUsername), "PermissionSetId": ps})
	mustDo(t, err)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: psasConfig(org, "", janeUsername),
			ConfigStateChecks: []statecheck.StateCheck{
				fakeCheck(resource.ComposeTestCheckFunc(
					org.checkAssigned(t, "", janeUsername),
					func(*terraform.State) error {
						if n := len(org.assignmentsOf(ps)); n != 1 {
							return fmt.Errorf("%d assignments, want Jane's existing one only", n)
						}
						return nil
					},
				)),
				statecheck.ExpectKnownValue(psasAddr, tfjsonpath.New("assignments").AtMapKey(janeUsername).AtMapKey("id"),
					knownvalue.StringExact(normalizeID(janeExisting))),
			},
		}},
	})
}

// Unknown and inactive usernames fail the plan, listing them, and nothing
// changes in the org.
func TestAccPermissionSetAssignments_unknownAndInactiveUsersAtPlan(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	before := len(org.Records("PermissionSetAssignment"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config:      psasConfig(org, "", janeUsername, "nobody@acme.example", formerUser),
			PlanOnly:    true,
			ExpectError: errorLike("Unknown or inactive Salesforce users", "1 username(s) match no user", "nobody@acme.example", "1 user(s) are inactive", formerUser),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := len(org.Records("PermissionSetAssignment")); n != before {
				return fmt.Errorf("assignments changed from %d to %d", before, n)
			}
			if n := org.Kit().Count("POST composite/sobjects"); n != 0 {
				return fmt.Errorf("%d create calls", n)
			}
			return nil
		},
	})
}

// Usernames not known at plan time are checked once they are known during
// apply, before anything changes: Jane, who is valid, is not assigned either.
// (TestPermissionSetAssignmentsReconcile_checksUsersBeforeChanging covers
// the last check inside apply itself.)
func TestAccPermissionSetAssignments_unknownUsersAtApply(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	ps := org.nsuID(t)
	before := len(org.Records("PermissionSetAssignment"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + fmt.Sprintf(`
resource "terraform_data" "names" {
  input = [%q, "nobody@acme.example", %q]
}
resource "northpass_salesforce_permission_set_assignments" "standard_users" {
  permission_set_id = %q
  usernames         = terraform_data.names.output
}
`, janeUsername, formerUser, ps),
			ExpectError: errorLike("Unknown or inactive Salesforce users", "nobody@acme.example", formerUser, "nothing was changed"),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := len(org.Records("PermissionSetAssignment")); n != before {
				return fmt.Errorf("assignments changed from %d to %d", before, n)
			}
			return nil
		},
	})
}

// A profile's own permission set is refused at plan time; no assignment of
// a profile is touched.
func TestAccPermissionSetAssignments_profileOwnedRefused(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	owned := org.recordID(t, "PermissionSet", "Label", "Profile permission set for Standard User")
	profileOwned := org.profileOwnedAssignments()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + fmt.Sprintf(`
resource "northpass_salesforce_permission_set_assignments" "standard_users" {
  permission_set_id = %q
  usernames         = [%q]
}
`, owned, janeUsername),
			PlanOnly:    true,
			ExpectError: errorLike("Permission set belongs to a profile", "owned by a profile"),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := org.profileOwnedAssignments(); n != profileOwned {
				return fmt.Errorf("profile-owned assignments changed: %d, was %d", n, profileOwned)
			}
			return nil
		},
	})
}

func TestAccPermissionSetAssignments_badInput(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	jane := org.userID(t, janeUsername)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: org.jwtProvider() + fmt.Sprintf(`
resource "northpass_salesforce_permission_set_assignments" "standard_users" {
  permission_set_id = %q
  usernames         = [%q]
}
`, jane, janeUsername),
				PlanOnly:    true,
				ExpectError: errorLike("permission_set_id", "is a user id (prefix 005), but a permission set id (prefix 0PS) is needed"),
			},
			{
				Config:      psasConfig(org, "", janeUsername, strings.ToUpper(janeUsername)),
				PlanOnly:    true,
				ExpectError: errorLike("Username listed twice", "same Salesforce user"),
			},
			{
				Config:      psasConfig(org, "", "jane"),
				PlanOnly:    true,
				ExpectError: errorLike("must be a Salesforce username"),
			},
			{
				Config:      psasConfig(org, "tomorrow", janeUsername),
				PlanOnly:    true,
				ExpectError: errorLike("Invalid expiration date"),
			},
		},
	})
}

// usersInQuery counts the usernames in one "Username IN (…)" look-up.
func usersInQuery(soql string) int { return strings.Count(soql, "@") }

// 450 users: three create calls of 200, three user look-ups per plan, and
// every read one paged query.
func TestAccPermissionSetAssignments_batches(t *testing.T) {
	skipOnRealOrg(t)
	const n = 450
	org := newFakeOrg(t, sffake.Options{AssignmentExpirationDates: true, ExtraUsers: n, PageSize: 200})
	ps := org.nsuID(t)
	config := org.jwtProvider() + fmt.Sprintf(`
resource "northpass_salesforce_permission_set_assignments" "standard_users" {
  permission_set_id = %q
  usernames         = [for i in range(1, %d) : format("user%%04d@acme.example", i)]
  expiration_date   = "2030-01-01T00:00:00Z"
}
`, ps, n+1)
	lookups := func() []string { return soqlQueries(org, "FROM User WHERE Username IN") }
	assignmentReads := func() []string { return soqlQueries(org, "FROM PermissionSetAssignment WHERE PermissionSetId=") }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { org.Kit().Reset() },
				Config:    config,
				Check: func(*terraform.State) error {
					if got := len(org.usernamesAssigned(ps)); got != n {
						return fmt.Errorf("%d users assigned, want %d", got, n)
					}
					if c := org.Kit().Count("POST composite/sobjects"); c > 3 {
						return fmt.Errorf("%d create-collection calls for %d users, want at most 3", c, n)
					}
					if c := org.Kit().Count("POST sobjects/PermissionSetAssignment"); c != 0 {
						return fmt.Errorf("%d single-record creates", c)
					}
					// Each look-up of the 450 names (at each plan, and once
					// more before apply changes anything) is at most 3 queries.
					q := lookups()
					rounds := 0
					for _, s := range q {
						if strings.Contains(s, "'user0001@acme.example'") {
							rounds++
						}
						if usersInQuery(s) > 200 {
							return fmt.Errorf("a look-up query names %d users, want at most 200", usersInQuery(s))
						}
					}
					if rounds == 0 || rounds > 3 || len(q) > 3*rounds {
						return fmt.Errorf("%d user look-up queries in %d look-ups (plan, plan during apply, create), want at most 3 per look-up", len(q), rounds)
					}
					return nil
				},
			},
			{ // nothing to change: reads are one paged query each, no user look-ups
				PreConfig: func() { org.Kit().Reset() },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					// Users already assigned are known to exist: no look-up at all.
					if q := lookups(); len(q) != 0 {
						return fmt.Errorf("%d user look-up queries for a plan without changes, want none", len(q))
					}
					reads := len(assignmentReads())
					pages := org.Kit().Count("GET query/{locator}")
					if reads == 0 || pages != 2*reads {
						return fmt.Errorf("%d assignment queries and %d follow-up pages; want one query of 3 pages (450 rows at 200) per read", reads, pages)
					}
					return nil
				},
			},
			{ // drift in bulk: 250 users assigned in Setup are removed in batches
				PreConfig: func() {
					org.Kit().Reset()
					for i := 0; i < 250; i++ {
						u := fmt.Sprintf("user%04d@acme.example", i+1)
						rec := org.assignmentsOf(ps)[normalizeID(org.userID(t, u))]
						mustDo(t, org.Delete("PermissionSetAssignment", fmt.Sprint(rec["Id"])))
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(psasAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					if got := len(org.usernamesAssigned(ps)); got != n {
						return fmt.Errorf("%d users assigned, want %d", got, n)
					}
					if c := org.Kit().Count("POST composite/sobjects"); c > 2 {
						return fmt.Errorf("%d create-collection calls for 250 users, want 2", c)
					}
					return nil
				},
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if got := len(org.usernamesAssigned(ps)); got != 0 {
				return fmt.Errorf("%d users still assigned after destroy", got)
			}
			if c := org.Kit().Count("DELETE composite/sobjects"); c > 3 {
				return fmt.Errorf("%d delete-collection calls, want at most 3", c)
			}
			if c := org.Kit().Count("DELETE sobjects/PermissionSetAssignment/{id}"); c != 0 {
				return fmt.Errorf("%d single-record deletes", c)
			}
			return nil
		},
	})
}

// testSalesforceClient signs in to the fake as its admin, for tests that
// call the resource's apply logic directly.
func testSalesforceClient(t *testing.T, org *fakeOrg) *sfapi.Client {
	t.Helper()
	c, err := sfapi.New(sfapi.Config{InstanceURL: org.URL(), AccessToken: org.IssueAccessToken(sffake.DefaultAdminUsername), RetryMax: -1})
	mustDo(t, err)
	return c
}

// Plan time normally catches bad usernames; apply checks again before the
// first change, for a user deactivated after the plan.
func TestPermissionSetAssignmentsReconcile_checksUsersBeforeChanging(t *testing.T) {
	t.Parallel()
	org := newFakeOrg(t, sffake.Options{})
	client := testSalesforceClient(t, org)
	r := &permissionSetAssignmentsResource{data: &providerData{salesforce: client}}
	ps := org.nsuID(t)
	outsider, err := org.Insert("PermissionSetAssignment", map[string]any{"AssigneeId": org.userID(t, johnUsername), "PermissionSetId": ps})
	mustDo(t, err)
	before := len(org.Records("PermissionSetAssignment"))

	var diags diag.Diagnostics
	_, changed := r.reconcile(context.Background(), client,
		&psasPlanTarget{psID: ps, names: []string{janeUsername, "nobody@acme.example", formerUser}}, &diags)
	if !diags.HasError() || changed {
		t.Fatalf("changed=%v, diagnostics %v; want an error before any change", changed, diags)
	}
	detail := diags.Errors()[0].Detail()
	for _, want := range []string{"nobody@acme.example", formerUser, "nothing was changed"} {
		if !strings.Contains(detail, want) {
			t.Errorf("error lacks %q:\n%s", want, detail)
		}
	}
	if n := len(org.Records("PermissionSetAssignment")); n != before {
		t.Errorf("assignments changed from %d to %d", before, n)
	}
	if _, ok := org.Lookup("PermissionSetAssignment", "Id", outsider); !ok {
		t.Error("John's assignment was removed although the apply failed its checks")
	}
}

// Taking a permission set over removes everyone not listed; the plan says
// who, since it cannot show them as a diff yet.
func TestPermissionSetAssignmentsTakeoverWarning(t *testing.T) {
	t.Parallel()
	org := newFakeOrg(t, sffake.Options{})
	client := testSalesforceClient(t, org)
	r := &permissionSetAssignmentsResource{data: &providerData{salesforce: client}}
	ps, err := client.GetPermissionSet(context.Background(), org.nsuID(t))
	mustDo(t, err)
	for _, u := range []string{janeUsername, johnUsername} {
		_, err := org.Insert("PermissionSetAssignment", map[string]any{"AssigneeId": org.userID(t, u), "PermissionSetId": ps.ID})
		mustDo(t, err)
	}
	var diags diag.Diagnostics
	r.warnAboutTakeover(context.Background(), client, ps, []string{strings.ToUpper(janeUsername)}, &diags)
	if len(diags.Warnings()) != 1 {
		t.Fatalf("diagnostics %v, want one warning", diags)
	}
	detail := diags.Warnings()[0].Detail()
	if !strings.Contains(detail, johnUsername) || strings.Contains(detail, janeUsername) {
		t.Errorf("warning should name John only:\n%s", detail)
	}

	diags = nil
	r.warnAboutTakeover(context.Background(), client, ps, []string{janeUsername, johnUsername}, &diags)
	if len(diags) != 0 {
		t.Errorf("nobody loses the permission set, yet: %v", diags)
	}
}
