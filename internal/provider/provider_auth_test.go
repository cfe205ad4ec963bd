package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// Every auth method against the fake token endpoint. Each step reads the
// installed packages, which needs a working session.

func readsPackages() []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(allPackages, tfjsonpath.New("packages"), knownvalue.ListSizeExact(1)),
	}
}

// tokenGrants returns the grant types the fake's token endpoint answered 200 to.
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

func expectTokenIssued(org *fakeOrg) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if ok, _ := tokenRequests(org); ok == 0 {
			return fmt.Errorf("the fake's token endpoint issued no token")
		}
		return nil
	}
}

func TestAccAuth_jwtBearer(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:            org.jwtProvider() + installedPackagesConfig,
			ConfigStateChecks: readsPackages(),
			Check:             expectTokenIssued(org),
		}},
	})
}

func TestAccAuth_jwtFromEnvironmentAndKeyFile(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	keyFile := t.TempDir() + "/server.key"
	mustDo(t, writeFile(keyFile, org.key))
	t.Setenv("SALESFORCE_LOGIN_URL", org.URL())
	t.Setenv("SALESFORCE_CLIENT_ID", sffake.DefaultConsumerKey)
	t.Setenv("SALESFORCE_USERNAME", sffake.DefaultAdminUsername)
	t.Setenv("SALESFORCE_PRIVATE_KEY_FILE", keyFile)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:            `provider "northpass" {}` + installedPackagesConfig,
			ConfigStateChecks: readsPackages(),
			Check:             expectTokenIssued(org),
		}},
	})
}

func TestAccAuth_jwtRejectedSignature(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	_, _, wrongKey := testKeys(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      org.jwtProviderWithKey(wrongKey) + installedPackagesConfig,
			ExpectError: errorLike("invalid_grant", "private_key matches the certificate uploaded to the app"),
		}},
	})
}

// login_url is the org's My Domain (the fake), as the sandbox guide
// suggests; the assertion's audience stays https://login.salesforce.com,
// the only one the fake's Connected App accepts: one sign-in, no fallback.
func TestAccAuth_jwtAudienceIsLoginHostOnMyDomain(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:            org.jwtProvider() + installedPackagesConfig,
			ConfigStateChecks: readsPackages(),
			Check: func(*terraform.State) error {
				if ok, failed := tokenRequests(org); ok == 0 || failed != 0 {
					return fmt.Errorf("token endpoint: %d issued, %d refused; want no refusal", ok, failed)
				}
				return nil
			},
		}},
	})
}

// A sandbox wants https://test.salesforce.com: sandbox = true sends it,
// even with login_url on the My Domain.
func TestAccAuth_jwtSandboxAudience(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{Sandbox: true})
	withSandbox := strings.Replace(org.jwtProvider(), "login_url", "sandbox     = true\n    login_url", 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// Without the flag both audiences tried are refused, and the
				// error says what to set.
				Config:      org.jwtProvider() + installedPackagesConfig,
				ExpectError: errorLike("JWT audience https://login.salesforce.com", "audience is invalid", "sandbox = true", "jwt_audience"),
			},
			{
				Config:            withSandbox + installedPackagesConfig,
				ConfigStateChecks: readsPackages(),
			},
		},
	})
}

// An Experience Cloud site wants its own URL: jwt_audience pins it, and
// nothing else is tried.
func TestAccAuth_jwtAudiencePinned(t *testing.T) {
	skipOnRealOrg(t)
	const site = "https://acme.my.site.com/customers"
	org := newFakeOrg(t, sffake.Options{Audiences: []string{site}})
	t.Setenv("SALESFORCE_JWT_AUDIENCE", site)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:            org.jwtProvider() + installedPackagesConfig,
			ConfigStateChecks: readsPackages(),
			Check: func(*terraform.State) error {
				if ok, failed := tokenRequests(org); ok == 0 || failed != 0 {
					return fmt.Errorf("token endpoint: %d issued, %d refused; want the pinned audience only", ok, failed)
				}
				return nil
			},
		}},
	})
}

// An External Client App refuses login.salesforce.com (app_not_found) and
// accepts the My Domain URL: the provider signs in on the second try.
func TestAccAuth_jwtExternalClientAppFallsBackToMyDomain(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{ExternalClientApp: true})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:            org.jwtProvider() + installedPackagesConfig,
			ConfigStateChecks: readsPackages(),
			Check: func(*terraform.State) error {
				// Each terraform command signs in once: one refusal, then success.
				if ok, failed := tokenRequests(org); ok == 0 || failed != ok {
					return fmt.Errorf("token endpoint: %d issued, %d refused; want one refusal per sign-in", ok, failed)
				}
				return nil
			},
		}},
	})
}

