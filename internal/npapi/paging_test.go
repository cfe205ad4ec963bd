package npapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestListCourseEnrollmentsAcrossPages(t *testing.T) {
	fake, c := newFakeAndClient(t)
	course := fake.AddCourse("Big course")
	other := fake.AddCourse("Other course")
	p := fake.AddPerson("p@example.com", "P", "Q")
	at := time.Date(2025, 11, 20, 8, 30, 0, 0, time.UTC)
	for i := 0; i < 250; i++ {
		fake.AddEnrollment(course.ID, p.ID, float64(i%101), at)
	}
	fake.AddEnrollment(other.ID, p.ID, 1, at)

	got, err := c.ListCourseEnrollments(t.Context(), course.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 {
		t.Fatalf("%d enrollments, want 250", len(got))
	}
	ids := map[string]bool{}
	for i, e := range got {
		ids[e.ID] = true
		if e.CourseID != course.ID || e.PersonID != p.ID || !e.EnrolledAt.Equal(at) || e.Progress != float64(i%101) || e.CreatedAt.IsZero() {
			t.Fatalf("enrollment %d: %+v", i, e)
		}
	}
	if len(ids) != 250 {
		t.Fatalf("%d distinct ids: a page was fetched twice", len(ids))
	}
	if n := fake.Kit().Count("GET /v2/courses/{id}/enrollments"); n != 3 {
		t.Fatalf("%d page requests, want 3", n)
	}
	for _, r := range fake.Kit().Requests() {
		if q, _ := url.ParseQuery(r.RawQuery); q.Get("limit") != "100" {
			t.Fatalf("request without limit=100: %+v", r)
		}
	}
}

func TestListCourses(t *testing.T) {
	fake, c := newFakeAndClient(t)
	want := fake.AddCourse("Salesforce Basics")
	got, err := c.ListCourses(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != want.ID || got[0].Name != want.Name || got[0].Status != "live" ||
		got[0].Permalink != "salesforce-basics" || !got[0].CreatedAt.Equal(want.CreatedAt) {
		t.Fatalf("courses %+v, want %+v", got, want)
	}
	// An empty account is an empty list, not an error.
	fake2, c2 := newFakeAndClient(t)
	_ = fake2
	if got, err := c2.ListCourses(t.Context()); err != nil || len(got) != 0 {
		t.Fatalf("empty account: %v %v", got, err)
	}
}

// pager serves two pages; page 1's links.next is whatever next returns.
func pager(t *testing.T, next func(srv *httptest.Server) string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("page") == "2" {
			_, _ = fmt.Fprint(w, `{"data":[{"id":"c2","type":"courses","attributes":{"name":"Two"}}],"links":{"next":null}}`)
			return
		}
		_, _ = fmt.Fprintf(w, `{"data":[{"id":"c1","type":"courses","attributes":{"name":"One"}}],"links":{"next":%q}}`, next(srv))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestForeignNextLinkRefused(t *testing.T) {
	cases := map[string]func(*httptest.Server) string{
		"other host": func(*httptest.Server) string { return "http://evil.example.com/v2/courses?page=2" },
		"other port": func(s *httptest.Server) string { return "http://127.0.0.1:1/v2/courses?page=2" },
		"other scheme": func(s *httptest.Server) string {
			return strings.Replace(s.URL, "http://", "https://", 1) + "/v2/courses?page=2"
		},
		"scheme-relative": func(*httptest.Server) string { return "//evil.example.com/v2/courses?page=2" },
	}
	for name, next := range cases {
		t.Run(name, func(t *testing.T) {
			srv, hits := pager(t, next)
			c, err := New(fastConfig(srv.URL, "k-foreign"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.ListCourses(t.Context())
			if err == nil || !strings.Contains(err.Error(), "refusing links.next") {
				t.Fatalf("followed a foreign link: %v %v", got, err)
			}
			if hits.Load() != 1 {
				t.Fatalf("server saw %d requests", hits.Load())
			}
		})
	}
}

func TestRelativeNextLinkFollowed(t *testing.T) {
	srv, hits := pager(t, func(*httptest.Server) string { return "/v2/courses?page=2&limit=100" })
	c, _ := New(fastConfig(srv.URL, "k"))
	got, err := c.ListCourses(t.Context())
	if err != nil || len(got) != 2 || got[1].Name != "Two" || hits.Load() != 2 {
		t.Fatalf("%+v %v (%d requests)", got, err, hits.Load())
	}
}

func TestNextLinkLoopStops(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = fmt.Fprint(w, `{"data":[],"links":{"next":"/v2/courses?page=1&limit=100"}}`)
	}))
	t.Cleanup(srv.Close)
	c, _ := New(fastConfig(srv.URL, "k"))
	if _, err := c.ListCourses(t.Context()); err == nil || !strings.Contains(err.Error(), "loops") {
		t.Fatalf("loop not detected: %v", err)
	}
	if hits.Load() != 1 {
		t.Fatalf("%d requests", hits.Load())
	}
}
