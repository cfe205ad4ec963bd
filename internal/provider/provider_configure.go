package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// Configure resolves every argument (config first, then environment), checks
// the combination, and builds the clients. It makes no network call, so
// `terraform validate` and offline plans of unrelated objects keep working;
// clients authenticate on first use.
func (p *northpassProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !refuseUnknown(&cfg, &resp.Diagnostics) {
		return
	}

	data := &providerData{version: p.version, userAgent: "terraform-provider-northpass/" + p.version, opts: p.opts}
	getenv := p.opts.getenv
	logger := newTFLogger()

	if np := resolveNorthpass(cfg, getenv, &resp.Diagnostics); np != nil && !resp.Diagnostics.HasError() {
		logger.addSecrets(np.APIKey)
		np.UserAgent = data.userAgent
		np.RetryWaitMin, np.RetryWaitMax = p.opts.retryWaitMin, p.opts.retryWaitMax
		np.RequestsPerSecond = p.opts.ceRequestsPerSecond
		np.Logger = logger.with("northpass")
		client, err := npapi.New(*np)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("api_url"), "Invalid CE API configuration", err.Error())
		}
		data.northpass = client
	}

	if sf := resolveSalesforce(cfg, getenv, &resp.Diagnostics); sf != nil && !resp.Diagnostics.HasError() {
		logger.addSecrets(sf.PrivateKeyPEM, sf.ClientSecret, sf.RefreshToken, sf.AccessToken)
		sf.UserAgent = data.userAgent
		sf.RetryWaitMin, sf.RetryWaitMax = p.opts.retryWaitMin, p.opts.retryWaitMax
		sf.Logger = logger.with("salesforce")
		sf.DisableReadCache = !batchReads(ctx, getenv(batchReadsEnv), &resp.Diagnostics)
		client, err := sfapi.New(*sf)
		if err != nil {
			addSalesforceConfigError(&resp.Diagnostics, err)
		} else if sf.JWTAudience != "" && client.AuthMethod() != sfapi.AuthJWTBearer {
			resp.Diagnostics.AddAttributeWarning(salesforcePath("jwt_audience"), "jwt_audience has no effect",
				fmt.Sprintf("jwt_audience (or SALESFORCE_JWT_AUDIENCE) only applies to JWT bearer authentication; "+
					"these credentials use %s. Remove it to silence this warning.", client.AuthMethod()))
		}
		data.salesforce = client
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.DataSourceData = data
	resp.ResourceData = data
}

// refuseUnknown rejects values that are only known after apply: the clients
// need concrete credentials before any object can be read.
func refuseUnknown(cfg *providerModel, diags *diag.Diagnostics) bool {
	check := func(v interface{ IsUnknown() bool }, p path.Path) {
		if v.IsUnknown() {
			diags.AddAttributeError(p, "Value not known until apply",
				"The provider needs this value to plan. Set it from a variable, a data source or an environment "+
					"variable instead of an attribute of a resource that is created in the same apply.")
		}
	}
	check(cfg.APIKey, path.Root("api_key"))
	check(cfg.APIURL, path.Root("api_url"))
	if sf := cfg.Salesforce; sf != nil {
		for name, v := range sf.values() {
			check(v, salesforcePath(name))
		}
	}
	return !diags.HasError()
}

func salesforcePath(name string) path.Path { return path.Root("salesforce").AtName(name) }

func (m *salesforceModel) values() map[string]interface{ IsUnknown() bool } {
	return map[string]interface{ IsUnknown() bool }{
		"instance_url": m.InstanceURL, "login_url": m.LoginURL, "sandbox": m.Sandbox, "jwt_audience": m.JWTAudience,
		"api_version": m.APIVersion, "client_id": m.ClientID, "username": m.Username,
		"private_key": m.PrivateKey, "client_secret": m.ClientSecret,
		"refresh_token": m.RefreshToken, "access_token": m.AccessToken,
	}
}

// stringOr returns the configured value, else the first set environment variable.
func stringOr(getenv func(string) string, v types.String, env ...string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	for _, name := range env {
		if s := getenv(name); s != "" {
			return s
		}
	}
	return ""
}

