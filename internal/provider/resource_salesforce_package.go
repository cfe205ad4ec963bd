package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

var (
	_ resource.ResourceWithConfigure   = (*salesforcePackageResource)(nil)
	_ resource.ResourceWithImportState = (*salesforcePackageResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*salesforcePackageResource)(nil)
)

// defaultPackageTimeout is how long an install, upgrade or uninstall is
// waited for. Installing a managed package takes minutes, sometimes more.
const defaultPackageTimeout = 30 * time.Minute

// The guide's two install choices, as security_type values.
const (
	securityAdminsOnly = "AdminsOnly"
	securityAllUsers   = "AllUsers"
)

var (
	pathVersionID          = path.Root("version_id")
	pathInstallationKey    = path.Root("installation_key")
	pathUninstallOnDestroy = path.Root("uninstall_on_destroy")
	pathApproveRemoteSites = path.Root("approve_remote_sites")
)

func newSalesforcePackageResource() resource.Resource { return &salesforcePackageResource{} }

// salesforcePackageResource is one managed package in the org, kept at the
// configured version: the guide's "install the Northpass and Data Connector
// packages (Install for Admins Only)".
type salesforcePackageResource struct{ data *providerData }

type salesforcePackageModel struct {
	ID                       types.String   `tfsdk:"id"`
	VersionID                types.String   `tfsdk:"version_id"`
	SecurityType             types.String   `tfsdk:"security_type"`
	InstallationKey          types.String   `tfsdk:"installation_key"`
	InstallationKeyWOVersion types.Int64    `tfsdk:"installation_key_wo_version"`
	UninstallOnDestroy       types.Bool     `tfsdk:"uninstall_on_destroy"`
	ApproveRemoteSites       types.Bool     `tfsdk:"approve_remote_sites"`
	PackageID                types.String   `tfsdk:"package_id"`
	Namespace                types.String   `tfsdk:"namespace"`
	Name                     types.String   `tfsdk:"name"`
	VersionName              types.String   `tfsdk:"version_name"`
	VersionNumber            types.String   `tfsdk:"version_number"`
	Generation               types.String   `tfsdk:"generation"`
	RemoteSiteSettings       types.List     `tfsdk:"remote_site_settings"`
	CSPTrustedSites          types.List     `tfsdk:"csp_trusted_sites"`
	Timeouts                 timeouts.Value `tfsdk:"timeouts"`
}

const typePackage resourceType = "northpass_salesforce_package"

func (r *salesforcePackageResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = string(typePackage)
}

