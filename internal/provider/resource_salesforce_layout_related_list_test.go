package provider

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/layoutdiff"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// The emulator's names for the Northpass package's Enrollment object. The
// provider never uses them; configurations get them from the org.
var (
	rlNS               = sffake.NorthpassNamespace
	rlEnrollments      = rlNS + "__Enrollment__c." + rlNS + "__Contact__c"
	rlCourseName       = rlNS + "__Course_Name__c"
	rlProgress         = rlNS + "__Progress_Percentage__c"
	rlEnrollmentDate   = rlNS + "__Enrollment_Date__c"
	rlCourseID         = rlNS + "__Course_Id__c"
	rlAttemptNumber    = rlNS + "__Course_Attempt_Number__c"
	rlContactLayout    = "Contact-Contact Layout"
	rlMarketingLayout  = "Contact-Contact %28Marketing%29 Layout"
	rlResource         = "northpass_salesforce_layout_related_list.enrollments"
	rlLayoutGET        = "GET tooling/sobjects/Layout/{id}"
	rlLayoutPATCH      = "PATCH tooling/sobjects/Layout/{id}"
	rlMetadataAPI      = "POST /services/Soap/m" // readMetadata and updateMetadata
	rlToolingQuery     = "GET tooling/query"
	rlSeededContactRLs = []string{"RelatedActivityList", "RelatedHistoryList", "RelatedNoteList", "RelatedEntityHistoryList"}
)

// rlConfig is one related list; extra is HCL added inside the block.
func rlConfig(layout string, fields []string, extra string) string {
	return fmt.Sprintf(`
resource "northpass_salesforce_layout_related_list" "enrollments" {
  layout       = %q
  related_list = %q
  fields       = %s
%s
}
`, layout, rlEnrollments, hclList(fields), extra)
}

func hclList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// layoutRecord is the fake's Layout record with the given full name.
func layoutRecord(org *fakeOrg, fullName string) (map[string]any, error) {
	for _, r := range org.Records("Layout") {
		if r["FullName"] == fullName {
			return r, nil
		}
	}
	return nil, fmt.Errorf("the fake has no layout %q", fullName)
}

func layoutMetadata(org *fakeOrg, fullName string) (map[string]any, error) {
	r, err := layoutRecord(org, fullName)
	if err != nil {
		return nil, err
	}
	md, ok := r["Metadata"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("layout %q: Metadata is %T", fullName, r["Metadata"])
	}
	return md, nil
}

func mustLayoutMetadata(t *testing.T, org *fakeOrg, fullName string) map[string]any {
	t.Helper()
	md, err := layoutMetadata(org, fullName)
	if err != nil {
		t.Fatal(err)
	}
	return md
}

func relatedLists(md map[string]any) []any {
	l, _ := md["relatedLists"].([]any)
	return l
}

func relatedListNames(md map[string]any) []string {
	var out []string
	for _, v := range relatedLists(md) {
		m, _ := v.(map[string]any)
		s, _ := m["relatedList"].(string)
		out = append(out, s)
	}
	return out
}

// findRelatedList returns the named entry of the layout's related lists and
// its index (-1 when absent).
func findRelatedList(md map[string]any, name string) (map[string]any, int) {
	for i, v := range relatedLists(md) {
		if m, ok := v.(map[string]any); ok && m["relatedList"] == name {
			return m, i
		}
	}
	return nil, -1
}

