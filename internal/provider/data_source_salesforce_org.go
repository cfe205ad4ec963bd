package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*salesforceOrgDataSource)(nil)

// dailyAPIRequestsLimit is the /limits entry for the daily API request allowance.
const dailyAPIRequestsLimit = "DailyApiRequests"

func newSalesforceOrgDataSource() datasource.DataSource { return &salesforceOrgDataSource{} }

// salesforceOrgDataSource tells which org and user the provider's Salesforce
// credentials reach, and how much of the day's API allowance is left.
type salesforceOrgDataSource struct{ data *providerData }

type salesforceOrgModel struct {
	ID                        types.String `tfsdk:"id"`
	Name                      types.String `tfsdk:"name"`
	IsSandbox                 types.Bool   `tfsdk:"is_sandbox"`
	Edition                   types.String `tfsdk:"edition"`
	InstanceURL               types.String `tfsdk:"instance_url"`
	APIVersion                types.String `tfsdk:"api_version"`
	Username                  types.String `tfsdk:"username"`
	UserID                    types.String `tfsdk:"user_id"`
	DailyAPIRequestsMax       types.Int64  `tfsdk:"daily_api_requests_max"`
	DailyAPIRequestsRemaining types.Int64  `tfsdk:"daily_api_requests_remaining"`
}

const typeOrgData dataSourceType = "northpass_salesforce_org"

func (d *salesforceOrgDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = string(typeOrgData)
}

func (d *salesforceOrgDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Salesforce org the provider is connected to, and the user it is authenticated " +
			"as: check that a configuration (or a provider alias, with several orgs) reaches the org you mean — " +
			"sandbox or production — before it changes anything, and how much of the day's API request " +
			"allowance is left. Reads the Organization record, the identity of the signed-in user and `/limits` " +
			"(which needs the View Setup and Configuration permission).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The org's id (`00D…`, 18 characters), as in **Setup → Company Information**."},
			"name": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The org's name, as in **Setup → Company Information**."},
			"is_sandbox": schema.BoolAttribute{Computed: true,
				MarkdownDescription: "Whether the org is a sandbox."},
			"edition": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The org's edition, such as `Enterprise Edition` or `Developer Edition`."},
			"instance_url": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The org's URL the provider calls, such as `https://acme.my.salesforce.com`: " +
					"the configured `instance_url`, or the one Salesforce returned at sign-in. It is the value the " +
					"Salesforce card in CE asks for (`instance_url` of `northpass_salesforce_integration`)."},
			"api_version": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The Salesforce REST API version the provider uses, such as `65.0`."},
			"username": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The username the provider is authenticated as."},
			"user_id": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The id (`005…`) of the user the provider is authenticated as."},
			"daily_api_requests_max": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "The org's daily API request allowance (`DailyApiRequests` of `/limits`), as " +
					"in **Setup → Company Information → API Requests, Last 24 Hours**."},
			"daily_api_requests_remaining": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "How many API requests are left of the daily allowance. When it reaches 0, " +
					"Salesforce refuses API calls (`REQUEST_LIMIT_EXCEEDED`) until the 24-hour window moves on; CE's " +
					"sync uses the same allowance."},
		},
	}
}

func (d *salesforceOrgDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *salesforceOrgDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, done := d.data.salesforceFor(&resp.Diagnostics, typeOrgData)
	defer done()
	if client == nil {
		return
	}

	org, err := client.GetOrg(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the Salesforce organization", salesforceErrorDetail(err))
		return
	}
	who, err := client.Identity(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the authenticated Salesforce user", salesforceErrorDetail(err))
		return
	}
	instance, err := client.InstanceURL(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot determine the Salesforce instance URL", salesforceErrorDetail(err))
		return
	}
	limits, err := client.Limits(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the Salesforce org's limits",
			salesforceErrorDetail(err)+"\n\nReading /limits needs the View Setup and Configuration permission.")
		return
	}

	m := salesforceOrgModel{
		ID:                        types.StringValue(org.ID),
		Name:                      types.StringValue(org.Name),
		IsSandbox:                 types.BoolValue(org.IsSandbox),
		Edition:                   types.StringValue(org.OrganizationType),
		InstanceURL:               types.StringValue(instance),
		APIVersion:                types.StringValue(client.APIVersion()),
		Username:                  types.StringValue(who.Username),
		UserID:                    types.StringValue(who.UserID),
		DailyAPIRequestsMax:       types.Int64Null(),
		DailyAPIRequestsRemaining: types.Int64Null(),
	}
	if org.OrganizationType == "" {
		m.Edition = types.StringNull()
	}
	if l, ok := limits[dailyAPIRequestsLimit]; ok {
		m.DailyAPIRequestsMax = types.Int64Value(int64(l.Max))
		m.DailyAPIRequestsRemaining = types.Int64Value(int64(l.Remaining))
	} else {
		resp.Diagnostics.AddWarning("Daily API request limit not reported",
			"Salesforce's /limits answer has no DailyApiRequests entry, so daily_api_requests_max and "+
				"daily_api_requests_remaining are null.")
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
