package npapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
)

var outage = time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)

func enrollmentIDs(es []LearnerEnrollment) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	sort.Strings(out)
	return out
}

func sortedCopy(ids []string) []string {
	out := append([]string(nil), ids...)
	sort.Strings(out)
	return out
}

func sameIDs(t *testing.T, got []LearnerEnrollment, want []string) {
	t.Helper()
	g, w := enrollmentIDs(got), sortedCopy(want)
	if fmt.Sprint(g) != fmt.Sprint(w) {
		t.Fatalf("enrollments %v, want %v", g, w)
	}
}

// Every course's enrollments are read through their pages, with the course
// name and the learner's email; each learner is fetched once, however many
// courses they are in.
func TestListEnrollmentsSince_allCoursesFewPeople(t *testing.T) {
	fake := npfake.NewTestServer(t, npfake.Options{RateLimit: npfake.RateLimitOff, MaxPageSize: 3})
	c, err := New(fastConfig(fake.URL(), fake.APIKey()))
	if err != nil {
		t.Fatal(err)
	}
	go1, sql := fake.AddCourse("Go 101"), fake.AddCourse("SQL Basics")
	ann, bob := fake.AddPerson("Ann@Example.com", "Ann", "A"), fake.AddPerson("bob@example.com", "Bob", "B")
	var want []string
	for i := 0; i < 4; i++ {
		want = append(want, fake.AddEnrollment(go1.ID, ann.ID, float64(10*i), outage.Add(time.Duration(i)*time.Hour)).ID)
		want = append(want, fake.AddEnrollment(sql.ID, bob.ID, 50, outage.Add(time.Duration(i)*time.Minute)).ID)
	}
	got, err := c.ListEnrollmentsSince(t.Context(), outage, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, got, want)
	for i, e := range got {
		wantName, wantEmail := "Go 101", "Ann@Example.com"
		if e.CourseID == sql.ID {
			wantName, wantEmail = "SQL Basics", "bob@example.com"
		}
		if e.CourseName != wantName || e.Email != wantEmail {
			t.Errorf("enrollment %s: course name %q, email %q; want %q, %q", e.ID, e.CourseName, e.Email, wantName, wantEmail)
		}
		if i > 0 && got[i-1].EnrolledAt.After(e.EnrolledAt) {
			t.Errorf("not ordered by enrollment time at %d", i)
		}
	}
	if n := fake.Kit().Count("GET /v2/people/{id}"); n != 2 {
		t.Errorf("%d person requests for 2 learners", n)
	}
	// 4 enrollments per course at 3 per page: 2 pages each.
	if n := fake.Kit().Count("GET /v2/courses/{id}/enrollments"); n != 4 {
		t.Errorf("%d enrollment page requests, want 4", n)
	}
}

