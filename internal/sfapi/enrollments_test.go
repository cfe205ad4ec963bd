package sfapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The names are made up: the client must work with whatever the schema
// says, and nothing in it may know the package's real names.
var testEnrollmentSchema = &EnrollmentSchema{
	Namespace: "acme", Object: "acme__Enr__c", ContactField: "acme__Learner__c", RelatedList: "acme__Enr__c.acme__Learner__c",
	ExternalIDField: "acme__Ext__c",
	Fields: map[string]string{
		EnrollmentLabelCourseID: "acme__Course__c", EnrollmentLabelCourseName: "acme__Course_Name__c",
		EnrollmentLabelDate: "acme__Date__c", EnrollmentLabelProgress: "acme__Pct__c", EnrollmentLabelAttempt: "acme__Attempt__c",
	},
	FieldTypes: map[string]string{"acme__date__c": "datetime"}, // as discovery leaves it
}

const (
	enrQueryPath  = "/services/data/v65.0/query"
	enrUpsertPath = "/services/data/v65.0/composite/sobjects/acme__Enr__c/acme__Ext__c"
)

// enrQueries returns the SOQL of every query the stub received.
func enrQueries(rec *recorder) []string {
	var out []string
	for _, s := range rec.all() {
		if s.Method == http.MethodGet && s.Path == enrQueryPath {
			out = append(out, s.Query.Get("q"))
		}
	}
	return out
}

// enrollmentOrg answers each query with one Enrollment record per external
// id in its IN list, except ids starting with "absent"; the record's
// external id is upper-cased to check that matching ignores case.
func enrollmentOrg(t *testing.T) (*Client, *recorder) {
	t.Helper()
	srv, rec := newServer(t, func(w http.ResponseWriter, r *http.Request, s seen) {
		q := s.Query.Get("q")
		var recs []map[string]any
		for i, id := range soqlLiterals(t, q, "acme__Ext__c") {
			if strings.HasPrefix(id, "absent") {
				continue
			}
			recs = append(recs, map[string]any{
				"attributes": map[string]any{"type": "acme__Enr__c"},
				"Id":         fmt.Sprintf("a0X%012dAAA", i), "acme__Ext__c": strings.ToUpper(id),
				"acme__Learner__c": nil, "acme__Course__c": "c-1", "acme__Course_Name__c": "Go 101",
				"acme__Date__c": "2025-11-21T10:30:00.000+0000", "acme__Pct__c": 37.5, "acme__Attempt__c": nil,
			})
		}
		if recs == nil {
			recs = []map[string]any{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"totalSize": len(recs), "done": true, "records": recs})
	})
	return mustNew(t, Config{InstanceURL: srv.URL, AccessToken: "tok"}), rec
}

func TestListEnrollmentsBatches(t *testing.T) {
	c, rec := enrollmentOrg(t)
	var ids []string
	for i := 0; i < 450; i++ {
		ids = append(ids, fmt.Sprintf("ce-%04d", i))
	}
	ids = append(ids, "ce-0001", "CE-0002", "") // repeats and blanks are looked up once, or not at all
	got, err := c.ListEnrollments(t.Context(), testEnrollmentSchema, ids)
	if err != nil {
		t.Fatal(err)
	}
	qs := enrQueries(rec)
	if len(qs) != 3 {
		t.Fatalf("%d queries for 450 ids, want 3", len(qs))
	}
	for i, want := range []int{200, 200, 50} {
		if n := len(soqlLiterals(t, qs[i], "acme__Ext__c")); n != want {
			t.Errorf("query %d has %d ids, want %d", i, n, want)
		}
		if !strings.HasPrefix(qs[i], "SELECT Id, acme__Ext__c, acme__Learner__c, acme__Course__c, acme__Course_Name__c, acme__Date__c, acme__Pct__c, acme__Attempt__c FROM acme__Enr__c WHERE acme__Ext__c IN ('") {
			t.Errorf("query %d: %.200s", i, qs[i])
		}
	}
	if len(got) != 450 {
		t.Fatalf("%d records, want 450", len(got))
	}
	r, ok := got["ce-0007"] // keyed as given, although Salesforce answered CE-0007
	if !ok {
		t.Fatalf("no record for ce-0007: keys like %v", enrFirstKeys(got))
	}
	date := time.Date(2025, 11, 21, 10, 30, 0, 0, time.UTC)
	if r.ExternalID != "CE-0007" || r.ContactID != "" || r.CourseID != "c-1" || r.CourseName != "Go 101" ||
		r.EnrolledAt == nil || !r.EnrolledAt.Equal(date) || r.Progress == nil || *r.Progress != 37.5 || r.Attempt != nil || r.ID == "" {
		t.Errorf("decoded %+v", r)
	}
}

