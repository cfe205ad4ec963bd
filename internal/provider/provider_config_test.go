package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// Bad provider configurations fail before any API call, with the error on
// the argument at fault.
func TestAccProviderConfig_invalid(t *testing.T) {
	t.Parallel()
	skipOnRealOrg(t)
	key, _, _ := testKeys(t)
	cases := []struct {
		name   string
		config string
		want   *regexp.Regexp
	}{
		{"non-https instance URL", `salesforce = { instance_url = "http://acme.my.salesforce.com", access_token = "x" }`,
			errorLike("Invalid URL", "must use https")},
		{"login URL not a URL", `salesforce = { login_url = "login.salesforce.com", client_id = "c", username = "u", private_key = "k" }`,
			errorLike("Invalid URL", "login.salesforce.com", "is not an absolute URL")},
		{"api_url plain http", `api_url = "http://api.northpass.com"
  api_key = "k"`, errorLike("Invalid URL", "api.northpass.com", "must use https")},
		{"bad api version", `salesforce = { api_version = "v65", access_token = "x", instance_url = "https://a.my.salesforce.com" }`,
			errorLike(`must be a Salesforce API version such as "65.0"`)},
		{"private key not PEM", `salesforce = { client_id = "c", username = "u", private_key = "not a key" }`,
			errorLike("Invalid private key", "not PEM")},
		{"access token and private key", fmt.Sprintf(`salesforce = { instance_url = "https://a.my.salesforce.com", access_token = "x", client_id = "c", username = "u", private_key = %q }`, key),
			errorLike("access_token cannot be combined with client_id, username, private_key")},
		{"JWT without username", fmt.Sprintf(`salesforce = { client_id = "c", private_key = %q }`, key),
			errorLike("JWT bearer authentication needs username")},
		{"client credentials without instance URL", `salesforce = { client_id = "c", client_secret = "s" }`,
			errorLike("instance_url is required with client_credentials")},
		{"empty API key", `api_key = ""`, errorLike("api_key", "length must be at least 1")},
		{"JWT audience not a URL", fmt.Sprintf(`salesforce = { client_id = "c", username = "u", private_key = %q, jwt_audience = "login.salesforce.com" }`, key),
			errorLike("Invalid URL", "jwt_audience", "is not an absolute URL")},
	}
	// The cases are the steps of one TestCase (a TestCase each cost two
	// more terraform commands than its one plan: init and a last show). Every step fails at plan,
	// so each plans from an empty state as a TestCase of its own would.
	org := newFakeOrg(t, sffake.Options{})
	noRequests := func(i int) {
		t.Helper()
		if n := len(org.Kit().Requests()); n != 0 {
			t.Fatalf("case %d/%d (%s): a bad configuration reached the API: %d requests", i+1, len(cases), cases[i].name, n)
		}
	}
	steps := make([]resource.TestStep, len(cases))
	for i, c := range cases {
		steps[i] = resource.TestStep{
			PreConfig:   casePreConfig(t, i, len(cases), c.name, noRequests, org.Kit().Reset),
			Config:      "provider \"northpass\" {\n  " + c.config + "\n}\n" + installedPackagesConfig,
			ExpectError: c.want,
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps:                    steps,
	})
	noRequests(len(cases) - 1)
}

// The sandbox flag moves the default login to test.salesforce.com; an
// explicit login_url still wins.
func TestResolveSalesforce_loginURL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		sandbox  types.Bool
		loginURL types.String
		want     string
	}{
		{types.BoolNull(), types.StringNull(), "https://login.salesforce.com"},
		{types.BoolValue(false), types.StringNull(), "https://login.salesforce.com"},
		{types.BoolValue(true), types.StringNull(), "https://test.salesforce.com"},
		{types.BoolValue(true), types.StringValue("https://acme--uat.sandbox.my.salesforce.com"), "https://acme--uat.sandbox.my.salesforce.com"},
	}
	for _, c := range cases {
		m := nullSalesforceModel()
		m.Sandbox, m.LoginURL = c.sandbox, c.loginURL
		m.AccessToken, m.InstanceURL = types.StringValue("t"), types.StringValue("https://acme.my.salesforce.com")
		var diags diag.Diagnostics
		got := resolveSalesforce(providerModel{Salesforce: m}, noEnv, &diags)
		if diags.HasError() || got == nil {
			t.Fatalf("sandbox=%v login_url=%v: %v", c.sandbox, c.loginURL, diags)
		}
		if got.LoginURL != c.want || got.APIVersion != defaultAPIVersion {
			t.Errorf("sandbox=%v login_url=%v: got %q / %q, want %q / %q", c.sandbox, c.loginURL, got.LoginURL, got.APIVersion, c.want, defaultAPIVersion)
		}
	}
}