func anyList(ss ...string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// expectRelatedList checks the entry the fake stores, key by key.
func expectRelatedList(org *fakeOrg, layout, name string, want map[string]any) error {
	md, err := layoutMetadata(org, layout)
	if err != nil {
		return err
	}
	got, _ := findRelatedList(md, name)
	if got == nil {
		return fmt.Errorf("layout %q has no related list %s; it has %v", layout, name, relatedListNames(md))
	}
	for k, v := range want {
		g := got[k]
		if k == "excludeButtons" { // a set in Terraform: order is not kept
			g, v = sortedAny(g), sortedAny(v)
		}
		if !reflect.DeepEqual(g, v) {
			return fmt.Errorf("related list %s on %q: %s = %#v, want %#v", name, layout, k, got[k], v)
		}
	}
	return nil
}

// mustLayoutXML is the whole layout as the fake stores it (the Metadata
// API's XML, which readMetadata returns).
func mustLayoutXML(t *testing.T, org *fakeOrg, fullName string) string {
	t.Helper()
	x, ok := org.LayoutXML(fullName)
	if !ok {
		t.Fatalf("the fake has no layout %q", fullName)
	}
	return x
}

// expectLayoutUnchangedExcept compares the whole stored layout with
// before, element by element: everything except the named related lists
// (the action list, highlights panel, quick actions, mini layout, the
// element no client models, every other related list and its place) must
// be exactly as it was.
func expectLayoutUnchangedExcept(org *fakeOrg, layout, before string, managed ...string) error {
	after, ok := org.LayoutXML(layout)
	if !ok {
		return fmt.Errorf("the fake has no layout %q", layout)
	}
	owned := map[string]bool{}
	for _, n := range managed {
		owned[strings.ToLower(n)] = true
	}
	return layoutdiff.Compare(layout, []byte(before), []byte(after), func(e layoutdiff.Element) bool {
		return e.Name == "relatedLists" && owned[strings.ToLower(e.RelatedList)]
	})
}

// expectLayoutIdentical: after a destroy, the whole layout is the seed.
func expectLayoutIdentical(org *fakeOrg, layout, before string) error {
	if after, _ := org.LayoutXML(layout); after != before {
		if err := expectLayoutUnchangedExcept(org, layout, before); err != nil {
			return err
		}
		return fmt.Errorf("layout %q differs from before:\nbefore %s\nafter  %s", layout, before, after)
	}
	return nil
}

// editRelatedLists changes the layout's related lists in the fake, as an
// admin would in Setup; every other element stays.
func editRelatedLists(t *testing.T, org *fakeOrg, layout string, edit func([]any) []any) {
	t.Helper()
	md := mustLayoutMetadata(t, org, layout)
	mustDo(t, org.SetLayoutRelatedLists(layout, edit(relatedLists(md))))
}

func sortedAny(v any) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	out := append([]any{}, l...)
	sort.Slice(out, func(i, j int) bool { return fmt.Sprint(out[i]) < fmt.Sprint(out[j]) })
	return out
}

func expectCount(org *fakeOrg, endpoint string, want int) error {
	if got := org.Kit().Count(endpoint); got != want {
		return fmt.Errorf("%d requests to %s, want %d (all: %v)", got, endpoint, want, org.Kit().Counters())
	}
	return nil
}

func expectCounts(org *fakeOrg, want map[string]int) error {
	for e, n := range want {
		if err := expectCount(org, e, n); err != nil {
			return err
		}
	}
	return nil
}

