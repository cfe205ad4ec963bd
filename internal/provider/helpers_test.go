package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// Helpers shared by the provider's tests.

// testOption changes one of the provider's settings for one test.
type testOption func(*providerOptions)

// providerFactories serves a provider of its own to one test's terraform
// runs, with production's settings except the waits, which the fakes make
// needless: installs and the wait for the integration user are polled every
// few milliseconds (the fakes finish them in a fraction of a second),
// retries wait milliseconds (shortRetryWaits), and the CE client does not
// pace itself (unpacedCE). opts change them further. Nothing is global, so
// tests run in parallel.
func providerFactories(opts ...testOption) map[string]func() (tfprotov6.ProviderServer, error) {
	o := defaultOptions()
	o.packagePoll = sfapi.PollPolicy{Initial: 5 * time.Millisecond, Max: 40 * time.Millisecond}
	o.integrationPoll = integrationPollPolicy{Initial: 20 * time.Millisecond, Max: 100 * time.Millisecond}
	shortRetryWaits(&o)
	unpacedCE(&o)
	for _, opt := range opts {
		opt(&o)
	}
	p := newWithOptions("test", o)()
	return map[string]func() (tfprotov6.ProviderServer, error){
		// Served as main.go serves it (provider_serve.go), one provider
		// shared by the servers the test starts.
		"northpass": func() (tfprotov6.ProviderServer, error) { return releasingProtocol6(p), nil },
	}
}

// shortRetryWaits makes both clients wait milliseconds instead of seconds
// between retries: tests inject faults by the hundred. The clients' own
// defaults (1 s doubling to 30 s) are what production uses.
func shortRetryWaits(o *providerOptions) {
	o.retryWaitMin, o.retryWaitMax = 5*time.Millisecond, 50*time.Millisecond
}

// unpacedCE lifts the CE client's 10 requests per second. Every fake CE
// account in these tests is created with npfake.RateLimitOff (injected 429s
// stand in for the limit): the pacing is production's courtesy to CE, and
// here it is only time spent waiting.
func unpacedCE(o *providerOptions) { o.ceRequestsPerSecond = 10000 }

// pkgClock, once started, makes every wait between install polls move the
// fake's emulated clock on by step instead of sleeping, so a long install
// finishes after a few polls. Before that the waits are real.
type pkgClock struct {
	org  *fakeOrg
	step time.Duration
	on   atomic.Bool
}

func (c *pkgClock) start() { c.on.Store(true) }

func (c *pkgClock) option(o *providerOptions) {
	o.packagePoll.Sleep = func(ctx context.Context, d time.Duration) error {
		if !c.on.Load() {
			return httpkit.Sleep(ctx, d)
		}
		c.org.AdvanceClock(c.step)
		return ctx.Err()
	}
}

// testEnv is the environment one test's provider sees: its own variables
// over the process's. A test may change them between steps (PreConfig).
type testEnv struct {
	mu   sync.Mutex
	vars map[string]string
}

func newTestEnv(vars map[string]string) *testEnv {
	e := &testEnv{vars: map[string]string{}}
	for k, v := range vars {
		e.vars[k] = v
	}
	return e
}

func (e *testEnv) set(name, value string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.vars[name] = value
}

func (e *testEnv) getenv(name string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if v, ok := e.vars[name]; ok {
		return v
	}
	return os.Getenv(name)
}

// withEnv has the provider read its environment variables from env.
func withEnv(env *testEnv) testOption {
	return func(o *providerOptions) { o.getenv = env.getenv }
}

// withVars has the provider see these environment variables.
func withVars(vars map[string]string) testOption { return withEnv(newTestEnv(vars)) }

// noEnv is an empty environment, for unit tests of the provider's
// configuration.
func noEnv(string) string { return "" }

// ceProvider is a provider block with only the CE side configured.
func ceProvider(ce *npfake.Server) string {
	return fmt.Sprintf(`
provider "northpass" {
  api_key = %q
  api_url = %q
}
`, ce.APIKey(), ce.URL())
}

// ceAndSalesforceProvider configures both sides: CE, and a Salesforce org
// signed in to with JWT bearer as its administrator.
func ceAndSalesforceProvider(ce *npfake.Server, org *fakeOrg) string {
	return fmt.Sprintf(`
provider "northpass" {
  api_key = %q
  api_url = %q
  salesforce = {
%s
  }
}
`, ce.APIKey(), ce.URL(), org.jwtSettings(org.key))
}

// realOrg reports whether acceptance tests target a real org and CE account
// (NORTHPASS_ACC_TARGET=real, credentials in SALESFORCE_* / NORTHPASS_*)
// instead of the in-memory fakes. Tests that change the fake behind
// Terraform's back skip themselves then.
func realOrg() bool { return os.Getenv("NORTHPASS_ACC_TARGET") == "real" }