// A sandbox's enhanced My Domain in instance_url implies sandbox = true:
// the login goes to test.salesforce.com, as the JWT audience must.
func TestResolveSalesforce_sandboxFromInstanceURL(t *testing.T) {
	t.Parallel()
	m := nullSalesforceModel()
	m.AccessToken, m.InstanceURL = types.StringValue("t"), types.StringValue("https://acme--uat.sandbox.my.salesforce.com")
	var diags diag.Diagnostics
	got := resolveSalesforce(providerModel{Salesforce: m}, noEnv, &diags)
	if got == nil || !got.Sandbox || got.LoginURL != "https://test.salesforce.com" {
		t.Fatalf("got %+v, %v; want a sandbox logging in at test.salesforce.com", got, diags)
	}
}

// SALESFORCE_SANDBOX must be a boolean; the error names the attribute.
func TestResolveSalesforce_badSandboxEnv(t *testing.T) {
	t.Parallel()
	env := newTestEnv(map[string]string{"SALESFORCE_SANDBOX": "yes please"})
	m := nullSalesforceModel()
	m.AccessToken, m.InstanceURL = types.StringValue("t"), types.StringValue("https://acme.my.salesforce.com")
	var diags diag.Diagnostics
	if got := resolveSalesforce(providerModel{Salesforce: m}, env.getenv, &diags); got != nil || !diags.HasError() {
		t.Fatalf("accepted SALESFORCE_SANDBOX=%q", "yes please")
	}
	if p := diags.Errors()[0].(diag.DiagnosticWithPath).Path(); !p.Equal(salesforcePath("sandbox")) {
		t.Fatalf("error on %s, want salesforce.sandbox", p)
	}
}

// Without a salesforce block or SALESFORCE_* variables the Salesforce side is
// simply not configured: no error until an object needs it.
func TestResolveSalesforce_notConfigured(t *testing.T) {
	t.Parallel()
	var diags diag.Diagnostics
	if got := resolveSalesforce(providerModel{}, noEnv, &diags); got != nil || diags.HasError() {
		t.Fatalf("got %+v, %v", got, diags)
	}
}

// jwt_audience comes from the block or SALESFORCE_JWT_AUDIENCE, and a bad
// value from the environment is an error on the attribute; sandbox reaches
// the client, which picks the audience from it.
func TestResolveSalesforce_jwtAudience(t *testing.T) {
	t.Parallel()
	key, _, _ := testKeys(t)
	jwtModel := func() *salesforceModel {
		m := nullSalesforceModel()
		m.ClientID, m.Username, m.PrivateKey = types.StringValue("c"), types.StringValue("u"), types.StringValue(key)
		return m
	}
	env := newTestEnv(map[string]string{"SALESFORCE_JWT_AUDIENCE": "https://acme.my.site.com/customers"})
	m := jwtModel()
	m.Sandbox = types.BoolValue(true)
	var diags diag.Diagnostics
	got := resolveSalesforce(providerModel{Salesforce: m}, env.getenv, &diags)
	if diags.HasError() || got == nil || got.JWTAudience != "https://acme.my.site.com/customers" || !got.Sandbox {
		t.Fatalf("got %+v, %v", got, diags)
	}
	m = jwtModel()
	m.JWTAudience = types.StringValue("https://acme.my.salesforce.com")
	if got := resolveSalesforce(providerModel{Salesforce: m}, env.getenv, &diags); got == nil || got.JWTAudience != "https://acme.my.salesforce.com" {
		t.Fatalf("the block should win over the environment: %+v", got)
	}

	env.set("SALESFORCE_JWT_AUDIENCE", "http://acme.my.salesforce.com")
	diags = nil
	if got := resolveSalesforce(providerModel{Salesforce: jwtModel()}, env.getenv, &diags); got != nil || !diags.HasError() {
		t.Fatalf("accepted a plain-http audience from the environment")
	}
	if p := diags.Errors()[0].(diag.DiagnosticWithPath).Path(); !p.Equal(salesforcePath("jwt_audience")) {
		t.Fatalf("error on %s, want salesforce.jwt_audience", p)
	}
}
