package npfake

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestIntegrationDocumentShape(t *testing.T) {
	s := NewTestServer(t, Options{RateLimit: RateLimitOff, AccountID: "acct-1"})
	r := call(t, s, "GET", "/v2/integrations/salesforce", "", "")
	mustStatus(t, r, 200)
	d := r.doc(t)
	if str(t, d, "data", "type") != "salesforce_integrations" || str(t, d, "data", "id") != "acct-1" {
		t.Fatalf("data: %s", r.body)
	}
	a := path(t, d, "data", "attributes").(map[string]any)
	for _, k := range []string{"instance_url", "sandbox", "enabled", "status", "status_message", "authorized_username", "authorized_at", "last_synced_at", "updated_at"} {
		if _, ok := a[k]; !ok {
			t.Fatalf("attribute %s missing: %s", k, r.body)
		}
	}
	if a["status"] != StatusNotConfigured || a["authorized_at"] != nil || a["enabled"] != false {
		t.Fatalf("initial attributes: %v", a)
	}
	if str(t, d, "data", "links", "self") != "/v2/integrations/salesforce" ||
		str(t, d, "data", "links", "authorize", "href") != "/v2/integrations/salesforce/authorizations" ||
		str(t, d, "data", "links", "authorize", "meta", "methods", 0) != "POST" {
		t.Fatalf("links: %s", r.body)
	}
}

func TestPatchValidation(t *testing.T) {
	s := newFake(t)
	bad := []struct {
		body    string
		status  int
		code    string
		pointer string
	}{
		{`{not json`, 400, "invalid_document", ""},
		{`{"meta":{}}`, 400, "invalid_document", "/data"},
		{`{"data":{"type":"courses","attributes":{}}}`, 409, "type_mismatch", "/data/type"},
		{patchDoc(t, map[string]any{"instance_url": "http://acme.my.salesforce.com"}), 422, "invalid_attribute", "/data/attributes/instance_url"},
		{patchDoc(t, map[string]any{"instance_url": "https://evil.example.com"}), 422, "invalid_attribute", "/data/attributes/instance_url"},
		{patchDoc(t, map[string]any{"instance_url": "https://salesforce.com.evil.io"}), 422, "invalid_attribute", "/data/attributes/instance_url"},
		{patchDoc(t, map[string]any{"instance_url": "https://acme.my.salesforce.com/path"}), 422, "invalid_attribute", "/data/attributes/instance_url"},
		{patchDoc(t, map[string]any{"instance_url": 7}), 422, "invalid_attribute", "/data/attributes/instance_url"},
		{patchDoc(t, map[string]any{"sandbox": "yes"}), 422, "invalid_attribute", "/data/attributes/sandbox"},
		{patchDoc(t, map[string]any{"enabled": 1}), 422, "invalid_attribute", "/data/attributes/enabled"},
	}
	for _, c := range bad {
		r := call(t, s, "PATCH", "/v2/integrations/salesforce", "", c.body)
		mustStatus(t, r, c.status)
		e := firstError(t, r)
		var ptr string
		if src, ok := e["source"].(map[string]any); ok {
			ptr, _ = src["pointer"].(string)
		}
		if e["code"] != c.code || ptr != c.pointer {
			t.Fatalf("%s: %s", c.body, r.body)
		}
	}
	if st := s.Integration(); st.InstanceURL != "" || st.Status != StatusNotConfigured {
		t.Fatalf("a refused PATCH changed state: %+v", st)
	}
	for _, ok := range []string{"https://acme.my.salesforce.com", "https://acme--dev.sandbox.my.salesforce.com/", "https://na1.force.com",
		"https://x.salesforce.mil", "https://acme.cloudforce.com", "http://127.0.0.1:8443", "http://localhost:1234/sf", "https://[::1]:9"} {
		mustStatus(t, call(t, s, "PATCH", "/v2/integrations/salesforce", "", patchDoc(t, map[string]any{"instance_url": ok})), 200)
		if s.Integration().InstanceURL != ok {
			t.Fatalf("%s not saved", ok)
		}
	}
}

