package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

var (
	_ datasource.DataSourceWithConfigure        = (*installedPackageDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*installedPackageDataSource)(nil)
)

func newInstalledPackageDataSource() datasource.DataSource { return &installedPackageDataSource{} }

// installedPackageDataSource finds one installed package by the name users
// see in Setup or by its namespace.
type installedPackageDataSource struct{ data *providerData }

const typeInstalledPackageData dataSourceType = "northpass_salesforce_installed_package"

func (d *installedPackageDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = string(typeInstalledPackageData)
}

func (d *installedPackageDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := installedPackageAttributes()
	attrs["name"] = schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "Package name as shown in **Setup → Installed Packages** (`Northpass`, " +
			"`Gainsight Northpass Data Connector`); matched exactly, ignoring case. Exactly one of `name` and " +
			"`namespace` must be set.",
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attrs["namespace"] = schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "Namespace prefix of the package, matched ignoring case.",
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One package installed in the Salesforce org, found by `name` or `namespace`: the " +
			"guide's \"verify the installed versions\" step. It is an error when no installed package matches, or " +
			"more than one does; the message lists what is installed. Inside a `check` block the error becomes a " +
			"warning, which makes it a health check.",
		Attributes: attrs,
	}
}

func (d *installedPackageDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("name"), path.MatchRoot("namespace")),
	}
}

func (d *installedPackageDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *installedPackageDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg installedPackageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, done := d.data.salesforceFor(&resp.Diagnostics, typeInstalledPackageData)
	defer done()
	if client == nil {
		return
	}
	pkgs, err := client.ListInstalledPackages(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list installed packages", salesforceErrorDetail(err))
		return
	}

	attr, want := path.Root("name"), cfg.Name.ValueString()
	field := func(p sfapi.InstalledPackage) string { return p.Name }
	if !cfg.Namespace.IsNull() {
		attr, want = path.Root("namespace"), cfg.Namespace.ValueString()
		field = func(p sfapi.InstalledPackage) string { return p.Namespace }
	}
	var matches []sfapi.InstalledPackage
	for _, p := range pkgs {
		if strings.EqualFold(field(p), want) {
			matches = append(matches, p)
		}
	}
	switch len(matches) {
	case 1:
		resp.Diagnostics.Append(resp.State.Set(ctx, newInstalledPackageModel(matches[0]))...)
	case 0:
		resp.Diagnostics.AddAttributeError(attr, "Package not installed",
			fmt.Sprintf("No installed package has %s %q. Installed packages:\n%s", attr, want, describePackages(pkgs)))
	default:
		resp.Diagnostics.AddAttributeError(attr, "Several packages match",
			fmt.Sprintf("%d installed packages have %s %q; use namespace to pick one:\n%s", len(matches), attr, want, describePackages(matches)))
	}
}

// describePackages lists packages one per line for error messages.
func describePackages(pkgs []sfapi.InstalledPackage) string {
	return describeEach(pkgs, func(p sfapi.InstalledPackage) string {
		ns := p.Namespace
		if ns == "" {
			ns = "no namespace"
		}
		return fmt.Sprintf("%s (namespace %s): version %s (%s, %s)", p.Name, ns, p.VersionName, p.VersionNumber(), p.VersionID)
	})
}