func enrFirstKeys(m map[string]EnrollmentRecord) []string {
	var out []string
	for k := range m {
		if len(out) == 3 {
			break
		}
		out = append(out, k)
	}
	return out
}

// Long ids are split by the 8,000-character cap before the 200-id one.
func TestListEnrollmentsCharCap(t *testing.T) {
	c, rec := enrollmentOrg(t)
	var ids []string
	for i := 0; i < 200; i++ {
		ids = append(ids, fmt.Sprintf("%04d-%s", i, strings.Repeat("x", 95)))
	}
	got, err := c.ListEnrollments(t.Context(), testEnrollmentSchema, ids)
	if err != nil {
		t.Fatal(err)
	}
	qs := enrQueries(rec)
	if len(qs) < 3 {
		t.Fatalf("%d queries for 200 ids of 100 characters, want at least 3", len(qs))
	}
	total := 0
	for i, q := range qs {
		if len(q) >= 8000 {
			t.Errorf("query %d is %d characters", i, len(q))
		}
		total += len(soqlLiterals(t, q, "acme__Ext__c"))
	}
	if total != 200 || len(got) != 200 {
		t.Errorf("%d ids queried, %d found; want 200", total, len(got))
	}
	if _, err := c.ListEnrollments(t.Context(), testEnrollmentSchema, []string{strings.Repeat("y", 9000)}); err == nil {
		t.Error("an id longer than a query was accepted")
	}
}

func TestListEnrollmentsEscapesAndSkipsAbsent(t *testing.T) {
	c, rec := enrollmentOrg(t)
	tricky := `o'brien\' OR Name != '`
	got, err := c.ListEnrollments(t.Context(), testEnrollmentSchema, []string{tricky, "absent-1"})
	if err != nil {
		t.Fatal(err)
	}
	qs := enrQueries(rec)
	if len(qs) != 1 || !strings.Contains(qs[0], `IN ('o\'brien\\\' OR Name != \'','absent-1')`) {
		t.Fatalf("queries %q", qs)
	}
	if lits := soqlLiterals(t, qs[0], "acme__Ext__c"); len(lits) != 2 || lits[0] != tricky {
		t.Errorf("literals %q", lits)
	}
	if _, ok := got[tricky]; !ok || len(got) != 1 {
		t.Errorf("got %v, want only the tricky id", got)
	}
}

// Object and field names go into SOQL unquoted: anything but an API name is
// refused before a request is made.
func TestEnrollmentSchemaNamesChecked(t *testing.T) {
	c, rec := enrollmentOrg(t)
	bad := *testEnrollmentSchema
	bad.Fields = map[string]string{EnrollmentLabelCourseID: "acme__Course__c FROM User --"}
	if _, err := c.ListEnrollments(t.Context(), &bad, []string{"x"}); err == nil || !strings.Contains(err.Error(), "Course ID field") {
		t.Errorf("err = %v", err)
	}
	noExt := *testEnrollmentSchema
	noExt.ExternalIDField = ""
	if _, _, err := c.UpsertEnrollments(t.Context(), &noExt, []EnrollmentRecord{{ExternalID: "x"}}); err == nil || !strings.Contains(err.Error(), "external id") {
		t.Errorf("err = %v", err)
	}
	if n := len(rec.all()); n != 0 {
		t.Errorf("%d requests made", n)
	}
}

