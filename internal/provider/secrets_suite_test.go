package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// Distinctive secrets: none of them can turn up in a log by accident.
const (
	suiteAPIKey          = "npk_SUITE_ce_api_key_4b1d9e"
	suiteWrongAPIKey     = "npk_SUITE_wrong_api_key_77c0a2"
	suiteClientSecret    = "cs_SUITE_client_secret_5e8f31"
	suiteWrongSecret     = "cs_SUITE_wrong_secret_0d9b44"
	suiteWrongRefresh    = "5Aep861SUITE_wrong_refresh_token_c3f1"
	suiteWrongAccess     = "00Dak0000000001!SUITE_wrong_access_token_9a7e"
	suiteWrongInstallKey = "ik_SUITE_wrong_installation_key_61e2"
)

// secretsWorld is a fake org and CE account whose secrets are all known.
type secretsWorld struct {
	org *fakeOrg
	ce  *npfake.Server
	// issued before the test: the configured refresh and access tokens.
	refresh, access string
}

func newSecretsWorld(t *testing.T) *secretsWorld {
	t.Helper()
	w := &secretsWorld{
		org: newFakeOrg(t, sffake.Options{ConsumerSecret: suiteClientSecret, InstallDuration: pkgQuickInstall}),
		ce:  npfake.NewTestServer(t, npfake.Options{APIKey: suiteAPIKey, RateLimit: npfake.RateLimitOff}),
	}
	w.ce.SetAutoApprove(sffake.DefaultIntegrationUsername, 50*time.Millisecond)
	w.refresh = w.org.IssueRefreshToken(sffake.DefaultAdminUsername)
	w.access = w.org.IssueAccessToken(sffake.DefaultAdminUsername)
	return w
}

// secrets lists every secret value, with a name for messages. The private
// keys count line by line: a PEM that leaks is rarely whole.
func (w *secretsWorld) secrets(t *testing.T) map[string]string {
	_, _, other := testKeys(t)
	out := map[string]string{
		"CE API key": suiteAPIKey, "wrong CE API key": suiteWrongAPIKey,
		"client secret": suiteClientSecret, "wrong client secret": suiteWrongSecret,
		"configured refresh token": w.refresh, "wrong refresh token": suiteWrongRefresh,
		"configured access token": w.access, "wrong access token": suiteWrongAccess,
		"installation key": sffake.KeyProtectedInstallationKey, "wrong installation key": suiteWrongInstallKey,
	}
	for name, pem := range map[string]string{"private key": w.org.key, "other private key": other} {
		for i, line := range strings.Split(pem, "\n") {
			if len(line) >= 40 && !strings.HasPrefix(line, "-----") {
				out[fmt.Sprintf("%s, line %d", name, i+1)] = line
			}
		}
	}
	for i, tok := range w.org.IssuedTokens() {
		out[fmt.Sprintf("token %d issued by the org", i+1)] = tok
	}
	return out
}

// leaks returns the names of the secrets found in text.
func (w *secretsWorld) leaks(t *testing.T, text string) []string {
	var found []string
	for name, v := range w.secrets(t) {
		if v != "" && strings.Contains(text, v) {
			found = append(found, name)
		}
	}
	return found
}

// noSecretsInState scans every attribute and output of the state, and the
// fakes' request logs (bodies included).
func (w *secretsWorld) noSecretsInState(t *testing.T) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		var b strings.Builder
		for _, m := range s.Modules {
			for addr, r := range m.Resources {
				b.WriteString(addr + "\n")
				if r.Primary != nil {
					for k, v := range r.Primary.Attributes {
						b.WriteString(k + "=" + v + "\n")
					}
				}
			}
			for k, o := range m.Outputs {
				fmt.Fprintf(&b, "%s=%v\n", k, o.Value)
			}
		}
		if found := w.leaks(t, b.String()); len(found) > 0 {
			return fmt.Errorf("the state holds secrets: %v", found)
		}
		for _, kit := range []*fakekit.Kit{w.org.Kit(), w.ce.Kit()} {
			for _, r := range kit.Requests() {
				if found := w.leaks(t, r.Path+"?"+r.RawQuery+" "+r.Body); len(found) > 0 {
					return fmt.Errorf("a request logged by a fake (%s %s) holds secrets: %v", r.Method, r.Path, found)
				}
			}
		}
		return nil
	}
}

