package provider

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// Batched reads in a real terraform run: a refresh of many single
// assignments of one permission set reads them with one set-wide query,
// and NORTHPASS_BATCH_READS=false goes back to one query each.

const batchUsers = 20

// batchConfig assigns the Northpass Standard User permission set to the
// fake's extra users one resource each, as a count over their ids.
func batchConfig(org *fakeOrg, t *testing.T, expiration string) string {
	ids := make([]string, batchUsers)
	for i := range ids {
		ids[i] = fmt.Sprintf("%q", org.userID(t, fmt.Sprintf("user%04d@acme.example", i+1)))
	}
	exp := "null"
	if expiration != "" {
		exp = fmt.Sprintf("%q", expiration)
	}
	return org.jwtProvider() + fmt.Sprintf(`
locals {
  users = [%s]
}
resource "northpass_salesforce_permission_set_assignment" "team" {
  count             = length(local.users)
  permission_set_id = %q
  assignee_id       = local.users[count.index]
  expiration_date   = %s
}
`, strings.Join(ids, ", "), org.nsuID(t), exp)
}

// assignmentQueries returns the SOQL of every logged query that reads
// permission set assignments.
func assignmentQueries(org *fakeOrg) []string {
	var out []string
	for _, r := range org.Kit().Requests() {
		if !strings.HasSuffix(r.Path, "/query") {
			continue
		}
		v, _ := url.ParseQuery(r.RawQuery)
		if q := v.Get("q"); strings.Contains(q, "FROM PermissionSetAssignment") {
			out = append(out, q)
		}
	}
	return out
}

// expectAssignmentQueries is a plan check (it runs after the refresh plan)
// on the fake's request log since the step began.
type expectAssignmentQueries struct {
	org      *fakeOrg
	setWide  int // WHERE PermissionSetId=…
	byRecord int // WHERE Id=…
}

func (e expectAssignmentQueries) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	setWide, byRecord := 0, 0
	qs := assignmentQueries(e.org)
	for _, q := range qs {
		switch {
		case strings.Contains(q, "WHERE PermissionSetId="):
			setWide++
		case strings.Contains(q, "WHERE Id="):
			byRecord++
		}
	}
	if setWide != e.setWide || byRecord != e.byRecord || len(qs) != e.setWide+e.byRecord {
		resp.Error = fmt.Errorf("assignment queries: %d set-wide and %d by id (%d in all), want %d and %d:\n%s",
			setWide, byRecord, len(qs), e.setWide, e.byRecord, strings.Join(qs, "\n"))
	}
}

func TestAccPermissionSetAssignment_batchedReads(t *testing.T) {
	skipOnRealOrg(t)
	env := newTestEnv(map[string]string{batchReadsEnv: ""}) // PreConfig sets it
	org := newFakeOrg(t, sffake.Options{ExtraUsers: batchUsers})
	reset := func(batch string) func() {
		return func() {
			env.set(batchReadsEnv, batch)
			org.Kit().Reset()
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(withEnv(env)),
		Steps: []resource.TestStep{
			{Config: batchConfig(org, t, "")},
			{ // batched: the whole refresh is one paged query for the set
				PreConfig: reset(""),
				Config:    batchConfig(org, t, ""),
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{expectAssignmentQueries{org: org, setWide: 1}},
				},
			},
			{ // the troubleshooting switch: one query per assignment
				PreConfig: reset("false"),
				Config:    batchConfig(org, t, ""),
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{expectAssignmentQueries{org: org, byRecord: batchUsers}},
				},
			},
		},
	})
}

