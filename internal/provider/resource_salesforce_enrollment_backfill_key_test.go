package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

const courseScopedFormat = "{course_id}:{enrollment_id}"

// keyWorld is a CE account whose package keyed the records it synced as
// "<course id>:<enrollment id>": three enrollments synced, three not (one
// in a course nothing was synced for), and a record not from CE.
type keyWorld struct {
	*enrollmentFakes
	opts           sffake.EnrollmentOptions
	courses        map[string]string // id → name
	synced, behind []npfake.Enrollment
	newCourse      npfake.Course
}

func newKeyWorld(t *testing.T) *keyWorld {
	t.Helper()
	ce := newCEFake(t)
	a, b, c := ce.AddCourse("Basics"), ce.AddCourse("Advanced"), ce.AddCourse("New Course")
	w := &keyWorld{courses: map[string]string{a.ID: a.Name, b.ID: b.Name, c.ID: c.Name}, newCourse: c}
	jane := ce.AddPerson("jane.learner@example.com", "Jane", "Learner") // the seed org has her Contact
	p1 := ce.AddPerson("p1@example.com", "P", "One")
	p2 := ce.AddPerson("p2@example.com", "P", "Two")
	day := func(d, h int) time.Time { return time.Date(2025, 11, d, h, 0, 0, 0, time.UTC) }
	w.synced = []npfake.Enrollment{
		ce.AddEnrollment(a.ID, jane.ID, 100, day(3, 9)),
		ce.AddEnrollment(a.ID, p1.ID, 50, day(4, 9)),
		ce.AddEnrollment(b.ID, p2.ID, 20, day(5, 9)),
	}
	w.behind = []npfake.Enrollment{
		ce.AddEnrollment(a.ID, p2.ID, 10, day(22, 9)),
		ce.AddEnrollment(b.ID, jane.ID, 30, day(23, 9)),
		ce.AddEnrollment(c.ID, p1.ID, 0, day(24, 9)),
	}
	emails := map[string]string{jane.ID: jane.Email, p1.ID: p1.Email, p2.ID: p2.Email}
	w.opts = sffake.EnrollmentOptions{Key: sffake.EnrollmentKeyCourseScoped}
	for _, e := range w.synced {
		w.opts.Synced = append(w.opts.Synced, syncedFrom(e, w.courses[e.CourseID], emails[e.PersonID]))
	}
	w.enrollmentFakes = &enrollmentFakes{ce: ce, org: newFakeOrg(t, sffake.Options{Enrollment: w.opts})}
	// Newest of all, so the identity check's sample meets it first; it has
	// no CE course and proves nothing either way.
	if _, err := w.org.Insert(emuEnrollment, map[string]any{emuExternalID: "legacy-1", emuCourseName: "Legacy"}); err != nil {
		t.Fatal(err)
	}
	w.org.Kit().Reset()
	return w
}

func (w *keyWorld) key(e npfake.Enrollment) string { return e.CourseID + ":" + e.ID }

// expectNothingWritten: the seeded records as they were, no upsert sent.
func (w *keyWorld) expectNothingWritten(*terraform.State) error {
	if n := len(w.org.Records(emuEnrollment)); n != 4 {
		return fmt.Errorf("%d Enrollment records, want the 4 seeded", n)
	}
	if n := w.org.Kit().Count(emuUpsert); n != 0 {
		return fmt.Errorf("%d upsert calls, want none", n)
	}
	return nil
}

// expectRecords: exactly one record per CE enrollment in want, under its
// course-scoped key, none under a bare enrollment id.
func (w *keyWorld) expectRecords(want ...npfake.Enrollment) resource.TestCheckFunc {
	return func(*terraform.State) error {
		recs, err := w.enrollmentRecords() // fails on a repeated external id
		if err != nil {
			return err
		}
		if len(recs) != len(want)+1 {
			return fmt.Errorf("%d Enrollment records, want %d and the legacy one", len(recs), len(want))
		}
		for _, e := range append(w.synced, w.behind...) {
			if _, ok := recs[strings.ToLower(e.ID)]; ok {
				return fmt.Errorf("a record keyed by the bare enrollment id %s: a duplicate of CE's", e.ID)
			}
		}
		for _, e := range want {
			rec, ok := recs[strings.ToLower(w.key(e))]
			if !ok {
				return fmt.Errorf("no record for %s", w.key(e))
			}
			if rec[emuCourseID] != e.CourseID || rec[emuCourseName] != w.courses[e.CourseID] {
				return fmt.Errorf("%s: %v", w.key(e), rec)
			}
		}
		return nil
	}
}

// expectSent: the upserts since the last reset carried exactly these keys.
func (w *keyWorld) expectSent(want ...npfake.Enrollment) resource.TestCheckFunc {
	return func(*terraform.State) error {
		sent, err := w.sentEnrollments()
		if err != nil {
			return err
		}
		var got, keys []string
		for _, r := range sent {
			k, _ := r[emuExternalID].(string)
			got = append(got, k)
		}
		for _, e := range want {
			keys = append(keys, w.key(e))
		}
		slices.Sort(got)
		slices.Sort(keys)
		if !slices.Equal(got, keys) {
			return fmt.Errorf("sent %q, want %q", got, keys)
		}
		return nil
	}
}

func keyConfig(w *keyWorld, schemaBody, backfillExtra string) string {
	return w.provider() + `
data "northpass_salesforce_enrollment_schema" "this" {` + schemaBody + `}
` + strings.Replace(backfillConfig(w.enrollmentFakes, backfillExtra)[len(w.provider()):],
		`data "northpass_salesforce_enrollment_schema" "this" {}`, "", 1)
}