// Create, import, update in place, no drift, and a destroy that leaves the
// layout exactly as it was.
func TestAccLayoutRelatedList_lifecycle(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	original := mustLayoutXML(t, org, rlContactLayout)
	marketing := mustLayoutXML(t, org, rlMarketingLayout)

	create := rlConfig(rlContactLayout, []string{"NAME", rlCourseName, rlProgress},
		fmt.Sprintf("  sort_field = %q\n  sort_order = \"Desc\"", rlEnrollmentDate))
	update := rlConfig(rlContactLayout, []string{rlCourseName, rlEnrollmentDate, rlProgress, rlAttemptNumber},
		fmt.Sprintf("  sort_field = %q\n  sort_order = \"Asc\"\n  exclude_buttons = [\"New\", \"MassChangeOwner\"]", rlCourseName))

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy: func(*terraform.State) error {
			// The whole layout is back to the seed, and nothing was ever
			// written through the Tooling API.
			if err := expectLayoutIdentical(org, rlContactLayout, original); err != nil {
				return err
			}
			if err := expectLayoutIdentical(org, rlMarketingLayout, marketing); err != nil {
				return err
			}
			return expectCount(org, rlLayoutPATCH, 0)
		},
		Steps: []resource.TestStep{
			{
				PreConfig: func() { org.Kit().Reset() },
				Config:    org.jwtProvider() + create,
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(func(*terraform.State) error {
						if err := expectRelatedList(org, rlContactLayout, rlEnrollments, map[string]any{
							"fields":         anyList("NAME", rlCourseName, rlProgress),
							"sortField":      rlEnrollmentDate,
							"sortOrder":      "Desc",
							"excludeButtons": anyList("New"),
							"customButtons":  []any{},
						}); err != nil {
							return err
						}
						md := mustLayoutMetadata(t, org, rlContactLayout)
						if _, i := findRelatedList(md, rlEnrollments); i != len(relatedLists(md))-1 {
							return fmt.Errorf("new related list at index %d, want it appended: %v", i, relatedListNames(md))
						}
						if err := expectLayoutUnchangedExcept(org, rlContactLayout, original, rlEnrollments); err != nil {
							return err
						}
						if err := expectLayoutUnchangedExcept(org, rlMarketingLayout, marketing); err != nil {
							return err
						}
						// One layout listing in the plan (the plan-time check that the
						// layout exists) and one in the apply, shared by its re-plan and
						// create; then readMetadata and updateMetadata, and no Tooling write.
						return expectCounts(org, map[string]int{rlToolingQuery: 2, rlLayoutGET: 0, rlMetadataAPI: 2, rlLayoutPATCH: 0})
					}),
					statecheck.ExpectKnownValue(rlResource, tfjsonpath.New("id"), knownvalue.StringExact(rlContactLayout+"|"+rlEnrollments)),
					statecheck.ExpectKnownValue(rlResource, tfjsonpath.New("layout_id"), knownvalue.StringRegexp(regexp.MustCompile(`^00h[0-9A-Za-z]{15}$`))),
					statecheck.ExpectKnownValue(rlResource, tfjsonpath.New("exclude_buttons"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("New")})),
					statecheck.ExpectKnownValue(rlResource, tfjsonpath.New("position"), knownvalue.Null()),
				},
			},
			{
				ResourceName:      rlResource,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:  rlResource,
				ImportState:   true,
				ImportStateId: rlContactLayout,
				ExpectError:   errorLike("Invalid import id", "<layout>|<related list>"),
			},
			{
				PreConfig: func() {
					// Custom buttons are not managed by the resource: an update keeps them.
					editRelatedLists(t, org, rlContactLayout, func(lists []any) []any {
						rl, _ := findRelatedList(map[string]any{"relatedLists": lists}, rlEnrollments)
						rl["customButtons"] = anyList("Send_Reminder")
						return lists
					})
					org.Kit().Reset()
				},
				Config: org.jwtProvider() + update,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(rlResource, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					if err := expectRelatedList(org, rlContactLayout, rlEnrollments, map[string]any{
						"fields":         anyList(rlCourseName, rlEnrollmentDate, rlProgress, rlAttemptNumber),
						"sortField":      rlCourseName,
						"sortOrder":      "Asc",
						"excludeButtons": anyList("New", "MassChangeOwner"),
						"customButtons":  anyList("Send_Reminder"),
					}); err != nil {
						return err
					}
					md := mustLayoutMetadata(t, org, rlContactLayout)
					if _, i := findRelatedList(md, rlEnrollments); i != len(relatedLists(md))-1 {
						return fmt.Errorf("the update moved the related list to index %d: %v", i, relatedListNames(md))
					}
					if err := expectLayoutUnchangedExcept(org, rlContactLayout, original, rlEnrollments); err != nil {
						return err
					}
					// The refresh reads the layout by id (one Tooling GET); the
					// update finds it in the listing, reads it with readMetadata
					// under the lock and writes it with updateMetadata.
					return expectCounts(org, map[string]int{rlToolingQuery: 1, rlLayoutGET: 1, rlMetadataAPI: 2, rlLayoutPATCH: 0})
				},
			},
			{
				// Back to no sort and every button: the keys are cleared, not left behind.
				Config: org.jwtProvider() + rlConfig(rlContactLayout, []string{rlCourseName}, "  exclude_buttons = []"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(rlResource, plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error {
					if err := expectRelatedList(org, rlContactLayout, rlEnrollments, map[string]any{
						"fields": anyList(rlCourseName), "sortField": nil, "sortOrder": nil, "excludeButtons": []any{},
					}); err != nil {
						return err
					}
					return expectLayoutUnchangedExcept(org, rlContactLayout, original, rlEnrollments)
				},
			},
		},
	})
}