func TestIntegrationLifecycle(t *testing.T) {
	s := newFake(t)
	patch := func(attrs map[string]any) response {
		return call(t, s, "PATCH", "/v2/integrations/salesforce", "", patchDoc(t, attrs))
	}
	authorize := func() response {
		return call(t, s, "POST", "/v2/integrations/salesforce/authorizations", "", `{"data":{"type":"salesforce_authorizations"}}`)
	}

	r := authorize()
	mustStatus(t, r, 409)
	if firstError(t, r)["code"] != "not_configured" {
		t.Fatalf("authorize without instance: %s", r.body)
	}
	if err := s.ApprovePendingAuthorization("x@acme.com"); err == nil {
		t.Fatal("approved with nothing pending")
	}

	r = patch(map[string]any{"instance_url": "https://acme.my.salesforce.com", "sandbox": false})
	mustStatus(t, r, 200)
	if str(t, r.doc(t), "data", "attributes", "status") != StatusAuthorizationRequired {
		t.Fatalf("after saving the instance: %s", r.body)
	}
	before := s.Integration().UpdatedAt

	r = authorize()
	mustStatus(t, r, 201)
	d := r.doc(t)
	if str(t, d, "data", "type") != "salesforce_authorizations" || str(t, d, "data", "id") == "" {
		t.Fatalf("authorization: %s", r.body)
	}
	au, err := url.Parse(str(t, d, "data", "attributes", "authorize_url"))
	if err != nil || au.Host != strings.TrimPrefix(s.URL(), "http://") || au.Path != loginPath || au.Query().Get("state") == "" ||
		au.Query().Get("code_challenge_method") != "S256" {
		t.Fatalf("authorize_url %v", au)
	}
	exp, err := time.Parse(time.RFC3339, str(t, d, "data", "attributes", "expires_at"))
	if err != nil || time.Until(exp) < 50*time.Minute {
		t.Fatalf("expires_at %v %v", exp, err)
	}
	if st := s.Integration(); st.Status != StatusAuthorizationRequired || st.PendingAuthorizeURL != au.String() {
		t.Fatalf("requesting an authorization must not connect: %+v", st)
	}

	if err := s.ApprovePendingAuthorization("int@acme.com"); err != nil {
		t.Fatal(err)
	}
	st := s.Integration()
	if st.Status != StatusConnected || st.StatusMessage != "Everything looks good!" || st.AuthorizedUsername != "int@acme.com" ||
		st.AuthorizedAt == nil || st.PendingAuthorizationID != "" {
		t.Fatalf("after approval: %+v", st)
	}
	if err := s.ApprovePendingAuthorization("int@acme.com"); err == nil {
		t.Fatal("the same authorization approved twice")
	}

	// Enabling, and saving the same instance while enabled, are fine.
	mustStatus(t, patch(map[string]any{"enabled": true}), 200)
	mustStatus(t, patch(map[string]any{"instance_url": "https://acme.my.salesforce.com", "sandbox": false}), 200)
	if s.Integration().UpdatedAt.Before(before) {
		t.Fatal("updated_at went back")
	}
	for _, attrs := range []map[string]any{
		{"instance_url": "https://other.my.salesforce.com"},
		{"sandbox": true},
		{"sandbox": true, "enabled": false}, // the stored flag decides: disable first, then change
	} {
		r = patch(attrs)
		mustStatus(t, r, 409)
		e := firstError(t, r)
		if e["code"] != "integration_enabled" || e["detail"] != "Disable the integration before changing the Salesforce instance" || e["title"] != "Conflict" {
			t.Fatalf("409 body: %s", r.body)
		}
	}
	if st := s.Integration(); st.Status != StatusConnected || !st.Enabled || st.Sandbox {
		t.Fatalf("refused change altered state: %+v", st)
	}

	// Disable, change: the authorization is cleared.
	mustStatus(t, patch(map[string]any{"enabled": false}), 200)
	r = patch(map[string]any{"sandbox": true})
	mustStatus(t, r, 200)
	a := path(t, r.doc(t), "data", "attributes")
	if path(t, a, "status") != StatusAuthorizationRequired || path(t, a, "authorized_username") != nil || path(t, a, "authorized_at") != nil {
		t.Fatalf("after changing sandbox: %v", a)
	}

	// Reconnect, then Salesforce revokes the tokens behind CE's back.
	mustStatus(t, authorize(), 201)
	if err := s.ApprovePendingAuthorization("int@acme.com"); err != nil {
		t.Fatal(err)
	}
	s.RevokeAuthorization()
	if st := s.Integration(); st.Status != StatusDisconnected || !strings.Contains(st.StatusMessage, "revoked") {
		t.Fatalf("after revocation: %+v", st)
	}

	// DELETE clears it; a second DELETE has nothing to delete.
	mustStatus(t, call(t, s, "DELETE", "/v2/integrations/salesforce/authorization", "", ""), 204)
	if st := s.Integration(); st.Status != StatusAuthorizationRequired || st.AuthorizedUsername != "" {
		t.Fatalf("after DELETE: %+v", st)
	}
	mustStatus(t, call(t, s, "DELETE", "/v2/integrations/salesforce/authorization", "", ""), 404)

	// Clearing the instance (disabled) returns to not_configured.
	r = patch(map[string]any{"instance_url": nil})
	mustStatus(t, r, 200)
	if st := s.Integration(); st.Status != StatusNotConfigured || st.InstanceURL != "" {
		t.Fatalf("after clearing the instance: %+v", st)
	}
}