// The package keys records by course. Today's lookup by the bare
// enrollment id finds none of the synced records, so a backfill would
// insert each again. Now the plan refuses (naming the field, both sides'
// values and the format the records follow) and nothing is written, also
// for a course nothing was synced for and when the key is known only
// during apply. With the format set on the schema data source the backfill finds
// the synced records, inserts only the missing ones, and the sync check
// agrees.
func TestAccEnrollmentBackfill_courseScopedKey(t *testing.T) {
	skipOnRealOrg(t)
	w := newKeyWorld(t)

	// Today's behaviour, shown on the client: the synced enrollments are
	// not found by their enrollment id, so each would be inserted again.
	sf, err := sfapi.New(sfapi.Config{InstanceURL: w.org.URL(), AccessToken: w.org.IssueAccessToken(sffake.DefaultAdminUsername)})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range w.synced {
		ids = append(ids, e.ID)
	}
	found, err := sf.ListEnrollments(t.Context(), &sfapi.EnrollmentSchema{Object: emuEnrollment, ExternalIDField: emuExternalID}, ids)
	if err != nil || len(found) != 0 {
		t.Fatalf("found %d of the synced enrollments by enrollment id (err %v); the premise is that none is", len(found), err)
	}
	w.org.Kit().Reset()

	refused := errorLike("Enrollment records are keyed differently", emuExternalID,
		`external_id_format = "{enrollment_id}"`, w.key(w.synced[0]), `follow external_id_format = "{course_id}:{enrollment_id}"`)
	right := fmt.Sprintf("\n  external_id_format = %q\n", courseScopedFormat)
	wired := "  external_id_format = data.northpass_salesforce_enrollment_schema.this.external_id_format\n"
	syncCheck := `
data "northpass_salesforce_enrollment_sync" "after" {
  since              = "2025-11-01"
  external_id_format = data.northpass_salesforce_enrollment_schema.this.external_id_format
  depends_on         = [northpass_salesforce_enrollment_backfill.this]
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config:      keyConfig(w, "", ""),
				PlanOnly:    true,
				ExpectError: refused,
			},
			{
				Config:      keyConfig(w, "", fmt.Sprintf("  course_ids = [%q]\n", w.newCourse.ID)),
				PlanOnly:    true,
				ExpectError: refused,
			},
			{
				// Unknown in the first plan; Terraform plans the backfill again
				// once terraform_data exists, and that plan refuses.
				Config: keyConfig(w, "", `  external_id_format = terraform_data.key.output
`) + `
resource "terraform_data" "key" { input = "{enrollment_id}" }
`,
				ExpectError: errorLike("Enrollment records are keyed differently", "refuses to run until the key is set"),
				Check:       w.expectNothingWritten,
			},
			{
				PreConfig: func() {
					if err := w.expectNothingWritten(nil); err != nil {
						t.Fatal(err)
					}
				},
				// A course nothing was synced for: only the records of other courses tell the key.
				Config: keyConfig(w, right, wired+fmt.Sprintf("  course_ids = [%q]\n", w.newCourse.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(resource.ComposeAggregateTestCheckFunc(
						w.expectSent(w.behind[2]),
						w.expectRecords(append(append([]npfake.Enrollment{}, w.synced...), w.behind[2])...),
					)),
					stateValue("external_id_format", knownvalue.StringExact(courseScopedFormat)),
					stateValue("upserted_count", knownvalue.Int64Exact(1)),
				},
			},
			{
				PreConfig: func() { w.org.Kit().Reset() },
				Config:    keyConfig(w, right, wired) + syncCheck,
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(resource.ComposeAggregateTestCheckFunc(
						w.expectSent(w.behind[0], w.behind[1]),
						w.expectRecords(append(append([]npfake.Enrollment{}, w.synced...), w.behind...)...),
					)),
					stateValue("checked_count", knownvalue.Int64Exact(6)),
					stateValue("upserted_count", knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue("data.northpass_salesforce_enrollment_sync.after", tfjsonpath.New("in_sync"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.northpass_salesforce_enrollment_sync.after", tfjsonpath.New("checked_count"), knownvalue.Int64Exact(6)),
				},
			},
			{
				Config:           keyConfig(w, right, wired) + syncCheck,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// The sync check uses the same key: under the default it reports the
// mismatch instead of calling every enrollment missing; under the
// package's format it finds the synced records and misses only the rest.
func TestAccEnrollmentSync_courseScopedKey(t *testing.T) {
	skipOnRealOrg(t)
	w := newKeyWorld(t)
	syncConfig := func(format string) string {
		return w.provider() + fmt.Sprintf(`
data "northpass_salesforce_enrollment_sync" "this" {
  since = "2025-11-01"
%s}
`, format)
	}
	const addr = "data.northpass_salesforce_enrollment_sync.this"
	var behind []string
	for _, e := range w.behind {
		behind = append(behind, e.ID)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config:      syncConfig(""),
				ExpectError: errorLike("Enrollment records are keyed differently", `follow external_id_format = "{course_id}:{enrollment_id}"`),
			},
			{
				Config: syncConfig(fmt.Sprintf("  external_id_format = %q\n", courseScopedFormat)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("checked_count"), knownvalue.Int64Exact(6)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("missing_count"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("missing"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(behind[0]), knownvalue.StringExact(behind[1]), knownvalue.StringExact(behind[2]),
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("in_sync"), knownvalue.Bool(false)),
				},
			},
		},
	})
}
