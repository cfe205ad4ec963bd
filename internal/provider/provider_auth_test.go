package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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

func TestAccAuth_jwtWrongAudience(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{Audiences: []string{"https://test.salesforce.com"}})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      org.jwtProvider() + installedPackagesConfig,
			ExpectError: errorLike("audience is invalid", "login_url must be the host"),
		}},
	})
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
