package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// tokenRequests counts the fake's token endpoint answers: 200s and the rest.
func tokenRequests(org *fakeOrg) (ok, failed int) {
	for _, r := range org.Kit().Requests() {
		if strings.HasSuffix(r.Path, "/services/oauth2/token") {
			if r.Status == 200 {
				ok++
			} else {
				failed++
			}
		}
	}
	return ok, failed
}

// tokenIssued is the token check of most auth methods: at least one sign-in.
func tokenIssued(ok, _ int) error {
	if ok == 0 {
		return fmt.Errorf("the fake's token endpoint issued no token")
	}
	return nil
}

// noRefusal: sign-ins, none refused (one audience tried, the right one).
func noRefusal(ok, failed int) error {
	if ok == 0 || failed != 0 {
		return fmt.Errorf("token endpoint: %d issued, %d refused; want no refusal", ok, failed)
	}
	return nil
}

// authCase is one way of signing in to the fake org. A case either reads
// the installed packages (which needs a working session) and checks the
// token endpoint's answers, or fails with wantError.
type authCase struct {
	name string
	org  sffake.Options
	// provider is the provider block; it may prepare the org (issue or
	// expire tokens) first.
	provider func(t *testing.T, org *fakeOrg) string
	// env is the provider's environment, when credentials come from there.
	env       func(t *testing.T, org *fakeOrg) map[string]string
	wantError *regexp.Regexp
	tokens    func(ok, failed int) error // after a successful read; tokenIssued when nil
	after     func(org *fakeOrg) error   // after the test, on the fake's log
}

func jwtBlock(_ *testing.T, org *fakeOrg) string { return org.jwtProvider() }

func clientCredentialsBlock(org *fakeOrg, secret string) string {
	return fmt.Sprintf(`
provider "northpass" {
  salesforce = {
    instance_url  = %q
    client_id     = %q
    client_secret = %q
  }
}
`, org.URL(), sffake.DefaultConsumerKey, secret)
}

func refreshTokenBlock(org *fakeOrg, token string) string {
	return fmt.Sprintf(`
provider "northpass" {
  salesforce = {
    login_url     = %q
    client_id     = %q
    refresh_token = %q
  }
}
`, org.URL(), sffake.DefaultConsumerKey, token)
}

func accessTokenBlock(org *fakeOrg, token string) string {
	return fmt.Sprintf(`
provider "northpass" {
  salesforce = {
    instance_url = %q
    access_token = %q
  }
}
`, org.URL(), token)
}

const pinnedSite = "https://acme.my.site.com/customers"

