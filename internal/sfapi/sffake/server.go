// Package sffake is an in-memory Salesforce org over HTTP, for the provider's
// acceptance tests (httptest) and for the standalone emulator.
//
// It speaks the wire format on its own, from the reference notes, and never
// imports the provider's Salesforce client: a misunderstanding on either side
// then shows up as a failing test instead of being shared by both.
//
// What it serves:
//
//	POST /services/oauth2/token          JWT bearer, client credentials, refresh token (optional rotation)
//	GET  /services/oauth2/userinfo, /id/{org}/{user}, POST /services/oauth2/revoke
//	GET  /services/data/                 API versions (no auth, not billable)
//	     /services/data/vXX.X/limits     DailyApiRequests and friends
//	     …/query, …/tooling/query        SOQL (package soql) with nextRecordsUrl paging
//	     …/sobjects[/{type}[/{id}|/describe|/{extIdField}/{value}]]   REST and Tooling
//	     …/composite/sobjects[/{type}[/{extIdField}]]                 sObject Collections
//
// and, outside the kit (never faulted, never counted), an admin interface:
//
//	GET  /__admin/packages                 installed, catalog, install_requests
//	POST /__admin/packages/install         {"namespace":"northpass","version":"2.1"} or {"version_id":"04t…"}
//	POST /__admin/packages/uninstall       {"namespace":"gsnpdc"}
//	POST /__admin/sessions/expire
//	POST /__admin/tokens                   {"username":"…","kind":"access"|"refresh"} → {"token":"…"}
//	GET|POST /__admin/records/{sobject}    GET|PATCH|DELETE /__admin/records/{sobject}/{id}
//	GET  /__admin/clock, POST /__admin/clock/advance {"duration":"10m"}
//	GET|POST /__admin/settings             {"assignment_expiration_dates": true}
//	/__admin/requests, /__admin/counters, /__admin/faults, /__admin/latency (fakekit)
//
// Every API request goes through a fakekit.Kit (counters named without the
// API version, e.g. "GET tooling/query", "POST composite/sobjects",
// "GET sobjects/User/{id}", "GET query/{locator}"; billable = every
// /services/data/vXX.X/ call). Request bodies are logged with secrets
// (client secret, assertion, tokens, installation key) blanked.
//
// Time: package installs and uninstalls follow the emulated clock
// (Options.Clock plus AdvanceClock). JWT exp is checked against the wall
// clock, because the client mints it from its own.
package sffake

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
)

// Defaults the emulator and tests share. The provider never uses the package
// names: it finds them at run time by label, as it must on a real org.
const (
	DefaultConsumerKey         = "3MVG9emulator.consumer.key"
	DefaultConsumerSecret      = "emulator-consumer-secret"
	DefaultAdminUsername       = "admin@acme.example"
	DefaultIntegrationUsername = "integration@acme.example"
	NorthpassNamespace         = "northpass"
	ConnectorNamespace         = "gsnpdc"
	// KeyProtectedNamespace is the test package whose version needs an
	// installation key (KeyProtectedInstallationKey).
	KeyProtectedNamespace       = "kptest"
	KeyProtectedInstallationKey = "open-sesame"
)

// Options configure a Server. The zero value is a usable org.
type Options struct {
	// APIVersions served by GET /services/data/; default 62.0 … 66.0.
	APIVersions []string
	// PageSize is the query batch size; default and at most 2000, as in a
	// real org ("The default and the maximum for query result batch size is
	// 2,000 records", Change the Batch Size in Queries, SOQL and SOSL
	// Reference). Tests set it small to force nextRecordsUrl paging.
	PageSize int
	// ConsumerKey and ConsumerSecret identify the connected app.
	ConsumerKey    string
	ConsumerSecret string
	// CertificatePEM is the connected app's certificate; JWT bearer
	// assertions are verified against it. Empty: every JWT is rejected.
	CertificatePEM string
	// Audiences, when set, are the only accepted JWT aud values (an
	// Experience Cloud site URL, say). Default: https://login.salesforce.com,
	// or https://test.salesforce.com when Sandbox is set, whichever host
	// the token request reaches (see checkAudience).
	Audiences []string
	// Sandbox makes the org a sandbox: Organization.IsSandbox is true and
	// the JWT audience is https://test.salesforce.com.
	Sandbox bool
	// ExternalClientApp makes the app an External Client App that accepts
	// only the org's My Domain URL (the server's base URL) as JWT audience.
	ExternalClientApp bool
	// AssignmentExpirationDates is the User Management Settings switch
	// "Permission Set & Permission Set Group Assignments with Expiration
	// Dates". Off, as on an org where no admin turned it on; the emulator
	// turns it on, as the guide's "with expiration" step needs.
	// SetAssignmentExpirationDates and POST /__admin/settings change it.
	AssignmentExpirationDates bool
	// RotateRefreshTokens makes the refresh grant return a new refresh
	// token and invalidate the old one.
	RotateRefreshTokens bool
	// RunAsUsername is the client credentials flow's run-as user; default
	// DefaultAdminUsername.
	RunAsUsername string
	// ExtraUsers seeds this many more active Standard Users,
	// user0001@acme.example and so on (scale tests).
	ExtraUsers int
	// InstallDuration is the emulated time a PackageInstallRequest takes;
	// default 30s. Uninstall requests take a third of it.
	InstallDuration time.Duration
	// Clock is the emulated clock; default time.Now. AdvanceClock adds to it.
	Clock func() time.Time
	// Enrollment shapes the Northpass Enrollment object (field types, how
	// records are keyed) and seeds records CE synced before.
	Enrollment EnrollmentOptions
}

