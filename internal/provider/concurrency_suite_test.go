package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// The ten related lists every concurrency test puts on one layout: the
// Enrollments list and nine standard ones the fake accepts, each with
// columns of its own.
var suiteRelatedLists = []struct {
	name   string
	fields []string
}{
	{rlEnrollments, []string{rlCourseName, rlProgress}},
	{"RelatedCaseList", []string{"CASES.CASE_NUMBER"}},
	{"RelatedOpportunityList", []string{"OPPORTUNITY.NAME"}},
	{"RelatedContactRoleList", []string{"ACCCONROLE.ROLE"}},
	{"RelatedCampaignMemberList", []string{"CAMPAIGN.NAME", "CM.STATUS"}},
	{"RelatedAssetList", []string{"ASSET.NAME"}},
	{"RelatedContractList", []string{"CONTRACT.NUMBER"}},
	{"RelatedFileList", []string{"TITLE"}},
	{"RelatedEmailMessageList", []string{"EMAIL.SUBJECT"}},
	{"RelatedContactHierarchyList", []string{"NAME"}},
}

// Ten related lists on one layout and 200 single assignments in one apply
// with -parallelism=20: every list and every assignment is there, once, in
// the org and in the state; nothing else on the layout changed; the next
// plan is empty; destroy takes everything back.
func TestAccSuite_parallelRelatedListsAndAssignments(t *testing.T) {
	skipOnRealOrg(t)
	const users = 200
	withParallelism(t, 20)
	org := newFakeOrg(t, sffake.Options{ExtraUsers: users})
	// Each assignment create is held 30 ms in the fake, which counts how
	// many are held at once: more than Terraform's default of 10 proves the
	// creates really ran 20 at a time.
	var mu sync.Mutex
	inFlight, maxInFlight := 0, 0
	org.Kit().Sleep = func(ctx context.Context, d time.Duration) {
		mu.Lock()
		inFlight++
		maxInFlight = max(maxInFlight, inFlight)
		mu.Unlock()
		select {
		case <-ctx.Done():
		case <-time.After(d):
		}
		mu.Lock()
		inFlight--
		mu.Unlock()
	}
	// Long enough that a busy machine, slow to start each create, still
	// has more than ten in flight at once when -parallelism allows it.
	org.Kit().AddRule(fakekit.Rule{Method: http.MethodPost, PathContains: "/sobjects/PermissionSetAssignment", Latency: 150 * time.Millisecond})
	ps := org.nsuID(t)
	ids := make([]string, users)
	for i := range ids {
		ids[i] = org.userID(t, fmt.Sprintf("user%04d@acme.example", i+1))
	}
	original := mustLayoutMetadata(t, org, rlContactLayout)
	originalXML := mustLayoutXML(t, org, rlContactLayout)
	managed := make([]string, len(suiteRelatedLists))
	var hcl strings.Builder
	hcl.WriteString("locals {\n  related_lists = [\n")
	for i, l := range suiteRelatedLists {
		managed[i] = l.name
		fmt.Fprintf(&hcl, "    { name = %q, fields = %s },\n", l.name, hclList(l.fields))
	}
	fmt.Fprintf(&hcl, "  ]\n  users = %s\n}\n", hclList(ids))
	// count, not for_each: the shimmed state the checks see keeps count
	// instances apart.
	fmt.Fprintf(&hcl, `
resource "northpass_salesforce_layout_related_list" "all" {
  count        = length(local.related_lists)
  layout       = %q
  related_list = local.related_lists[count.index].name
  fields       = local.related_lists[count.index].fields
}

resource "northpass_salesforce_permission_set_assignment" "all" {
  count             = length(local.users)
  permission_set_id = %q
  assignee_id       = local.users[count.index]
}
`, rlContactLayout, ps)
	cfg := org.jwtProvider() + hcl.String()

	inOrg := func() error {
		for _, l := range suiteRelatedLists {
			if err := expectRelatedList(org, rlContactLayout, l.name, map[string]any{"fields": anyList(l.fields...)}); err != nil {
				return err
			}
		}
		md := mustLayoutMetadata(t, org, rlContactLayout)
		if got, want := len(relatedListNames(md)), len(relatedListNames(original))+len(suiteRelatedLists); got != want {
			return fmt.Errorf("%d related lists on the layout, want %d: %v", got, want, relatedListNames(md))
		}
		if err := expectLayoutUnchangedExcept(org, rlContactLayout, originalXML, managed...); err != nil {
			return err
		}
		n := 0
		for _, a := range org.Records("PermissionSetAssignment") {
			if sameRecordID(fmt.Sprint(a["PermissionSetId"]), ps) {
				n++
			}
		}
		if got := org.assignmentsOf(ps); len(got) != users || n != users {
			return fmt.Errorf("%d assignments (%d users) of %s, want one for each of %d users", n, len(got), nsuLabel, users)
		}
		return nil
	}
	// The state, as apply wrote it, names each user's own assignment.
	inState := planFunc(func(p *tfjson.Plan) error {
		have := org.assignmentsOf(ps)
		seen := map[string]bool{}
		lists := map[string]bool{}
		for _, r := range p.PriorState.Values.RootModule.Resources {
			switch r.Type {
			case "northpass_salesforce_permission_set_assignment":
				user, id := fmt.Sprint(r.AttributeValues["assignee_id"]), fmt.Sprint(r.AttributeValues["id"])
				rec, ok := have[normalizeID(user)]
				if !ok || !sameRecordID(id, fmt.Sprint(rec["Id"])) {
					return fmt.Errorf("%s: state id %s for user %s, the org has %v", r.Address, id, user, rec["Id"])
				}
				if seen[id] {
					return fmt.Errorf("assignment %s is in the state twice", id)
				}
				seen[id] = true
			case "northpass_salesforce_layout_related_list":
				lists[fmt.Sprint(r.AttributeValues["related_list"])] = true
			}
		}
		if len(seen) != users || len(lists) != len(suiteRelatedLists) {
			return fmt.Errorf("the state has %d assignments and %d related lists, want %d and %d", len(seen), len(lists), users, len(suiteRelatedLists))
		}
		return nil
	})
	// Serial: withParallelism sets TF_ACC_TERRAFORM_PATH, which
	// plugin-testing reads from the process environment when a test starts;
	// it has no per-test terraform path or -parallelism option.
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy: func(*terraform.State) error {
			if n := len(org.assignmentsOf(ps)); n != 0 {
				return fmt.Errorf("%d assignments left after destroy", n)
			}
			return expectLayoutIdentical(org, rlContactLayout, originalXML)
		},
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPreRefresh:  []plancheck.PlanCheck{inState},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(*terraform.State) error {
				mu.Lock()
				peak := maxInFlight
				mu.Unlock()
				t.Logf("at most %d assignment creates ran at once", peak)
				if peak <= 10 || peak > 20 {
					return fmt.Errorf("at most %d assignment creates ran at once, want 11 to 20 with -parallelism=20", peak)
				}
				return inOrg()
			},
		}},
	})
}
