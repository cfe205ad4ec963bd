package sffake

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

var syncedBefore = []SyncedEnrollment{
	{EnrollmentID: "e-1", CourseID: "c-1", CourseName: "Basics", Email: "Jane.Learner@example.com",
		EnrolledAt: time.Date(2025, 11, 3, 9, 30, 0, 0, time.UTC), Progress: 100},
	{EnrollmentID: "e-1", CourseID: "c-2", CourseName: "Advanced", Email: "nobody@example.com",
		EnrolledAt: time.Date(2025, 11, 4, 23, 59, 0, 0, time.UTC), Progress: 5},
}

func describeType(t *testing.T, c *client, field string) string {
	t.Helper()
	r := c.get(v + "/sobjects/" + objEnrollment + "/describe")
	mustStatus(t, r, http.StatusOK)
	for _, f := range r.object(t)["fields"].([]any) {
		if m := f.(map[string]any); m["name"] == field {
			return m["type"].(string)
		}
	}
	t.Fatalf("describe has no field %s", field)
	return ""
}

// By default Enrollment Date is a dateTime and records are keyed by the
// CE enrollment id; nothing is seeded.
func TestEnrollmentOptions_default(t *testing.T) {
	s, c := newOrg(t, Options{})
	if got := describeType(t, c, enrollmentDateField); got != tDateTime {
		t.Fatalf("Enrollment Date type %q, want datetime", got)
	}
	if n := len(s.Records(objEnrollment)); n != 0 {
		t.Fatalf("%d Enrollment records seeded without Synced", n)
	}
}

// A Date-typed Enrollment Date describes as date, stores the day and comes
// back as YYYY-MM-DD; another org in the same process keeps the dateTime.
// Course-scoped keys put "<course>:<enrollment>" in External id, so the
// same CE enrollment id in two courses makes two records.
func TestEnrollmentOptions_dateFieldAndCourseScopedKey(t *testing.T) {
	opts := EnrollmentOptions{DateType: tDate, Key: EnrollmentKeyCourseScoped, Synced: syncedBefore}
	s, c := newOrg(t, Options{Enrollment: opts})
	if got := describeType(t, c, enrollmentDateField); got != tDate {
		t.Fatalf("Enrollment Date type %q, want date", got)
	}
	_, other := newOrg(t, Options{})
	if got := describeType(t, other, enrollmentDateField); got != tDateTime {
		t.Fatalf("a second org's Enrollment Date type %q, want datetime", got)
	}

	r := c.query("SELECT northpass__External_Id__c, northpass__Enrollment_Date__c, northpass__Contact__c FROM " + objEnrollment + " ORDER BY northpass__External_Id__c")
	mustStatus(t, r, http.StatusOK)
	recs := records(t, r)
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	want := []struct{ ext, date string }{{"c-1:e-1", "2025-11-03"}, {"c-2:e-1", "2025-11-04"}}
	for i, w := range want {
		if recs[i]["northpass__External_Id__c"] != w.ext || recs[i]["northpass__Enrollment_Date__c"] != w.date {
			t.Errorf("record %d: %v, want external id %s and date %s", i, recs[i], w.ext, w.date)
		}
	}
	if recs[0]["northpass__Contact__c"] == nil || recs[1]["northpass__Contact__c"] != nil {
		t.Errorf("contacts %v, %v: want the first linked to Jane's Contact, the second unlinked",
			recs[0]["northpass__Contact__c"], recs[1]["northpass__Contact__c"])
	}
	if opts.ExternalID(syncedBefore[0]) != "c-1:e-1" || (EnrollmentOptions{}).ExternalID(syncedBefore[0]) != "e-1" {
		t.Fatal("ExternalID does not follow Key")
	}

	// An upsert by the course-scoped key updates the seeded record.
	up := c.do(http.MethodPatch, v+"/sobjects/"+objEnrollment+"/northpass__External_Id__c/"+url.PathEscape("c-2:e-1"),
		map[string]any{"northpass__Enrollment_Date__c": "2025-11-21"})
	mustStatus(t, up, http.StatusOK) // v46.0 and later answer an update by upsert with 200
	if n := len(s.Records(objEnrollment)); n != 2 {
		t.Fatalf("%d records after the upsert, want 2", n)
	}
	rec, _ := s.Lookup(objEnrollment, "northpass__External_Id__c", "c-2:e-1")
	if d, _ := rec[enrollmentDateField].(time.Time); !d.Equal(time.Date(2025, 11, 21, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("stored date %v, want 2025-11-21", rec[enrollmentDateField])
	}
}