func (r *salesforcePackageResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A managed package installed in the Salesforce org at the version you configure: the " +
			"guide's \"install the **Northpass** and **Gainsight Northpass Data Connector** packages\" step, done " +
			"with **Install for Admins Only** unless you choose otherwise.\n\n" +
			"Apply posts one `PackageInstallRequest` for the version and waits until Salesforce reports it finished " +
			"(polling every 2 s at first, then less often, up to every 30 s). A version that is already installed is " +
			"adopted without an install request. Changing `version_id` to a later version of the same package " +
			"upgrades it in place; a version of another package replaces the resource.\n\n" +
			"Salesforce cannot downgrade a package: a `version_id` earlier than the installed version (also after " +
			"someone upgraded the package in Setup) is refused at plan time.\n\n" +
			"Every plan reads Setup → Installed Packages, so an upgrade or an uninstall done in Setup shows up: a " +
			"different installed version plans an update, an uninstalled package plans its installation again.\n\n" +
			"If the timeout runs out while Salesforce is still installing, apply fails and names the install " +
			"request; the install carries on in Salesforce, and the next apply waits for that request instead of " +
			"posting a second one.\n\n" +
			"Destroying only removes the package from Terraform's state and leaves it installed, because " +
			"uninstalling a package deletes its data (the Enrollments). Set `uninstall_on_destroy = true` to " +
			"uninstall it instead; Salesforce's API can only uninstall second-generation (`2GP`) packages, so for a " +
			"first-generation (`1GP`) package that is refused at plan time and the package is uninstalled in " +
			"**Setup → Installed Packages**.\n\n" +
			"A version may bring Remote Site Settings and CSP Trusted Sites (third-party sites it calls or loads); " +
			"they are in `remote_site_settings` and `csp_trusted_sites`. Installing in Setup asks the admin to " +
			"approve them; here `approve_remote_sites = true` approves them (the install request's `EnableRss`). " +
			"When a version to be installed brings sites and `approve_remote_sites` is not set, plan warns: without " +
			"approval the sites arrive inactive.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The package's id (`033…`), the same as `package_id`; it stays the same across upgrades.",
				Computed:            true,
			},
			"version_id": schema.StringAttribute{
				MarkdownDescription: "The package version to install, its `04t…` id (15 or 18 characters), from the " +
					"package's install link (`/packaging/installPackage.apexp?p0=04t…`) or from the publisher. After " +
					"an upgrade or uninstall in Setup, the next plan shows the installed version here and plans the " +
					"change back to this one. Changing it to a later version of the same package upgrades the " +
					"package in place; an earlier version is refused (Salesforce cannot downgrade); a version of " +
					"another package replaces the resource.",
				Required:   true,
				Validators: []validator.String{salesforceID("04t")},
			},
			"security_type": schema.StringAttribute{
				MarkdownDescription: "Who gets access to the package's components when it is installed or upgraded: " +
					"`AdminsOnly` is the guide's **Install for Admins Only** (Salesforce's `SecurityType` `None`; " +
					"users then get access through permission sets such as **Northpass Standard User**), `AllUsers` " +
					"is **Install for All Users** (`Full`). Defaults to `AdminsOnly`. Changing it later does not " +
					"change access to an installed package; it applies to the next install or upgrade. Salesforce " +
					"does not report how a package was installed, so an import records `AdminsOnly`.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(securityAdminsOnly),
				Validators: []validator.String{stringvalidator.OneOf(securityAdminsOnly, securityAllUsers)},
			},
			"installation_key": schema.StringAttribute{
				MarkdownDescription: "The installation key (password) the publisher gave you, for a protected " +
					"package version. Write-only: it is sent with the install request and never stored in the " +
					"state or the plan. Needs `installation_key_wo_version`.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.AlsoRequires(path.MatchRoot("installation_key_wo_version")),
				},
			},
			"installation_key_wo_version": schema.Int64Attribute{
				MarkdownDescription: "A number you change whenever you change `installation_key`: Terraform cannot see " +
					"write-only values, so this is how a new key shows in the plan. The key is only used when a " +
					"version is installed, so changing this alone installs nothing.",
				Optional: true,
			},
			"uninstall_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "Whether destroying the resource uninstalls the package. Defaults to `false`: " +
					"destroy only removes the package from Terraform's state and leaves it installed, because " +
					"uninstalling deletes the package's data (its objects and their records, such as the " +
					"Enrollments) and its permission sets. With `true`, destroy posts an uninstall request and waits " +
					"for it (`timeouts.delete`).",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"approve_remote_sites": schema.BoolAttribute{
				MarkdownDescription: "Whether installing or upgrading approves the third-party sites the version " +
					"brings (`remote_site_settings` and `csp_trusted_sites`), as the admin does when the install page asks " +
					"to grant access to them: `true` sends the install request with " +
					"`EnableRss`, so the sites arrive active. With `false`, or unset, they arrive inactive and the " +
					"package's calls to them fail until an admin activates them in **Setup → Remote Site Settings** " +
					"and **Trusted URLs**. When the version to be installed brings sites and this is unset, plan " +
					"warns. Like `sf package install`, `EnableRss` is only sent for a version that brings sites. " +
					"Salesforce does not report whether sites were approved, so an import leaves this unset and " +
					"changing it later installs nothing.",
				Optional: true,
			},
			"package_id": schema.StringAttribute{
				MarkdownDescription: "Id of the package (`033…`), the same for every version.",
				Computed:            true,
			},
			"namespace": schema.StringAttribute{
				MarkdownDescription: "Namespace prefix of the package; null for packages without one.",
				Computed:            true,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Package name as shown in **Setup → Installed Packages**, e.g. `Northpass`.",
				Computed:            true,
			},
			"version_name": schema.StringAttribute{
				MarkdownDescription: "Name of the installed version, e.g. `2.1`.",
				Computed:            true,
			},
			"version_number": schema.StringAttribute{
				MarkdownDescription: "Installed version as `major.minor.patch.build`, e.g. `2.1.0.3`; compare it with " +
					"`provider::northpass::version_at_least`.",
				Computed: true,
			},
			"generation": schema.StringAttribute{
				MarkdownDescription: generationDescription,
				Computed:            true,
			},
			"remote_site_settings": schema.ListAttribute{
				MarkdownDescription: "URLs of the Remote Site Settings the version brings (the services it calls out " +
					"to), from `SubscriberPackageVersion.RemoteSiteSettings`; empty when it brings none. Salesforce " +
					"lists the sites new in the version, so an upgrade may list fewer than the package uses.",
				ElementType: types.StringType,
				Computed:    true,
			},
			"csp_trusted_sites": schema.ListAttribute{
				MarkdownDescription: "URLs of the CSP Trusted Sites (Trusted URLs) the version brings, from " +
					"`SubscriberPackageVersion.CspTrustedSites`; empty when it brings none.",
				ElementType: types.StringType,
				Computed:    true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create: true, Update: true, Delete: true,
				CreateDescription: "How long create waits for the install to finish (default `30m`).",
				UpdateDescription: "How long update waits for the upgrade to finish (default `30m`).",
				DeleteDescription: "How long destroy waits for the uninstall, with `uninstall_on_destroy` (default `30m`).",
			}),
		},
	}
}

