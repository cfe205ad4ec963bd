package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// installedPackageModel is one row of Setup → Installed Packages.
type installedPackageModel struct {
	PackageID     types.String `tfsdk:"package_id"`
	Namespace     types.String `tfsdk:"namespace"`
	Name          types.String `tfsdk:"name"`
	VersionID     types.String `tfsdk:"version_id"`
	VersionName   types.String `tfsdk:"version_name"`
	VersionNumber types.String `tfsdk:"version_number"`
	Major         types.Int64  `tfsdk:"major"`
	Minor         types.Int64  `tfsdk:"minor"`
	Patch         types.Int64  `tfsdk:"patch"`
	Build         types.Int64  `tfsdk:"build"`
	Generation    types.String `tfsdk:"generation"`
}

func newInstalledPackageModel(p sfapi.InstalledPackage) installedPackageModel {
	ns := types.StringNull()
	if p.Namespace != "" {
		ns = types.StringValue(p.Namespace)
	}
	return installedPackageModel{
		PackageID:     types.StringValue(p.PackageID),
		Namespace:     ns,
		Name:          types.StringValue(p.Name),
		VersionID:     types.StringValue(p.VersionID),
		VersionName:   types.StringValue(p.VersionName),
		VersionNumber: types.StringValue(p.VersionNumber()),
		Major:         types.Int64Value(int64(p.Major)),
		Minor:         types.Int64Value(int64(p.Minor)),
		Patch:         types.Int64Value(int64(p.Patch)),
		Build:         types.Int64Value(int64(p.Build)),
		Generation:    types.StringValue(string(p.Generation())),
	}
}

var installedPackageAttrTypes = map[string]attr.Type{
	"package_id": types.StringType, "namespace": types.StringType, "name": types.StringType,
	"version_id": types.StringType, "version_name": types.StringType, "version_number": types.StringType,
	"major": types.Int64Type, "minor": types.Int64Type, "patch": types.Int64Type, "build": types.Int64Type,
	"generation": types.StringType,
}

// installedPackageAttributes describes a package's computed attributes; the
// list data source nests them and the single one puts them at the top level.
func installedPackageAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"package_id": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Id of the package (`033…`), the same for every version."},
		"namespace": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Namespace prefix of the package; null for packages without one."},
		"name": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Package name as shown in Setup → Installed Packages, e.g. `Northpass`."},
		"version_id": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Id of the installed package version (`04t…`)."},
		"version_name": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Name of the installed version, e.g. `2.1`."},
		"version_number": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Installed version as `major.minor.patch.build`, e.g. `2.1.0.3`; compare it with " +
				"`provider::northpass::version_at_least`."},
		"major":      schema.Int64Attribute{Computed: true, MarkdownDescription: "Major version number."},
		"minor":      schema.Int64Attribute{Computed: true, MarkdownDescription: "Minor version number."},
		"patch":      schema.Int64Attribute{Computed: true, MarkdownDescription: "Patch version number."},
		"build":      schema.Int64Attribute{Computed: true, MarkdownDescription: "Build number."},
		"generation": schema.StringAttribute{Computed: true, MarkdownDescription: generationDescription},
	}
}

// generationDescription documents the generation attribute and where it
// comes from, for the resource and the data sources alike.
const generationDescription = "`1GP` for a first-generation package (a managed package uploaded from a packaging org, " +
	"or an unmanaged one), `2GP` for a second-generation package (managed or unlocked). Read from the installed " +
	"version's `SubscriberPackageVersion.Package2ContainerOptions` (Tooling API), which Salesforce sets only for " +
	"second-generation packages. Only a `2GP` package can be uninstalled through the API; a `1GP` package is " +
	"uninstalled in **Setup → Installed Packages**."