// A related list removed in Setup is created again; one edited in Setup is
// put back by an in-place update.
func TestAccLayoutRelatedList_drift(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	config := org.jwtProvider() + rlConfig(rlContactLayout, []string{"NAME", rlCourseName},
		fmt.Sprintf("  sort_field = %q\n  sort_order = \"Desc\"", rlEnrollmentDate))
	want := map[string]any{
		"fields": anyList("NAME", rlCourseName), "sortField": rlEnrollmentDate, "sortOrder": "Desc", "excludeButtons": anyList("New"),
	}
	original := mustLayoutXML(t, org, rlContactLayout)
	repaired := func(*terraform.State) error {
		if err := expectRelatedList(org, rlContactLayout, rlEnrollments, want); err != nil {
			return err
		}
		return expectLayoutUnchangedExcept(org, rlContactLayout, original, rlEnrollments)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy: func(*terraform.State) error {
			if err := expectLayoutIdentical(org, rlContactLayout, original); err != nil {
				return err
			}
			return expectCount(org, rlLayoutPATCH, 0)
		},
		Steps: []resource.TestStep{
			{Config: config, Check: repaired},
			{
				PreConfig: func() {
					editRelatedLists(t, org, rlContactLayout, func(lists []any) []any {
						_, i := findRelatedList(map[string]any{"relatedLists": lists}, rlEnrollments)
						if i < 0 {
							t.Fatal("setup: the related list is not on the layout")
						}
						return append(lists[:i:i], lists[i+1:]...)
					})
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(rlResource, plancheck.ResourceActionCreate)},
				},
				Check: repaired,
			},
			{
				PreConfig: func() {
					editRelatedLists(t, org, rlContactLayout, func(lists []any) []any {
						rl, _ := findRelatedList(map[string]any{"relatedLists": lists}, rlEnrollments)
						rl["fields"] = anyList(rlCourseID)
						rl["sortOrder"] = "Asc"
						rl["excludeButtons"] = []any{}
						return lists
					})
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(rlResource, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(rlResource, tfjsonpath.New("fields"), knownvalue.ListExact([]knownvalue.Check{
							knownvalue.StringExact("NAME"), knownvalue.StringExact(rlCourseName)})),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: repaired,
			},
			{
				// A plan that only refreshes sees an edit as a change to make.
				PreConfig: func() {
					editRelatedLists(t, org, rlContactLayout, func(lists []any) []any {
						rl, _ := findRelatedList(map[string]any{"relatedLists": lists}, rlEnrollments)
						rl["sortField"] = rlCourseID
						return lists
					})
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Destroying one related list leaves the layout's others in place,
// including one managed by another resource.
func TestAccLayoutRelatedList_deleteRemovesOnlyItsList(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	cases := `
resource "northpass_salesforce_layout_related_list" "cases" {
  layout       = "Contact-Contact Layout"
  related_list = "RelatedCaseList"
  fields       = ["CASES.CASE_NUMBER", "CASES.SUBJECT"]
}
`
	enrollments := rlConfig(rlContactLayout, []string{rlCourseName}, "")
	seeded := mustLayoutXML(t, org, rlContactLayout)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy: func(*terraform.State) error {
			md := mustLayoutMetadata(t, org, rlContactLayout)
			if got := relatedListNames(md); !reflect.DeepEqual(got, rlSeededContactRLs) {
				return fmt.Errorf("after destroy the layout has related lists %v, want %v", got, rlSeededContactRLs)
			}
			return expectLayoutIdentical(org, rlContactLayout, seeded)
		},
		Steps: []resource.TestStep{
			{
				Config: org.jwtProvider() + enrollments + cases,
				Check: func(*terraform.State) error {
					md := mustLayoutMetadata(t, org, rlContactLayout)
					if got := len(relatedLists(md)); got != len(rlSeededContactRLs)+2 {
						return fmt.Errorf("%d related lists after create, want %d: %v", got, len(rlSeededContactRLs)+2, relatedListNames(md))
					}
					return nil
				},
			},
			{
				Config: org.jwtProvider() + enrollments,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("northpass_salesforce_layout_related_list.cases", plancheck.ResourceActionDestroy),
						plancheck.ExpectResourceAction(rlResource, plancheck.ResourceActionNoop),
					},
				},
				Check: func(*terraform.State) error {
					md := mustLayoutMetadata(t, org, rlContactLayout)
					want := append(append([]string(nil), rlSeededContactRLs...), rlEnrollments)
					if got := relatedListNames(md); !reflect.DeepEqual(got, want) {
						return fmt.Errorf("after removing the Cases list the layout has %v, want %v", got, want)
					}
					return nil
				},
			},
		},
	})
}

// Ten related lists on one layout in one apply: every read-modify-write
// sees the ones before it, so none is lost.
func TestAccLayoutRelatedList_tenOnOneLayout(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	// The fake accepts any standard Related…List name, and validates the
	// columns of custom ones against the child object.
	lists := map[string][]string{
		rlEnrollments:                 {rlCourseName, rlProgress},
		"RelatedCaseList":             {"CASES.CASE_NUMBER"},
		"RelatedOpportunityList":      {"OPPORTUNITY.NAME"},
		"RelatedContactRoleList":      {"ACCCONROLE.ROLE"},
		"RelatedCampaignMemberList":   {"CAMPAIGN.NAME", "CM.STATUS"},
		"RelatedAssetList":            {"ASSET.NAME"},
		"RelatedContractList":         {"CONTRACT.NUMBER"},
		"RelatedFileList":             {"TITLE"},
		"RelatedEmailMessageList":     {"EMAIL.SUBJECT"},
		"RelatedContactHierarchyList": {"NAME"},
	}
	// count, not for_each: terraform-plugin-testing cannot read for_each
	// instances back from the state.
	var hcl strings.Builder
	hcl.WriteString("locals {\n  related_lists = [\n")
	for name, fields := range lists {
		fmt.Fprintf(&hcl, "    { name = %q, fields = %s },\n", name, hclList(fields))
	}
	hcl.WriteString(`  ]
}

resource "northpass_salesforce_layout_related_list" "all" {
  count        = length(local.related_lists)
  layout       = "Contact-Contact Layout"
  related_list = local.related_lists[count.index].name
  fields       = local.related_lists[count.index].fields
}
`)
	original := mustLayoutXML(t, org, rlContactLayout)
	managed := make([]string, 0, len(lists))
	// Terraform's default -parallelism=10, which terraform-exec passes on
	// every apply and destroy: all ten write the layout at once.
	for name := range lists {
		managed = append(managed, name)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy: func(*terraform.State) error {
			return expectLayoutIdentical(org, rlContactLayout, original)
		},
		Steps: []resource.TestStep{{
			PreConfig: func() { org.Kit().Reset() },
			Config:    org.jwtProvider() + hcl.String(),
			ConfigStateChecks: []statecheck.StateCheck{fakeState(func() error {
				for name, fields := range lists {
					if err := expectRelatedList(org, rlContactLayout, name, map[string]any{
						"fields": anyList(fields...), "excludeButtons": anyList("New"),
					}); err != nil {
						return err
					}
				}
				if err := expectLayoutUnchangedExcept(org, rlContactLayout, original, managed...); err != nil {
					return err
				}
				// One listing per terraform command (plan, apply), shared by all
				// ten; each create: readMetadata under the layout's lock, then
				// updateMetadata. Nothing through the Tooling API.
				return expectCounts(org, map[string]int{rlToolingQuery: 2, rlLayoutGET: 0, rlMetadataAPI: 20, rlLayoutPATCH: 0})
			})},
		}, {
			// A refresh reads the layout once for all ten related lists.
			PreConfig: func() { org.Kit().Reset() },
			Config:    org.jwtProvider() + hcl.String(),
			PlanOnly:  true,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{fakePlan(func() error {
					return expectCounts(org, map[string]int{rlLayoutGET: 1, rlToolingQuery: 0})
				})},
			},
		}},
	})
}

