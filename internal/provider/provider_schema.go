package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// Defaults that the schema documents and Configure applies.
const (
	defaultAPIURL          = "https://api.northpass.com"
	defaultLoginURL        = "https://login.salesforce.com"
	defaultSandboxLoginURL = "https://test.salesforce.com"
	defaultAPIVersion      = "65.0"
)

// providerModel is the provider block.
type providerModel struct {
	APIKey     types.String     `tfsdk:"api_key"`
	APIURL     types.String     `tfsdk:"api_url"`
	Salesforce *salesforceModel `tfsdk:"salesforce"`
}

// salesforceModel is the provider's salesforce = { … } attribute.
type salesforceModel struct {
	InstanceURL  types.String `tfsdk:"instance_url"`
	LoginURL     types.String `tfsdk:"login_url"`
	Sandbox      types.Bool   `tfsdk:"sandbox"`
	JWTAudience  types.String `tfsdk:"jwt_audience"`
	APIVersion   types.String `tfsdk:"api_version"`
	ClientID     types.String `tfsdk:"client_id"`
	Username     types.String `tfsdk:"username"`
	PrivateKey   types.String `tfsdk:"private_key"`
	ClientSecret types.String `tfsdk:"client_secret"`
	RefreshToken types.String `tfsdk:"refresh_token"`
	AccessToken  types.String `tfsdk:"access_token"`
}

var apiVersionPattern = regexp.MustCompile(`^[1-9][0-9]*\.0$`)

func (p *northpassProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the Gainsight Customer Education (CE, formerly Northpass) ↔ Salesforce " +
			"integration: the managed packages, the CE-side connection, permission set assignments, the " +
			"Enrollments related list and enrollment sync. Configure `api_key` for the CE side and `salesforce` " +
			"for the Salesforce side; a workspace may configure only one of them.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "CE API key (created in CE under **Apps → API Access**). " +
					"Falls back to the `NORTHPASS_API_KEY` environment variable.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"api_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the CE API. Defaults to `" + defaultAPIURL + "`; falls back to " +
					"`NORTHPASS_API_URL`. Must be `https` unless the host is a loopback address (the local emulator).",
				Optional:   true,
				Validators: []validator.String{serviceURL()},
			},
			"salesforce": schema.SingleNestedAttribute{
				MarkdownDescription: "How to reach and authenticate to the Salesforce org. Every argument falls " +
					"back to a `SALESFORCE_*` environment variable. The authentication method follows from what " +
					"is set: `access_token`; JWT bearer (`client_id` + `username` + `private_key`); refresh token " +
					"(`client_id` + `refresh_token`); client credentials (`client_id` + `client_secret` + " +
					"`instance_url`).",
				Optional:   true,
				Attributes: salesforceSchemaAttributes(),
			},
		},
	}
}

func salesforceSchemaAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"instance_url": schema.StringAttribute{
			MarkdownDescription: "The org's My Domain URL, e.g. `https://acme.my.salesforce.com`. Required for client " +
				"credentials and access tokens; with JWT bearer or a refresh token it is taken from the token " +
				"response when unset. Env: `SALESFORCE_INSTANCE_URL`.",
			Optional:   true,
			Validators: []validator.String{serviceURL()},
		},
		"login_url": schema.StringAttribute{
			MarkdownDescription: "Where JWT bearer and refresh-token requests go. Defaults to `" +
				defaultLoginURL + "`, or `" + defaultSandboxLoginURL + "` when `sandbox = true`; the org's My Domain " +
				"URL works too. It does not change the JWT audience (see `jwt_audience`). Env: `SALESFORCE_LOGIN_URL`.",
			Optional:   true,
			Validators: []validator.String{serviceURL()},
		},
		"sandbox": schema.BoolAttribute{
			MarkdownDescription: "Whether the org is a sandbox: the default `login_url` becomes `" + defaultSandboxLoginURL +
				"` and the JWT audience `" + sfapi.SandboxAudience + "`. A `login_url` or `instance_url` ending in " +
				"`.sandbox.my.salesforce.com` implies it. Env: `SALESFORCE_SANDBOX`.",
			Optional: true,
		},
		"jwt_audience": schema.StringAttribute{
			MarkdownDescription: "The `aud` claim of JWT bearer assertions. By default `" + sfapi.ProductionAudience +
				"`, or `" + sfapi.SandboxAudience + "` when `sandbox = true`, whichever host `login_url` names: that is " +
				"what Salesforce's JWT bearer flow documents and what Connected Apps accept. When the app refuses it and " +
				"the org's My Domain URL is known (`instance_url`, or a My Domain `login_url`), the provider tries the My " +
				"Domain URL once, as External Client Apps are reported to want, and warns which audience worked. Set this " +
				"to pin the audience: an Experience Cloud site URL, or the My Domain URL for such an app. " +
				"Env: `SALESFORCE_JWT_AUDIENCE`.",
			Optional:   true,
			Validators: []validator.String{serviceURL()},
		},
		"api_version": schema.StringAttribute{
			MarkdownDescription: "Salesforce API version, e.g. `65.0` (Winter '26, the default). Env: `SALESFORCE_API_VERSION`.",
			Optional:            true,
			Validators: []validator.String{stringvalidator.RegexMatches(apiVersionPattern,
				`must be a Salesforce API version such as "65.0"`)},
		},
		"client_id": schema.StringAttribute{
			MarkdownDescription: "Consumer key of the connected app or external client app. Env: `SALESFORCE_CLIENT_ID`.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"username": schema.StringAttribute{
			MarkdownDescription: "User to act as with JWT bearer; must be pre-authorized on the app. Env: `SALESFORCE_USERNAME`.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"private_key": schema.StringAttribute{
			MarkdownDescription: "PEM-encoded RSA private key whose certificate is uploaded to the app (JWT bearer). " +
				"Env: `SALESFORCE_PRIVATE_KEY`, or a path in `SALESFORCE_PRIVATE_KEY_FILE`.",
			Optional:   true,
			Sensitive:  true,
			Validators: []validator.String{privateKeyPEM()},
		},
		"client_secret": schema.StringAttribute{
			MarkdownDescription: "Consumer secret, for client credentials (or a refresh token on an app that requires " +
				"the secret). Env: `SALESFORCE_CLIENT_SECRET`.",
			Optional:   true,
			Sensitive:  true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"refresh_token": schema.StringAttribute{
			MarkdownDescription: "OAuth refresh token. Fragile: with refresh token rotation, the first use invalidates " +
				"it; prefer JWT bearer or client credentials. Env: `SALESFORCE_REFRESH_TOKEN`.",
			Optional:   true,
			Sensitive:  true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"access_token": schema.StringAttribute{
			MarkdownDescription: "A ready session token (e.g. from `sf org display`); cannot be renewed when it " +
				"expires. Needs `instance_url`. Env: `SALESFORCE_ACCESS_TOKEN`.",
			Optional:   true,
			Sensitive:  true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
	}
}