func skipOnRealOrg(t *testing.T) {
	t.Helper()
	if realOrg() {
		t.Skip("changes the org behind Terraform's back: runs against the fakes only")
	}
}

// The connected app's key pair is generated once per test binary: RSA key
// generation is the slowest part of a fake org otherwise.
var (
	keyOnce          sync.Once
	keyPEM, certPEM  string
	otherKeyPEM      string
	keyErr, otherErr error
)

func testKeys(t *testing.T) (key, cert, other string) {
	t.Helper()
	keyOnce.Do(func() {
		keyPEM, certPEM, keyErr = sffake.GenerateKeyPair()
		otherKeyPEM, _, otherErr = sffake.GenerateKeyPair()
	})
	if keyErr != nil || otherErr != nil {
		t.Fatalf("generating test keys: %v %v", keyErr, otherErr)
	}
	return keyPEM, certPEM, otherKeyPEM
}

// fakeOrg is a fake Salesforce org whose connected app trusts testKeys.
type fakeOrg struct {
	*sffake.Server
	key string
}

func newFakeOrg(t *testing.T, opts sffake.Options) *fakeOrg {
	t.Helper()
	key, cert, _ := testKeys(t)
	if opts.CertificatePEM == "" {
		opts.CertificatePEM = cert
	}
	return &fakeOrg{Server: sffake.NewTestServer(t, opts), key: key}
}

// jwtProvider is a provider block that signs in with the JWT bearer flow,
// with extra salesforce settings (`api_version = "64.0"`) when given.
func (o *fakeOrg) jwtProvider(extra ...string) string {
	return o.jwtProviderWithKey(o.key, extra...)
}

func (o *fakeOrg) jwtProviderWithKey(key string, extra ...string) string {
	return fmt.Sprintf(`
provider "northpass" {
  salesforce = {
%s
  }
}
`, o.jwtSettings(key, extra...))
}

// jwtSettings are the lines inside salesforce = { … } that sign in to the
// org as its administrator with the JWT bearer flow and key, then extra.
func (o *fakeOrg) jwtSettings(key string, extra ...string) string {
	lines := append([]string{
		fmt.Sprintf("login_url   = %q", o.URL()),
		fmt.Sprintf("client_id   = %q", sffake.DefaultConsumerKey),
		fmt.Sprintf("username    = %q", sffake.DefaultAdminUsername),
		fmt.Sprintf("private_key = %q", key),
	}, extra...)
	return "    " + strings.Join(lines, "\n    ")
}

