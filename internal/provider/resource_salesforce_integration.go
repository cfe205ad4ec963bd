package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi"
)

var (
	_ resource.ResourceWithConfigure      = (*salesforceIntegrationResource)(nil)
	_ resource.ResourceWithImportState    = (*salesforceIntegrationResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*salesforceIntegrationResource)(nil)
	_ resource.ResourceWithValidateConfig = (*salesforceIntegrationResource)(nil)
)

// defaultIntegrationTimeout is how long create and update wait for the
// integration user to approve.
const defaultIntegrationTimeout = 20 * time.Minute

var (
	pathExpectedUsername = path.Root("expected_username")
	pathAllowAdmin       = path.Root("allow_admin_integration_user")
)

// salesforceUsernamePattern: Salesforce usernames have the form of an email
// address (they need not be a working one).
var salesforceUsernamePattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)

func newSalesforceIntegrationResource() resource.Resource { return &salesforceIntegrationResource{} }

// salesforceIntegrationResource is the CE side of the connection: the
// Apps → Integrations → Salesforce card. There is one per CE account.
type salesforceIntegrationResource struct{ data *providerData }

type salesforceIntegrationModel struct {
	ID                        types.String   `tfsdk:"id"`
	InstanceURL               types.String   `tfsdk:"instance_url"`
	Sandbox                   types.Bool     `tfsdk:"sandbox"`
	Enabled                   types.Bool     `tfsdk:"enabled"`
	WaitForConnection         types.Bool     `tfsdk:"wait_for_connection"`
	ExpectedUsername          types.String   `tfsdk:"expected_username"`
	AllowAdminIntegrationUser types.Bool     `tfsdk:"allow_admin_integration_user"`
	Status                    types.String   `tfsdk:"status"`
	StatusMessage             types.String   `tfsdk:"status_message"`
	Connected                 types.Bool     `tfsdk:"connected"`
	AuthorizationURL          types.String   `tfsdk:"authorization_url"`
	AuthorizedUsername        types.String   `tfsdk:"authorized_username"`
	AuthorizedAt              types.String   `tfsdk:"authorized_at"`
	LastSyncedAt              types.String   `tfsdk:"last_synced_at"`
	Timeouts                  timeouts.Value `tfsdk:"timeouts"`
}

const typeIntegration resourceType = "northpass_salesforce_integration"

func (r *salesforceIntegrationResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = string(typeIntegration)
}

// Descriptions shared with the data source.
const (
	descInstanceURL = "The URL of your Salesforce instance, as entered on the Salesforce card in CE (**Apps → " +
		"Integrations → Salesforce**): the org's My Domain URL, such as `https://acme.my.salesforce.com` or " +
		"`https://acme--uat.sandbox.my.salesforce.com`. Must be `https` and a Salesforce host, without a path " +
		"(plain `http` is accepted only for a loopback host, the local emulator). The host is compared without " +
		"regard to case and a trailing slash."
	descSandbox = "The card's **Sandbox** toggle: whether the instance is a sandbox (CE then sends the integration " +
		"user to `test.salesforce.com` to log in). A sandbox-looking URL (`.sandbox.my.salesforce.com`, `--` in the " +
		"My Domain, `test.salesforce.com`, `csNN.salesforce.com`) with `sandbox = false`, or a production URL with " +
		"`sandbox = true`, is a warning at plan time."
	descEnabled = "Whether the integration is enabled, so that CE syncs enrollments to Salesforce."
	descStatus  = "The connection status CE shows on the card: `not_configured` (no instance URL saved), " +
		"`authorization_required` (saved, but never authorized, or the authorization was cleared because the " +
		"instance or sandbox flag changed), `connected` (the card shows CONNECTED - Everything looks good!), " +
		"`disconnected` (Salesforce revoked or rejected the tokens, as in the November 2025 revocation; needs a new " +
		"authorization) or `error` (connected, but enrollments are not syncing; see `status_message`)."
	descStatusMessage      = "The message CE shows next to the status, such as `Everything looks good!`."
	descConnected          = "Whether the integration is enabled and CE holds working Salesforce tokens for the instance (status `connected` or `error`)."
	descAuthorizedUsername = "The Salesforce username of the integration user who authorized the connection, as CE reports it; null before anyone has."
	descAuthorizedAt       = "When the integration user authorized the connection (RFC 3339), null before anyone has."
	descLastSyncedAt       = "When CE last synced to Salesforce (RFC 3339), null if it never has."
)