// A layout whose full name has URL-encoded characters, and position.
func TestAccLayoutRelatedList_specialCharactersAndPosition(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	contact := mustLayoutXML(t, org, rlContactLayout)
	marketing := mustLayoutXML(t, org, rlMarketingLayout)
	at := func(pos int) func(*terraform.State) error {
		return func(*terraform.State) error {
			md := mustLayoutMetadata(t, org, rlMarketingLayout)
			if _, i := findRelatedList(md, rlEnrollments); i != pos {
				return fmt.Errorf("related list at index %d of %v, want %d", i, relatedListNames(md), pos)
			}
			// Moving it moves nothing else: the other related lists keep
			// their order around it.
			if err := expectLayoutUnchangedExcept(org, rlMarketingLayout, marketing, rlEnrollments); err != nil {
				return err
			}
			return expectLayoutIdentical(org, rlContactLayout, contact)
		}
	}
	withPosition := func(pos int) string {
		return org.jwtProvider() + rlConfig(rlMarketingLayout, []string{rlCourseName}, fmt.Sprintf("  position = %d", pos))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy: func(*terraform.State) error {
			return expectLayoutIdentical(org, rlMarketingLayout, marketing)
		},
		Steps: []resource.TestStep{
			{
				Config: withPosition(0),
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(at(0)),
					statecheck.ExpectKnownValue(rlResource, tfjsonpath.New("id"), knownvalue.StringExact(rlMarketingLayout+"|"+rlEnrollments)),
				},
			},
			{
				ResourceName:      rlResource,
				ImportState:       true,
				ImportStateId:     rlMarketingLayout + "|" + rlEnrollments,
				ImportStateVerify: true,
				// Import cannot know whether the configuration pins a position.
				ImportStateVerifyIgnore: []string{"position"},
			},
			{
				Config: withPosition(2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(rlResource, plancheck.ResourceActionUpdate)},
				},
				Check: at(2),
			},
			{
				// Moved in Setup: the plan moves it back.
				PreConfig: func() {
					editRelatedLists(t, org, rlMarketingLayout, func(lists []any) []any {
						_, i := findRelatedList(map[string]any{"relatedLists": lists}, rlEnrollments)
						rl := lists[i]
						lists = append(lists[:i:i], lists[i+1:]...)
						return append([]any{rl}, lists...)
					})
				},
				Config: withPosition(2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(rlResource, plancheck.ResourceActionUpdate)},
				},
				Check: at(2),
			},
			{
				// Past the end means at the bottom, without a perpetual diff.
				Config: withPosition(99),
				Check:  at(4),
			},
		},
	})
}

