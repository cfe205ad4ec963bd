package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

var _ datasource.DataSourceWithConfigure = (*installedPackagesDataSource)(nil)

func newInstalledPackagesDataSource() datasource.DataSource { return &installedPackagesDataSource{} }

// installedPackagesDataSource lists Setup → Installed Packages.
type installedPackagesDataSource struct{ data *providerData }

type installedPackagesModel struct {
	Packages types.List `tfsdk:"packages"`
}

const typeInstalledPackagesData dataSourceType = "northpass_salesforce_installed_packages"

func (d *installedPackagesDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = string(typeInstalledPackagesData)
}

func (d *installedPackagesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every managed or unlocked package installed in the Salesforce org, as listed in " +
			"**Setup → Installed Packages**: use it to verify that the Northpass and Gainsight Northpass Data " +
			"Connector packages are present at the versions the setup guide requires. One Tooling API query, " +
			"paged as needed.",
		Attributes: map[string]schema.Attribute{
			"packages": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The installed packages, ordered by package id.",
				NestedObject:        schema.NestedAttributeObject{Attributes: installedPackageAttributes()},
			},
		},
	}
}

func (d *installedPackagesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *installedPackagesDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, done := d.data.salesforceFor(&resp.Diagnostics, typeInstalledPackagesData)
	defer done()
	if client == nil {
		return
	}
	pkgs, err := client.ListInstalledPackages(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list installed packages", salesforceErrorDetail(err))
		return
	}
	rows := make([]installedPackageModel, 0, len(pkgs))
	for _, p := range pkgs {
		rows = append(rows, newInstalledPackageModel(p))
	}
	list, diags := types.ListValueFrom(ctx, basetypes.ObjectType{AttrTypes: installedPackageAttrTypes}, rows)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, installedPackagesModel{Packages: list})...)
}