func (r *salesforceIntegrationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The CE side of the Salesforce connection: the guide's \"enter the instance URL, set the " +
			"sandbox toggle, authorize as the integration user, enable, see CONNECTED\" on the Salesforce card in CE " +
			"(**Apps → Integrations → Salesforce**). There is one per CE account.\n\n" +
			"Changing `instance_url` or `sandbox` while the integration is enabled is done the way the guide says " +
			"(\"card not visible: disable, save, refresh\"): the resource disables the integration, saves the change " +
			"and enables it again. If enabling fails, the error says that the integration was left disabled.\n\n" +
			"Authorizing needs a person: the integration user has to open a link, log in to Salesforce and approve " +
			"access. When the integration is not connected (never authorized, cleared by an instance change, or " +
			"revoked by Salesforce), `terraform plan` shows `connected` changing to `true`; apply asks CE for an " +
			"authorization link, prints it in the log and in `authorization_url`, and (with `wait_for_connection`) " +
			"waits until the user has approved. Once connected, the user who approved is checked: it must be " +
			"`expected_username` when set, and — when the provider also has Salesforce credentials — must not be a " +
			"System Administrator or hold Modify All Data, unless `allow_admin_integration_user` is true.\n\n" +
			"An integration that CE already has connected for the same instance is adopted as it is: creating the " +
			"resource asks for no new authorization and revokes nothing.\n\n" +
			"If the wait runs out (or apply is interrupted) before the user approves, the link stays valid. While " +
			"creating, apply then ends with a warning and saves the resource as not connected (not tainted, so it is " +
			"never replaced, which would revoke an approval given later); after an update it is an error. Either way " +
			"the next plan shows `connected` changing to `true`, and the next apply waits for the same link instead " +
			"of asking CE for a new one (which would void it) — or finds the integration connected if the user " +
			"approved in between.\n\n" +
			"Destroying revokes the authorization and disables the integration (the instance URL stays saved).\n\n" +
			"~> CE does not document an API for these settings. This resource uses the integration-settings API the " +
			"provider expects (`GET`/`PATCH /v2/integrations/salesforce`, `POST /v2/integrations/salesforce/authorizations`, " +
			"`DELETE /v2/integrations/salesforce/authorization`), which follows the conventions of CE's public v2 API " +
			"(host, `X-Api-Key`, JSON:API) but is not part of it. On an account that does not serve these endpoints " +
			"(`GET /v2/integrations/salesforce` answers 404, which under the contract never means \"no settings\"), " +
			"every operation fails with an error saying so and how to set up the card by hand; the resource is never " +
			"dropped from the state because of it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The id of the CE account's integration settings.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"instance_url": schema.StringAttribute{
				MarkdownDescription: descInstanceURL,
				Required:            true,
				Validators:          []validator.String{salesforceInstanceURL()},
			},
			"sandbox": schema.BoolAttribute{
				MarkdownDescription: descSandbox + " Defaults to `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: descEnabled + " Defaults to `true`. A disabled integration is not authorized by apply.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"wait_for_connection": schema.BoolAttribute{
				MarkdownDescription: "Whether apply waits (up to `timeouts.create` / `timeouts.update`) for the " +
					"integration user to approve the authorization. Defaults to `true`. With `false`, apply saves the " +
					"settings, prints the authorization link as a warning and returns; every plan shows the resource " +
					"again until the integration is connected, and each apply prints the same link again while it is " +
					"valid.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"expected_username": schema.StringAttribute{
				MarkdownDescription: "The Salesforce username of the integration user who must authorize the " +
					"connection, such as `integration@acme.com`. When someone else approved, apply fails, and the next " +
					"plan asks for a new authorization. Compared without regard to case.",
				Optional: true,
				Validators: []validator.String{stringvalidator.RegexMatches(salesforceUsernamePattern,
					"must be a Salesforce username, which has the form of an email address")},
			},
			"allow_admin_integration_user": schema.BoolAttribute{
				MarkdownDescription: "Accept a System Administrator (or any user with Modify All Data) as the " +
					"integration user. Defaults to `false`: the guide asks for a dedicated integration user who is not " +
					"a System Administrator (least privilege). The check needs the provider's `salesforce` credentials; " +
					"without them it is skipped with a warning.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"status":         schema.StringAttribute{MarkdownDescription: descStatus, Computed: true},
			"status_message": schema.StringAttribute{MarkdownDescription: descStatusMessage, Computed: true},
			"connected": schema.BoolAttribute{
				MarkdownDescription: descConnected + " The plan shows it changing to `true` when the integration " +
					"should be connected (enabled, with `wait_for_connection`) but is not.",
				Computed: true,
			},
			"authorization_url": schema.StringAttribute{
				MarkdownDescription: "The link the integration user opens to authorize the connection (log in to " +
					"Salesforce as that user and approve), from the last apply that asked for one. Null once the " +
					"integration is connected. The link expires after a while; the next apply asks for a new one.",
				Computed: true,
			},
			"authorized_username": schema.StringAttribute{MarkdownDescription: descAuthorizedUsername, Computed: true},
			"authorized_at":       schema.StringAttribute{MarkdownDescription: descAuthorizedAt, Computed: true},
			"last_synced_at":      schema.StringAttribute{MarkdownDescription: descLastSyncedAt, Computed: true},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create: true, Update: true,
				CreateDescription: "How long create waits for the integration user to approve (default `20m`).",
				UpdateDescription: "How long update waits for the integration user to approve (default `20m`).",
			}),
		},
	}
}

