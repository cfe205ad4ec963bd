package npfake

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestUnauthorizedIsTheRealBody(t *testing.T) {
	s := newFake(t)
	for _, key := range []string{"-", "wrong-key"} {
		r := call(t, s, "GET", "/v2/courses", key, "")
		mustStatus(t, r, 401)
		if got := string(r.body); got != unauthorizedBody {
			t.Fatalf("key %q: body %s", key, got)
		}
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("content type %q", ct)
		}
	}
	// The configured key gets through, and a custom one replaces the default.
	mustStatus(t, call(t, s, "GET", "/v2/courses", "", ""), 200)
	custom := NewTestServer(t, Options{APIKey: "other", RateLimit: RateLimitOff})
	mustStatus(t, call(t, custom, "GET", "/v2/courses", DefaultAPIKey, ""), 401)
	mustStatus(t, call(t, custom, "GET", "/v2/courses", "other", ""), 200)
}

func TestCourseEnvelope(t *testing.T) {
	s := newFake(t)
	c := s.AddCourse("Salesforce Basics 101")
	p := s.AddPerson("ada@example.com", "Ada", "Lovelace")
	s.AddEnrollment(c.ID, p.ID, 42.5, time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC))

	r := call(t, s, "GET", "/v2/courses", "", "")
	mustStatus(t, r, 200)
	d := r.doc(t)
	if str(t, d, "data", 0, "id") != c.ID || str(t, d, "data", 0, "type") != "courses" {
		t.Fatalf("data[0]: %s", r.body)
	}
	attrs := path(t, d, "data", 0, "attributes")
	if str(t, attrs, "name") != "Salesforce Basics 101" || str(t, attrs, "permalink") != "salesforce-basics-101" || str(t, attrs, "status") != "live" {
		t.Fatalf("attributes: %v", attrs)
	}
	if _, err := time.Parse(time.RFC3339, str(t, attrs, "created_at")); err != nil {
		t.Fatalf("created_at: %v", err)
	}
	if path(t, attrs, "enrollments_count") != 1.0 {
		t.Fatalf("enrollments_count: %v", attrs)
	}
	if !strings.HasSuffix(str(t, d, "data", 0, "links", "enrollments", "href"), "/v2/courses/"+c.ID+"/enrollments") {
		t.Fatalf("links: %s", r.body)
	}
	if str(t, d, "links", "self") == "" || path(t, d, "links", "next") != nil || path(t, d, "links", "prev") != nil {
		t.Fatalf("top-level links on a single page: %v", path(t, d, "links"))
	}

	one := call(t, s, "GET", "/v2/courses/"+c.ID, "", "")
	mustStatus(t, one, 200)
	if str(t, one.doc(t), "data", "id") != c.ID {
		t.Fatalf("GET one: %s", one.body)
	}
	missing := call(t, s, "GET", "/v2/courses/nope", "", "")
	mustStatus(t, missing, 404)
	if firstError(t, missing)["status"] != "404" {
		t.Fatalf("404 body: %s", missing.body)
	}

	er := call(t, s, "GET", "/v2/courses/"+c.ID+"/enrollments", "", "")
	mustStatus(t, er, 200)
	ed := er.doc(t)
	ea := path(t, ed, "data", 0, "attributes")
	if str(t, ea, "person_id") != p.ID || str(t, ea, "course_id") != c.ID || path(t, ea, "progress") != 42.5 ||
		str(t, ea, "enrolled_at") != "2026-01-05T10:00:00Z" {
		t.Fatalf("enrollment attributes: %v", ea)
	}
	if str(t, ed, "data", 0, "relationships", "person", "data", "id") != p.ID {
		t.Fatalf("relationships: %s", er.body)
	}
	mustStatus(t, call(t, s, "GET", "/v2/courses/nope/enrollments", "", ""), 404)
}

