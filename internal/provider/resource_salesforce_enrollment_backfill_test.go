package provider

import (
	"fmt"
	"regexp"
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
)

const backfillAddr = "northpass_salesforce_enrollment_backfill.this"

func backfillConfig(f *enrollmentFakes, extra string) string {
	return f.provider() + fmt.Sprintf(`
data "northpass_salesforce_enrollment_schema" "this" {}

resource "northpass_salesforce_enrollment_backfill" "this" {
  since = "2025-11-20"
%s
  object                = data.northpass_salesforce_enrollment_schema.this.object
  external_id_field     = data.northpass_salesforce_enrollment_schema.this.external_id_field
  contact_field         = data.northpass_salesforce_enrollment_schema.this.contact_field
  course_id_field       = data.northpass_salesforce_enrollment_schema.this.course_id_field
  course_name_field     = data.northpass_salesforce_enrollment_schema.this.course_name_field
  enrollment_date_field = data.northpass_salesforce_enrollment_schema.this.enrollment_date_field
  progress_field        = data.northpass_salesforce_enrollment_schema.this.progress_field
}
`, extra)
}

// backfillWorld is CE with enrollments since the outage and an org that
// has some of them.
type backfillWorld struct {
	*enrollmentFakes
	courses     map[string]string // id → name
	enrollments []npfake.Enrollment
	contactOf   map[string]string // person id → Contact id, for learners with one
	same, diff  npfake.Enrollment // already in Salesforce: as in CE, and with other progress
}

// newBackfillWorld seeds 5 courses and 250 learners, each in two courses
// (500 enrollments). Every other learner has a Contact with their email.
func newBackfillWorld(t *testing.T) *backfillWorld {
	t.Helper()
	w := &backfillWorld{enrollmentFakes: newEnrollmentFakes(t, 50, 30), courses: map[string]string{}, contactOf: map[string]string{}}
	var courses []npfake.Course
	for _, name := range []string{"Salesforce Basics", "Advanced Reporting", "Data Hygiene", "Flows 101", "Admin Certification"} {
		c := w.ce.AddCourse(name)
		courses = append(courses, c)
		w.courses[c.ID] = c.Name
	}
	for i := 0; i < 250; i++ {
		p := w.ce.AddPerson(fmt.Sprintf("learner%03d@example.com", i), "Learner", fmt.Sprint(i))
		if i%2 == 0 {
			// Contacts keep their own capitalisation; emails match without regard to case.
			w.contactOf[p.ID] = w.addContact(t, "Learner "+fmt.Sprint(i), strings.ToUpper(p.Email[:1])+p.Email[1:])
		}
		for _, c := range []npfake.Course{courses[i%5], courses[(i+1)%5]} {
			e := w.ce.AddEnrollment(c.ID, p.ID, float64((i*7)%101), outageDate.Add(time.Duration(i)*time.Hour+time.Duration(i%5)*time.Minute))
			w.enrollments = append(w.enrollments, e)
		}
	}
	w.same, w.diff = w.enrollments[0], w.enrollments[2]
	w.insertRecord(t, w.same, w.same.Progress)
	w.insertRecord(t, w.diff, w.diff.Progress+12.5)
	if _, err := w.org.Insert(emuEnrollment, map[string]any{emuExternalID: "not-from-ce", emuCourseName: "Legacy"}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *backfillWorld) insertRecord(t *testing.T, e npfake.Enrollment, progress float64) {
	t.Helper()
	fields := map[string]any{
		emuExternalID: e.ID, emuCourseID: e.CourseID, emuCourseName: w.courses[e.CourseID],
		emuDate: e.EnrolledAt.Format("2006-01-02T15:04:05.000Z"), emuProgress: progress,
	}
	if c := w.contactOf[e.PersonID]; c != "" {
		fields[emuContact] = c
	}
	if _, err := w.org.Insert(emuEnrollment, fields); err != nil {
		t.Fatal(err)
	}
}

// expectAllBackfilled checks that every CE enrollment has exactly one
// record, as CE has it, linked when the learner has a Contact, and that
// the unrelated record is still there.
func (w *backfillWorld) expectAllBackfilled(*terraform.State) error {
	recs, err := w.enrollmentRecords()
	if err != nil {
		return err
	}
	if len(recs) != len(w.enrollments)+1 {
		return fmt.Errorf("%d Enrollment records, want %d", len(recs), len(w.enrollments)+1)
	}
	if recs["not-from-ce"][emuCourseName] != "Legacy" {
		return fmt.Errorf("the record not from CE changed: %v", recs["not-from-ce"])
	}
	linked := 0
	for _, e := range w.enrollments {
		rec, ok := recs[strings.ToLower(e.ID)]
		if !ok {
			return fmt.Errorf("no record for CE enrollment %s", e.ID)
		}
		if err := expectRecordMatches(rec, e, w.courses[e.CourseID], w.contactOf[e.PersonID]); err != nil {
			return err
		}
		if w.contactOf[e.PersonID] != "" {
			linked++
		}
	}
	if linked != 250 {
		return fmt.Errorf("%d enrollments of learners with a Contact, want 250", linked)
	}
	return nil
}

// expectUpserts checks the upsert calls since the log was last reset: how
// many, and which external ids they carried.
func (w *backfillWorld) expectUpserts(calls int, want func(ids []string) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		batches, err := w.upsertedIDs()
		if err != nil {
			return err
		}
		if len(batches) != calls || w.org.Kit().Count(emuUpsert) != calls {
			return fmt.Errorf("%d upsert calls (counter %d), want %d", len(batches), w.org.Kit().Count(emuUpsert), calls)
		}
		var ids []string
		for _, b := range batches {
			if len(b) > 200 {
				return fmt.Errorf("an upsert call carried %d records", len(b))
			}
			ids = append(ids, b...)
		}
		return want(ids)
	}
}

