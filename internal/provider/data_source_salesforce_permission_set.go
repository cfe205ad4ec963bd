package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

var (
	_ datasource.DataSourceWithConfigure        = (*permissionSetDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*permissionSetDataSource)(nil)
)

func newPermissionSetDataSource() datasource.DataSource { return &permissionSetDataSource{} }

// permissionSetDataSource finds a permission set by the label Setup shows or
// by its API name, so configurations never carry org-specific ids.
type permissionSetDataSource struct{ data *providerData }

type permissionSetModel struct {
	ID            types.String `tfsdk:"id"`
	Label         types.String `tfsdk:"label"`
	Name          types.String `tfsdk:"name"`
	Namespace     types.String `tfsdk:"namespace"`
	QualifiedName types.String `tfsdk:"qualified_name"`
}

// permissionSetAPIName: letters, digits and single underscores, starting
// with a letter. Two underscores would be a namespace prefix, which has
// its own attribute.
var permissionSetAPIName = regexp.MustCompile(`^[A-Za-z](_?[A-Za-z0-9])*$`)

const typePermissionSetData dataSourceType = "northpass_salesforce_permission_set"

func (d *permissionSetDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = string(typePermissionSetData)
}

func (d *permissionSetDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One permission set of the Salesforce org, found by the `label` shown in Setup → " +
			"Permission Sets (such as \"Northpass Standard User\", the permission set the guide assigns) or by its API " +
			"`name`, optionally narrowed by `namespace`. Use its `id` in `northpass_salesforce_permission_set_assignment(s)` " +
			"instead of copying ids, which differ from org to org.\n\n" +
			"It is an error when no permission set matches, or when several do (the message lists them, so that " +
			"`namespace` or `name` can pick one). Permission sets owned by a profile are never returned.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The 18-character id of the permission set (`0PS…`).",
				Computed:            true,
			},
			"label": schema.StringAttribute{
				MarkdownDescription: "The label shown in Setup → Permission Sets, such as \"Northpass Standard User\". " +
					"Matched exactly, ignoring case. Exactly one of `label` and `name` must be set.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.LengthBetween(1, 80)},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The API name (Setup shows it as **API Name**), without a namespace prefix, such as " +
					"`Sales_Ops`. Matched ignoring case. For a permission set from a managed package, set `namespace` " +
					"too, or expect an error when another package has a permission set of the same name.",
				Optional: true,
				Computed: true,
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, 80),
					stringvalidator.RegexMatches(permissionSetAPIName, "must be an API name (letters, digits and single "+
						"underscores, starting with a letter) without a namespace prefix; set a packaged permission set's "+
						"namespace in namespace"),
				},
			},
			"namespace": schema.StringAttribute{
				MarkdownDescription: "The namespace prefix of the managed package the permission set comes from (shown " +
					"in Setup → Installed Packages). When set, only that package's permission sets match; `\"\"` matches " +
					"only permission sets that are not from a package. Computed as `\"\"` for those.",
				Optional: true,
				Computed: true,
			},
			"qualified_name": schema.StringAttribute{
				MarkdownDescription: "The API name with its namespace prefix, `namespace__Name` (just `Name` for a " +
					"permission set that is not from a package): the form metadata and import ids use.",
				Computed: true,
			},
		},
	}
}

func (d *permissionSetDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("label"), path.MatchRoot("name")),
	}
}

func (d *permissionSetDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *permissionSetDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg permissionSetModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, done := d.data.salesforceFor(&resp.Diagnostics, typePermissionSetData)
	defer done()
	if client == nil {
		return
	}
	var f sfapi.PermissionSetFilter
	attr, what := path.Root("label"), fmt.Sprintf("label %q", cfg.Label.ValueString())
	if !cfg.Name.IsNull() {
		f.Name = cfg.Name.ValueString()
		attr, what = path.Root("name"), fmt.Sprintf("API name %q", cfg.Name.ValueString())
	} else {
		f.Label = cfg.Label.ValueString()
	}
	if !cfg.Namespace.IsNull() {
		f.Namespace, f.NamespaceSet = cfg.Namespace.ValueString(), true
		if f.Namespace == "" {
			what += " outside any package"
		} else {
			what += fmt.Sprintf(" in namespace %q", f.Namespace)
		}
	}
	sets, err := client.FindPermissionSets(ctx, f)
	if err != nil {
		resp.Diagnostics.AddError("Cannot look up the permission set", salesforceErrorDetail(err))
		return
	}
	switch len(sets) {
	case 0:
		resp.Diagnostics.AddAttributeError(attr, "Permission set not found",
			fmt.Sprintf("No permission set has the %s. Setup → Permission Sets lists labels and API names; a permission "+
				"set that comes with a managed package exists only while the package is installed.", what))
		return
	case 1:
	default:
		var hint string
		switch {
		case cfg.Name.IsNull() && cfg.Namespace.IsNull():
			hint = "set namespace, or look it up by name"
		case cfg.Name.IsNull():
			hint = "look it up by name"
		default:
			hint = "set namespace (\"\" for the one outside any package)"
		}
		resp.Diagnostics.AddAttributeError(attr, "Several permission sets match",
			fmt.Sprintf("%d permission sets have the %s; %s to pick one:\n%s", len(sets), what, hint, describePermissionSets(sets)))
		return
	}
	ps := sets[0]
	// Keep configured values as written (matching ignores case); fill in
	// the rest from Salesforce.
	out := permissionSetModel{
		ID:            types.StringValue(ps.ID),
		Label:         cfg.Label,
		Name:          cfg.Name,
		Namespace:     cfg.Namespace,
		QualifiedName: types.StringValue(qualifiedPermissionSetName(ps)),
	}
	if out.Label.IsNull() {
		out.Label = types.StringValue(ps.Label)
	}
	if out.Name.IsNull() {
		out.Name = types.StringValue(ps.Name)
	}
	if out.Namespace.IsNull() {
		out.Namespace = types.StringValue(ps.Namespace)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
}