func (r *salesforceIntegrationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig warns when the sandbox flag and the URL disagree: CE would
// send the integration user to the wrong login host.
func (r *salesforceIntegrationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg salesforceIntegrationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || cfg.InstanceURL.IsNull() || cfg.InstanceURL.IsUnknown() || cfg.Sandbox.IsUnknown() {
		return
	}
	normalised, err := parseInstanceURL(cfg.InstanceURL.ValueString())
	if err != nil {
		return // the attribute's validator reports it
	}
	host := strings.TrimPrefix(strings.TrimPrefix(normalised, "https://"), "http://")
	host, _, _ = strings.Cut(host, ":")
	looksSandbox, known := looksLikeSandbox(host)
	if !known {
		return
	}
	sandbox := cfg.Sandbox.ValueBool()
	switch {
	case looksSandbox && !sandbox:
		resp.Diagnostics.AddAttributeWarning(path.Root("sandbox"), "Sandbox instance with sandbox = false",
			fmt.Sprintf("%s looks like a sandbox's URL, but sandbox is false, so CE sends the integration user to "+
				"login.salesforce.com, where sandbox users cannot log in. Set sandbox = true, or check instance_url.", normalised))
	case !looksSandbox && sandbox:
		resp.Diagnostics.AddAttributeWarning(path.Root("sandbox"), "Production instance with sandbox = true",
			fmt.Sprintf("%s looks like a production org's URL, but sandbox is true, so CE sends the integration user "+
				"to test.salesforce.com, where production users cannot log in. Set sandbox = false, or check "+
				"instance_url (sandbox URLs look like https://acme--uat.sandbox.my.salesforce.com).", normalised))
	}
}

// integrationAttention is what the plan must do about the user CE is
// connected as.
type integrationAttention struct {
	reauthorize, recheck bool
	why                  string
}

func attentionFor(state, plan *salesforceIntegrationModel, refusal *integrationUserRefusal) integrationAttention {
	if state == nil || !state.Connected.ValueBool() || !plan.Enabled.ValueBool() {
		return integrationAttention{}
	}
	user := state.AuthorizedUsername.ValueString()
	if user == "" {
		return integrationAttention{}
	}
	if plan.InstanceURL.IsUnknown() || !sameInstanceURL(plan.InstanceURL.ValueString(), state.InstanceURL.ValueString()) ||
		plan.Sandbox.IsUnknown() || plan.Sandbox.ValueBool() != state.Sandbox.ValueBool() {
		return integrationAttention{} // the instance change needs a new authorization anyway
	}
	if exp := plan.ExpectedUsername; !exp.IsUnknown() && exp.ValueString() != "" && !strings.EqualFold(exp.ValueString(), user) {
		return integrationAttention{reauthorize: true, why: fmt.Sprintf("CE is connected as %s, but expected_username is "+
			"%s. Apply asks CE for a new authorization link for %s to approve; CE keeps syncing as %s until then.",
			user, exp.ValueString(), exp.ValueString(), user)}
	}
	if refusal == nil || !strings.EqualFold(refusal.Username, user) {
		return integrationAttention{}
	}
	if refusal.Reauthorize && !plan.AllowAdminIntegrationUser.ValueBool() {
		return integrationAttention{reauthorize: true, why: fmt.Sprintf("CE is connected as %s, whom the last apply "+
			"refused as the integration user (a Salesforce administrator). Apply asks CE for a new authorization link "+
			"for a dedicated integration user to approve; set allow_admin_integration_user = true to keep %s.", user, user)}
	}
	return integrationAttention{recheck: true, why: fmt.Sprintf("The last apply could not check %s, the integration "+
		"user CE is connected as, for administrator rights. Apply checks again.", user)}
}

// plannedConnected is the value that makes a missing connection show in
// the plan as `connected = false -> true`.
func plannedConnected(state, plan *salesforceIntegrationModel) types.Bool {
	if plan.Enabled.IsUnknown() || plan.WaitForConnection.IsUnknown() {
		return types.BoolUnknown()
	}
	if !plan.Enabled.ValueBool() {
		return types.BoolValue(false)
	}
	if plan.WaitForConnection.ValueBool() {
		if state == nil {
			// Creating: apply waits, but a wait that runs out still creates
			// the resource, not connected, so that the next apply resumes the
			// wait instead of replacing it (timeoutDiagnostic).
			return types.BoolUnknown()
		}
		return types.BoolValue(true) // apply waits for it, or fails
	}
	if state != nil && state.Connected.ValueBool() && state.Enabled.ValueBool() &&
		!plan.InstanceURL.IsUnknown() && sameInstanceURL(plan.InstanceURL.ValueString(), state.InstanceURL.ValueString()) &&
		!plan.Sandbox.IsUnknown() && plan.Sandbox.ValueBool() == state.Sandbox.ValueBool() {
		return types.BoolValue(true)
	}
	return types.BoolUnknown() // apply asks for an authorization but does not wait
}

func (r *salesforceIntegrationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan salesforceIntegrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var state *salesforceIntegrationModel
	if !req.State.Raw.IsNull() {
		state = &salesforceIntegrationModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	att := attentionFor(state, &plan, readIntegrationRefusal(ctx, req.Private))
	plan.Connected = plannedConnected(state, &plan)
	if att.why != "" {
		resp.Diagnostics.AddWarning("Salesforce integration user needs attention", att.why)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state != nil && resp.Plan.Raw.Equal(req.State.Raw) && !att.reauthorize && !att.recheck {
		return
	}
	// Something will be applied: what CE reports afterwards is not known yet.
	plan.Status = types.StringUnknown()
	plan.StatusMessage = types.StringUnknown()
	plan.AuthorizationURL = types.StringUnknown()
	plan.AuthorizedUsername = types.StringUnknown()
	plan.AuthorizedAt = types.StringUnknown()
	plan.LastSyncedAt = types.StringUnknown()
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *salesforceIntegrationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan salesforceIntegrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultIntegrationTimeout)
	resp.Diagnostics.Append(diags...)
	client := r.data.northpassFor(&resp.Diagnostics, typeIntegration)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	plan.AuthorizationURL = types.StringNull()
	res := r.apply(ctx, client, &plan, applyOptions{creating: true}, &resp.Diagnostics)
	if !res.changed {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	res.savePrivate(ctx, resp.Private, &resp.Diagnostics)
}

func (r *salesforceIntegrationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state salesforceIntegrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultIntegrationTimeout)
	resp.Diagnostics.Append(diags...)
	client := r.data.northpassFor(&resp.Diagnostics, typeIntegration)
	if resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	att := attentionFor(&state, &plan, readIntegrationRefusal(ctx, req.Private))
	// The last link stays useful until it expires or the instance changes.
	plan.AuthorizationURL = state.AuthorizationURL
	res := r.apply(ctx, client, &plan, applyOptions{
		reauthorize: att.reauthorize,
		pending:     readPendingAuthorization(ctx, req.Private),
	}, &resp.Diagnostics)
	if !res.changed {
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	res.savePrivate(ctx, resp.Private, &resp.Diagnostics)
}

// applyOptions say what the apply is for.
type applyOptions struct {
	reauthorize bool
	creating    bool
	// pending is the link an earlier apply left waiting for approval.
	pending *pendingAuthorization
}

// applyResult is what an apply leaves for the next plan and apply.
type applyResult struct {
	// changed: CE was read, so the model holds what CE reports; false when
	// the apply failed before that (the caller keeps the previous state).
	changed bool
	refusal *integrationUserRefusal
	pending *pendingAuthorization
}

// savePrivate records the refusal and the pending link (or clears them).
func (res applyResult) savePrivate(ctx context.Context, p privateSetter, diags *diag.Diagnostics) {
	if isNilPointer(p) {
		return
	}
	diags.Append(p.SetKey(ctx, integrationRefusalKey, encodePrivateJSON(res.refusal))...)
	diags.Append(p.SetKey(ctx, pendingAuthorizationKey, encodePrivateJSON(res.pending))...)
}

// apply brings CE to the plan, connects, and checks the integration user.
// It fills m with what CE reports — also after a failure, so that the
// state tells the truth.
func (r *salesforceIntegrationResource) apply(ctx context.Context, client *npapi.Client, m *salesforceIntegrationModel, opts applyOptions, diags *diag.Diagnostics) applyResult {
	cur, err := client.GetIntegration(ctx)
	if err != nil {
		addIntegrationError(diags, "Cannot read the Salesforce integration", err)
		return applyResult{}
	}
	want := desiredIntegration{
		instanceURL: normalizeInstanceURL(m.InstanceURL.ValueString()),
		sandbox:     m.Sandbox.ValueBool(),
		enabled:     m.Enabled.ValueBool(),
	}
	s, err := applyIntegrationSettings(ctx, client, cur, want)
	if !sameInstanceURL(s.InstanceURL, cur.InstanceURL) || s.Sandbox != cur.Sandbox {
		m.AuthorizationURL = types.StringNull() // a link for the old instance is void
	}
	if err != nil {
		m.setFromSettings(r.reread(ctx, client, s))
		var se *settingsError
		if errors.As(err, &se) {
			diags.AddError(se.summary, se.detail)
		} else {
			addIntegrationError(diags, "Cannot change the Salesforce integration", err)
		}
		// A link from an earlier apply survives a failed change of the
		// enabled flag; resumable() drops it if the instance changed.
		return applyResult{changed: true, pending: opts.pending}
	}

	s, auth, err := connectIntegration(ctx, client, s, connectOptions{
		wait:         m.WaitForConnection.ValueBool(),
		reauthorize:  opts.reauthorize,
		expectedUser: m.ExpectedUsername.ValueString(),
		resume:       opts.pending.resumable(s, time.Now()),
		poll:         r.data.options().integrationPoll,
	}, diags)
	if err != nil {
		s = r.reread(ctx, client, s)
		m.setFromSettings(s)
		if auth != nil {
			m.recordLink(auth.AuthorizeURL)
		}
		var timeout *approvalTimeout
		if errors.As(err, &timeout) {
			timeoutDiagnostic(diags, timeout, m.ExpectedUsername.ValueString(), opts.creating)
		} else {
			addIntegrationError(diags, "Cannot connect the Salesforce integration", err)
		}
		return applyResult{changed: true, pending: newPendingAuthorization(auth, s)}
	}
	m.setFromSettings(s)
	if auth != nil {
		m.recordLink(auth.AuthorizeURL)
	}
	return applyResult{changed: true, refusal: r.checkIntegrationUser(ctx, m, s, diags), pending: newPendingAuthorization(auth, s)}
}

// reread fetches the settings after a failure, on a context that survives an
// expired timeout; it falls back to the last settings seen.
func (r *salesforceIntegrationResource) reread(ctx context.Context, client *npapi.Client, last *npapi.IntegrationSettings) *npapi.IntegrationSettings {
	fresh, cancel := freshContext(ctx)
	defer cancel()
	s, err := client.GetIntegration(fresh)
	if err != nil {
		tflog.Warn(ctx, "Cannot re-read the Salesforce integration after a failure; recording the last settings seen", map[string]any{"error": err.Error()})
		return last
	}
	return s
}

func (r *salesforceIntegrationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state salesforceIntegrationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.data.northpassFor(&resp.Diagnostics, typeIntegration)
	if resp.Diagnostics.HasError() {
		return
	}
	s, err := client.GetIntegration(ctx)
	if err != nil {
		// Never RemoveResource here: under the contract the settings always
		// exist (gone settings read as not_configured, below), so an error —
		// a 404 included, which means the account does not serve the API —
		// says nothing about them.
		addIntegrationError(&resp.Diagnostics, "Cannot read the Salesforce integration", err)
		return
	}
	if s.Status == npapi.StatusNotConfigured || s.InstanceURL == "" {
		tflog.Info(ctx, "The CE Salesforce integration has no instance URL (not_configured); removing it from state")
		resp.State.RemoveResource(ctx)
		return
	}
	state.setFromSettings(s)
	if integrationConnected(s) && resp.Private != nil {
		// Approved since: the link is spent.
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, pendingAuthorizationKey, nil)...)
	}
	if s.Enabled && s.Status == npapi.StatusError {
		resp.Diagnostics.AddWarning("Salesforce integration is not syncing",
			fmt.Sprintf("CE is connected to %s, but reports a sync error: %s", s.InstanceURL, s.StatusMessage))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *salesforceIntegrationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state salesforceIntegrationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.data.northpassFor(&resp.Diagnostics, typeIntegration)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := client.RevokeAuthorization(ctx); err != nil {
		if npapi.IsIntegrationAPINotServed(err) {
			addIntegrationError(&resp.Diagnostics, "", err)
			return
		}
		resp.Diagnostics.AddError("Cannot revoke the Salesforce authorization",
			"Destroying the integration revokes CE's Salesforce tokens, then disables it; revoking failed, so nothing "+
				"was changed: "+err.Error())
		return
	}
	if _, err := client.UpdateIntegration(ctx, npapi.IntegrationUpdate{Enabled: ptr(false)}); err != nil {
		if npapi.IsIntegrationAPINotServed(err) {
			addIntegrationError(&resp.Diagnostics, "", err)
			return
		}
		resp.Diagnostics.AddError("Cannot disable the Salesforce integration",
			"CE's Salesforce tokens were revoked, but disabling the integration failed, so it is still enabled "+
				"(and not connected): "+err.Error())
		return
	}
}

// ImportState adopts the account's integration. There is only one, so the
// id given is not used: `terraform import northpass_salesforce_integration.this salesforce`.
func (r *salesforceIntegrationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("wait_for_connection"), true)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, pathAllowAdmin, false)...)
}

