package provider

import (
	"regexp"

	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

var _ datasource.DataSourceWithConfigure = (*layoutsDataSource)(nil)

// defaultLayoutObject is the object whose layouts the guide changes.
const defaultLayoutObject = "Contact"

func newLayoutsDataSource() datasource.DataSource { return &layoutsDataSource{} }

// layoutsDataSource lists an object's page layouts (Setup → Object Manager →
// Contact → Page Layouts).
type layoutsDataSource struct{ data *providerData }

type layoutsModel struct {
	Object  types.String `tfsdk:"object"`
	Layouts types.List   `tfsdk:"layouts"`
}

type layoutSummaryModel struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	FullName  types.String `tfsdk:"full_name"`
	Namespace types.String `tfsdk:"namespace"`
}

var layoutSummaryAttrTypes = map[string]attr.Type{
	"id": types.StringType, "name": types.StringType, "full_name": types.StringType, "namespace": types.StringType,
}

const typeLayoutsData dataSourceType = "northpass_salesforce_layouts"

func (d *layoutsDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = string(typeLayoutsData)
}

func (d *layoutsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The page layouts of one Salesforce object, as listed in **Setup → Object Manager → " +
			"Contact → Page Layouts**: use a layout's `full_name` as the `layout` of " +
			"`northpass_salesforce_layout_related_list`, for example to add the Enrollments related list to every " +
			"Contact page layout. One Tooling API query.",
		Attributes: map[string]schema.Attribute{
			"object": schema.StringAttribute{
				MarkdownDescription: "The object's API name, such as `Contact` or `ns__Enrollment__c`. Defaults to `Contact`.",
				Optional:            true,
				Computed:            true,
				Validators: []validator.String{stringvalidator.RegexMatches(layoutObjectPattern,
					"must be an object's API name, such as Contact or ns__Enrollment__c")},
			},
			"layouts": schema.ListNestedAttribute{
				MarkdownDescription: "The object's page layouts: unpackaged ones first, then by namespace and name.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": schema.StringAttribute{Computed: true,
						MarkdownDescription: "The layout's id (`00h…`)."},
					"name": schema.StringAttribute{Computed: true,
						MarkdownDescription: "The layout's name as Setup shows it, without namespace, such as `Contact (Marketing) Layout`."},
					"full_name": schema.StringAttribute{Computed: true,
						MarkdownDescription: "The layout's full name, `<Object>-<Layout Name>` with special characters " +
							"URL-encoded except spaces, such as `Contact-Contact %28Marketing%29 Layout`: the value the " +
							"`layout` argument of `northpass_salesforce_layout_related_list` takes."},
					"namespace": schema.StringAttribute{Computed: true,
						MarkdownDescription: "The namespace prefix of a layout installed by a managed package; null for your own layouts."},
				}},
			},
		},
	}
}

func (d *layoutsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *layoutsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg layoutsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	client, done := d.data.salesforceFor(&resp.Diagnostics, typeLayoutsData)
	defer done()
	if resp.Diagnostics.HasError() {
		return
	}
	object := cfg.Object.ValueString()
	if object == "" {
		object = defaultLayoutObject
	}
	layouts, err := client.ListLayouts(ctx, object)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list the page layouts of "+object, salesforceErrorDetail(err))
		return
	}
	rows := make([]layoutSummaryModel, len(layouts))
	for i, l := range layouts {
		ns := types.StringNull()
		if l.Namespace != "" {
			ns = types.StringValue(l.Namespace)
		}
		rows[i] = layoutSummaryModel{
			ID: types.StringValue(l.ID), Name: types.StringValue(l.Name),
			FullName: types.StringValue(l.FullName), Namespace: ns,
		}
	}
	list, diags := types.ListValueFrom(ctx, basetypes.ObjectType{AttrTypes: layoutSummaryAttrTypes}, rows)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, layoutsModel{Object: types.StringValue(object), Layouts: list})...)
}

// layoutObjectPattern: an object's API name (Contact, ns__Enrollment__c).
var layoutObjectPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
