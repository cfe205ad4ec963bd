package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

var dateOnlyValue = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// An org whose Enrollment Date is a Date field: the backfill writes the
// UTC day, never a dateTime (which Salesforce refuses in a Date field with
// JSON_PARSER_ERROR, failing all 200 records of the call). The record
// synced before, holding the same day, is left alone, and a second plan is
// empty: the day compares equal to CE's timestamp.
func TestAccEnrollmentBackfill_dateField(t *testing.T) {
	skipOnRealOrg(t)
	ce := newCEFake(t)
	course := ce.AddCourse("Basics")
	jane := ce.AddPerson("jane.learner@example.com", "Jane", "Learner") // the seed org has her Contact
	sam := ce.AddPerson("sam.nocontact@example.com", "Sam", "NoContact")
	synced := ce.AddEnrollment(course.ID, jane.ID, 100, time.Date(2025, 11, 3, 22, 30, 0, 0, time.UTC))
	late := ce.AddEnrollment(course.ID, sam.ID, 40, time.Date(2025, 11, 21, 23, 45, 0, 0, time.UTC))
	early := ce.AddEnrollment(course.ID, jane.ID, 0, time.Date(2025, 11, 22, 0, 15, 0, 0, time.UTC))
	f := &enrollmentFakes{ce: ce, org: newFakeOrg(t, sffake.Options{Enrollment: sffake.EnrollmentOptions{
		DateType: "date", Synced: []sffake.SyncedEnrollment{syncedFrom(synced, course.Name, jane.Email)},
	}})}
	f.org.Kit().Reset()
	config := backfillConfig(f, "")

	wantDay := func(e npfake.Enrollment, day string) error {
		rec, ok := f.org.Lookup(emuEnrollment, emuExternalID, e.ID)
		if !ok {
			return fmt.Errorf("no record for %s", e.ID)
		}
		got, _ := rec[emuDate].(time.Time)
		if got.Format(time.DateOnly) != day || !got.Equal(got.Truncate(24*time.Hour)) {
			return fmt.Errorf("%s: Enrollment Date %v, want the day %s", e.ID, rec[emuDate], day)
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(resource.ComposeAggregateTestCheckFunc(
						func(*terraform.State) error {
							sent, err := f.sentEnrollments()
							if err != nil {
								return err
							}
							if len(sent) != 2 {
								return fmt.Errorf("%d records sent, want 2 (the synced one holds the same day)", len(sent))
							}
							for _, r := range sent {
								if v, _ := r[emuDate].(string); !dateOnlyValue.MatchString(v) {
									return fmt.Errorf("sent Enrollment Date %q into a Date field: Salesforce refuses it with JSON_PARSER_ERROR", v)
								}
							}
							if n := len(f.org.Records(emuEnrollment)); n != 3 {
								return fmt.Errorf("%d Enrollment records, want 3", n)
							}
							return nil
						},
						func(*terraform.State) error { return wantDay(late, "2025-11-21") },
						func(*terraform.State) error { return wantDay(early, "2025-11-22") },
						func(*terraform.State) error { return wantDay(synced, "2025-11-03") },
					)),
					stateValue("checked_count", knownvalue.Int64Exact(3)),
					stateValue("upserted_count", knownvalue.Int64Exact(2)),
					stateValue("pending_count", knownvalue.Int64Exact(0)),
				},
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}