// resolveNorthpass returns the CE client config, or nil when the CE side is
// not configured at all (no API key anywhere).
func resolveNorthpass(cfg providerModel, getenv func(string) string, diags *diag.Diagnostics) *npapi.Config {
	key := stringOr(getenv, cfg.APIKey, "NORTHPASS_API_KEY")
	apiURL := stringOr(getenv, cfg.APIURL, "NORTHPASS_API_URL")
	if key == "" {
		if apiURL != "" && !cfg.APIURL.IsNull() {
			diags.AddAttributeWarning(path.Root("api_url"), "CE API key missing",
				"api_url is set but no api_key (or NORTHPASS_API_KEY) is: CE objects will fail until a key is set.")
		}
		return nil
	}
	if apiURL == "" {
		apiURL = defaultAPIURL
	}
	if msg := urlProblem(apiURL); msg != "" {
		diags.AddAttributeError(path.Root("api_url"), "Invalid URL", "NORTHPASS_API_URL: "+msg)
		return nil
	}
	return &npapi.Config{BaseURL: apiURL, APIKey: key}
}

// salesforceEnv lists the environment variable of each salesforce argument.
var salesforceEnv = map[string]string{
	"instance_url": "SALESFORCE_INSTANCE_URL", "login_url": "SALESFORCE_LOGIN_URL",
	"sandbox": "SALESFORCE_SANDBOX", "jwt_audience": "SALESFORCE_JWT_AUDIENCE", "api_version": "SALESFORCE_API_VERSION",
	"client_id": "SALESFORCE_CLIENT_ID", "username": "SALESFORCE_USERNAME",
	"private_key": "SALESFORCE_PRIVATE_KEY", "client_secret": "SALESFORCE_CLIENT_SECRET",
	"refresh_token": "SALESFORCE_REFRESH_TOKEN", "access_token": "SALESFORCE_ACCESS_TOKEN",
}

// resolveSalesforce returns the Salesforce client config, or nil when
// neither the salesforce block nor any SALESFORCE_* variable is set.
func resolveSalesforce(cfg providerModel, getenv func(string) string, diags *diag.Diagnostics) *sfapi.Config {
	m := cfg.Salesforce
	if m == nil {
		m = nullSalesforceModel()
	}
	c := sfapi.Config{
		InstanceURL:   stringOr(getenv, m.InstanceURL, salesforceEnv["instance_url"]),
		LoginURL:      stringOr(getenv, m.LoginURL, salesforceEnv["login_url"]),
		JWTAudience:   stringOr(getenv, m.JWTAudience, salesforceEnv["jwt_audience"]),
		APIVersion:    stringOr(getenv, m.APIVersion, salesforceEnv["api_version"]),
		ClientID:      stringOr(getenv, m.ClientID, salesforceEnv["client_id"]),
		Username:      stringOr(getenv, m.Username, salesforceEnv["username"]),
		PrivateKeyPEM: stringOr(getenv, m.PrivateKey, salesforceEnv["private_key"]),
		ClientSecret:  stringOr(getenv, m.ClientSecret, salesforceEnv["client_secret"]),
		RefreshToken:  stringOr(getenv, m.RefreshToken, salesforceEnv["refresh_token"]),
		AccessToken:   stringOr(getenv, m.AccessToken, salesforceEnv["access_token"]),
	}
	if c.PrivateKeyPEM == "" && m.PrivateKey.IsNull() {
		if file := getenv("SALESFORCE_PRIVATE_KEY_FILE"); file != "" {
			b, err := os.ReadFile(file)
			if err != nil {
				diags.AddAttributeError(salesforcePath("private_key"), "Cannot read SALESFORCE_PRIVATE_KEY_FILE", err.Error())
				return nil
			}
			c.PrivateKeyPEM = string(b)
			if msg := checkPrivateKey(c.PrivateKeyPEM); msg != "" {
				diags.AddAttributeError(salesforcePath("private_key"), "Invalid private key in SALESFORCE_PRIVATE_KEY_FILE", msg)
				return nil
			}
		}
	} else if m.PrivateKey.IsNull() && c.PrivateKeyPEM != "" {
		if msg := checkPrivateKey(c.PrivateKeyPEM); msg != "" {
			diags.AddAttributeError(salesforcePath("private_key"), "Invalid private key in SALESFORCE_PRIVATE_KEY", msg)
			return nil
		}
	}
	if !anySet(c) {
		return nil
	}

	sandbox, ok := resolveSandbox(m.Sandbox, getenv(salesforceEnv["sandbox"]), diags)
	if !ok {
		return nil
	}
	// An enhanced-domain sandbox URL says it all: the login and the JWT
	// audience must be the sandbox's even when the flag is left out.
	sandbox = sandbox || sfapi.IsSandboxURL(c.InstanceURL) || sfapi.IsSandboxURL(c.LoginURL)
	c.Sandbox = sandbox
	if c.LoginURL == "" {
		c.LoginURL = defaultLoginURL
		if sandbox {
			c.LoginURL = defaultSandboxLoginURL
		}
	}
	if c.APIVersion == "" {
		c.APIVersion = defaultAPIVersion
	}
	// Values from the environment skipped the schema validators: check them here.
	for name, v := range map[string]string{"instance_url": c.InstanceURL, "login_url": c.LoginURL, "jwt_audience": c.JWTAudience} {
		if v == "" {
			continue
		}
		if msg := urlProblem(v); msg != "" {
			diags.AddAttributeError(salesforcePath(name), "Invalid URL", "salesforce."+name+" ("+salesforceEnv[name]+"): "+msg)
		}
	}
	if !apiVersionPattern.MatchString(c.APIVersion) {
		diags.AddAttributeError(salesforcePath("api_version"), "Invalid API version",
			fmt.Sprintf("%q is not a Salesforce API version such as \"65.0\".", c.APIVersion))
	}
	if diags.HasError() {
		return nil
	}
	return &c
}