func TestFindContactIDsByEmail(t *testing.T) {
	srv, rec := newServer(t, func(w http.ResponseWriter, r *http.Request, s seen) {
		var recs []map[string]any
		for i, e := range soqlLiterals(t, s.Query.Get("q"), "Email") {
			if e == "nobody@example.com" {
				continue
			}
			recs = append(recs, map[string]any{"Id": fmt.Sprintf("003%012dAAA", i), "Email": strings.ToUpper(e)})
			if e == "twice@example.com" { // ORDER BY CreatedDate: the first is the oldest
				recs = append(recs, map[string]any{"Id": "003999999999999AAA", "Email": e})
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"totalSize": len(recs), "done": true, "records": recs})
	})
	c := mustNew(t, Config{InstanceURL: srv.URL, AccessToken: "tok"})
	emails := []string{"Twice@Example.com", "nobody@example.com", "it's@example.com"}
	for i := 0; i < 300; i++ {
		emails = append(emails, fmt.Sprintf("learner%d@example.com", i))
	}
	emails = append(emails, "TWICE@example.com", " ")
	got, err := c.FindContactIDsByEmail(t.Context(), emails)
	if err != nil {
		t.Fatal(err)
	}
	qs := enrQueries(rec)
	if len(qs) != 2 {
		t.Fatalf("%d queries for 303 emails, want 2", len(qs))
	}
	if !strings.HasPrefix(qs[0], "SELECT Id, Email FROM Contact WHERE Email IN ('twice@example.com','nobody@example.com','it\\'s@example.com',") ||
		!strings.HasSuffix(qs[0], ") ORDER BY CreatedDate, Id") {
		t.Errorf("query: %.200s … %s", qs[0], qs[0][len(qs[0])-40:])
	}
	if len(got) != 302 || got["twice@example.com"] != "003000000000000AAA" || got["it's@example.com"] == "" || got["learner299@example.com"] == "" {
		t.Errorf("%d contacts: twice=%q", len(got), got["twice@example.com"])
	}
	if _, ok := got["nobody@example.com"]; ok {
		t.Error("an email without a Contact is in the map")
	}
}

func TestUpsertEnrollments(t *testing.T) {
	calls := 0
	srv, rec := newServer(t, func(w http.ResponseWriter, r *http.Request, s seen) {
		calls++
		var body struct {
			AllOrNone bool             `json:"allOrNone"`
			Records   []map[string]any `json:"records"`
		}
		if err := json.Unmarshal([]byte(s.Body), &body); err != nil {
			t.Fatal(err)
		}
		var res []map[string]any
		for i, r := range body.Records {
			ext, _ := r["acme__Ext__c"].(string)
			switch ext {
			case "bad":
				res = append(res, map[string]any{"success": false, "errors": []any{map[string]any{
					"statusCode": "FIELD_CUSTOM_VALIDATION_EXCEPTION", "message": "Progress must be set", "fields": []string{}}}})
			default:
				res = append(res, map[string]any{"id": fmt.Sprintf("a0X%012dAAA", i), "success": true, "created": strings.HasPrefix(ext, "new")})
			}
		}
		writeJSON(w, http.StatusOK, res)
	})
	c := mustNew(t, Config{InstanceURL: srv.URL, AccessToken: "tok"})
	date := time.Date(2025, 11, 21, 10, 30, 0, 0, time.UTC)
	pct, attempt := 40.0, 2.0
	var recs []EnrollmentRecord
	for i := 0; i < 450; i++ {
		prefix := "new"
		if i%3 == 0 {
			prefix = "old"
		}
		recs = append(recs, EnrollmentRecord{ExternalID: fmt.Sprintf("%s-%d", prefix, i), CourseID: "c-1", CourseName: "Go 101", EnrolledAt: &date, Progress: &pct})
	}
	recs[0].ContactID, recs[0].Attempt = "003000000000001AAA", &attempt
	recs = append(recs, EnrollmentRecord{ExternalID: "bad", CourseID: "c-1"})

	created, updated, err := c.UpsertEnrollments(t.Context(), testEnrollmentSchema, recs)
	var be *BatchError
	if !errors.As(err, &be) || len(be.Failures) != 1 || be.Failures[0].Key != "bad" || be.Failures[0].Code != "FIELD_CUSTOM_VALIDATION_EXCEPTION" {
		t.Fatalf("err = %v, want a BatchError for bad", err)
	}
	if created != 300 || updated != 150 {
		t.Errorf("created %d, updated %d; want 300, 150", created, updated)
	}
	if calls != 3 || rec.count(http.MethodPatch, enrUpsertPath) != 3 {
		t.Fatalf("%d calls, want 3 PATCHes to %s", calls, enrUpsertPath)
	}
	var first struct {
		AllOrNone bool             `json:"allOrNone"`
		Records   []map[string]any `json:"records"`
	}
	if err := json.Unmarshal([]byte(rec.all()[0].Body), &first); err != nil {
		t.Fatal(err)
	}
	if first.AllOrNone || len(first.Records) != 200 {
		t.Fatalf("allOrNone=%v, %d records", first.AllOrNone, len(first.Records))
	}
	got, _ := json.Marshal(first.Records[0])
	want := `{"acme__Attempt__c":2,"acme__Course_Name__c":"Go 101","acme__Course__c":"c-1","acme__Date__c":"2025-11-21T10:30:00.000Z","acme__Ext__c":"old-0","acme__Learner__c":"003000000000001AAA","acme__Pct__c":40,"attributes":{"type":"acme__Enr__c"}}`
	if string(got) != want {
		t.Errorf("record sent:\n%s\nwant\n%s", got, want)
	}
	// Values CE does not know are left out, never sent as null.
	if _, ok := first.Records[1]["acme__Learner__c"]; ok {
		t.Errorf("unlinked record sent a Contact: %v", first.Records[1])
	}
	if _, ok := first.Records[1]["acme__Attempt__c"]; ok {
		t.Errorf("record without attempt sent one: %v", first.Records[1])
	}

	if _, _, err := c.UpsertEnrollments(t.Context(), testEnrollmentSchema, []EnrollmentRecord{{ExternalID: "a"}, {ExternalID: "A"}}); err == nil {
		t.Error("a repeated external id was sent")
	}
}

