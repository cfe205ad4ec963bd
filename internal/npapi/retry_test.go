package npapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
)

func TestRetriedGET(t *testing.T) {
	for _, faults := range [][]fakekit.Fault{
		{fakekit.Fault503, fakekit.Fault503},
		{fakekit.Fault429, fakekit.FaultRequestLimit},
		{fakekit.FaultConnectionReset},
	} {
		fake, c := newFakeAndClient(t)
		fake.AddCourse("C")
		fake.Kit().AddRule(fakekit.Rule{Method: "GET", PathPrefix: "/v2/courses", Sequence: faults})
		got, err := c.ListCourses(t.Context())
		if err != nil || len(got) != 1 {
			t.Fatalf("%v: %v %v", faults, got, err)
		}
		if n := fake.Kit().Count("GET /v2/courses"); n != len(faults)+1 {
			t.Fatalf("%v: %d requests, want %d", faults, n, len(faults)+1)
		}
	}
}

func TestPOSTNotRetriedOn503OrReset(t *testing.T) {
	for _, f := range []fakekit.Fault{fakekit.Fault503, fakekit.FaultConnectionReset} {
		fake, c := newFakeAndClient(t)
		_, _ = c.UpdateIntegration(t.Context(), IntegrationUpdate{InstanceURL: ptr("https://acme.my.salesforce.com")})
		fake.Kit().AddRule(fakekit.Rule{Method: "POST", Sequence: []fakekit.Fault{f}})
		_, err := c.RequestAuthorization(t.Context())
		if err == nil {
			t.Fatalf("%s: no error", f)
		}
		var apiErr *APIError
		if f == fakekit.Fault503 && (!errors.As(err, &apiErr) || apiErr.Status != 503) {
			t.Fatalf("503 not an APIError: %v", err)
		}
		if n := fake.Kit().Count("POST /v2/integrations/salesforce/authorizations"); n != 1 {
			t.Fatalf("%s: POST sent %d times, want exactly 1", f, n)
		}
		if fake.Integration().PendingAuthorizationID != "" {
			t.Fatalf("%s: the faulted POST reached the handler", f)
		}
	}
}

func TestPOSTRetriedOn429(t *testing.T) {
	fake, c := newFakeAndClient(t)
	_, _ = c.UpdateIntegration(t.Context(), IntegrationUpdate{InstanceURL: ptr("https://acme.my.salesforce.com")})
	fake.Kit().AddRule(fakekit.Rule{Method: "POST", Sequence: []fakekit.Fault{fakekit.Fault429}})
	a, err := c.RequestAuthorization(t.Context())
	if err != nil || a.AuthorizeURL == "" {
		t.Fatalf("%+v %v", a, err)
	}
	if n := fake.Kit().Count("POST /v2/integrations/salesforce/authorizations"); n != 2 {
		t.Fatalf("%d POSTs, want 2", n)
	}
}

func TestPATCHRetriedOnReset(t *testing.T) {
	fake, c := newFakeAndClient(t)
	fake.Kit().AddRule(fakekit.Rule{Method: "PATCH", Sequence: []fakekit.Fault{fakekit.FaultConnectionReset, fakekit.Fault503}})
	s, err := c.UpdateIntegration(t.Context(), IntegrationUpdate{Enabled: ptr(true)})
	if err != nil || !s.Enabled {
		t.Fatalf("%+v %v", s, err)
	}
	if n := fake.Kit().Count("PATCH /v2/integrations/salesforce"); n != 3 {
		t.Fatalf("%d PATCHes, want 3", n)
	}
}

func TestRetriesRunOut(t *testing.T) {
	fake, c := newFakeAndClient(t, func(cfg *Config) { cfg.RetryMax = 2 })
	fake.Kit().AddRule(fakekit.Rule{Rate: 1, Kinds: []fakekit.Fault{fakekit.Fault503}})
	_, err := c.ListCourses(t.Context())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 503 || apiErr.Errors[0].Detail == "" {
		t.Fatalf("final 503 not surfaced as an APIError: %v", err)
	}
	if n := fake.Kit().Count("GET /v2/courses"); n != 3 {
		t.Fatalf("%d requests, want 3 (1 + RetryMax)", n)
	}
	if !strings.Contains(err.Error(), "GET /v2/courses") || !strings.Contains(err.Error(), "503") {
		t.Fatalf("message: %v", err)
	}
}

func TestContextEndsBackoff(t *testing.T) {
	fake, c := newFakeAndClient(t, func(cfg *Config) { cfg.RetryWaitMin, cfg.RetryWaitMax = time.Minute, time.Minute })
	fake.Kit().AddRule(fakekit.Rule{Rate: 1, Kinds: []fakekit.Fault{fakekit.Fault503}})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := c.ListCourses(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the context's error, got %v", err)
	}
	if n := fake.Kit().Count("GET /v2/courses"); n != 1 {
		t.Fatalf("%d requests", n)
	}
}

// The client waits as long as a 429's Retry-After asks (up to RetryWaitMax,
// which caps every wait: httpkit.Policy.Backoff). The wait before the retry
// comes from Retry-After, not from RetryWaitMin (1 ms here). The client's own
// Backoff is wrapped to record its decision and the sleep skipped, so
// nothing here depends on the clock. The retry decisions themselves are
// tested in httpkit (TestDecide, TestBackoff).
func TestRetryAfterHonoured(t *testing.T) {
	var calls int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			return
		}
		_, _ = w.Write([]byte(`{"data":[],"links":{}}`))
	}))
	t.Cleanup(srv.Close)
	cfg := fastConfig(srv.URL, "k")
	cfg.RetryWaitMax = 5 * time.Second
	c, _ := New(cfg)
	var waits []time.Duration
	decide := c.http.Backoff
	c.http.Backoff = func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
		waits = append(waits, decide(lo, hi, attempt, resp))
		return 0
	}
	if _, err := c.ListCourses(t.Context()); err != nil {
		t.Fatal(err)
	}
	if calls != 2 || len(waits) != 1 {
		t.Fatalf("%d requests and %d backoff decisions, want 2 and 1", calls, len(waits))
	}
	if waits[0] < time.Second {
		t.Fatalf("backoff after Retry-After: 1 was %v", waits[0])
	}
}
