package provider

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// What Salesforce refuses about an assignment's expiration, and what the
// provider tells the user to do about it.

const expiry = "2030-01-01T00:00:00Z"

// An org where no admin turned on "Assignments with Expiration Dates" (the
// default) refuses the expiration; the error names the setting, on
// expiration_date. Once the admin turns it on, the same configuration
// applies.
func TestAccPermissionSetAssignment_expirationNeedsOrgSetting(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: psaConfig(org, expiry),
				ExpectError: errorLike("Cannot assign the permission set", "expiration_date",
					"User Management Settings", `"Permission Set & Permission Set Group Assignments with Expiration Dates"`),
			},
			{
				PreConfig: func() {
					if _, ok := org.janeAssignment(t); ok {
						t.Error("the refused assignment exists in the fake")
					}
					org.SetAssignmentExpirationDates(true)
				},
				Config: psaConfig(org, expiry),
				Check:  org.checkJaneAssigned(t, expiry),
			},
		},
	})
}

// The same refusal for the whole-team resource, where creates go in
// batches.
func TestAccPermissionSetAssignments_expirationNeedsOrgSetting(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: psasConfig(org, expiry, janeUsername, johnUsername),
			ExpectError: errorLike("Cannot assign the permission set to every user", "expiration_date",
				"User Management Settings", "apply again"),
		}},
	})
	if got := org.usernamesAssigned(org.nsuID(t)); len(got) != 0 {
		t.Errorf("assigned despite the refusal: %v", got)
	}
}

// A permission set that grants Manage Users (or Assign Permission Sets)
// can't have expiring assignments; the error says so and what to change.
func TestAccPermissionSetAssignment_expirationRefusedForAdminPermissionSet(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{AssignmentExpirationDates: true})
	ps, err := org.Insert("PermissionSet", map[string]any{"Name": "User_Admins", "Label": "User Admins", "PermissionsManageUsers": true})
	mustDo(t, err)
	config := org.jwtProvider() + fmt.Sprintf(`
resource "northpass_salesforce_permission_set_assignment" "jane" {
  permission_set_id = %q
  assignee_id       = %q
  expiration_date   = %q
}
`, ps, org.userID(t, janeUsername), expiry)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: errorLike("expiration_date", "Manage Users", "Remove expiration_date for this permission set"),
		}},
	})
}

// Before API version 52.0 PermissionSetAssignment has no ExpirationDate:
// a plan-time error on expiration_date, before anything reaches the org.
func TestAccPermissionSetAssignment_expirationNeedsAPIVersion52(t *testing.T) {
	skipOnRealOrg(t)
	t.Parallel()
	org := newFakeOrg(t, sffake.Options{AssignmentExpirationDates: true})
	provider := strings.Replace(org.jwtProvider(), "login_url", "api_version = \"51.0\"\n    login_url", 1)
	single := fmt.Sprintf(`
resource "northpass_salesforce_permission_set_assignment" "jane" {
  permission_set_id = %q
  assignee_id       = %q
  expiration_date   = %q
}
`, org.nsuID(t), org.userID(t, janeUsername), expiry)
	team := fmt.Sprintf(`
resource "northpass_salesforce_permission_set_assignments" "team" {
  permission_set_id = %q
  usernames         = [%q]
  expiration_date   = %q
}
`, org.nsuID(t), janeUsername, expiry)
	// One step per resource, in one TestCase (a TestCase each cost two more
	// terraform commands than its plan: init and a last show): both fail at plan, and the check on
	// the fake's log below covers both.
	var steps []resource.TestStep
	for _, res := range []string{single, team} {
		steps = append(steps, resource.TestStep{
			Config:             provider + res,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ExpectError:        errorLike("Expiration dates need API version 52.0 or later", "expiration_date", "api_version is 51.0"),
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps:                    steps,
	})
	for _, r := range org.Kit().Requests() {
		if strings.Contains(r.Path, "/services/data/") {
			t.Errorf("the plan reached the org: %s %s", r.Method, r.Path)
		}
	}
}

// With API version 51.0 and no expiration there is nothing to refuse.
func TestExpirationAPIVersionProblem(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{"51.0": true, "52.0": false, "65.0": false} {
		c, err := sfapi.New(sfapi.Config{InstanceURL: "https://acme.my.salesforce.com", AccessToken: "t", APIVersion: v})
		mustDo(t, err)
		if got := expirationAPIVersionProblem(c) != ""; got != want {
			t.Errorf("api_version %s: problem = %v, want %v", v, got, want)
		}
	}
}

func TestExpirationRefusalFix(t *testing.T) {
	t.Parallel()
	setting := &sfapi.APIError{Status: 400, ErrorCode: "FIELD_INTEGRITY_EXCEPTION", Fields: []string{"ExpirationDate"},
		Message: "Assignments with expiration dates aren't enabled in this org. To use them, enable Permission Set & Permission Set Group Assignments with Expiration Dates in User Management Settings."}
	permSet := &sfapi.BatchError{Failures: []sfapi.BatchFailure{{Key: "005", Code: "FIELD_INTEGRITY_EXCEPTION",
		Message: "This permission set can't have an expiration date because it includes the Assign Permission Sets permission."}}}
	unknown := &sfapi.APIError{Status: 400, ErrorCode: "FIELD_INTEGRITY_EXCEPTION", Fields: []string{"ExpirationDate"}, Message: "Expiration date not allowed."}
	other := &sfapi.APIError{Status: 400, ErrorCode: "DUPLICATE_VALUE", Message: "Duplicate PermissionSetAssignment"}
	for _, c := range []struct {
		name    string
		err     error
		setting bool
		permSet bool
	}{
		{"org setting", fmt.Errorf("assign: %w", setting), true, false},
		{"permission set", permSet, false, true},
		{"unrecognised refusal of the expiration", unknown, true, true},
		{"not about expiration", other, false, false},
		{"not from Salesforce", errors.New("expiration: connection reset"), false, false},
	} {
		fix := expirationRefusalFix(c.err)
		if got := strings.Contains(fix, "User Management Settings"); got != c.setting {
			t.Errorf("%s: setting fix %v, want %v: %q", c.name, got, c.setting, fix)
		}
		if got := strings.Contains(fix, "Manage Users"); got != c.permSet {
			t.Errorf("%s: permission set fix %v, want %v: %q", c.name, got, c.permSet, fix)
		}
	}
}
