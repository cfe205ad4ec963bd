package npfake

import (
	"encoding/json"
	"testing"
)

func TestAdminHTTP(t *testing.T) {
	s := NewTestServer(t, Options{}) // limiter on: admin calls must not be limited or need the key
	admin := func(method, path, body string, want int) response {
		t.Helper()
		r := call(t, s, method, "/__admin"+path, "-", body)
		mustStatus(t, r, want)
		return r
	}
	var c Course
	if err := json.Unmarshal(admin("POST", "/courses", `{"name":"Intro"}`, 201).body, &c); err != nil || c.ID == "" || c.Name != "Intro" {
		t.Fatalf("course %+v %v", c, err)
	}
	var p Person
	if err := json.Unmarshal(admin("POST", "/people", `{"email":"a@x.com","first_name":"A","last_name":"X"}`, 201).body, &p); err != nil || p.FullName != "A X" {
		t.Fatalf("person %+v %v", p, err)
	}
	var e Enrollment
	body := jsonBody(t, map[string]any{"course_id": c.ID, "person_id": p.ID, "progress": 75, "enrolled_at": "2026-01-02T03:04:05Z"})
	if err := json.Unmarshal(admin("POST", "/enrollments", body, 201).body, &e); err != nil || e.Progress != 75 || e.EnrolledAt.Format("2006-01-02") != "2026-01-02" {
		t.Fatalf("enrollment %+v %v", e, err)
	}
	admin("POST", "/enrollments", jsonBody(t, map[string]any{"course_id": "nope", "person_id": p.ID}), 422)
	admin("POST", "/courses", `{"name":""}`, 422)
	admin("POST", "/people", `not json`, 400)
	if len(s.Courses()) != 1 || len(s.People()) != 1 || len(s.Enrollments()) != 1 {
		t.Fatal("admin seeding did not reach the store")
	}
	var list []Course
	_ = json.Unmarshal(admin("GET", "/courses", "", 200).body, &list)
	if len(list) != 1 || list[0].ID != c.ID {
		t.Fatalf("GET courses %+v", list)
	}

	// Integration controls.
	call(t, s, "PATCH", "/v2/integrations/salesforce", "", patchDoc(t, map[string]any{"instance_url": "https://acme.my.salesforce.com"}))
	admin("POST", "/integration/approve", `{"username":"int@acme.com"}`, 409) // nothing pending
	call(t, s, "POST", "/v2/integrations/salesforce/authorizations", "", "")
	var st IntegrationState
	_ = json.Unmarshal(admin("GET", "/integration", "", 200).body, &st)
	if st.PendingAuthorizeURL == "" {
		t.Fatalf("pending URL not exposed: %+v", st)
	}
	_ = json.Unmarshal(admin("POST", "/integration/approve", `{"username":"int@acme.com"}`, 200).body, &st)
	if st.Status != StatusConnected {
		t.Fatalf("approve: %+v", st)
	}
	_ = json.Unmarshal(admin("POST", "/integration/revoke", "", 200).body, &st)
	if st.Status != StatusDisconnected {
		t.Fatalf("revoke: %+v", st)
	}
	_ = json.Unmarshal(admin("PUT", "/integration/status", `{"status":"error","message":"Field-level security blocks Progress Percentage"}`, 200).body, &st)
	if st.Status != StatusError || st.StatusMessage != "Field-level security blocks Progress Percentage" {
		t.Fatalf("status: %+v", st)
	}
	admin("PUT", "/integration/status", `{"status":"bogus"}`, 422)
	admin("PUT", "/integration/auto-approve", `{"username":"auto@acme.com","after":"0s"}`, 204)
	call(t, s, "POST", "/v2/integrations/salesforce/authorizations", "", "")
	if got := s.Integration(); got.Status != StatusConnected || got.AuthorizedUsername != "auto@acme.com" {
		t.Fatalf("auto-approve over HTTP: %+v", got)
	}
	admin("PUT", "/integration/auto-approve", `{"username":"x","after":"soon"}`, 422)

	// fakekit's part is mounted alongside: faults render as CE errors.
	admin("POST", "/faults", `{"path_prefix":"/v2/people","sequence":["503"]}`, 204)
	r := call(t, s, "GET", "/v2/people", "", "")
	mustStatus(t, r, 503)
	if firstError(t, r)["status"] != "503" {
		t.Fatalf("fault body %s", r.body)
	}
	var counters struct {
		Endpoints map[string]int `json:"endpoints"`
		Billable  int            `json:"billable"`
	}
	_ = json.Unmarshal(admin("GET", "/counters", "", 200).body, &counters)
	if counters.Endpoints["GET /v2/people"] != 1 || counters.Endpoints["POST /v2/integrations/salesforce/authorizations"] != 2 {
		t.Fatalf("counters %+v", counters)
	}
	admin("DELETE", "/counters", "", 204)
	if s.Kit().BillableCalls() != 0 {
		t.Fatal("counters not reset")
	}
}