func TestPagingLinks(t *testing.T) {
	s := newFake(t)
	c := s.AddCourse("Big")
	p := s.AddPerson("p@example.com", "P", "Q")
	for i := 0; i < 250; i++ {
		s.AddEnrollment(c.ID, p.ID, float64(i%101), time.Time{})
	}
	base := "/v2/courses/" + c.ID + "/enrollments"
	seen := map[string]bool{}
	next := base + "?page=1&limit=100"
	var sizes []int
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("links.next never ends")
		}
		r := call(t, s, "GET", strings.TrimPrefix(next, s.URL()), "", "")
		mustStatus(t, r, 200)
		d := r.doc(t)
		items := path(t, d, "data").([]any)
		sizes = append(sizes, len(items))
		for _, it := range items {
			seen[str(t, it, "id")] = true
		}
		page := len(sizes)
		if prev := path(t, d, "links", "prev"); (page == 1) != (prev == nil) {
			t.Fatalf("page %d prev = %v", page, prev)
		}
		self, _ := url.Parse(str(t, d, "links", "self"))
		if self.Query().Get("page") != strconv.Itoa(page) || self.Query().Get("limit") != "100" {
			t.Fatalf("page %d self = %v", page, self)
		}
		next = str(t, d, "links", "next")
		if next != "" && !strings.HasPrefix(next, s.URL()+base+"?") {
			t.Fatalf("next link %q is not absolute on the fake's host", next)
		}
	}
	if len(sizes) != 3 || sizes[0] != 100 || sizes[1] != 100 || sizes[2] != 50 || len(seen) != 250 {
		t.Fatalf("page sizes %v, distinct ids %d", sizes, len(seen))
	}

	// No limit: the default page size; too large a limit: clamped.
	r := call(t, s, "GET", base, "", "")
	if n := len(path(t, r.doc(t), "data").([]any)); n != DefaultPageSize {
		t.Fatalf("default page size %d", n)
	}
	r = call(t, s, "GET", base+"?limit=500", "", "")
	d := r.doc(t)
	if n := len(path(t, d, "data").([]any)); n != DefaultMaxPageSize || !strings.Contains(str(t, d, "links", "next"), "limit=100") {
		t.Fatalf("clamped page: %d items, next %q", n, str(t, d, "links", "next"))
	}
	// Past the end: empty data, no next.
	r = call(t, s, "GET", base+"?page=9&limit=100", "", "")
	d = r.doc(t)
	if items, ok := path(t, d, "data").([]any); !ok || len(items) != 0 || path(t, d, "links", "next") != nil {
		t.Fatalf("past the end: %s", r.body)
	}
}

func TestPeopleFilterAndGet(t *testing.T) {
	s := newFake(t)
	plus := s.AddPerson("a+b@x.com", "A", "B")
	s.AddPerson("ab@x.com", "Decoy", "One")
	s.AddPerson("a b@x.com", "Decoy", "Two")

	q := url.Values{"filter[email][eq]": {"A+B@x.com"}}.Encode()
	r := call(t, s, "GET", "/v2/people?"+q, "", "")
	mustStatus(t, r, 200)
	d := r.doc(t)
	items := path(t, d, "data").([]any)
	if len(items) != 1 || str(t, items[0], "id") != plus.ID || str(t, items[0], "attributes", "full_name") != "A B" {
		t.Fatalf("filter[email][eq]: %s", r.body)
	}
	// The filter survives into the paging links.
	if self, _ := url.Parse(str(t, d, "links", "self")); self.Query().Get("filter[email][eq]") != "A+B@x.com" {
		t.Fatalf("self link lost the filter: %v", self)
	}
	r = call(t, s, "GET", "/v2/people?"+url.Values{"filter[email]": {"b@x"}}.Encode(), "", "")
	if n := len(path(t, r.doc(t), "data").([]any)); n != 3 {
		t.Fatalf("contains filter matched %d", n)
	}
	r = call(t, s, "GET", "/v2/people?"+url.Values{"filter[email][eq]": {"nobody@x.com"}}.Encode(), "", "")
	if items, ok := path(t, r.doc(t), "data").([]any); !ok || len(items) != 0 {
		t.Fatalf("no match: %s", r.body)
	}

	r = call(t, s, "GET", "/v2/people/"+plus.ID, "", "")
	mustStatus(t, r, 200)
	if str(t, r.doc(t), "data", "attributes", "email") != "a+b@x.com" {
		t.Fatalf("GET person: %s", r.body)
	}
	mustStatus(t, call(t, s, "GET", "/v2/people/missing", "", ""), 404)
}

func TestUnknownRoutesAreJSON404(t *testing.T) {
	s := newFake(t)
	for _, c := range [][2]string{{"GET", "/v2/nothing"}, {"DELETE", "/v2/courses"}, {"PUT", "/v2/integrations/salesforce"}} {
		r := call(t, s, c[0], c[1], "", "")
		mustStatus(t, r, 404)
		if firstError(t, r)["title"] != "Not Found" {
			t.Fatalf("%v: %s", c, r.body)
		}
	}
}

func TestCountersUseRouteNames(t *testing.T) {
	s := newFake(t)
	c := s.AddCourse("C")
	call(t, s, "GET", "/v2/courses", "", "")
	call(t, s, "GET", "/v2/courses/"+c.ID+"/enrollments", "", "")
	call(t, s, "GET", "/v2/courses/"+c.ID+"/enrollments?page=2", "", "")
	call(t, s, "PATCH", "/v2/integrations/salesforce", "", patchDoc(t, map[string]any{"enabled": false}))
	call(t, s, "GET", "/__admin/counters", "-", "")
	k := s.Kit()
	if k.Count("GET /v2/courses") != 1 || k.Count("GET /v2/courses/{id}/enrollments") != 2 || k.Count("PATCH /v2/integrations/salesforce") != 1 {
		t.Fatalf("counters %v", k.Counters())
	}
	if k.BillableCalls() != 4 {
		t.Fatalf("billable %d (admin calls must not count)", k.BillableCalls())
	}
	if reqs := k.Requests(); !strings.Contains(reqs[len(reqs)-1].Body, `"enabled":false`) {
		t.Fatalf("PATCH body not recorded: %+v", reqs[len(reqs)-1])
	}
}
