package sffake

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
)

func TestAdminHTTP(t *testing.T) {
	s, c := newOrg(t, Options{InstallDuration: time.Minute})
	admin := &client{t: t, s: s}

	pk := admin.get("/__admin/packages")
	mustStatus(t, pk, http.StatusOK)
	var packages struct {
		Installed []PackageVersion `json:"installed"`
		Catalog   []PackageVersion `json:"catalog"`
	}
	pk.json(t, &packages)
	if len(packages.Installed) != 1 || packages.Installed[0].Namespace != "northpass" || len(packages.Catalog) != 4 {
		t.Fatalf("packages: %s", pk.body)
	}
	mustStatus(t, admin.do(http.MethodPost, "/__admin/packages/install", map[string]any{"namespace": "northpass", "version": "2.1"}), http.StatusOK)
	mustStatus(t, admin.do(http.MethodPost, "/__admin/packages/install", map[string]any{"version_id": packages.Catalog[2].VersionID}), http.StatusOK)
	mustStatus(t, admin.do(http.MethodPost, "/__admin/packages/install", map[string]any{"namespace": "northpass", "version": "9.9"}), http.StatusNotFound)
	if got := s.InstalledPackages(); len(got) != 2 || got[1].VersionName != "2.1" {
		t.Fatalf("after admin installs: %+v", got)
	}
	mustStatus(t, admin.do(http.MethodPost, "/__admin/packages/uninstall", map[string]any{"namespace": "gsnpdc"}), http.StatusNoContent)
	mustStatus(t, admin.do(http.MethodPost, "/__admin/packages/uninstall", map[string]any{"namespace": "gsnpdc"}), http.StatusNotFound)

	tok := admin.do(http.MethodPost, "/__admin/tokens", map[string]any{"username": DefaultIntegrationUsername, "kind": "access"})
	mustStatus(t, tok, http.StatusOK)
	user := &client{t: t, s: s, token: tok.object(t)["token"].(string)}
	mustStatus(t, user.get(v+"/limits"), http.StatusOK)
	rt := admin.do(http.MethodPost, "/__admin/tokens", map[string]any{"username": DefaultIntegrationUsername, "kind": "refresh"})
	if !strings.HasPrefix(rt.object(t)["token"].(string), "5Aep") {
		t.Fatalf("refresh token: %s", rt.body)
	}
	mustStatus(t, admin.do(http.MethodPost, "/__admin/tokens", map[string]any{"username": "nobody@x", "kind": "access"}), http.StatusNotFound)
	mustStatus(t, admin.do(http.MethodPost, "/__admin/sessions/expire", nil), http.StatusNoContent)
	wantError(t, user.get(v+"/limits"), http.StatusUnauthorized, "INVALID_SESSION_ID", "")
	c.token = s.IssueAccessToken(DefaultAdminUsername)

	created := admin.do(http.MethodPost, "/__admin/records/Contact", map[string]any{"LastName": "Admin", "Email": "a@example.com"})
	mustStatus(t, created, http.StatusCreated)
	id := created.object(t)["id"].(string)
	mustStatus(t, admin.do(http.MethodPatch, "/__admin/records/Contact/"+id, map[string]any{"Title": "Boss"}), http.StatusNoContent)
	got := admin.get("/__admin/records/Contact/" + id)
	mustStatus(t, got, http.StatusOK)
	if got.object(t)["Title"] != "Boss" {
		t.Fatalf("%s", got.body)
	}
	list := admin.get("/__admin/records/contact")
	mustStatus(t, list, http.StatusOK)
	if n := len(list.array(t)); n != 5 {
		t.Fatalf("contacts: %d", n)
	}
	mustStatus(t, admin.do(http.MethodDelete, "/__admin/records/Contact/"+id, nil), http.StatusNoContent)
	mustStatus(t, admin.do(http.MethodDelete, "/__admin/records/Contact/"+id, nil), http.StatusNotFound)
	mustStatus(t, admin.do(http.MethodPost, "/__admin/records/Contact", map[string]any{"Nope": 1}), http.StatusBadRequest)
	mustStatus(t, admin.get("/__admin/records/Nope"), http.StatusNotFound)

	// The clock drives installs.
	id21 := postInstall(t, c, map[string]any{"SubscriberPackageVersionKey": packages.Catalog[2].VersionID})
	mustStatus(t, admin.do(http.MethodPost, "/__admin/clock/advance", map[string]any{"duration": "1m"}), http.StatusOK)
	if ir := getInstall(t, c, id21); ir.Status != "SUCCESS" {
		t.Fatalf("after advancing the clock: %+v", ir)
	}
	mustStatus(t, admin.do(http.MethodPost, "/__admin/clock/advance", map[string]any{"duration": "soon"}), http.StatusBadRequest)

	// The kit's admin endpoints are mounted, and admin calls are not counted.
	counters := admin.get("/__admin/counters")
	mustStatus(t, counters, http.StatusOK)
	if strings.Contains(string(counters.body), "__admin") {
		t.Fatalf("admin calls counted: %s", counters.body)
	}
	mustStatus(t, admin.do(http.MethodPost, "/__admin/faults", map[string]any{"path_contains": "/limits", "sequence": []string{"503"}}), http.StatusNoContent)
	wantError(t, c.get(v+"/limits"), http.StatusServiceUnavailable, "SERVER_UNAVAILABLE", "")
	reqs := admin.get("/__admin/requests")
	mustStatus(t, reqs, http.StatusOK)
	var log []fakekit.Recorded
	reqs.json(t, &log)
	if len(log) == 0 || log[len(log)-1].Fault != fakekit.Fault503 {
		t.Fatalf("request log: %s", reqs.body)
	}
}

