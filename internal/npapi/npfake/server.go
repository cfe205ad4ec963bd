package npfake

import (
	"crypto/subtle"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
)

const (
	// DefaultAPIKey is the key the fake accepts when Options.APIKey is empty.
	DefaultAPIKey = "np-emulator-key"
	// DefaultRateLimit is CE's documented 10 requests per second.
	DefaultRateLimit = 10
	// RateLimitOff disables the server-side limit (for tests that hammer).
	RateLimitOff = -1
	// DefaultMaxPageSize is the largest limit honoured; larger ones are
	// clamped. CE does not publish its maximum; clients in the wild send 100.
	DefaultMaxPageSize = 100
	// DefaultPageSize is used when a request sends no limit. CE does
	// not publish it either; 25 is below what clients send, so a client that
	// forgets limit shows up as extra pages in the request log.
	DefaultPageSize = 25

	loginPath = "/fake-salesforce/services/oauth2/authorize"
)

// Options configure a fake account. Zero values mean "the default".
type Options struct {
	APIKey          string // default DefaultAPIKey
	RateLimit       int    // requests per second before 429; 0 means DefaultRateLimit, RateLimitOff (negative) disables
	MaxPageSize     int    // default DefaultMaxPageSize; larger limits are clamped
	DefaultPageSize int    // default DefaultPageSize
	AccountID       string // the integration settings' id; default a random uuid
	// LoginBaseURL is the base of authorize_url. Default: this server's own
	// fake Salesforce login page, …/fake-salesforce/services/oauth2/authorize.
	LoginBaseURL string
	// WithoutIntegrationAPI plays an account that does not serve the
	// integration-settings API (ce-integration-contract.md is the provider's
	// contract, not public CE API): its routes answer like any unrouted path.
	// SetIntegrationAPIServed changes it later.
	WithoutIntegrationAPI bool
}

// Server is the fake CE account. It is safe for concurrent use.
type Server struct {
	opts    Options
	kit     *fakekit.Kit
	api     *http.ServeMux
	handler http.Handler
	limiter *windowLimiter
	ts      *httptest.Server
	url     string

	mu          sync.Mutex
	courses     []Course
	people      []Person
	enrollments []Enrollment
	integ       IntegrationState
	pending     *pendingAuth
	autoUser    string
	autoAfter   time.Duration
	timers      []*time.Timer
	closed      bool
	noIntegAPI  bool
}

// New builds a fake account; serve it with Handler (or as an http.Handler).
func New(opts Options) *Server {
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.RateLimit == 0 {
		opts.RateLimit = DefaultRateLimit
	}
	if opts.MaxPageSize <= 0 {
		opts.MaxPageSize = DefaultMaxPageSize
	}
	if opts.DefaultPageSize <= 0 {
		opts.DefaultPageSize = DefaultPageSize
	}
	opts.DefaultPageSize = min(opts.DefaultPageSize, opts.MaxPageSize)
	if opts.AccountID == "" {
		opts.AccountID = newUUID()
	}
	s := &Server{opts: opts, kit: fakekit.New(), limiter: &windowLimiter{limit: opts.RateLimit},
		noIntegAPI: opts.WithoutIntegrationAPI}
	// Bodies here carry no secrets (the key is a header); tests assert on them.
	s.kit.KeepBodies = true
	s.integ = IntegrationState{ID: opts.AccountID, Status: StatusNotConfigured,
		StatusMessage: defaultMessage(StatusNotConfigured), UpdatedAt: now()}
	s.api = s.apiMux()

	root := http.NewServeMux()
	root.Handle("/v2/", http.HandlerFunc(s.serveV2))
	root.Handle("/__admin/", s.adminMux())
	root.HandleFunc("GET "+loginPath, s.loginPage)
	root.HandleFunc("POST "+loginPath, s.loginSubmit)
	root.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "", "The requested resource does not exist", "")
	})
	s.handler = s.kit.Wrap(root, s.classify, renderFault)
	return s
}

// NewTestServer starts the fake on a loopback httptest server that closes
// when the test ends.
func NewTestServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s := New(opts)
	s.ts = httptest.NewServer(s.handler)
	s.url = s.ts.URL
	t.Cleanup(s.Close)
	return s
}

// URL is the test server's base URL ("" for a Server from New, whose caller
// owns the listener).
func (s *Server) URL() string { return s.url }

// APIKey is the key the fake accepts.
func (s *Server) APIKey() string { return s.opts.APIKey }

// Kit gives tests the request log, counters and fault rules.
func (s *Server) Kit() *fakekit.Kit { return s.kit }

// Handler serves the whole fake: /v2, the fake login page and /__admin.
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Close stops auto-approval timers and the test server, if any.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for _, t := range s.timers {
		t.Stop()
	}
	s.timers = nil
	s.mu.Unlock()
	if s.ts != nil {
		s.ts.Close()
	}
}

// classify names endpoints by their route pattern ("GET /v2/courses/{id}"),
// so counters do not grow with ids. Every /v2 call is billable against the
// account's API limits; the login page is Salesforce's, not CE's.
func (s *Server) classify(r *http.Request) (string, bool) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/v2/"):
		if _, pattern := s.api.Handler(r); pattern != "" && pattern != "/v2/" {
			return pattern, true
		}
		return r.Method + " " + r.URL.Path, true
	case strings.HasPrefix(r.URL.Path, "/fake-salesforce/"):
		return r.Method + " " + r.URL.Path, false
	}
	return "", false
}

// serveV2 applies what CE applies before routing: the rate limit (counted
// per account, before authentication, like a Rack-level throttle) and the
// API key.
func (s *Server) serveV2(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", newUUID())
	if !s.limiter.allow(time.Now()) {
		writeError(w, http.StatusTooManyRequests, "", "Rate limit exceeded: at most "+itoa(s.opts.RateLimit)+" requests per second", "")
		return
	}
	key := r.Header.Get("X-Api-Key")
	if subtle.ConstantTimeCompare([]byte(key), []byte(s.opts.APIKey)) != 1 {
		writeUnauthorized(w)
		return
	}
	if strings.HasPrefix(r.URL.Path, integrationRoutePrefix) && !s.IntegrationAPIServed() {
		writeNotRouted(w, r)
		return
	}
	s.api.ServeHTTP(w, r)
}

func (s *Server) apiMux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("GET /v2/courses", s.listCourses)
	m.HandleFunc("GET /v2/courses/{id}", s.getCourse)
	m.HandleFunc("GET /v2/courses/{id}/enrollments", s.listCourseEnrollments)
	m.HandleFunc("GET /v2/people", s.listPeople)
	m.HandleFunc("GET /v2/people/{id}", s.getPerson)
	m.HandleFunc("GET /v2/integrations/salesforce", s.getIntegration)
	m.HandleFunc("PATCH /v2/integrations/salesforce", s.patchIntegration)
	m.HandleFunc("POST /v2/integrations/salesforce/authorizations", s.postAuthorization)
	m.HandleFunc("DELETE /v2/integrations/salesforce/authorization", s.deleteAuthorization)
	// Like Rails, an unrouted method or path is a 404 in the API's format.
	m.HandleFunc("/v2/", writeNotRouted)
	return m
}

func writeNotRouted(w http.ResponseWriter, _ *http.Request) {
	writeError(w, http.StatusNotFound, "", "The requested resource does not exist", "")
}

// baseURL is how clients reach this server, for absolute links.
func (s *Server) baseURL(r *http.Request) string {
	if s.url != "" {
		return s.url
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// now is second-precision UTC, as CE's timestamps are on the wire.
func now() time.Time { return time.Now().UTC().Truncate(time.Second) }