// nullSalesforceModel stands for an absent salesforce block.
func nullSalesforceModel() *salesforceModel {
	return &salesforceModel{
		InstanceURL: types.StringNull(), LoginURL: types.StringNull(), Sandbox: types.BoolNull(), JWTAudience: types.StringNull(),
		APIVersion: types.StringNull(), ClientID: types.StringNull(), Username: types.StringNull(),
		PrivateKey: types.StringNull(), ClientSecret: types.StringNull(),
		RefreshToken: types.StringNull(), AccessToken: types.StringNull(),
	}
}

func anySet(c sfapi.Config) bool {
	return c.InstanceURL != "" || c.ClientID != "" || c.Username != "" || c.PrivateKeyPEM != "" ||
		c.ClientSecret != "" || c.RefreshToken != "" || c.AccessToken != ""
}

func resolveSandbox(v types.Bool, env string, diags *diag.Diagnostics) (bool, bool) {
	if !v.IsNull() {
		return v.ValueBool(), true
	}
	if env == "" {
		return false, true
	}
	b, err := strconv.ParseBool(env)
	if err != nil {
		diags.AddAttributeError(salesforcePath("sandbox"), "Invalid SALESFORCE_SANDBOX",
			fmt.Sprintf("%q is not a boolean (use true or false).", env))
		return false, false
	}
	return b, true
}

// addSalesforceConfigError puts the client's configuration error on the
// attributes it names, so the user sees which arguments to change.
func addSalesforceConfigError(diags *diag.Diagnostics, err error) {
	var ce *sfapi.ConfigError
	if !errors.As(err, &ce) || len(ce.Fields) == 0 {
		diags.AddAttributeError(path.Root("salesforce"), "Invalid Salesforce configuration", err.Error())
		return
	}
	detail := ce.Detail
	if detail == "" {
		detail = ce.Error()
	}
	detail += "\n\nEach argument can also come from its environment variable (" + envNames(ce.Fields) + ")."
	for _, f := range ce.Fields {
		diags.AddAttributeError(salesforcePath(f), ce.Summary, detail)
	}
}

func envNames(fields []string) string {
	var out []string
	for _, f := range fields {
		if e, ok := salesforceEnv[f]; ok {
			out = append(out, e)
		}
	}
	return strings.Join(out, ", ")
}