func TestEnrollmentNeedsUpdate(t *testing.T) {
	date := time.Date(2025, 11, 21, 10, 30, 0, 0, time.UTC)
	f := func(v float64) *float64 { return &v }
	tm := func(t time.Time) *time.Time { return &t }
	base := EnrollmentRecord{ExternalID: "e", CourseID: "c", CourseName: "Go", EnrolledAt: &date, Progress: f(37.5)}
	dateField := base
	dateField.EnrolledAt, dateField.dateOnly = tm(time.Date(2025, 11, 21, 0, 0, 0, 0, time.UTC)), true
	for _, tc := range []struct {
		name       string
		have, want EnrollmentRecord
		update     bool
	}{
		{"same", base, base, false},
		{"progress differs", base, enrWith(base, func(r *EnrollmentRecord) { r.Progress = f(80) }), true},
		{"progress rounded by a whole-percent field", enrWith(base, func(r *EnrollmentRecord) { r.Progress = f(38) }), base, false},
		{"progress within two decimals", enrWith(base, func(r *EnrollmentRecord) { r.Progress = f(37.501) }), base, false},
		{"progress missing", enrWith(base, func(r *EnrollmentRecord) { r.Progress = nil }), base, true},
		{"course renamed", base, enrWith(base, func(r *EnrollmentRecord) { r.CourseName = "Go 2" }), true},
		{"date differs", base, enrWith(base, func(r *EnrollmentRecord) { r.EnrolledAt = tm(date.Add(time.Hour)) }), true},
		{"date below a second", base, enrWith(base, func(r *EnrollmentRecord) { r.EnrolledAt = tm(date.Add(time.Millisecond)) }), false},
		{"same day in a Date field", dateField, base, false},
		{"other day in a Date field", dateField, enrWith(base, func(r *EnrollmentRecord) { r.EnrolledAt = tm(date.Add(24 * time.Hour)) }), true},
		{"contact found, record unlinked", base, enrWith(base, func(r *EnrollmentRecord) { r.ContactID = "003A" }), true},
		{"linked by hand, no contact found", enrWith(base, func(r *EnrollmentRecord) { r.ContactID = "003A" }), base, false},
		{"linked to another contact", enrWith(base, func(r *EnrollmentRecord) { r.ContactID = "003A" }), enrWith(base, func(r *EnrollmentRecord) { r.ContactID = "003B" }), false},
		{"attempt unknown to CE", enrWith(base, func(r *EnrollmentRecord) { r.Attempt = f(3) }), base, false},
	} {
		if got := EnrollmentNeedsUpdate(tc.have, tc.want); got != tc.update {
			t.Errorf("%s: needs update = %v, want %v", tc.name, got, tc.update)
		}
	}
}

func enrWith(r EnrollmentRecord, change func(*EnrollmentRecord)) EnrollmentRecord {
	change(&r)
	return r
}