// secretsConfig is what every auth method applies: look-ups, an
// assignment and the integration (CE side); extra is added as is.
func (w *secretsWorld) secretsConfig(salesforce, apiKey, extra string) string {
	return fmt.Sprintf(`
provider "northpass" {
  api_key = %q
  api_url = %q
  salesforce = {
%s
  }
}

data "northpass_salesforce_permission_set" "standard_user" {
  label = %q
}

data "northpass_salesforce_user" "jane" {
  username = %q
}

resource "northpass_salesforce_permission_set_assignment" "jane" {
  permission_set_id = data.northpass_salesforce_permission_set.standard_user.id
  assignee_id       = data.northpass_salesforce_user.jane.id
}

resource "northpass_salesforce_integration" "this" {
  instance_url      = "https://acme.my.salesforce.com"
  expected_username = %q
}
%s`, apiKey, w.ce.URL(), salesforce, nsuLabel, janeUsername, sffake.DefaultIntegrationUsername, extra)
}

func kptestPackage(versionID, key string) string {
	return fmt.Sprintf(`
resource "northpass_salesforce_package" "protected" {
  version_id                  = %q
  installation_key            = %q
  installation_key_wo_version = 1
}
`, versionID, key)
}

// logEntryStart begins every entry of a trace log; continuation lines (a
// multi-line field) follow it indented.
var logEntryStart = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`)

// withoutHarness drops the test framework's own entries from a trace log:
// terraform-plugin-testing logs each step's configuration (secrets and
// all) as sdk.helper_resource, which no user run ever writes. What stays is
// what Terraform and the provider log.
func withoutHarness(log string) string {
	var b strings.Builder
	keep := true
	for _, line := range strings.SplitAfter(log, "\n") {
		if logEntryStart.MatchString(line) {
			keep = !strings.Contains(line, " sdk.helper_resource: ")
		}
		if keep {
			b.WriteString(line)
		}
	}
	return b.String()
}

// The provider's own debug lines must be in the log, or the test proves
// nothing: one per API, and the diagnostics the error steps produced.
var secretsLogMustHave = []*regexp.Regexp{
	regexp.MustCompile(`Salesforce request.*path=/services/data/v\d+\.\d/`),
	regexp.MustCompile(`CE API request.*path=/v2/integrations/salesforce`),
	regexp.MustCompile(`Response contains error diagnostic`),
}

// Applying, failing with wrong credentials and destroying with TF_LOG=TRACE,
// for each way of signing in to Salesforce: no API key, private key, client
// secret, access or refresh token, or installation key appears in the
// trace log (Terraform's and the provider's, diagnostics included), in the
// state, or in what the fakes received outside the places meant for them.
func TestAccSuite_secretsStayOutOfLogsStateAndDiagnostics(t *testing.T) {
	skipOnRealOrg(t)
	type method struct {
		name       string
		salesforce func(w *secretsWorld) string // the working settings
		broken     func(w *secretsWorld) string // the same method, with a wrong secret
		wantError  *regexp.Regexp
		extra      func(w *secretsWorld, v sffake.PackageVersion) string
		extraError *regexp.Regexp // a step with extra config that must fail, if any
	}
	methods := []method{
		{
			name: "jwt_bearer",
			salesforce: func(w *secretsWorld) string {
				return w.org.jwtSettings(w.org.key)
			},
			broken: func(w *secretsWorld) string {
				_, _, other := testKeys(t)
				return w.org.jwtSettings(other)
			},
			wantError: errorLike("authenticate with Salesforce (jwt_bearer)"),
			// The key-protected package, installed with its key.
			extra: func(_ *secretsWorld, v sffake.PackageVersion) string {
				return kptestPackage(v.VersionID, sffake.KeyProtectedInstallationKey)
			},
		},
		{
			name: "client_credentials",
			salesforce: func(w *secretsWorld) string {
				return fmt.Sprintf("    instance_url = %q\n    client_id = %q\n    client_secret = %q",
					w.org.URL(), sffake.DefaultConsumerKey, suiteClientSecret)
			},
			broken: func(w *secretsWorld) string {
				return fmt.Sprintf("    instance_url = %q\n    client_id = %q\n    client_secret = %q",
					w.org.URL(), sffake.DefaultConsumerKey, suiteWrongSecret)
			},
			wantError: errorLike("authenticate with Salesforce (client_credentials)"),
			// The key-protected package with a wrong key: refused.
			extra: func(_ *secretsWorld, v sffake.PackageVersion) string {
				return kptestPackage(v.VersionID, suiteWrongInstallKey)
			},
			extraError: errorLike("Salesforce could not install the package", "installation key is missing or incorrect"),
		},
		{
			name: "refresh_token",
			salesforce: func(w *secretsWorld) string {
				return fmt.Sprintf("    login_url = %q\n    client_id = %q\n    client_secret = %q\n    refresh_token = %q",
					w.org.URL(), sffake.DefaultConsumerKey, suiteClientSecret, w.refresh)
			},
			broken: func(w *secretsWorld) string {
				return fmt.Sprintf("    login_url = %q\n    client_id = %q\n    client_secret = %q\n    refresh_token = %q",
					w.org.URL(), sffake.DefaultConsumerKey, suiteClientSecret, suiteWrongRefresh)
			},
			wantError: errorLike("authenticate with Salesforce (refresh_token)"),
		},
		{
			name: "access_token",
			salesforce: func(w *secretsWorld) string {
				return fmt.Sprintf("    instance_url = %q\n    access_token = %q", w.org.URL(), w.access)
			},
			broken: func(w *secretsWorld) string {
				return fmt.Sprintf("    instance_url = %q\n    access_token = %q", w.org.URL(), suiteWrongAccess)
			},
			wantError: errorLike("rejected the configured access token"),
		},
	}
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			logFile := filepath.Join(t.TempDir(), "trace.log")
			if d := os.Getenv("SUITE_KEEP_LOGS"); d != "" { // a directory to keep the logs in, for reading
				logFile = filepath.Join(d, m.name+".log")
				_ = os.Remove(logFile)
			}
			t.Setenv("TF_ACC_LOG_PATH", logFile)
			t.Setenv("TF_LOG", "TRACE")
			w := newSecretsWorld(t)
			kp := pkgVersion(t, w.org, sffake.KeyProtectedNamespace, "1.0")
			extra := ""
			if m.extra != nil && m.extraError == nil {
				extra = m.extra(w, kp)
			}
			good := w.secretsConfig(m.salesforce(w), suiteAPIKey, extra)
			steps := []resource.TestStep{
				{Config: good, Check: w.noSecretsInState(t)},
				// Wrong Salesforce credentials, then a wrong CE API key.
				{Config: w.secretsConfig(m.broken(w), suiteAPIKey, extra), ExpectError: m.wantError},
				{Config: w.secretsConfig(m.salesforce(w), suiteWrongAPIKey, extra), ExpectError: errorLike("CE API", "401")},
			}
			if m.extraError != nil {
				steps = append(steps, resource.TestStep{Config: w.secretsConfig(m.salesforce(w), suiteAPIKey, m.extra(w, kp)), ExpectError: m.extraError})
			}
			// Destroy runs with the last step's configuration: a working one.
			steps = append(steps, resource.TestStep{Config: good, Check: w.noSecretsInState(t)})
			// Serial: plugin-testing and the provider's log sink read
			// TF_ACC_LOG_PATH and TF_LOG from the process environment when
			// a test starts (no per-test setting exists), so a parallel
			// test would write its log into this one's file. Serial tests
			// run before the parallel ones start.
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: providerFactories(),
				CheckDestroy: func(*terraform.State) error {
					if _, ok := w.org.janeAssignment(t); ok {
						return fmt.Errorf("jane still has %s after destroy", nsuLabel)
					}
					return nil
				},
				Steps: steps,
			})
			raw, err := os.ReadFile(logFile)
			mustDo(t, err)
			// Control: the harness's own entries quote the configuration,
			// so the scan must find secrets there, or it finds nothing.
			if len(w.leaks(t, string(raw))) == 0 {
				t.Fatal("control failed: no secret found even in the harness's copy of the configuration")
			}
			log := withoutHarness(string(raw))
			for _, re := range secretsLogMustHave {
				if !re.MatchString(log) {
					t.Errorf("the trace log (%d bytes) has no line matching %s: the provider's logs are not captured", len(log), re)
				}
			}
			if found := w.leaks(t, log); len(found) > 0 {
				for _, name := range found {
					v := w.secrets(t)[name]
					i := strings.Index(log, v)
					start := strings.LastIndex(log[:i], "\n") + 1
					end := i + strings.IndexByte(log[i:], '\n')
					if end < i {
						end = len(log)
					}
					t.Errorf("the trace log holds the %s: %s", name, log[start:end])
				}
			}
			t.Logf("%s: %d bytes of trace log, %d secrets checked", m.name, len(log), len(w.secrets(t)))
		})
	}
}
