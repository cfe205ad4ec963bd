package provider

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
)

const enrollmentSyncAddr = "data.northpass_salesforce_enrollment_sync.this"

func enrollmentSyncConfig(f *enrollmentFakes, extra string) string {
	return f.provider() + fmt.Sprintf(`
check "test_enrollment_synced" {
  data "northpass_salesforce_enrollment_sync" "this" {
    since = %q
%s
  }

  assert {
    condition     = data.northpass_salesforce_enrollment_sync.this.in_sync
    error_message = "${data.northpass_salesforce_enrollment_sync.this.missing_count} CE enrollments have not reached Salesforce"
  }
}
`, "2025-11-20T00:00:00Z", extra)
}

// insertSynced writes the record CE's sync would have written.
func insertSynced(t *testing.T, f *enrollmentFakes, e npfake.Enrollment) {
	t.Helper()
	if _, err := f.org.Insert(emuEnrollment, map[string]any{
		emuExternalID: e.ID, emuCourseID: e.CourseID, emuProgress: e.Progress,
		emuDate: e.EnrolledAt.Format("2006-01-02T15:04:05.000Z"),
	}); err != nil {
		t.Fatal(err)
	}
}

// The check follows Salesforce into and out of sync: missing ids are
// listed (at most 100, with a note for the rest) until their records exist.
// Enrollments before `since`, and other courses when course_ids is set, are
// not checked.
func TestAccEnrollmentSyncDataSource_inAndOutOfSync(t *testing.T) {
	skipOnRealOrg(t)
	f := newEnrollmentFakes(t, 40, 30)
	courseA, courseB := f.ce.AddCourse("Salesforce Basics"), f.ce.AddCourse("Advanced Reporting")
	var inA []npfake.Enrollment
	for i := 0; i < 105; i++ {
		p := f.ce.AddPerson(fmt.Sprintf("learner%03d@example.com", i), "Learner", fmt.Sprint(i))
		inA = append(inA, f.ce.AddEnrollment(courseA.ID, p.ID, 0, outageDate.Add(time.Duration(i)*time.Minute)))
	}
	p := f.ce.AddPerson("b@example.com", "B", "B")
	inB := f.ce.AddEnrollment(courseB.ID, p.ID, 100, outageDate.Add(48*time.Hour))
	insertSynced(t, f, inB)

	var firstHundred []knownvalue.Check
	for _, e := range inA[:100] { // oldest first
		firstHundred = append(firstHundred, knownvalue.StringExact(e.ID))
	}
	value := func(attr string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(enrollmentSyncAddr, tfjsonpath.New(attr), v)
	}
	// A check block's data source is read again in every apply, so these
	// plans are never empty.
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config:             enrollmentSyncConfig(f, ""),
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					value("checked_count", knownvalue.Int64Exact(106)),
					value("missing_count", knownvalue.Int64Exact(105)),
					value("missing", knownvalue.ListExact(firstHundred)),
					value("missing_note", knownvalue.StringExact("5 more missing enrollments are not listed")),
					value("in_sync", knownvalue.Bool(false)),
				},
			},
			{
				Config:             enrollmentSyncConfig(f, fmt.Sprintf("course_ids = [%q]", courseB.ID)),
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					value("checked_count", knownvalue.Int64Exact(1)),
					value("missing_count", knownvalue.Int64Exact(0)),
					value("missing", knownvalue.ListSizeExact(0)),
					value("missing_note", knownvalue.StringExact("")),
					value("in_sync", knownvalue.Bool(true)),
				},
			},
			{
				// The sync catches up on all but the newest of course A.
				PreConfig: func() {
					for _, e := range inA[:104] {
						insertSynced(t, f, e)
					}
				},
				Config:             enrollmentSyncConfig(f, ""),
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					value("missing_count", knownvalue.Int64Exact(1)),
					value("missing", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(inA[104].ID)})),
					value("missing_note", knownvalue.StringExact("")),
					value("in_sync", knownvalue.Bool(false)),
				},
			},
			{
				PreConfig:          func() { insertSynced(t, f, inA[104]) },
				Config:             enrollmentSyncConfig(f, ""),
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					value("checked_count", knownvalue.Int64Exact(106)),
					value("missing_count", knownvalue.Int64Exact(0)),
					value("in_sync", knownvalue.Bool(true)),
				},
			},
		},
	})
	// Each read looked the 106 records up in one query, not one by one.
	var reads, queries int
	for _, r := range f.org.Kit().Requests() {
		q, _ := url.ParseQuery(r.RawQuery)
		switch {
		case strings.HasSuffix(r.Path, "/sobjects/Contact/describe"):
			reads++
		case strings.HasSuffix(r.Path, "/query") && strings.Contains(q.Get("q"), "FROM "+emuEnrollment):
			queries++
		}
	}
	if reads == 0 || queries != reads {
		t.Errorf("%d Enrollment queries in %d reads, want one per read", queries, reads)
	}
}

// since is checked at plan time; an unknown course id and a provider
// without one of the two sides are errors that say what to fix.
func TestAccEnrollmentSyncDataSource_errors(t *testing.T) {
	skipOnRealOrg(t)
	f := newEnrollmentFakes(t, 0, 0)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config:      f.provider() + `data "northpass_salesforce_enrollment_sync" "this" { since = "last tuesday" }`,
				ExpectError: errorLike("Invalid since", `"last tuesday" is neither an RFC 3339 timestamp`),
				PlanOnly:    true,
			},
			{
				Config: f.provider() + `
data "northpass_salesforce_enrollment_sync" "this" {
  since      = "2025-11-20"
  course_ids = ["no-such-course"]
}`,
				ExpectError: errorLike("Cannot read enrollments from CE", "no course with id no-such-course", "Check course_ids"),
			},
			{
				Config:      f.org.jwtProvider() + `data "northpass_salesforce_enrollment_sync" "this" { since = "2025-11-20" }`,
				ExpectError: errorLike("Customer Education (Northpass) is not configured"),
			},
			{
				Config: fmt.Sprintf(`provider "northpass" {
  api_key = %q
  api_url = %q
}
data "northpass_salesforce_enrollment_sync" "this" { since = "2025-11-20" }`, f.ce.APIKey(), f.ce.URL()),
				ExpectError: errorLike("Salesforce is not configured"),
			},
		},
	})
}

func TestSinceTime(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"2025-11-20":                "2025-11-20T00:00:00Z",
		"2025-11-20T00:00:00Z":      "2025-11-20T00:00:00Z",
		"2025-11-20T09:30:00+02:00": "2025-11-20T07:30:00Z",
		"2025-11-20T00:00:00.5Z":    "2025-11-20T00:00:00Z",
	} {
		got, err := normalizedSince(in)
		if err != nil || got != want {
			t.Errorf("normalizedSince(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	var bad []string
	for _, in := range []string{"", "2025-11-31", "20/11/2025", "2025-11-20 00:00:00", "yesterday"} {
		if _, err := sinceTime(in); err == nil {
			bad = append(bad, in)
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("accepted %q", bad)
	}
}