func TestAccLayoutRelatedList_unknownLayout(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + rlConfig("Contact-Contact Layout (old)", []string{rlCourseName}, ""),
			ExpectError: errorLike("Page layout not found", `no page layout "Contact-Contact Layout (old)" on Contact`,
				`its layouts are "Contact-Contact %28Marketing%29 Layout", "Contact-Contact Layout"`),
		}},
	})
	if err := expectCounts(org, map[string]int{rlLayoutPATCH: 0, rlMetadataAPI: 0}); err != nil {
		t.Error(err)
	}
}

// Salesforce's refusal reaches the user, with what to check.
func TestAccLayoutRelatedList_refusedBySalesforce(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	notALookupToContact := fmt.Sprintf(`
resource "northpass_salesforce_layout_related_list" "enrollments" {
  layout       = "Contact-Contact Layout"
  related_list = "%s__Enrollment__c.OwnerId"
  fields       = ["NAME"]
}
`, rlNS)
	before := mustLayoutXML(t, org, rlContactLayout)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: org.jwtProvider() + notALookupToContact,
				ExpectError: errorLike("Cannot add related list", "FIELD_INTEGRITY_EXCEPTION",
					"Invalid related list", "OwnerId is not a lookup from", "Check that", "is a related list of Contact"),
			},
			{
				Config:      org.jwtProvider() + rlConfig(rlContactLayout, []string{rlNS + "__No_Such_Field__c"}, ""),
				ExpectError: errorLike("Cannot add related list", "Invalid field:"+rlNS+"__No_Such_Field__c"),
			},
			{
				// Already on the layout (added in Setup): import it instead.
				Config: org.jwtProvider() + `
resource "northpass_salesforce_layout_related_list" "history" {
  layout       = "Contact-Contact Layout"
  related_list = "RelatedHistoryList"
  fields       = ["TASK.SUBJECT"]
}
`,
				ExpectError: errorLike("Related list already on the page layout", "Import it",
					`id = "Contact-Contact Layout|RelatedHistoryList"`),
			},
		},
	})
	if err := expectLayoutIdentical(org, rlContactLayout, before); err != nil {
		t.Errorf("a refused create changed the layout: %v", err)
	}
}