func TestFaultRendering(t *testing.T) {
	cases := []struct {
		fault  fakekit.Fault
		status int
		body   string
	}{
		{fakekit.Fault503, 503, `[{"message":"Service Unavailable","errorCode":"SERVER_UNAVAILABLE"}]`},
		{fakekit.Fault429, 429, `[{"message":"Too Many Requests","errorCode":"TOO_MANY_REQUESTS"}]`},
		{fakekit.FaultRequestLimit, 403, `[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`},
		{fakekit.FaultExpiredSession, 401, `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`},
	}
	for _, tc := range cases {
		t.Run(string(tc.fault), func(t *testing.T) {
			s, c := newOrg(t, Options{})
			s.Kit().AddRule(fakekit.Rule{PathContains: "/query", Sequence: []fakekit.Fault{tc.fault}})
			res := c.query("SELECT Id FROM User")
			if res.status != tc.status || strings.TrimSpace(string(res.body)) != tc.body {
				t.Fatalf("got %d %s, want %d %s", res.status, res.body, tc.status, tc.body)
			}
			// Only the first request was faulted.
			mustStatus(t, c.query("SELECT Id FROM User"), http.StatusOK)
			if s.Kit().Count("GET query") != 2 {
				t.Fatalf("counters: %v", s.Kit().Counters())
			}
		})
	}
	t.Run("token endpoint", func(t *testing.T) {
		s := NewTestServer(t, Options{})
		s.Kit().AddRule(fakekit.Rule{PathPrefix: "/services/oauth2/token", Sequence: []fakekit.Fault{fakekit.Fault503}})
		res := postForm(t, s, nil)
		if res.status != 503 || res.object(t)["error"] != "temporarily_unavailable" {
			t.Fatalf("%d %s", res.status, res.body)
		}
		if s.Kit().Count("POST /services/oauth2/token") != 1 || s.Kit().BillableCalls() != 0 {
			t.Fatalf("token calls are counted but not billable: %v", s.Kit().Counters())
		}
	})
	t.Run("connection reset", func(t *testing.T) {
		s, c := newOrg(t, Options{})
		s.Kit().AddRule(fakekit.Rule{PathContains: "/limits", Sequence: []fakekit.Fault{fakekit.FaultConnectionReset}})
		req, _ := http.NewRequest(http.MethodGet, s.URL()+v+"/limits", nil)
		req.Header.Set("Authorization", "Bearer "+c.token)
		if res, err := http.DefaultClient.Do(req); err == nil {
			_ = res.Body.Close()
			t.Fatalf("expected a transport error, got %d", res.StatusCode)
		}
	})
}
