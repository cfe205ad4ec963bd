package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*salesforceIntegrationDataSource)(nil)

func newSalesforceIntegrationDataSource() datasource.DataSource {
	return &salesforceIntegrationDataSource{}
}

// salesforceIntegrationDataSource reads the CE side of the connection
// without managing it: for `check` blocks that assert it is connected.
type salesforceIntegrationDataSource struct{ data *providerData }

type salesforceIntegrationDataModel struct {
	ID                 types.String `tfsdk:"id"`
	InstanceURL        types.String `tfsdk:"instance_url"`
	Sandbox            types.Bool   `tfsdk:"sandbox"`
	Enabled            types.Bool   `tfsdk:"enabled"`
	Status             types.String `tfsdk:"status"`
	StatusMessage      types.String `tfsdk:"status_message"`
	Connected          types.Bool   `tfsdk:"connected"`
	AuthorizedUsername types.String `tfsdk:"authorized_username"`
	AuthorizedAt       types.String `tfsdk:"authorized_at"`
	LastSyncedAt       types.String `tfsdk:"last_synced_at"`
}

const typeIntegrationData dataSourceType = "northpass_salesforce_integration"

func (d *salesforceIntegrationDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = string(typeIntegrationData)
}

func (d *salesforceIntegrationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The status of the CE side of the Salesforce connection, as the Salesforce card in CE " +
			"(**Apps → Integrations → Salesforce**) shows it. Read-only: use it in a `check` block to be told in " +
			"every plan when the connection is lost (a revoked authorization, as in November 2025, or an instance " +
			"change), whoever manages the integration. An account that has never saved an instance URL reads as " +
			"`status = \"not_configured\"`, not as an error.\n\n" +
			"~> CE does not document an API for these settings; this data source reads " +
			"`GET /v2/integrations/salesforce`, the integration-settings API the provider expects, which follows the " +
			"conventions of CE's public v2 API but is not part of it. On an account that does not serve it (a 404), " +
			"reading fails with an error that says so and how to set up the card by hand.",
		Attributes: map[string]schema.Attribute{
			"id":                  schema.StringAttribute{MarkdownDescription: "The id of the CE account's integration settings.", Computed: true},
			"instance_url":        schema.StringAttribute{MarkdownDescription: "The URL of your Salesforce instance saved on the card; empty when none is.", Computed: true},
			"sandbox":             schema.BoolAttribute{MarkdownDescription: "The card's **Sandbox** toggle: whether the instance is a sandbox.", Computed: true},
			"enabled":             schema.BoolAttribute{MarkdownDescription: descEnabled, Computed: true},
			"status":              schema.StringAttribute{MarkdownDescription: descStatus, Computed: true},
			"status_message":      schema.StringAttribute{MarkdownDescription: descStatusMessage, Computed: true},
			"connected":           schema.BoolAttribute{MarkdownDescription: descConnected, Computed: true},
			"authorized_username": schema.StringAttribute{MarkdownDescription: descAuthorizedUsername, Computed: true},
			"authorized_at":       schema.StringAttribute{MarkdownDescription: descAuthorizedAt, Computed: true},
			"last_synced_at":      schema.StringAttribute{MarkdownDescription: descLastSyncedAt, Computed: true},
		},
	}
}

func (d *salesforceIntegrationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *salesforceIntegrationDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	client := d.data.northpassFor(&resp.Diagnostics, typeIntegrationData)
	if client == nil {
		return
	}
	s, err := client.GetIntegration(ctx)
	if err != nil {
		addIntegrationError(&resp.Diagnostics, "Cannot read the Salesforce integration", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, salesforceIntegrationDataModel{
		ID:                 types.StringValue(s.ID),
		InstanceURL:        types.StringValue(s.InstanceURL),
		Sandbox:            types.BoolValue(s.Sandbox),
		Enabled:            types.BoolValue(s.Enabled),
		Status:             types.StringValue(s.Status),
		StatusMessage:      types.StringValue(s.StatusMessage),
		Connected:          types.BoolValue(integrationConnected(s)),
		AuthorizedUsername: settingsString(s.AuthorizedUsername),
		AuthorizedAt:       settingsTime(s.AuthorizedAt),
		LastSyncedAt:       settingsTime(s.LastSyncedAt),
	})...)
}