// The warning that names the audience that worked reaches the user as a
// diagnostic, so they can pin it.
func TestJWTAudienceFallbackWarning(t *testing.T) {
	org := newFakeOrg(t, sffake.Options{ExternalClientApp: true})
	m := nullSalesforceModel()
	m.LoginURL, m.ClientID = types.StringValue(org.URL()), types.StringValue(sffake.DefaultConsumerKey)
	m.Username, m.PrivateKey = types.StringValue(sffake.DefaultAdminUsername), types.StringValue(org.key)
	var diags diag.Diagnostics
	cfg := resolveSalesforce(providerModel{Salesforce: m}, &diags)
	if cfg == nil || diags.HasError() {
		t.Fatalf("config: %v", diags)
	}
	client, err := sfapi.New(*cfg)
	mustDo(t, err)
	data := &providerData{salesforce: client}
	_, err = client.Identity(context.Background())
	mustDo(t, err)
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
	org := newFakeOrg(t, sffake.Options{})
	m := nullSalesforceModel()
	m.LoginURL, m.ClientID = types.StringValue(org.URL()), types.StringValue(sffake.DefaultConsumerKey)
	m.Username, m.PrivateKey = types.StringValue(sffake.DefaultAdminUsername), types.StringValue(org.key)
	var diags diag.Diagnostics
	cfg := resolveSalesforce(providerModel{Salesforce: m}, &diags)
	client, err := sfapi.New(*cfg)
	mustDo(t, err)
	_, err = client.Identity(context.Background())
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

func TestAccAuth_clientCredentials(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "northpass" {
  salesforce = {
    instance_url  = %q
    client_id     = %q
    client_secret = %q
  }
}
`, org.URL(), sffake.DefaultConsumerKey, sffake.DefaultConsumerSecret) + installedPackagesConfig,
			ConfigStateChecks: readsPackages(),
			Check:             expectTokenIssued(org),
		}},
	})
}

func TestAccAuth_clientCredentialsWrongSecret(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "northpass" {
  salesforce = {
    instance_url  = %q
    client_id     = %q
    client_secret = "not-the-secret"
  }
}
`, org.URL(), sffake.DefaultConsumerKey) + installedPackagesConfig,
			ExpectError: regexp.MustCompile(`Cannot list installed packages`),
		}},
	})
}

func refreshTokenProvider(org *fakeOrg, token string) string {
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

func TestAccAuth_refreshToken(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	token := org.IssueRefreshToken(sffake.DefaultAdminUsername)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:            refreshTokenProvider(org, token) + installedPackagesConfig,
			ConfigStateChecks: readsPackages(),
			Check:             expectTokenIssued(org),
		}},
	})
}

// With refresh token rotation the first terraform command consumes the
// configured token; the next command's sign-in fails, and the error says why.
func TestAccAuth_refreshTokenRotated(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{RotateRefreshTokens: true})
	token := org.IssueRefreshToken(sffake.DefaultAdminUsername)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      refreshTokenProvider(org, token) + installedPackagesConfig,
			ExpectError: errorLike("invalid_grant", "possibly rotated by an earlier run", "switch to JWT bearer or client credentials"),
		}},
	})
	if ok, failed := tokenRequests(org); ok < 1 || failed < 1 {
		t.Fatalf("expected a successful refresh then a rejected reuse, got %d ok and %d failed", ok, failed)
	}
}

func TestAccAuth_accessToken(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	token := org.IssueAccessToken(sffake.DefaultAdminUsername)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "northpass" {
  salesforce = {
    instance_url = %q
    access_token = %q
  }
}
`, org.URL(), token) + installedPackagesConfig,
			ConfigStateChecks: readsPackages(),
			Check: func(*terraform.State) error {
				if ok, failed := tokenRequests(org); ok+failed != 0 {
					return fmt.Errorf("access token auth called the token endpoint %d times", ok+failed)
				}
				return nil
			},
		}},
	})
}

// An access token cannot be renewed: an expired one is a clear error.
func TestAccAuth_accessTokenExpired(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	token := org.IssueAccessToken(sffake.DefaultAdminUsername)
	org.ExpireSessions()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "northpass" {
  salesforce = {
    instance_url = %q
    access_token = %q
  }
}
`, org.URL(), token) + installedPackagesConfig,
			ExpectError: errorLike("access token", "expired"),
		}},
	})
}