var authCases = []authCase{
	{name: "jwtBearer", provider: jwtBlock},
	{
		name:     "jwtFromEnvironmentAndKeyFile",
		provider: func(*testing.T, *fakeOrg) string { return `provider "northpass" {}` },
		env: func(t *testing.T, org *fakeOrg) map[string]string {
			keyFile := t.TempDir() + "/server.key"
			mustDo(t, writeFile(keyFile, org.key))
			return map[string]string{
				"SALESFORCE_LOGIN_URL": org.URL(), "SALESFORCE_CLIENT_ID": sffake.DefaultConsumerKey,
				"SALESFORCE_USERNAME": sffake.DefaultAdminUsername, "SALESFORCE_PRIVATE_KEY_FILE": keyFile,
			}
		},
	},
	{
		name: "jwtRejectedSignature",
		provider: func(t *testing.T, org *fakeOrg) string {
			_, _, wrongKey := testKeys(t)
			return org.jwtProviderWithKey(wrongKey)
		},
		wantError: errorLike("invalid_grant", "the certificate uploaded to the app does not belong to private_key"),
	},
	// login_url is the org's My Domain (the fake), as the sandbox guide
	// suggests; the assertion's audience stays https://login.salesforce.com,
	// the only one the fake's Connected App accepts: one sign-in, no fallback.
	{name: "jwtAudienceIsLoginHostOnMyDomain", provider: jwtBlock, tokens: noRefusal},
	// A sandbox wants https://test.salesforce.com. Without the flag both
	// audiences tried are refused, and the error says what to set;
	// sandbox = true sends it, even with login_url on the My Domain.
	{
		name: "jwtSandboxAudienceWithoutFlag", org: sffake.Options{Sandbox: true}, provider: jwtBlock,
		wantError: errorLike("JWT audience https://login.salesforce.com", "audience is invalid", "sandbox = true", "jwt_audience"),
	},
	{
		name: "jwtSandboxAudience", org: sffake.Options{Sandbox: true},
		provider: func(_ *testing.T, org *fakeOrg) string {
			return strings.Replace(org.jwtProvider(), "login_url", "sandbox     = true\n    login_url", 1)
		},
	},
	// An Experience Cloud site wants its own URL: SALESFORCE_JWT_AUDIENCE
	// pins it, and nothing else is tried.
	{
		name: "jwtAudiencePinned", org: sffake.Options{Audiences: []string{pinnedSite}}, provider: jwtBlock,
		env: func(*testing.T, *fakeOrg) map[string]string {
			return map[string]string{"SALESFORCE_JWT_AUDIENCE": pinnedSite}
		},
		tokens: noRefusal,
	},
	// An External Client App refuses login.salesforce.com (app_not_found)
	// and accepts the My Domain URL: the provider signs in on the second try.
	{
		name: "jwtExternalClientAppFallsBackToMyDomain", org: sffake.Options{ExternalClientApp: true}, provider: jwtBlock,
		tokens: func(ok, failed int) error {
			// Each terraform command signs in once: one refusal, then success.
			if ok == 0 || failed != ok {
				return fmt.Errorf("token endpoint: %d issued, %d refused; want one refusal per sign-in", ok, failed)
			}
			return nil
		},
	},
	{
		name: "clientCredentials",
		provider: func(_ *testing.T, org *fakeOrg) string {
			return clientCredentialsBlock(org, sffake.DefaultConsumerSecret)
		},
	},
	{
		name:      "clientCredentialsWrongSecret",
		provider:  func(_ *testing.T, org *fakeOrg) string { return clientCredentialsBlock(org, "not-the-secret") },
		wantError: regexp.MustCompile(`Cannot list installed packages`),
	},
	{
		name: "refreshToken",
		provider: func(_ *testing.T, org *fakeOrg) string {
			return refreshTokenBlock(org, org.IssueRefreshToken(sffake.DefaultAdminUsername))
		},
	},
	// With refresh token rotation the first terraform command consumes the
	// configured token; the next command's sign-in fails, and the error
	// says why.
	{
		name: "refreshTokenRotated", org: sffake.Options{RotateRefreshTokens: true},
		provider: func(_ *testing.T, org *fakeOrg) string {
			return refreshTokenBlock(org, org.IssueRefreshToken(sffake.DefaultAdminUsername))
		},
		wantError: errorLike("invalid_grant", "possibly rotated by an earlier run", "switch to JWT bearer or client credentials"),
		after: func(org *fakeOrg) error {
			if ok, failed := tokenRequests(org); ok < 1 || failed < 1 {
				return fmt.Errorf("expected a successful refresh then a rejected reuse, got %d ok and %d failed", ok, failed)
			}
			return nil
		},
	},
	{
		name: "accessToken",
		provider: func(_ *testing.T, org *fakeOrg) string {
			return accessTokenBlock(org, org.IssueAccessToken(sffake.DefaultAdminUsername))
		},
		tokens: func(ok, failed int) error {
			if ok+failed != 0 {
				return fmt.Errorf("access token auth called the token endpoint %d times", ok+failed)
			}
			return nil
		},
	},
	// An access token cannot be renewed: an expired one is a clear error.
	{
		name: "accessTokenExpired",
		provider: func(_ *testing.T, org *fakeOrg) string {
			token := org.IssueAccessToken(sffake.DefaultAdminUsername)
			org.ExpireSessions()
			return accessTokenBlock(org, token)
		},
		wantError: errorLike("access token", "expired"),
	},
}