// Reads answered from the set-wide load are as current as single reads:
// an expiration changed by apply shows no diff after it, one changed in
// Setup and an assignment removed there show up, each on its own resource.
func TestAccPermissionSetAssignment_batchedReadsStayFresh(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{AssignmentExpirationDates: true, ExtraUsers: batchUsers})
	const exp1, exp2, outside = "2030-01-01T00:00:00Z", "2031-06-30T12:00:00Z", "2032-02-02T00:00:00Z"
	addr := func(i int) string { return fmt.Sprintf("northpass_salesforce_permission_set_assignment.team[%d]", i) }
	assignmentOf := func(i int) map[string]any {
		rec, ok := org.assignmentsOf(org.nsuID(t))[normalizeID(org.userID(t, fmt.Sprintf("user%04d@acme.example", i+1)))]
		if !ok {
			t.Fatalf("user %d has no assignment in the fake", i+1)
		}
		return rec
	}
	everyoneHas := func(expiration string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			for i := range batchUsers {
				if err := expectExpiration(assignmentOf(i), expiration); err != nil {
					return fmt.Errorf("user %d: %w", i+1, err)
				}
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{Config: batchConfig(org, t, exp1), Check: everyoneHas(exp1)},
			{ // read after write: the new expiration, and no diff after apply
				Config: batchConfig(org, t, exp2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr(0), plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: everyoneHas(exp2),
			},
			{ // changed and removed in Setup: exactly those two resources drift
				PreConfig: func() {
					mustDo(t, org.Update("PermissionSetAssignment", fmt.Sprint(assignmentOf(3)["Id"]), map[string]any{"ExpirationDate": outside}))
					mustDo(t, org.Delete("PermissionSetAssignment", fmt.Sprint(assignmentOf(7)["Id"])))
				},
				Config: batchConfig(org, t, exp2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr(3), plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(addr(7), plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(addr(4), plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: everyoneHas(exp2),
			},
		},
	})
}

// fakePlan runs a check against the fake as a plan check, after the plan
// it belongs to (for PlanOnly steps, after the refresh plan).
type fakePlan func() error

func (f fakePlan) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f()
}

// soqlMatching counts the logged queries whose SOQL contains fragment.
func soqlMatching(org *fakeOrg, fragment string) int {
	n := 0
	for _, r := range org.Kit().Requests() {
		v, _ := url.ParseQuery(r.RawQuery)
		if strings.Contains(v.Get("q"), fragment) {
			n++
		}
	}
	return n
}

// User look-ups by username from many data sources read at once go in IN
// (…) batches, and so do their administrator checks; the user's own record
// is not read a second time.
func TestAccSalesforceUserDataSource_batchedLookups(t *testing.T) {
	skipOnRealOrg(t)
	env := newTestEnv(map[string]string{batchReadsEnv: ""}) // PreConfig sets it
	const n = 10
	org := newFakeOrg(t, sffake.Options{ExtraUsers: n})
	names := make([]string, n)
	var checks []statecheck.StateCheck
	for i := range names {
		names[i] = fmt.Sprintf("%q", fmt.Sprintf("user%04d@acme.example", i+1))
		checks = append(checks, statecheck.ExpectKnownValue(fmt.Sprintf("data.northpass_salesforce_user.team[%d]", i),
			tfjsonpath.New("id"), knownvalue.StringExact(org.userID(t, fmt.Sprintf("user%04d@acme.example", i+1)))))
	}
	config := org.jwtProvider() + fmt.Sprintf(`
locals {
  names = [%s]
}
data "northpass_salesforce_user" "team" {
  count    = length(local.names)
  username = local.names[count.index]
}
`, strings.Join(names, ", "))
	// Latency makes the reads overlap as they do against a real org.
	start := func(batch string) func() {
		return func() {
			env.set(batchReadsEnv, batch)
			org.Kit().SetLatency(50 * time.Millisecond)
			org.Kit().Reset()
		}
	}
	counts := func(check func(byName, byID, admin int) error) plancheck.PlanCheck {
		return fakePlan(func() error {
			org.Kit().SetLatency(0)
			return check(soqlMatching(org, "FROM User WHERE Username IN"), soqlMatching(org, "FROM User WHERE Id="),
				soqlMatching(org, "PermissionSet.PermissionsModifyAllData=true"))
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(withEnv(env)),
		Steps: []resource.TestStep{
			{
				PreConfig: start(""),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{counts(func(byName, byID, admin int) error {
					if byName > n/2 || admin > n/2 || byID != 0 {
						return fmt.Errorf("%d data sources: %d username queries, %d admin checks, %d reads by id; want at most %d, %d and 0",
							n, byName, admin, byID, n/2, n/2)
					}
					return nil
				})}},
				ConfigStateChecks: checks,
			},
			{
				PreConfig: start("false"),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{counts(func(byName, byID, admin int) error {
					if byName != n || admin != n || byID != n {
						return fmt.Errorf("unbatched: %d username queries, %d admin checks, %d reads by id; want %d of each", byName, admin, byID, n)
					}
					return nil
				})}},
				ConfigStateChecks: checks,
			},
		},
	})
}