// Many learners are found by listing /v2/people, a page per 100, not one
// request each.
func TestListEnrollmentsSince_manyPeopleListed(t *testing.T) {
	fake, c := newFakeAndClient(t)
	course := fake.AddCourse("Onboarding")
	want := map[string]string{}
	for i := 0; i < 250; i++ {
		p := fake.AddPerson(fmt.Sprintf("learner%03d@example.com", i), "L", fmt.Sprint(i))
		want[fake.AddEnrollment(course.ID, p.ID, 0, outage.Add(time.Hour)).ID] = p.Email
	}
	got, err := c.ListEnrollmentsSince(t.Context(), outage, []string{course.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 {
		t.Fatalf("%d enrollments, want 250", len(got))
	}
	for _, e := range got {
		if e.Email != want[e.ID] {
			t.Fatalf("enrollment %s: email %q, want %q", e.ID, e.Email, want[e.ID])
		}
	}
	if n := fake.Kit().Count("GET /v2/people/{id}"); n != 0 {
		t.Errorf("%d single-person requests, want none", n)
	}
	if n := fake.Kit().Count("GET /v2/people"); n != 3 {
		t.Errorf("%d people page requests, want 3 (250 people at 100 a page)", n)
	}
}

// In a large account the listing stops after its budget and the rest are
// fetched one by one: never more than a quarter more requests than people.
func TestListEnrollmentsSince_listingBudget(t *testing.T) {
	fake, c := newFakeAndClient(t)
	course := fake.AddCourse("Onboarding")
	for i := 0; i < 1000; i++ { // people never enrolled, listed first
		fake.AddPerson(fmt.Sprintf("other%04d@example.com", i), "O", fmt.Sprint(i))
	}
	for i := 0; i < 24; i++ {
		p := fake.AddPerson(fmt.Sprintf("learner%02d@example.com", i), "L", fmt.Sprint(i))
		fake.AddEnrollment(course.ID, p.ID, 0, outage)
	}
	got, err := c.ListEnrollmentsSince(t.Context(), outage, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range got {
		if e.Email == "" {
			t.Fatalf("enrollment %s has no email", e.ID)
		}
	}
	pages, single := fake.Kit().Count("GET /v2/people"), fake.Kit().Count("GET /v2/people/{id}")
	if pages != 6 || single != 24 {
		t.Errorf("%d people pages and %d single requests, want 6 (a quarter of 24) and 24", pages, single)
	}
}

func TestListEnrollmentsSince_courseFilter(t *testing.T) {
	fake, c := newFakeAndClient(t)
	a, b := fake.AddCourse("A"), fake.AddCourse("B")
	p := fake.AddPerson("p@example.com", "P", "P")
	ea := fake.AddEnrollment(a.ID, p.ID, 0, outage)
	fake.AddEnrollment(b.ID, p.ID, 0, outage)
	got, err := c.ListEnrollmentsSince(t.Context(), outage, []string{a.ID, a.ID})
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, got, []string{ea.ID})
	if n := fake.Kit().Count("GET /v2/courses/{id}/enrollments"); n != 1 {
		t.Errorf("%d enrollment listings, want only course A's", n)
	}

	_, err = c.ListEnrollmentsSince(t.Context(), outage, []string{a.ID, "no-such-course"})
	var nf *CourseNotFoundError
	if !errors.As(err, &nf) || fmt.Sprint(nf.IDs) != "[no-such-course]" {
		t.Fatalf("err = %v, want CourseNotFoundError for no-such-course", err)
	}
}

// since counts enrolled_at, created_at and updated_at (progress made after
// the outage on an older enrollment); a person gone from CE leaves the
// enrollment without an email instead of failing.
func TestListEnrollmentsSince_sinceAndMissingPerson(t *testing.T) {
	ts := func(t time.Time) string { return t.Format(time.RFC3339) }
	before, after := outage.Add(-24*time.Hour), outage.Add(24*time.Hour)
	enrollment := func(id, person string, enrolled, updated *time.Time) map[string]any {
		attrs := map[string]any{"person_id": person, "course_id": "c1", "progress": 10}
		if enrolled != nil {
			attrs["enrolled_at"] = ts(*enrolled)
		}
		if updated != nil {
			attrs["created_at"] = ts(before)
			attrs["updated_at"] = ts(*updated)
		}
		return map[string]any{"id": id, "type": "enrollments", "attributes": attrs}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		var body any
		switch r.URL.Path {
		case "/v2/courses":
			body = map[string]any{"data": []any{map[string]any{"id": "c1", "type": "courses", "attributes": map[string]any{"name": "C"}}}}
		case "/v2/courses/c1/enrollments":
			body = map[string]any{"data": []any{
				enrollment("old", "p1", &before, nil),               // enrolled before, no timestamps served
				enrollment("old-updated", "p1", &before, &after),    // progress after the outage
				enrollment("old-untouched", "p1", &before, &before), // nothing since
				enrollment("new", "gone", &after, nil),              // learner deleted since
				enrollment("exactly", "p1", &outage, nil),           // at since counts
			}}
		case "/v2/people/p1":
			body = map[string]any{"data": map[string]any{"id": "p1", "type": "people", "attributes": map[string]any{"email": "p1@example.com"}}}
		default:
			w.WriteHeader(http.StatusNotFound)
			body = map[string]any{"errors": []any{map[string]any{"status": "404", "title": "Not Found"}}}
		}
		_ = json.NewEncoder(w).Encode(body)
	}))
	t.Cleanup(srv.Close)
	c, err := New(fastConfig(srv.URL, "k"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.ListEnrollmentsSince(t.Context(), outage, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, got, []string{"old-updated", "new", "exactly"})
	for _, e := range got {
		want := "p1@example.com"
		if e.ID == "new" {
			want = ""
		}
		if e.Email != want {
			t.Errorf("%s: email %q, want %q", e.ID, e.Email, want)
		}
	}
}