// Every auth method against the fake token endpoint.
//
// The cases are the steps of one TestCase: a TestCase each cost three
// terraform commands besides the step's own (init, a last show, destroy). Each case still has an org of
// its own, prepared before the TestCase starts (nothing in the fake
// expires with time), so its token checks count its step's sign-ins and
// nothing else; the provider's environment is switched to the case's in
// PreConfig. A failed case leaves the state as it was and a successful one
// replaces the one data source in it: every step re-reads it at plan, as
// from an empty state. Step N is case N, which the log names.
func TestAccAuth_methods(t *testing.T) {
	skipOnRealOrg(t)
	t.Parallel()
	var env atomic.Pointer[testEnv]
	env.Store(newTestEnv(nil))
	caseEnv := func(o *providerOptions) { o.getenv = func(name string) string { return env.Load().getenv(name) } }
	orgs := make([]*fakeOrg, len(authCases))
	// after runs case i's check on its fake's log once its step is done.
	after := func(i int) {
		t.Helper()
		if c := authCases[i]; c.after != nil {
			if err := c.after(orgs[i]); err != nil {
				t.Fatalf("case %d/%d (%s): %v", i+1, len(authCases), c.name, err)
			}
		}
	}
	steps := make([]resource.TestStep, len(authCases))
	for i, c := range authCases {
		org := newFakeOrg(t, c.org)
		orgs[i] = org
		var vars map[string]string
		if c.env != nil {
			vars = c.env(t, org)
		}
		step := resource.TestStep{
			PreConfig:   casePreConfig(t, i, len(authCases), c.name, after, func() { env.Store(newTestEnv(vars)) }),
			Config:      c.provider(t, org) + installedPackagesConfig,
			ExpectError: c.wantError,
		}
		if c.wantError == nil {
			tokens := c.tokens
			if tokens == nil {
				tokens = tokenIssued
			}
			// The token check looks only at the fake: it runs first among the
			// state checks, so the step reads the state once.
			step.ConfigStateChecks = []statecheck.StateCheck{
				fakeState(func() error {
					if err := tokens(tokenRequests(org)); err != nil {
						return fmt.Errorf("case %s: %w", c.name, err)
					}
					return nil
				}),
				statecheck.ExpectKnownValue(allPackages, tfjsonpath.New("packages"), knownvalue.ListSizeExact(1)),
			}
		}
		steps[i] = step
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(caseEnv),
		Steps:                    steps,
	})
	after(len(authCases) - 1)
}

// jwtClient is a Salesforce client that signs in to org with the JWT
// bearer flow, configured as the provider configures it.
func jwtClient(t *testing.T, org *fakeOrg) *sfapi.Client {
	t.Helper()
	m := nullSalesforceModel()
	m.LoginURL, m.ClientID = types.StringValue(org.URL()), types.StringValue(sffake.DefaultConsumerKey)
	m.Username, m.PrivateKey = types.StringValue(sffake.DefaultAdminUsername), types.StringValue(org.key)
	var diags diag.Diagnostics
	cfg := resolveSalesforce(providerModel{Salesforce: m}, noEnv, &diags)
	if cfg == nil || diags.HasError() {
		t.Fatalf("config: %v", diags)
	}
	client, err := sfapi.New(*cfg)
	mustDo(t, err)
	return client
}

// The warning that names the audience that worked reaches the user as a
// diagnostic, so they can pin it.
func TestJWTAudienceFallbackWarning(t *testing.T) {
	t.Parallel()
	org := newFakeOrg(t, sffake.Options{ExternalClientApp: true})
	client := jwtClient(t, org)
	data := &providerData{salesforce: client}
	_, err := client.Identity(context.Background())
	mustDo(t, err)
	var diags diag.Diagnostics
	data.salesforceWarnings(&diags)
	if len(diags.Warnings()) != 1 {
		t.Fatalf("diagnostics %v, want one warning", diags)
	}
	detail := diags.Warnings()[0].Detail()
	for _, want := range []string{"https://login.salesforce.com", "External client app is not installed in this org",
		`jwt_audience = "` + org.URL() + `"`, "SALESFORCE_JWT_AUDIENCE"} {
		if !strings.Contains(detail, want) {
			t.Errorf("warning lacks %q:\n%s", want, detail)
		}
	}
}

// A session that has expired makes the identity URL answer 403
// Bad_OAuth_Token; the provider signs in again instead of failing.
func TestIdentityReauthenticatesAfterBadOAuthToken(t *testing.T) {
	t.Parallel()
	org := newFakeOrg(t, sffake.Options{})
	client := jwtClient(t, org)
	_, err := client.Identity(context.Background())
	mustDo(t, err)
	org.ExpireSessions()
	id, err := client.Identity(context.Background())
	if err != nil {
		t.Fatalf("identity after the session expired: %v", err)
	}
	if id.Username != sffake.DefaultAdminUsername {
		t.Errorf("identity = %+v", id)
	}
	if ok, _ := tokenRequests(org); ok != 2 {
		t.Errorf("%d sign-ins, want 2 (the second after Bad_OAuth_Token)", ok)
	}
}