func TestNewAuthorizationSupersedesOld(t *testing.T) {
	s := newFake(t)
	call(t, s, "PATCH", "/v2/integrations/salesforce", "", patchDoc(t, map[string]any{"instance_url": "https://acme.my.salesforce.com"}))
	first := call(t, s, "POST", "/v2/integrations/salesforce/authorizations", "", "")
	mustStatus(t, first, 201)
	oldURL := str(t, first.doc(t), "data", "attributes", "authorize_url")
	mustStatus(t, call(t, s, "POST", "/v2/integrations/salesforce/authorizations", "", ""), 201)

	old, _ := url.Parse(oldURL)
	resp, err := http.PostForm(s.URL()+loginPath, url.Values{"username": {"int@acme.com"}, "state": {old.Query().Get("state")}})
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 400 || s.Integration().Status == StatusConnected {
		t.Fatalf("superseded link approved: %d %+v", resp.StatusCode, s.Integration())
	}
}

func TestLoginPageApproves(t *testing.T) {
	s := newFake(t)
	call(t, s, "PATCH", "/v2/integrations/salesforce", "", patchDoc(t, map[string]any{"instance_url": "https://acme.my.salesforce.com"}))
	r := call(t, s, "POST", "/v2/integrations/salesforce/authorizations", "", "")
	authURL := str(t, r.doc(t), "data", "attributes", "authorize_url")

	resp, err := http.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	var page strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		page.Write(buf[:n])
		if err != nil {
			break
		}
	}
	_ = resp.Body.Close()
	state, _ := url.Parse(authURL)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(page.String(), `name="state" value="`+state.Query().Get("state")+`"`) ||
		!strings.Contains(page.String(), `name="username"`) {
		t.Fatalf("login page %d: %s", resp.StatusCode, page.String())
	}

	resp, err = http.Get(s.URL() + loginPath + "?state=forged")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("forged state page: %d", resp.StatusCode)
	}

	resp, err = http.PostForm(s.URL()+loginPath, url.Values{"username": {"int@acme.com"}, "state": {state.Query().Get("state")}})
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if st := s.Integration(); resp.StatusCode != 200 || st.Status != StatusConnected || st.AuthorizedUsername != "int@acme.com" {
		t.Fatalf("after the login form: %d %+v", resp.StatusCode, st)
	}
	// The login page belongs to Salesforce: counted, not billed to CE.
	if s.Kit().Count("POST "+loginPath) != 1 || s.Kit().BillableCalls() != 2 {
		t.Fatalf("counters %v billable %d", s.Kit().Counters(), s.Kit().BillableCalls())
	}
}