// setFromSettings records what CE reports. The configured instance URL is
// kept when it names the same org, so that case or a trailing slash is not
// a diff.
func (m *salesforceIntegrationModel) setFromSettings(s *npapi.IntegrationSettings) {
	m.ID = types.StringValue(s.ID)
	if m.InstanceURL.IsNull() || m.InstanceURL.IsUnknown() || !sameInstanceURL(m.InstanceURL.ValueString(), s.InstanceURL) {
		m.InstanceURL = types.StringValue(s.InstanceURL)
	}
	m.Sandbox = types.BoolValue(s.Sandbox)
	m.Enabled = types.BoolValue(s.Enabled)
	m.Status = types.StringValue(s.Status)
	m.StatusMessage = types.StringValue(s.StatusMessage)
	m.Connected = types.BoolValue(integrationConnected(s))
	m.AuthorizedUsername = settingsString(s.AuthorizedUsername)
	m.AuthorizedAt = settingsTime(s.AuthorizedAt)
	m.LastSyncedAt = settingsTime(s.LastSyncedAt)
	if m.Connected.ValueBool() || m.AuthorizationURL.IsUnknown() {
		m.AuthorizationURL = types.StringNull()
	}
	if m.WaitForConnection.IsNull() || m.WaitForConnection.IsUnknown() {
		m.WaitForConnection = types.BoolValue(true)
	}
	if m.AllowAdminIntegrationUser.IsNull() || m.AllowAdminIntegrationUser.IsUnknown() {
		m.AllowAdminIntegrationUser = types.BoolValue(false)
	}
}

// recordLink keeps a link that still waits for approval, also while CE is
// connected as a refused user who is being replaced.
func (m *salesforceIntegrationModel) recordLink(link string) {
	if link != "" {
		m.AuthorizationURL = types.StringValue(link)
	}
}

func settingsString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func settingsTime(t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}
