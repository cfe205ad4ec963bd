package provider

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// The emulator's names for the Northpass package. Tests may use them to
// seed and inspect the fake; the provider finds them by label.
const (
	emuEnrollment = "northpass__Enrollment__c"
	emuExternalID = "northpass__External_Id__c"
	emuContact    = "northpass__Contact__c"
	emuCourseID   = "northpass__Course_Id__c"
	emuCourseName = "northpass__Course_Name__c"
	emuDate       = "northpass__Enrollment_Date__c"
	emuProgress   = "northpass__Progress_Percentage__c"
	emuAttempt    = "northpass__Course_Attempt_Number__c"
	// emuUpsert is the fake's counter for the Enrollment collections upsert.
	emuUpsert = "PATCH composite/sobjects/" + emuEnrollment + "/" + emuExternalID
)

// outageDate is the guide's "data missing since".
var outageDate = time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)

// enrollmentFakes is a fake org and a fake CE account for one test.
type enrollmentFakes struct {
	org *fakeOrg
	ce  *npfake.Server
}

// newEnrollmentFakes pages small on both sides, so that every listing and
// every query follows next links. CE's server-side rate limit is off, and
// so is the client's pacing (providerFactories).
func newEnrollmentFakes(t *testing.T, sfPageSize, cePageSize int) *enrollmentFakes {
	t.Helper()
	return &enrollmentFakes{
		org: newFakeOrg(t, sffake.Options{PageSize: sfPageSize}),
		ce:  npfake.NewTestServer(t, npfake.Options{RateLimit: npfake.RateLimitOff, MaxPageSize: cePageSize, DefaultPageSize: cePageSize}),
	}
}

// provider configures both sides (ceAndSalesforceProvider).
func (f *enrollmentFakes) provider() string { return ceAndSalesforceProvider(f.ce, f.org) }

// addContact creates a Contact with this email and returns its id.
func (f *enrollmentFakes) addContact(t *testing.T, last, email string) string {
	t.Helper()
	id, err := f.org.Insert("Contact", map[string]any{"LastName": last, "Email": email})
	if err != nil {
		t.Fatalf("insert Contact %s: %v", email, err)
	}
	return id
}

// enrollmentRecords returns the fake's Enrollment records by external id,
// failing the check when an external id is there twice.
func (f *enrollmentFakes) enrollmentRecords() (map[string]map[string]any, error) {
	out := map[string]map[string]any{}
	for _, r := range f.org.Records(emuEnrollment) {
		ext, _ := r[emuExternalID].(string)
		k := strings.ToLower(ext)
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("external id %q is on two Enrollment records", ext)
		}
		out[k] = r
	}
	return out, nil
}

// upsertedIDs returns the external ids sent in each Enrollment upsert
// call, from the fake's request log.
func (f *enrollmentFakes) upsertedIDs() ([][]string, error) {
	var out [][]string
	for _, r := range f.org.Kit().Requests() {
		if r.Method != http.MethodPatch || !strings.HasSuffix(r.Path, "/composite/sobjects/"+emuEnrollment+"/"+emuExternalID) {
			continue
		}
		var body struct {
			AllOrNone bool             `json:"allOrNone"`
			Records   []map[string]any `json:"records"`
		}
		if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
			return nil, fmt.Errorf("upsert body %q: %w", r.Body, err)
		}
		if body.AllOrNone {
			return nil, fmt.Errorf("upsert sent with allOrNone=true")
		}
		var ids []string
		for _, rec := range body.Records {
			ext, _ := rec[emuExternalID].(string)
			ids = append(ids, ext)
		}
		out = append(out, ids)
	}
	return out, nil
}

// expectRecordMatches checks one Enrollment record against a CE enrollment.
func expectRecordMatches(rec map[string]any, e npfake.Enrollment, courseName, contactID string) error {
	date, _ := rec[emuDate].(time.Time)
	progress, _ := rec[emuProgress].(float64)
	contact, _ := rec[emuContact].(string)
	switch {
	case rec[emuCourseID] != e.CourseID:
		return fmt.Errorf("%s: course id %v, want %s", e.ID, rec[emuCourseID], e.CourseID)
	case rec[emuCourseName] != courseName:
		return fmt.Errorf("%s: course name %v, want %s", e.ID, rec[emuCourseName], courseName)
	case !date.Equal(e.EnrolledAt):
		return fmt.Errorf("%s: enrollment date %v, want %v", e.ID, rec[emuDate], e.EnrolledAt)
	case math.Abs(progress-e.Progress) > 1e-9:
		return fmt.Errorf("%s: progress %v, want %v", e.ID, rec[emuProgress], e.Progress)
	case !sameSalesforceID(contact, contactID):
		return fmt.Errorf("%s: contact %q, want %q", e.ID, contact, contactID)
	}
	return nil
}

func sameSalesforceID(a, b string) bool {
	if len(a) == 18 {
		a = a[:15]
	}
	if len(b) == 18 {
		b = b[:15]
	}
	return a == b
}

// newCEFake is a CE account alone, for tests that seed Salesforce from it.
func newCEFake(t *testing.T) *npfake.Server {
	t.Helper()
	return npfake.NewTestServer(t, npfake.Options{RateLimit: npfake.RateLimitOff})
}

// syncedFrom is a CE enrollment as the package synced it before.
func syncedFrom(e npfake.Enrollment, courseName, email string) sffake.SyncedEnrollment {
	return sffake.SyncedEnrollment{EnrollmentID: e.ID, CourseID: e.CourseID, CourseName: courseName, Email: email,
		EnrolledAt: e.EnrolledAt, Progress: e.Progress}
}

// sentEnrollments returns every record sent in the Enrollment upserts
// logged since the last reset, in order.
func (f *enrollmentFakes) sentEnrollments() ([]map[string]any, error) {
	var out []map[string]any
	for _, r := range f.org.Kit().Requests() {
		if r.Method != http.MethodPatch || !strings.HasSuffix(r.Path, "/composite/sobjects/"+emuEnrollment+"/"+emuExternalID) {
			continue
		}
		var body struct {
			Records []map[string]any `json:"records"`
		}
		if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
			return nil, fmt.Errorf("upsert body %q: %w", r.Body, err)
		}
		out = append(out, body.Records...)
	}
	return out, nil
}