func TestLoginBaseURLOption(t *testing.T) {
	s := NewTestServer(t, Options{RateLimit: RateLimitOff, LoginBaseURL: "https://login.example.test/services/oauth2/authorize?x=1"})
	call(t, s, "PATCH", "/v2/integrations/salesforce", "", patchDoc(t, map[string]any{"instance_url": "https://acme.my.salesforce.com"}))
	r := call(t, s, "POST", "/v2/integrations/salesforce/authorizations", "", "")
	u, _ := url.Parse(str(t, r.doc(t), "data", "attributes", "authorize_url"))
	if u.Host != "login.example.test" || u.Query().Get("x") != "1" || u.Query().Get("state") == "" {
		t.Fatalf("authorize_url %v", u)
	}
}

func TestAutoApprove(t *testing.T) {
	s := newFake(t)
	call(t, s, "PATCH", "/v2/integrations/salesforce", "", patchDoc(t, map[string]any{"instance_url": "https://acme.my.salesforce.com"}))

	s.SetAutoApprove("now@acme.com", 0)
	mustStatus(t, call(t, s, "POST", "/v2/integrations/salesforce/authorizations", "", ""), 201)
	if st := s.Integration(); st.Status != StatusConnected || st.AuthorizedUsername != "now@acme.com" {
		t.Fatalf("immediate auto-approval: %+v", st)
	}

	s.SetAutoApprove("later@acme.com", 20*time.Millisecond)
	mustStatus(t, call(t, s, "POST", "/v2/integrations/salesforce/authorizations", "", ""), 201)
	deadline := time.Now().Add(5 * time.Second)
	for s.Integration().AuthorizedUsername != "later@acme.com" {
		if time.Now().After(deadline) {
			t.Fatalf("never auto-approved: %+v", s.Integration())
		}
		time.Sleep(5 * time.Millisecond)
	}

	s.SetAutoApprove("", 0)
	mustStatus(t, call(t, s, "POST", "/v2/integrations/salesforce/authorizations", "", ""), 201)
	if st := s.Integration(); st.PendingAuthorizationID == "" {
		t.Fatalf("auto-approval not turned off: %+v", st)
	}
}

// An account without the integration-settings API answers every route of
// the contract as it answers a path CE does not route, whatever the state
// of the settings; the public API keeps working.
func TestIntegrationAPINotServed(t *testing.T) {
	s := NewTestServer(t, Options{RateLimit: RateLimitOff, WithoutIntegrationAPI: true})
	unrouted := call(t, s, "GET", "/v2/no-such-route", "", "")
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/v2/integrations/salesforce", ""},
		{"PATCH", "/v2/integrations/salesforce", patchDoc(t, map[string]any{"enabled": true})},
		{"POST", "/v2/integrations/salesforce/authorizations", ""},
		{"DELETE", "/v2/integrations/salesforce/authorization", ""},
	} {
		r := call(t, s, c.method, c.path, "", c.body)
		mustStatus(t, r, 404)
		if string(r.body) != string(unrouted.body) {
			t.Errorf("%s %s: body %s, want the unrouted answer %s", c.method, c.path, r.body, unrouted.body)
		}
	}
	if st := s.Integration(); st.Enabled {
		t.Fatalf("the PATCH reached the settings: %+v", st)
	}
	mustStatus(t, call(t, s, "GET", "/v2/courses", "", ""), 200)
	// The key is still checked first, as for any /v2 path.
	mustStatus(t, call(t, s, "GET", "/v2/integrations/salesforce", "wrong-key", ""), 401)

	// Over /__admin, as the emulator does.
	r := call(t, s, "PUT", "/__admin/integration/served", "-", `{"served":true}`)
	mustStatus(t, r, 204)
	if !s.IntegrationAPIServed() {
		t.Fatal("served flag not set")
	}
	mustStatus(t, call(t, s, "GET", "/v2/integrations/salesforce", "", ""), 200)
	mustStatus(t, call(t, s, "PUT", "/__admin/integration/served", "-", `{}`), 422)
	s.SetIntegrationAPIServed(false)
	mustStatus(t, call(t, s, "GET", "/v2/integrations/salesforce", "", ""), 404)
}