// Plan-time validation, before any call to Salesforce.
func TestAccLayoutRelatedList_validation(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	step := func(layout, fields, extra string, want ...string) resource.TestStep {
		return resource.TestStep{
			Config: org.jwtProvider() + fmt.Sprintf(`
resource "northpass_salesforce_layout_related_list" "enrollments" {
  layout       = %q
  related_list = %q
  fields       = %s
%s
}
`, layout, rlEnrollments, fields, extra),
			PlanOnly:    true,
			ExpectError: errorLike(want...),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			step(rlContactLayout, `["NAME"]`, `  sort_field = "NAME"`+"\n"+`  sort_order = "ascending"`,
				"Invalid Attribute Value Match", "sort_order", `value must be one of: ["Asc" "Desc"]`),
			step(rlContactLayout, `[]`, "", "Invalid Attribute Value", "fields", "list must contain at least 1 elements"),
			step(rlContactLayout, `["NAME", "NAME"]`, "", "Duplicate List Value", "fields"),
			step(rlContactLayout, `["NAME"]`, `  sort_order = "Desc"`, "Invalid Attribute Combination", "sort_field", "must be specified when", "sort_order"),
			step("Contact Layout", `["NAME"]`, "", "Invalid page layout name", "expected <Object>-<Layout Name>"),
			step(rlContactLayout, `["NAME"]`, `  position = -1`, "Invalid Attribute Value", "position", "at least 0"),
			step(rlContactLayout, `["NAME"]`, `  exclude_buttons = ["New Button"]`, "Invalid Attribute Value Match", "exclude_buttons", "must be a button name"),
		},
	})
	if n := len(requestsTo(org, "/tooling/")); n != 0 {
		t.Errorf("validation errors should come before any Tooling API call; %d were made", n)
	}
}

// The documented example, as written, against the emulated org: the names
// come from the enrollment schema data source, none is typed in.
func TestAccLayoutRelatedList_example(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	example, err := os.ReadFile("../../examples/resources/northpass_salesforce_layout_related_list/resource.tf")
	mustDo(t, err)
	contact := mustLayoutXML(t, org, rlContactLayout)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + string(example),
			Check: func(*terraform.State) error {
				if err := expectRelatedList(org, rlContactLayout, rlEnrollments, map[string]any{
					"fields":         anyList("NAME", rlCourseName, rlProgress, rlEnrollmentDate),
					"sortField":      rlEnrollmentDate,
					"sortOrder":      "Desc",
					"excludeButtons": anyList("New"),
				}); err != nil {
					return err
				}
				if err := expectLayoutUnchangedExcept(org, rlContactLayout, contact, rlEnrollments); err != nil {
					return err
				}
				md := mustLayoutMetadata(t, org, rlMarketingLayout)
				if _, i := findRelatedList(md, rlEnrollments); i != 0 {
					return fmt.Errorf("on the Marketing layout the related list is at %d, want 0: %v", i, relatedListNames(md))
				}
				return nil
			},
		}},
	})
}
