package npapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
)

// An account without the API: the GET's 404 is "not served", never
// IsNotFound, and the answer is kept so the rest of the run sends nothing.
func TestIntegrationAPINotServed_fromTheGet(t *testing.T) {
	fake := npfake.NewTestServer(t, npfake.Options{RateLimit: npfake.RateLimitOff, WithoutIntegrationAPI: true})
	c, err := New(fastConfig(fake.URL(), fake.APIKey()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	_, err = c.GetIntegration(ctx)
	if !IsIntegrationAPINotServed(err) || IsNotFound(err) {
		t.Fatalf("GET on an account without the API: %v (not served %v, IsNotFound %v)", err, IsIntegrationAPINotServed(err), IsNotFound(err))
	}
	if msg := err.Error(); !strings.Contains(msg, "GET /v2/integrations/salesforce answered 404 Not Found") ||
		!strings.Contains(msg, "not part of CE's public API") {
		t.Errorf("message %q", msg)
	}
	before := len(fake.Kit().Requests())
	_, errPatch := c.UpdateIntegration(ctx, IntegrationUpdate{Enabled: ptr(true)})
	_, errPost := c.RequestAuthorization(ctx)
	errDelete := c.RevokeAuthorization(ctx)
	for name, e := range map[string]error{"PATCH": errPatch, "POST": errPost, "DELETE": errDelete} {
		if !IsIntegrationAPINotServed(e) {
			t.Errorf("%s after the GET told: %v", name, e)
		}
	}
	if n := len(fake.Kit().Requests()) - before; n != 0 {
		t.Errorf("%d more requests after the first 404; the answer is kept for the run", n)
	}
	// The public API is unaffected.
	if _, err := c.ListCourses(ctx); err != nil {
		t.Fatal(err)
	}
}

// DELETE's 404 is "nothing to revoke" on an account with the API, and
// "not served" on one without: the GET tells which, once.
func TestRevokeAuthorization_404(t *testing.T) {
	t.Run("served: nothing to revoke", func(t *testing.T) {
		fake, c := newFakeAndClient(t)
		if err := c.RevokeAuthorization(t.Context()); err != nil {
			t.Fatalf("revoke with nothing authorized: %v", err)
		}
		var deletes, gets int
		for _, r := range fake.Kit().Requests() {
			switch r.Method + " " + r.Path {
			case "DELETE /v2/integrations/salesforce/authorization":
				deletes++
			case "GET /v2/integrations/salesforce":
				gets++
			}
		}
		if deletes != 1 || gets != 1 {
			t.Errorf("%d DELETEs and %d GETs, want one of each", deletes, gets)
		}
		// Known now: a second revoke does not ask again.
		if err := c.RevokeAuthorization(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := fake.Kit().Count("GET /v2/integrations/salesforce"); got != 1 {
			t.Errorf("%d GETs after the second revoke, want still 1", got)
		}
	})
	t.Run("not served", func(t *testing.T) {
		fake := npfake.NewTestServer(t, npfake.Options{RateLimit: npfake.RateLimitOff, WithoutIntegrationAPI: true})
		c, err := New(fastConfig(fake.URL(), fake.APIKey()))
		if err != nil {
			t.Fatal(err)
		}
		err = c.RevokeAuthorization(t.Context())
		if !IsIntegrationAPINotServed(err) {
			t.Fatalf("revoke on an account without the API: %v; a 404 there must not pass for success", err)
		}
		// The first route that answered 404 is the one reported.
		if !strings.Contains(err.Error(), "GET /v2/integrations/salesforce answered") {
			t.Errorf("message %q", err)
		}
	})
}

// The body plays no part: a proxy's HTML page, plain text or an empty 404
// on the settings route all mean the route is not served.
func TestIntegrationAPINotServed_anyBody(t *testing.T) {
	for name, body := range map[string]string{
		"html":    "<!DOCTYPE html><html><body>The page you were looking for doesn't exist.</body></html>",
		"text":    "404 page not found",
		"empty":   "",
		"jsonapi": `{"errors":[{"status":"404","title":"Not Found","detail":"The requested resource does not exist"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				hits.Add(1)
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte(body))
			}))
			t.Cleanup(srv.Close)
			c, err := New(fastConfig(srv.URL, "k"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetIntegration(t.Context()); !IsIntegrationAPINotServed(err) {
				t.Fatalf("got %v", err)
			}
			if hits.Load() != 1 {
				t.Errorf("%d requests: a 404 is not retried", hits.Load())
			}
		})
	}
}

// Other failures are not taken for a missing API, and are not remembered.
func TestIntegrationAPINotServed_otherErrorsAreNot(t *testing.T) {
	fake, c := newFakeAndClient(t, func(cfg *Config) { cfg.RetryMax = -1 })
	fake.Kit().AddRule(fakekit.Rule{PathPrefix: "/v2/integrations/salesforce", Sequence: []fakekit.Fault{fakekit.Fault503}})
	if _, err := c.GetIntegration(t.Context()); err == nil || IsIntegrationAPINotServed(err) {
		t.Fatalf("503: %v", err)
	}
	if _, err := c.GetIntegration(t.Context()); err != nil {
		t.Fatalf("after the 503: %v", err)
	}
}
