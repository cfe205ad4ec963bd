package npapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
)

func TestParseAPIError(t *testing.T) {
	id := func(s string) string { return s }
	e := parseAPIError("GET", "/v2/x", 409, []byte(`{"errors":[{"status":409,"code":"integration_enabled","title":"Conflict","detail":"Disable first"},{"status":"422","title":"Bad","source":{"pointer":"/data/attributes/sandbox"}}]}`), id)
	if len(e.Errors) != 2 || e.Errors[0].Status != "409" || e.Errors[0].Code != "integration_enabled" || e.Errors[1].Pointer != "/data/attributes/sandbox" {
		t.Fatalf("%+v", e)
	}
	if ErrorCode(e) != "integration_enabled" || !statusIs(fmt.Errorf("wrapped: %w", e), http.StatusConflict) || IsNotFound(e) {
		t.Fatal("helpers")
	}

	html := parseAPIError("GET", "/v2/x", 502, []byte("<html><body>Bad gateway</body></html>"), id)
	if html.Errors[0].Status != "502" || html.Errors[0].Title != "Bad Gateway" || strings.Contains(html.Error(), "<html>") {
		t.Fatalf("HTML fallback %+v / %s", html, html)
	}
	text := parseAPIError("GET", "/v2/x", 500, []byte(strings.Repeat("oops ", 100)), id)
	if d := text.Errors[0].Detail; !strings.HasPrefix(d, "oops oops") || len(d) > 210 {
		t.Fatalf("text fallback %q", d)
	}
	empty := parseAPIError("DELETE", "/v2/x", 404, nil, id)
	if !IsNotFound(empty) || empty.Error() != "CE API DELETE /v2/x returned 404 Not Found: Not Found" {
		t.Fatalf("empty body: %q", empty.Error())
	}
	if ErrorCode(errors.New("plain")) != "" || IsNotFound(nil) {
		t.Fatal("non-API errors")
	}
}

// The API key must not appear in any error, whatever went wrong.
func TestAPIKeyNeverInErrors(t *testing.T) {
	const key = "np-live-SECRETKEY-1234567890"
	fake := npfake.NewTestServer(t, npfake.Options{APIKey: "a-different-key", RateLimit: npfake.RateLimitOff})
	logger := &recordingLogger{}
	cfg := fastConfig(fake.URL(), key)
	cfg.Logger = logger
	c, _ := New(cfg)
	ctx := t.Context()

	var errs []error
	_, err := c.ListCourses(ctx)
	if !statusIs(err, http.StatusUnauthorized) {
		t.Fatalf("wrong key: %v", err)
	}
	errs = append(errs, err)

	// A proxy that echoes request headers into its error body.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		_, _ = fmt.Fprintf(w, `{"errors":[{"status":"400","title":"Bad key %s","detail":"X-Api-Key: %s","code":"%s"}]}`,
			r.Header.Get("X-Api-Key"), r.Header.Get("X-Api-Key"), r.Header.Get("X-Api-Key"))
	}))
	t.Cleanup(echo.Close)
	textEcho := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(502)
		_, _ = fmt.Fprintf(w, "upstream said: key=%s", r.Header.Get("X-Api-Key"))
	}))
	t.Cleanup(textEcho.Close)
	for _, u := range []string{echo.URL, textEcho.URL} {
		cfg := fastConfig(u, key)
		cfg.Logger = logger
		ec, _ := New(cfg)
		_, err := ec.GetPerson(ctx, "x")
		if err == nil {
			t.Fatal("no error from the echoing server")
		}
		errs = append(errs, err)
	}

	// Connection refused, a foreign redirect, a foreign next link.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	cfg = fastConfig(dead.URL, key)
	cfg.RetryMax = 1
	dc, _ := New(cfg)
	_, err = dc.GetIntegration(ctx)
	errs = append(errs, err)

	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://evil.example.com/steal", http.StatusFound)
	}))
	t.Cleanup(redirect.Close)
	rc, _ := New(fastConfig(redirect.URL, key))
	_, err = rc.GetIntegration(ctx)
	if err == nil || !strings.Contains(err.Error(), "refusing redirect") {
		t.Fatalf("foreign redirect followed: %v", err)
	}
	errs = append(errs, err)

	for i, err := range errs {
		if err == nil {
			t.Fatalf("case %d: no error", i)
		}
		if strings.Contains(err.Error(), key) || strings.Contains(fmt.Sprintf("%+v", err), key) {
			t.Fatalf("case %d: key in error: %v", i, err)
		}
	}
	if strings.Contains(logger.text(), key) {
		t.Fatalf("key in logs:\n%s", logger.text())
	}
}

// Only BaseURL's origin receives the key, even on a same-host redirect.
func TestKeyOnlySentToBaseOrigin(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Path+"="+r.Header.Get("X-Api-Key")+";"+r.Header.Get("Accept"))
		if r.URL.Path == "/v2/integrations/salesforce" {
			http.Redirect(w, r, "/moved", http.StatusTemporaryRedirect)
			return
		}
		_, _ = fmt.Fprint(w, `{"data":{"type":"salesforce_integrations","id":"1","attributes":{"status":"connected"}}}`)
	}))
	t.Cleanup(srv.Close)
	c, _ := New(fastConfig(srv.URL, "k1"))
	s, err := c.GetIntegration(t.Context())
	if err != nil || s.Status != StatusConnected {
		t.Fatalf("%+v %v", s, err)
	}
	if len(got) != 2 || got[0] != "/v2/integrations/salesforce=k1;application/json" || got[1] != "/moved=k1;application/json" {
		t.Fatalf("requests %v", got)
	}
}