// Server is one emulated org. It is safe for concurrent use.
type Server struct {
	opts Options
	kit  *fakekit.Kit
	// enrollmentObj is this org's Enrollment object when Options.Enrollment
	// changes it; nil means the schema's.
	enrollmentObj *objectDef

	mu          sync.Mutex
	baseURL     string
	clockOffset time.Duration
	idSeq       uint64
	st          store

	orgID    string
	adminID  string
	profiles map[string]string // profile name → id

	// auth
	accessTokens  map[string]string // token → user id
	refreshTokens map[string]string // token → user id
	issued        []string          // every token ever issued (IssuedTokens)
	apiUsage      int

	settings orgSettings

	// packages
	catalog     []catalogEntry
	installed   map[string]string // namespace → installed 04t id
	installs    []*installJob
	uninstalls  []*uninstallJob
	cursors     map[string]*cursor
	cursorOrder []string
	// keyProbe is the InstallationKey literal of the query being evaluated
	// (see installationKeyFilter).
	keyProbe any

	handler http.Handler
	httpSrv *http.Server
	testSrv *httptest.Server
}

// New returns a seeded org. Its URL is http://localhost until Start,
// NewTestServer or SetBaseURL says otherwise.
func New(opts Options) *Server {
	if len(opts.APIVersions) == 0 {
		opts.APIVersions = []string{"62.0", "63.0", "64.0", "65.0", "66.0"}
	}
	if opts.PageSize <= 0 || opts.PageSize > 2000 {
		opts.PageSize = 2000
	}
	if opts.ConsumerKey == "" {
		opts.ConsumerKey = DefaultConsumerKey
	}
	if opts.ConsumerSecret == "" {
		opts.ConsumerSecret = DefaultConsumerSecret
	}
	if opts.RunAsUsername == "" {
		opts.RunAsUsername = DefaultAdminUsername
	}
	if opts.InstallDuration <= 0 {
		opts.InstallDuration = 30 * time.Second
	}
	s := &Server{
		opts:          opts,
		kit:           fakekit.New(),
		baseURL:       "http://localhost",
		st:            store{tables: map[string]*table{}},
		profiles:      map[string]string{},
		accessTokens:  map[string]string{},
		refreshTokens: map[string]string{},
		installed:     map[string]string{},
		cursors:       map[string]*cursor{},
	}
	// Bodies are kept for tests that assert on what was sent; the redact
	// step in front of the kit blanks secrets before it sees them.
	s.kit.KeepBodies = true
	if obj := enrollmentObject(opts.Enrollment); obj != schema.object(objEnrollment) {
		s.enrollmentObj = obj
	}
	s.mu.Lock()
	s.seed()
	if opts.Sandbox {
		s.markSandbox()
	}
	s.settings.assignmentExpirationDates = opts.AssignmentExpirationDates
	s.mu.Unlock()
	s.handler = s.buildHandler()
	return s
}

// NewTestServer starts a seeded org on an httptest server that closes with
// the test.
func NewTestServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s := New(opts)
	s.testSrv = httptest.NewServer(s.handler)
	s.SetBaseURL(s.testSrv.URL)
	t.Cleanup(s.Close)
	return s
}

// Start serves on addr (e.g. "127.0.0.1:8081") until Close; the base URL
// becomes http://<listener address> unless SetBaseURL was called after.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.SetBaseURL("http://" + ln.Addr().String())
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	s.httpSrv = srv
	s.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the emulator notices through failing requests
		}
	}()
	return nil
}

// Close stops whichever listener Start or NewTestServer opened.
func (s *Server) Close() {
	s.mu.Lock()
	srv, ts := s.httpSrv, s.testSrv
	s.httpSrv, s.testSrv = nil, nil
	s.mu.Unlock()
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	if ts != nil {
		ts.Close()
	}
}

// SetBaseURL tells the fake where clients reach it: instance_url, identity
// URLs and an External Client App's JWT audience derive from it. Needed when the Handler
// is mounted by someone else (a proxy, another httptest server).
func (s *Server) SetBaseURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.baseURL = strings.TrimRight(u, "/")
}

// URL is the base URL (the instance URL and the login host).
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.baseURL
}

// Handler serves the whole fake: API, OAuth and /__admin/.
func (s *Server) Handler() http.Handler { return s.handler }

// Kit exposes counters, the request log and fault rules.
func (s *Server) Kit() *fakekit.Kit { return s.kit }

// now is the emulated clock. Callers hold s.mu.
func (s *Server) now() time.Time {
	base := time.Now()
	if s.opts.Clock != nil {
		base = s.opts.Clock()
	}
	return base.Add(s.clockOffset)
}

// AdvanceClock moves the emulated clock forward (on top of Options.Clock when
// one is set). Package installs that become due complete.
func (s *Server) AdvanceClock(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clockOffset += d
	s.settle()
}

// Now returns the emulated time.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}