// salesforceProvider is the provider block for tests that also run against a
// real org: there, credentials come from the environment.
func salesforceProvider(t *testing.T) string {
	t.Helper()
	if realOrg() {
		return `provider "northpass" {}`
	}
	return newFakeOrg(t, sffake.Options{}).jwtProvider()
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// errorLike builds a pattern from phrases that must appear in order.
// Terraform wraps diagnostics at ~80 columns, so a space in a phrase matches
// any run of whitespace, newlines included.
func errorLike(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

// Shared by the fault, concurrency, bad-input and secrets suites
// (TestAccSuite_*).

// writes returns the requests that could change something: every method but
// GET and HEAD. The OAuth token endpoint is left out (it mints a session, it
// changes nothing in the org).
func writes(log []fakekit.Recorded) []fakekit.Recorded {
	var out []fakekit.Recorded
	for _, r := range log {
		if r.Method == http.MethodGet || r.Method == http.MethodHead || strings.HasSuffix(r.Path, "/services/oauth2/token") {
			continue
		}
		out = append(out, r)
	}
	return out
}

// expectNoWrites fails when either fake saw a write since its log was
// last reset.
func expectNoWrites(org *fakeOrg, ce *npfake.Server) error {
	var all []fakekit.Recorded
	if org != nil {
		all = append(all, writes(org.Kit().Requests())...)
	}
	if ce != nil {
		all = append(all, writes(ce.Kit().Requests())...)
	}
	if len(all) > 0 {
		lines := make([]string, len(all))
		for i, r := range all {
			lines[i] = fmt.Sprintf("%s %s -> %d", r.Method, r.Path, r.Status)
		}
		return fmt.Errorf("%d write request(s) reached the fakes:\n  %s", len(all), strings.Join(lines, "\n  "))
	}
	return nil
}

// completeExample is examples/complete as one configuration: everything but
// versions.tf, whose required_providers names the registry address rather
// than the provider under test. No provider block: like the guide, the
// provider takes its credentials from the environment (completeEnv).
func completeExample(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, f := range []string{"variables.tf", "main.tf", "checks.tf", "outputs.tf"} {
		src, err := os.ReadFile(filepath.Join("..", "..", "examples", "complete", f))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("\n# ---- " + f + "\n")
		b.Write(src)
	}
	return b.String()
}

// completeEnv is what emulator.env sets for examples/complete (see
// internal/emulator/emulator.go): both APIs' URLs and credentials, the
// private key as a file.
func completeEnv(t *testing.T, org *fakeOrg, ce *npfake.Server) testOption {
	t.Helper()
	keyFile := filepath.Join(t.TempDir(), "salesforce.key")
	mustDo(t, os.WriteFile(keyFile, []byte(org.key), 0o600))
	return withVars(map[string]string{
		"SALESFORCE_INSTANCE_URL":     org.URL(),
		"SALESFORCE_LOGIN_URL":        org.URL(),
		"SALESFORCE_CLIENT_ID":        sffake.DefaultConsumerKey,
		"SALESFORCE_USERNAME":         sffake.DefaultAdminUsername,
		"SALESFORCE_PRIVATE_KEY_FILE": keyFile,
		"NORTHPASS_API_URL":           ce.URL(),
		"NORTHPASS_API_KEY":           ce.APIKey(),
	})
}

// completeVariables are the example's inputs as the emulator fills them.
func completeVariables(t *testing.T, org *fakeOrg) config.Variables {
	t.Helper()
	np, ok1 := org.CatalogVersion(sffake.NorthpassNamespace, "2.1")
	dc, ok2 := org.CatalogVersion(sffake.ConnectorNamespace, "1.0")
	if !ok1 || !ok2 {
		t.Fatal("the fake's catalog lacks Northpass 2.1 or the Data Connector 1.0")
	}
	return config.Variables{
		"northpass_version_id":      config.StringVariable(np.VersionID),
		"data_connector_version_id": config.StringVariable(dc.VersionID),
		"salesforce_instance_url":   config.StringVariable(org.URL()),
		"integration_username":      config.StringVariable(sffake.DefaultIntegrationUsername),
		"standard_users":            config.SetVariable(config.StringVariable(janeUsername), config.StringVariable(johnUsername)),
	}
}

// seedCELearning gives CE enrollments since the outage for learners who
// have Contacts in the fake org (and one who has none), none of them in
// Salesforce yet: the backfill has work to do.
func seedCELearning(ce *npfake.Server) []npfake.Enrollment {
	onboarding := ce.AddCourse("Product Onboarding")
	admin := ce.AddCourse("Admin Certification")
	jane := ce.AddPerson("jane.learner@example.com", "Jane", "Learner")
	sam := ce.AddPerson("sam.learner@example.com", "Sam", "Learner")
	nobody := ce.AddPerson("walk.in@example.org", "Walk", "In")
	start := outageDate.Add(3 * 24 * time.Hour)
	return []npfake.Enrollment{
		ce.AddEnrollment(onboarding.ID, jane.ID, 100, start),
		ce.AddEnrollment(onboarding.ID, sam.ID, 40, start.Add(24*time.Hour)),
		ce.AddEnrollment(admin.ID, jane.ID, 10, start.Add(30*24*time.Hour)),
		ce.AddEnrollment(admin.ID, nobody.ID, 0, start.Add(40*24*time.Hour)),
	}
}

// withParallelism makes this test's terraform runs use -parallelism=n.
// TF_CLI_ARGS_apply cannot do it: terraform-exec always passes
// -parallelism=10 on the command line, after what TF_CLI_ARGS_* inserts,
// and the last flag wins. So the test runs terraform through a wrapper
// that rewrites that flag (plugin-testing reads TF_ACC_TERRAFORM_PATH for
// every resource.Test).
func withParallelism(t *testing.T, n int) {
	t.Helper()
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		var err error
		if tf, err = exec.LookPath("terraform"); err != nil {
			t.Skipf("no terraform binary to wrap: %v", err)
		}
	}
	wrapper := filepath.Join(t.TempDir(), "terraform")
	script := fmt.Sprintf(`#!/bin/sh
for a in "$@"; do
  shift
  case "$a" in
    -parallelism=*) set -- "$@" "-parallelism=%d" ;;
    *) set -- "$@" "$a" ;;
  esac
done
exec %q "$@"
`, n, tf)
	mustDo(t, os.WriteFile(wrapper, []byte(script), 0o700))
	t.Setenv("TF_ACC_TERRAFORM_PATH", wrapper)
}

// casePreConfig is the PreConfig of step i of a table test run as one
// TestCase with a step per case (n cases): a TestCase per case would cost
// two or three terraform commands more each (DESIGN.md, Tests). It runs check on the case before,
// whose step is done, names case i in the log (step N is case N in the
// framework's failures) and calls reset, when given, to prepare case i.
// The caller checks the last case once the TestCase returns.
func casePreConfig(t *testing.T, i, n int, name string, check func(int), reset func()) func() {
	return func() {
		if i > 0 && check != nil {
			check(i - 1)
		}
		t.Logf("case %d/%d: %s", i+1, n, name)
		if reset != nil {
			reset()
		}
	}
}