func stateValue(attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(backfillAddr, tfjsonpath.New(attr), v)
}

// The guide's backfill: 500 enrollments across five courses, read through
// pages on both sides, are upserted in three calls; the record already as
// CE has it is not sent, the one with other progress is updated, learners
// with a Contact are linked. A second plan is empty; a record deleted
// behind Terraform's back shows as a pending change and apply restores
// exactly it. Import works by since; destroy leaves every record.
func TestAccEnrollmentBackfill_outage(t *testing.T) {
	skipOnRealOrg(t)
	w := newBackfillWorld(t)
	config := backfillConfig(w.enrollmentFakes, "")
	deleted := w.enrollments[11]

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy: func(s *terraform.State) error {
			if err := w.expectAllBackfilled(s); err != nil {
				return fmt.Errorf("after destroy: %w", err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(backfillAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue(backfillAddr, tfjsonpath.New("pending_count"), knownvalue.Int64Exact(0)),
					plancheck.ExpectKnownValue(backfillAddr, tfjsonpath.New("id"), knownvalue.StringExact("2025-11-20T00:00:00Z")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(resource.ComposeAggregateTestCheckFunc(
						w.expectAllBackfilled,
						w.expectUpserts(3, func(ids []string) error {
							switch {
							case len(ids) != 499:
								return fmt.Errorf("%d records sent, want 499 (498 missing, 1 with other progress)", len(ids))
							case slices.Contains(ids, w.same.ID):
								return fmt.Errorf("the record already as CE has it (%s) was sent", w.same.ID)
							case !slices.Contains(ids, w.diff.ID):
								return fmt.Errorf("the record with other progress (%s) was not sent", w.diff.ID)
							}
							return nil
						}),
						func(*terraform.State) error {
							// Both sides were read through their pages.
							if n := w.ce.Kit().Count("GET /v2/courses/{id}/enrollments"); n < 5*4 {
								return fmt.Errorf("%d CE enrollment page requests; 100 enrollments at 30 a page take 4 per course", n)
							}
							if n := w.org.Kit().Count("GET query/{locator}"); n == 0 {
								return fmt.Errorf("no Salesforce query followed nextRecordsUrl")
							}
							return nil
						},
					)),
					stateValue("id", knownvalue.StringExact("2025-11-20T00:00:00Z")),
					stateValue("checked_count", knownvalue.Int64Exact(500)),
					stateValue("pending_count", knownvalue.Int64Exact(0)),
					stateValue("upserted_count", knownvalue.Int64Exact(499)),
					stateValue("last_run_at", knownvalue.StringRegexp(backfillTimePattern)),
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: w.expectUpserts(3, func([]string) error { return nil }), // still the first apply's three
			},
			{
				PreConfig: func() {
					rec, ok := w.org.Lookup(emuEnrollment, emuExternalID, deleted.ID)
					if !ok {
						t.Fatalf("no record for %s", deleted.ID)
					}
					mustDo(t, w.org.Delete(emuEnrollment, rec["Id"].(string)))
					w.org.Kit().Reset()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(backfillAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(backfillAddr, tfjsonpath.New("pending_count"), knownvalue.Int64Exact(0)),
					plancheck.ExpectUnknownValue(backfillAddr, tfjsonpath.New("upserted_count")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(resource.ComposeAggregateTestCheckFunc(
						w.expectAllBackfilled,
						w.expectUpserts(1, func(ids []string) error {
							if len(ids) != 1 || ids[0] != deleted.ID {
								return fmt.Errorf("sent %v, want only %s", ids, deleted.ID)
							}
							return nil
						}),
					)),
					stateValue("pending_count", knownvalue.Int64Exact(0)),
					stateValue("upserted_count", knownvalue.Int64Exact(1)),
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				ResourceName:            backfillAddr,
				ImportState:             true,
				ImportStateId:           "2025-11-20",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"checked_count", "upserted_count", "last_run_at"},
			},
		},
	})
}

// The state's pending_count is what the refresh found: the plan shows it
// going to 0. Only the courses in course_ids are backfilled.
func TestAccEnrollmentBackfill_pendingCountAndCourses(t *testing.T) {
	skipOnRealOrg(t)
	f := newEnrollmentFakes(t, 0, 0)
	a, b := f.ce.AddCourse("A"), f.ce.AddCourse("B")
	p := f.ce.AddPerson("nocontact@example.com", "No", "Contact")
	inA := f.ce.AddEnrollment(a.ID, p.ID, 10, outageDate.Add(time.Hour))
	inB := f.ce.AddEnrollment(b.ID, p.ID, 20, outageDate.Add(2*time.Hour))
	config := backfillConfig(f, fmt.Sprintf("course_ids = [%q]\n", a.ID))
	var later npfake.Enrollment
	expectOnly := func(ids ...string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			recs, err := f.enrollmentRecords()
			if err != nil {
				return err
			}
			var got []string
			for k, r := range recs {
				got = append(got, k)
				if c := r[emuContact]; c != nil {
					return fmt.Errorf("record %s linked to %v although no Contact has the learner's email", k, c)
				}
			}
			slices.Sort(got)
			want := make([]string, len(ids))
			for i, id := range ids {
				want[i] = strings.ToLower(id)
			}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				return fmt.Errorf("records %v, want %v", got, want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(expectOnly(inA.ID)),
					stateValue("checked_count", knownvalue.Int64Exact(1)),
					stateValue("upserted_count", knownvalue.Int64Exact(1)),
				},
			},
			{
				// Two new enrollments in course A: the refresh records 2, the plan takes it to 0.
				PreConfig: func() {
					later = f.ce.AddEnrollment(a.ID, p.ID, 0, outageDate.Add(72*time.Hour))
					f.ce.AddEnrollment(a.ID, f.ce.AddPerson("x@example.com", "X", "X").ID, 0, outageDate.Add(73*time.Hour))
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check:              resource.TestCheckResourceAttr(backfillAddr, "pending_count", "2"),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(backfillAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(backfillAddr, tfjsonpath.New("pending_count"), knownvalue.Int64Exact(0)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(func(s *terraform.State) error {
						if _, ok := f.org.Lookup(emuEnrollment, emuExternalID, later.ID); !ok {
							return fmt.Errorf("the later enrollment %s was not backfilled", later.ID)
						}
						if _, ok := f.org.Lookup(emuEnrollment, emuExternalID, inB.ID); ok {
							return fmt.Errorf("course B's enrollment was backfilled although course_ids names only A")
						}
						return nil
					}),
					stateValue("checked_count", knownvalue.Int64Exact(3)),
					stateValue("upserted_count", knownvalue.Int64Exact(2)),
				},
			},
		},
	})
}

// Field names are checked at plan time, and both sides must be configured.
func TestAccEnrollmentBackfill_configErrors(t *testing.T) {
	skipOnRealOrg(t)
	f := newEnrollmentFakes(t, 0, 0)
	names := `
  object                = "northpass__Enrollment__c"
  external_id_field     = "northpass__External_Id__c"
  contact_field         = "northpass__Contact__c"
  course_id_field       = "northpass__Course_Id__c"
  course_name_field     = "northpass__Course_Name__c"
  enrollment_date_field = "northpass__Enrollment_Date__c"
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: f.provider() + `resource "northpass_salesforce_enrollment_backfill" "this" {
  since          = "20 November 2025"` + names + `  progress_field = "northpass__Progress_Percentage__c"
}`,
				PlanOnly:    true,
				ExpectError: errorLike("Invalid since", `"20 November 2025" is neither an RFC 3339 timestamp`),
			},
			{
				Config: f.provider() + `resource "northpass_salesforce_enrollment_backfill" "this" {
  since          = "2025-11-20"` + names + `  progress_field = "Progress Percentage"
}`,
				PlanOnly:    true,
				ExpectError: errorLike("progress_field", "must be a Salesforce API name"),
			},
			{
				Config: f.provider() + `resource "northpass_salesforce_enrollment_backfill" "this" {
  since              = "2025-11-20"
  external_id_format = "{course}:{enrollment_id}"` + names + `  progress_field = "northpass__Progress_Percentage__c"
}`,
				PlanOnly:    true,
				ExpectError: errorLike("Invalid external_id_format", "external_id_format =", `unknown placeholder at "{course}`),
			},
			{
				Config: f.org.jwtProvider() + `resource "northpass_salesforce_enrollment_backfill" "this" {
  since          = "2025-11-20"` + names + `  progress_field = "northpass__Progress_Percentage__c"
}`,
				ExpectError: errorLike("Customer Education (Northpass) is not configured"),
			},
		},
	})
}

var backfillTimePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)