func (r *salesforcePackageResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

// installationKey reads the write-only key from the configuration, where
// alone it exists; known is false while it is unknown (e.g. from an
// ephemeral resource during plan).
func installationKey(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) (key string, known bool) {
	var v types.String
	diags.Append(cfg.GetAttribute(ctx, pathInstallationKey, &v)...)
	if v.IsUnknown() {
		return "", false
	}
	return v.ValueString(), true
}

// maskKey keeps the installation key out of every log line, including the
// client's (it logs through tflog with this context).
func maskKey(ctx context.Context, key string) context.Context {
	if key == "" {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, key)
	return tflog.MaskAllFieldValuesStrings(ctx, key)
}

func securityTypeOf(v types.String) sfapi.SecurityType {
	if v.ValueString() == securityAllUsers {
		return sfapi.SecurityAllUsers
	}
	return sfapi.SecurityAdminsOnly
}

func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// setInstalled records what Setup → Installed Packages shows. The configured
// spelling of version_id (15 or 18 characters) is kept for the same version.
func (m *salesforcePackageModel) setInstalled(p *sfapi.InstalledPackage) {
	m.ID = types.StringValue(p.PackageID)
	m.PackageID = types.StringValue(p.PackageID)
	if m.VersionID.IsNull() || m.VersionID.IsUnknown() || !samePackageRecordID(m.VersionID.ValueString(), p.VersionID) {
		m.VersionID = types.StringValue(p.VersionID)
	}
	m.Namespace = optionalString(p.Namespace)
	m.Name = types.StringValue(p.Name)
	m.VersionName = types.StringValue(p.VersionName)
	m.VersionNumber = types.StringValue(p.VersionNumber())
	m.Generation = types.StringValue(string(p.Generation()))
	m.InstallationKey = types.StringNull()
}

// setSites records the third-party sites a version brings.
func (m *salesforcePackageModel) setSites(v *sfapi.PackageVersion) {
	urls := make([]string, 0, len(v.RemoteSiteSettings))
	for _, r := range v.RemoteSiteSettings {
		urls = append(urls, r.URL)
	}
	m.RemoteSiteSettings = stringList(urls)
	m.CSPTrustedSites = stringList(v.CSPTrustedSites)
}

func stringList(vals []string) types.List {
	elems := make([]attr.Value, len(vals))
	for i, v := range vals {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}

// setPlannedVersion fills what the plan knows once the version is looked up;
// the same values Installed Packages shows after the install.
func (m *salesforcePackageModel) setPlannedVersion(v *sfapi.PackageVersion) {
	m.ID = types.StringValue(v.PackageID)
	m.PackageID = types.StringValue(v.PackageID)
	m.Namespace = optionalString(v.Namespace)
	m.Name = types.StringValue(v.Name)
	m.VersionName = types.StringValue(v.VersionName)
	m.VersionNumber = types.StringValue(v.Number().String())
	m.Generation = types.StringValue(string(v.Generation()))
	m.setSites(v)
}

func (m *salesforcePackageModel) copyComputed(from *salesforcePackageModel) {
	m.ID, m.PackageID = from.ID, from.PackageID
	m.Namespace, m.Name = from.Namespace, from.Name
	m.VersionName, m.VersionNumber = from.VersionName, from.VersionNumber
	m.Generation, m.RemoteSiteSettings, m.CSPTrustedSites = from.Generation, from.RemoteSiteSettings, from.CSPTrustedSites
}

func (m *salesforcePackageModel) unknownComputed() {
	m.ID, m.PackageID = types.StringUnknown(), types.StringUnknown()
	m.Namespace, m.Name = types.StringUnknown(), types.StringUnknown()
	m.VersionName, m.VersionNumber = types.StringUnknown(), types.StringUnknown()
	m.Generation = types.StringUnknown()
	m.RemoteSiteSettings, m.CSPTrustedSites = types.ListUnknown(types.StringType), types.ListUnknown(types.StringType)
}

// ModifyPlan checks a new version_id against the org: it must exist, must
// not be earlier than the installed version, and decides between upgrade
// (same package) and replacement (another package). An unchanged version
// costs no API call here; Read has already compared it with the org.
func (r *salesforcePackageResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		// Destroy: a package the API cannot uninstall is refused now, not
		// halfway through the destroy.
		if !req.State.Raw.IsNull() {
			var state salesforcePackageModel
			resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
			checkUninstallOnDestroy(&state, "destroy", &resp.Diagnostics)
		}
		return
	}
	var plan salesforcePackageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var state *salesforcePackageModel
	if !req.State.Raw.IsNull() {
		state = &salesforcePackageModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	plan.InstallationKey = types.StringNull()

	vid := plan.VersionID.ValueString()
	switch {
	case plan.VersionID.IsUnknown():
		plan.unknownComputed()
	case checkSalesforceID(vid, "04t") != "":
		return // the attribute's validator reports it
	case state != nil && samePackageRecordID(state.VersionID.ValueString(), vid):
		plan.copyComputed(state) // installed as configured; other changes are only recorded
	default:
		r.planVersionChange(ctx, req.Config, state, &plan, resp)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	checkUninstallOnDestroy(&plan, "plan", &resp.Diagnostics)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *salesforcePackageResource) planVersionChange(ctx context.Context, cfg tfsdk.Config, state, plan *salesforcePackageModel, resp *resource.ModifyPlanResponse) {
	plan.unknownComputed()
	if r.data == nil {
		return // the provider is not configured yet, e.g. during validation
	}
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePackage)
	defer done()
	if client == nil {
		return
	}
	key, keyKnown := installationKey(ctx, cfg, &resp.Diagnostics)
	ctx = maskKey(ctx, key)
	vid := plan.VersionID.ValueString()

	pv, err := lookupPackageVersion(ctx, client, vid, key)
	if err != nil {
		switch {
		case sfapi.IsNotFound(err) && !keyKnown:
			tflog.Info(ctx, "Package version not visible without its installation key, which is known only at apply", map[string]any{"version_id": vid})
		case sfapi.IsNotFound(err):
			resp.Diagnostics.AddAttributeError(pathVersionID, "Package version not found",
				fmt.Sprintf("Salesforce has no package version %s that this org can see: %s\n\nCheck version_id against "+
					"the package's install link, and for a protected package the installation_key.", vid, salesforceErrorDetail(err)))
		default:
			resp.Diagnostics.AddAttributeError(pathVersionID, "Cannot read the package version",
				fmt.Sprintf("Reading package version %s failed: %s", vid, salesforceErrorDetail(err)))
		}
		return
	}
	pkgs, err := client.ListInstalledPackages(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list installed packages", salesforceErrorDetail(err))
		return
	}
	installed := findInstalledByPackage(pkgs, pv.PackageID)
	if installed != nil && sfapi.CompareVersions(pv.Number(), installed.Number()) < 0 {
		resp.Diagnostics.AddAttributeError(pathVersionID, "Salesforce cannot downgrade a package",
			fmt.Sprintf("version_id is %s, but the org has a later version installed: %s %s (%s, %s). Salesforce "+
				"cannot install an earlier version over a later one.\n\nSet version_id to %s (the installed version) or "+
				"a later one. Going back to %s would mean uninstalling the package first, which deletes its data.",
				versionLabel(pv), installed.Name, installed.VersionName, installed.VersionNumber(), installed.VersionID,
				installed.VersionID, pv.VersionName))
		return
	}
	if state != nil && !samePackageRecordID(state.PackageID.ValueString(), pv.PackageID) {
		tflog.Info(ctx, "version_id belongs to another package: planning replacement", map[string]any{
			"old_package_id": state.PackageID.ValueString(), "new_package_id": pv.PackageID,
		})
		resp.RequiresReplace = append(resp.RequiresReplace, pathVersionID)
		checkUninstallOnDestroy(state, "destroy", &resp.Diagnostics) // replacing destroys the old package first
	}
	adopt := installed != nil && samePackageRecordID(installed.VersionID, pv.VersionID)
	if st := pv.InstallValidationStatus; !adopt && st != "" && st != "NO_ERRORS_DETECTED" {
		resp.Diagnostics.AddAttributeWarning(pathVersionID, "Salesforce expects this install to fail",
			fmt.Sprintf("Salesforce's pre-install check for %s reports %s, so the install will probably end with an "+
				"error (UNINSTALL_IN_PROGRESS: an uninstall of the package is running; PACKAGE_UNAVAILABLE: the "+
				"version is not available yet; NAMESPACE_COLLISION: another package uses its namespace).", versionLabel(pv), st))
	}
	if sites := pv.ExternalSites(); !adopt && len(sites) > 0 && plan.ApproveRemoteSites.IsNull() {
		resp.Diagnostics.AddAttributeWarning(pathApproveRemoteSites, "The package brings third-party sites to approve",
			fmt.Sprintf("%s may send or receive data from these third-party sites:\n  - %s\n\nInstalling it in Setup asks "+
				"you to grant access to them. Set approve_remote_sites = true to approve them with the install (the install "+
				"request's EnableRss), or false to install them inactive; unset, they arrive inactive and the package's "+
				"calls to them fail until an admin activates them in Setup → Remote Site Settings and Trusted URLs.",
				versionLabel(pv), strings.Join(sites, "\n  - ")))
	}
	plan.setPlannedVersion(pv)
}

func (r *salesforcePackageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan salesforcePackageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	key, _ := installationKey(ctx, req.Config, &resp.Diagnostics)
	timeout, diags := plan.Timeouts.Create(ctx, defaultPackageTimeout)
	resp.Diagnostics.Append(diags...)
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePackage)
	defer done()
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = maskKey(ctx, key)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	// A failed create records nothing: a tainted package would be replaced,
	// and with uninstall_on_destroy that means uninstalling it. A timed-out
	// install is found again by the next apply through Salesforce's list of
	// running install requests.
	if _, err := r.install(ctx, client, &plan, key, nil, "create", timeout, &resp.Diagnostics); err != nil {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *salesforcePackageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state salesforcePackageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	key, _ := installationKey(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.InstallationKey = types.StringNull()
	if samePackageRecordID(plan.VersionID.ValueString(), state.VersionID.ValueString()) {
		// Only security_type, the key's version, uninstall_on_destroy or
		// timeouts changed: they matter for the next install or destroy.
		plan.copyComputed(&state)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultPackageTimeout)
	resp.Diagnostics.Append(diags...)
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePackage)
	defer done()
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = maskKey(ctx, key)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	pending := readPendingRequest(ctx, req.Private)
	run, err := r.install(ctx, client, &plan, key, pending, "update", timeout, &resp.Diagnostics)
	if err != nil {
		// The state keeps the version that is still installed. A request
		// that may still be running is recorded, so the next apply waits for
		// it instead of posting another.
		var ie *sfapi.InstallError
		if run != nil && run.requestID != "" && !errors.As(err, &ie) {
			resp.Diagnostics.Append(writePendingRequest(ctx, resp.Private, &pendingRequest{
				Kind: pendingInstall, RequestID: run.requestID, VersionID: run.version.VersionID,
			})...)
		} else if pending != nil && pending.Kind == pendingInstall {
			resp.Diagnostics.Append(writePendingRequest(ctx, resp.Private, nil)...)
		}
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if pending != nil && pending.Kind == pendingInstall {
		resp.Diagnostics.Append(writePendingRequest(ctx, resp.Private, nil)...)
	}
}

// install gets m's version installed and fills m from Installed Packages.
// It adopts a version that is already installed, refuses a downgrade, and
// otherwise waits for a running request for the version or posts one. The
// returned run is nil when no request was involved.
func (r *salesforcePackageResource) install(ctx context.Context, client *sfapi.Client, m *salesforcePackageModel, key string,
	pending *pendingRequest, action string, timeout time.Duration, diags *diag.Diagnostics,
) (*installRun, error) {
	vid := m.VersionID.ValueString()
	pv, err := lookupPackageVersion(ctx, client, vid, key)
	if err != nil {
		diags.AddAttributeError(pathVersionID, "Cannot read the package version",
			fmt.Sprintf("Reading package version %s before installing it failed: %s", vid, salesforceErrorDetail(err)))
		return nil, err
	}
	pkgs, err := client.ListInstalledPackages(sfapi.WithFreshReads(ctx))
	if err != nil {
		diags.AddError("Cannot list installed packages", salesforceErrorDetail(err))
		return nil, err
	}
	installed := findInstalledByPackage(pkgs, pv.PackageID)
	var run *installRun
	switch {
	case installed != nil && samePackageRecordID(installed.VersionID, pv.VersionID):
		tflog.Info(ctx, "Package version already installed; adopting it without an install request",
			map[string]any{"version_id": pv.VersionID, "package": pv.Name, "version": pv.VersionName})
	case installed != nil && sfapi.CompareVersions(pv.Number(), installed.Number()) < 0:
		err := fmt.Errorf("%s is installed, later than %s", installed.VersionNumber(), pv.Number())
		diags.AddAttributeError(pathVersionID, "Salesforce cannot downgrade a package",
			fmt.Sprintf("The org has %s %s (%s, %s) installed since the plan was made, which is later than %s. "+
				"Salesforce cannot install an earlier version; set version_id to %s or a later version.",
				installed.Name, installed.VersionName, installed.VersionNumber(), installed.VersionID, versionLabel(pv), installed.VersionID))
		return nil, err
	default:
		run = &installRun{client: client, version: pv, security: securityTypeOf(m.SecurityType), key: key, pending: pending,
			poll: r.data.options().packagePoll,
			// As `sf package install` does: EnableRss only for a version
			// that brings sites, and only once they are approved.
			enableRss: m.ApproveRemoteSites.ValueBool() && len(pv.ExternalSites()) > 0}
		if err := run.run(ctx); err != nil {
			addInstallError(diags, err, run, action, timeout)
			return run, err
		}
		// Read what Salesforce now shows, even if the timeout is nearly spent.
		fresh, cancel := freshContext(ctx)
		defer cancel()
		if pkgs, err = client.ListInstalledPackages(sfapi.WithFreshReads(fresh)); err != nil {
			diags.AddError("Cannot list installed packages",
				fmt.Sprintf("Install request %s for %s succeeded, but listing the installed packages afterwards failed: %s",
					run.requestID, versionLabel(pv), salesforceErrorDetail(err)))
			return run, err
		}
		installed = findInstalledByPackage(pkgs, pv.PackageID)
		if installed == nil || !samePackageRecordID(installed.VersionID, pv.VersionID) {
			now := "the package is not listed"
			if installed != nil {
				now = fmt.Sprintf("version %s (%s) is listed", installed.VersionNumber(), installed.VersionID)
			}
			err := fmt.Errorf("installed version differs")
			diags.AddError("Package install did not take effect",
				fmt.Sprintf("Salesforce reported install request %s for %s as SUCCESS, but in Installed Packages %s. "+
					"Check Setup → Installed Packages, then apply again.", run.requestID, versionLabel(pv), now))
			return run, err
		}
	}
	m.setInstalled(installed)
	m.setSites(pv)
	return run, nil
}

func (r *salesforcePackageResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state salesforcePackageModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePackage)
	defer done()
	if resp.Diagnostics.HasError() {
		return
	}
	pkgs, err := client.ListInstalledPackages(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list installed packages", salesforceErrorDetail(err))
		return
	}
	installed := findInstalledByPackage(pkgs, state.PackageID.ValueString())
	if installed == nil {
		tflog.Info(ctx, "Package is no longer installed; removing it from state so that the plan installs it again",
			map[string]any{"package_id": state.PackageID.ValueString(), "name": state.Name.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	sameVersion := samePackageRecordID(state.VersionID.ValueString(), installed.VersionID)
	state.setInstalled(installed)
	if !sameVersion || state.RemoteSiteSettings.IsNull() || state.CSPTrustedSites.IsNull() {
		// Another version is installed (changed in Setup), or the state
		// predates the sites: read them once. A version's sites never change.
		r.readSites(ctx, client, &state, installed.VersionID, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	if p := readPendingRequest(ctx, req.Private); p != nil && p.Kind == pendingInstall && samePackageRecordID(p.VersionID, installed.VersionID) {
		resp.Diagnostics.Append(writePendingRequest(ctx, resp.Private, nil)...) // it finished
	}
}

func (r *salesforcePackageResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state salesforcePackageModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !state.UninstallOnDestroy.ValueBool() {
		tflog.Info(ctx, "Leaving the package installed (uninstall_on_destroy is false); only removing it from state",
			map[string]any{"package_id": state.PackageID.ValueString(), "name": state.Name.ValueString()})
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultPackageTimeout)
	resp.Diagnostics.Append(diags...)
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePackage)
	defer done()
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	pkgs, err := client.ListInstalledPackages(sfapi.WithFreshReads(ctx))
	if err != nil {
		resp.Diagnostics.AddError("Cannot list installed packages", salesforceErrorDetail(err))
		return
	}
	installed := findInstalledByPackage(pkgs, state.PackageID.ValueString())
	if installed == nil {
		tflog.Info(ctx, "Package already uninstalled", map[string]any{"package_id": state.PackageID.ValueString()})
		return
	}
	label := fmt.Sprintf("%s %s (%s, %s)", installed.Name, installed.VersionName, installed.VersionNumber(), installed.VersionID)
	if !sfapi.UninstallableByAPI(installed.Generation()) {
		addFirstGenerationUninstallError(&resp.Diagnostics, label)
		return
	}

	var requestID string
	if p := readPendingRequest(ctx, req.Private); p != nil && p.Kind == pendingUninstall && samePackageRecordID(p.VersionID, installed.VersionID) {
		requestID = p.RequestID
		tflog.Info(ctx, "Resuming the uninstall request an earlier destroy left running", map[string]any{"request_id": requestID})
	} else {
		var done bool
		requestID, done, err = startUninstall(ctx, client, installed)
		if err != nil {
			resp.Diagnostics.AddError("Cannot uninstall the package",
				fmt.Sprintf("Posting the uninstall request for %s failed: %s", label, salesforceErrorDetail(err)))
			return
		}
		if done {
			return
		}
	}
	policy := r.data.options().packagePoll
	policy.Progress = func(attempt int, status string) {
		tflog.Info(ctx, "Waiting for the package uninstall", map[string]any{
			"request_id": requestID, "version_id": installed.VersionID, "attempt": attempt, "status": status,
		})
	}
	err = client.WaitPackageUninstall(ctx, requestID, policy)
	if err == nil {
		return
	}
	var we *sfapi.WaitError
	var ue *sfapi.UninstallError
	switch {
	case errors.As(err, &we):
		resp.Diagnostics.Append(writePendingRequest(ctx, resp.Private, &pendingRequest{
			Kind: pendingUninstall, RequestID: requestID, VersionID: installed.VersionID,
		})...)
		resp.Diagnostics.AddError("Package uninstall still running",
			fmt.Sprintf("Salesforce is still uninstalling %s: uninstall request %s (last status %s) had not finished when "+
				"the delete timeout (%s) ran out. The uninstall keeps running in Salesforce. Run destroy again, with a longer "+
				"timeouts.delete if needed: it waits for request %s instead of posting another.",
				label, requestID, we.LastStatus, timeout, requestID))
	case errors.As(err, &ue):
		resp.Diagnostics.Append(writePendingRequest(ctx, resp.Private, nil)...)
		resp.Diagnostics.AddError("Salesforce could not uninstall the package",
			fmt.Sprintf("Uninstalling %s failed: uninstall request %s ended with Error. Salesforce says:\n  - %s\n\nThe "+
				"package stays installed. Fix the cause (Setup → Installed Packages shows what depends on it) and destroy "+
				"again, or set uninstall_on_destroy = false to leave it installed.", label, requestID, strings.Join(ue.Messages, "\n  - ")))
	default:
		resp.Diagnostics.AddError("Cannot follow the package uninstall",
			fmt.Sprintf("Uninstall request %s for %s was posted, but reading its status failed: %s", requestID, label, salesforceErrorDetail(err)))
	}
}

// ImportState adopts an installed package by the 04t id of a version
// (`terraform import northpass_salesforce_package.np 04t…`) or by its
// namespace (`… northpass`). The state records the installed version.
func (r *salesforcePackageResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePackage)
	defer done()
	if resp.Diagnostics.HasError() {
		return
	}
	pkgs, err := client.ListInstalledPackages(sfapi.WithFreshReads(ctx))
	if err != nil {
		resp.Diagnostics.AddError("Cannot list installed packages", salesforceErrorDetail(err))
		return
	}
	id := strings.TrimSpace(req.ID)
	var found *sfapi.InstalledPackage
	if checkSalesforceID(id, "04t") == "" {
		for i := range pkgs {
			if samePackageRecordID(pkgs[i].VersionID, id) {
				found = &pkgs[i]
			}
		}
		if found == nil {
			// Another version of an installed package: import that package.
			if pv, err := client.GetPackageVersion(ctx, id, ""); err == nil {
				found = findInstalledByPackage(pkgs, pv.PackageID)
			}
			if found != nil {
				resp.Diagnostics.AddWarning("Imported the installed version",
					fmt.Sprintf("Version %s is not the one installed; the org has %s %s (%s, %s) installed, which the state "+
						"now records. Set version_id to %s to match, or to a later version to upgrade.",
						id, found.Name, found.VersionName, found.VersionNumber(), found.VersionID, found.VersionID))
			}
		}
	} else {
		for i := range pkgs {
			if pkgs[i].Namespace != "" && strings.EqualFold(pkgs[i].Namespace, id) {
				found = &pkgs[i]
			}
		}
	}
	if found == nil {
		resp.Diagnostics.AddError("Cannot import the package",
			fmt.Sprintf("No installed package has the version id or namespace %q. Import by the 04t… id of the installed "+
				"version or by the package's namespace. Installed packages:\n%s", id, describePackages(pkgs)))
		return
	}
	set := func(p path.Path, v any) { resp.Diagnostics.Append(resp.State.SetAttribute(ctx, p, v)...) }
	set(path.Root("id"), found.PackageID)
	set(path.Root("package_id"), found.PackageID)
	set(pathVersionID, found.VersionID)
	set(path.Root("security_type"), securityAdminsOnly)
	set(path.Root("uninstall_on_destroy"), false)
	set(path.Root("namespace"), optionalString(found.Namespace))
	set(path.Root("name"), found.Name)
	set(path.Root("version_name"), found.VersionName)
	set(path.Root("version_number"), found.VersionNumber())
	set(path.Root("generation"), string(found.Generation()))
	// Salesforce does not report whether the sites were approved.
	set(pathApproveRemoteSites, types.BoolNull())
	var m salesforcePackageModel
	r.readSites(ctx, client, &m, found.VersionID, &resp.Diagnostics)
	set(path.Root("remote_site_settings"), m.RemoteSiteSettings)
	set(path.Root("csp_trusted_sites"), m.CSPTrustedSites)
}

// readSites reads the sites an installed version brought into m. Failing to
// read them is not worth failing a refresh or an import for: they stay
// empty and a warning says why.
func (r *salesforcePackageResource) readSites(ctx context.Context, client *sfapi.Client, m *salesforcePackageModel, versionID string, diags *diag.Diagnostics) {
	pv, err := client.GetPackageVersion(ctx, versionID, "")
	if err != nil {
		m.setSites(&sfapi.PackageVersion{})
		diags.AddWarning("Cannot read the package version's remote sites",
			fmt.Sprintf("Reading package version %s for its Remote Site Settings and CSP Trusted Sites failed, so "+
				"remote_site_settings and csp_trusted_sites are empty: %s", versionID, salesforceErrorDetail(err)))
		return
	}
	m.setSites(pv)
}
