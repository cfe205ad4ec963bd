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
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

var (
	_ datasource.DataSourceWithConfigure        = (*salesforceUserDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*salesforceUserDataSource)(nil)
)

func newSalesforceUserDataSource() datasource.DataSource { return &salesforceUserDataSource{} }

// salesforceUserDataSource reads one user, with the administrator check
// the guide asks for on the integration user.
type salesforceUserDataSource struct{ data *providerData }

type salesforceUserModel struct {
	ID            types.String `tfsdk:"id"`
	Username      types.String `tfsdk:"username"`
	Email         types.String `tfsdk:"email"`
	Name          types.String `tfsdk:"name"`
	IsActive      types.Bool   `tfsdk:"is_active"`
	ProfileName   types.String `tfsdk:"profile_name"`
	IsSystemAdmin types.Bool   `tfsdk:"is_system_admin"`
}

const typeUserData dataSourceType = "northpass_salesforce_user"

func (d *salesforceUserDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = string(typeUserData)
}

func (d *salesforceUserDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One Salesforce user, found by `username` or `id`, with what the guide asks to check: " +
			"whether the user is active and whether it is a System Administrator. The guide wants a dedicated " +
			"integration user who is not a System Administrator; use `is_system_admin` in a `check` block or a " +
			"`precondition` to keep it that way. Use `id` as the `assignee_id` of " +
			"`northpass_salesforce_permission_set_assignment`.\n\nIt is an error when no user matches.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The user's id (15 or 18 characters, starting with `005`). Exactly one of `id` and " +
					"`username` must be set; when looked up by username, the 18-character id.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{salesforceID("005")},
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "The username the user logs in with, such as `integration@acme.com`. Matched " +
					"ignoring case.",
				Optional: true,
				Computed: true,
				Validators: []validator.String{stringvalidator.RegexMatches(salesforceUsernamePattern,
					"must be a Salesforce username, which has the form of an email address")},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "The user's email address.",
				Computed:            true,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The user's full name.",
				Computed:            true,
			},
			"is_active": schema.BoolAttribute{
				MarkdownDescription: "Whether the user is active and can log in (Setup → Users → **Active**).",
				Computed:            true,
			},
			"profile_name": schema.StringAttribute{
				MarkdownDescription: "The name of the user's profile, such as `System Administrator` or `Minimum Access - " +
					"Salesforce`.",
				Computed: true,
			},
			"is_system_admin": schema.BoolAttribute{
				MarkdownDescription: "Whether the user holds **Modify All Data**, the mark of a System Administrator: " +
					"through the profile or through any assigned permission set. The guide's integration user must not.",
				Computed: true,
			},
		},
	}
}

func (d *salesforceUserDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("username")),
	}
}

func (d *salesforceUserDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *salesforceUserDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg salesforceUserModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, done := d.data.salesforceFor(&resp.Diagnostics, typeUserData)
	defer done()
	if client == nil {
		return
	}

	var u sfapi.User
	if !cfg.Username.IsNull() {
		name := cfg.Username.ValueString()
		users, err := client.FindUsersByUsername(ctx, []string{name})
		if err != nil {
			resp.Diagnostics.AddError("Cannot look up the Salesforce user", fmt.Sprintf("Looking up %s failed: %s", name, salesforceErrorDetail(err)))
			return
		}
		found, ok := users[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			resp.Diagnostics.AddAttributeError(path.Root("username"), "Salesforce user not found",
				fmt.Sprintf("The org has no user with the username %q. Usernames are unique across all Salesforce orgs, "+
					"so a sandbox's users usually have the sandbox name appended (jane@acme.com.uat).", name))
			return
		}
		u = found
	} else {
		id := normalizeID(cfg.ID.ValueString())
		found, err := client.GetUser(ctx, id)
		if sfapi.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Salesforce user not found",
				fmt.Sprintf("The org has no user %s. Ids differ from org to org; look the user up by username instead.", id))
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Cannot read the Salesforce user", fmt.Sprintf("Reading user %s failed: %s", id, salesforceErrorDetail(err)))
			return
		}
		u = *found
	}

	admin := u.ProfileModifyAllData
	if !admin {
		has, err := client.UserHasModifyAllData(ctx, u.ID)
		if err != nil {
			resp.Diagnostics.AddError("Cannot check the Salesforce user for administrator rights",
				fmt.Sprintf("Checking the permission sets of %s for Modify All Data failed: %s", u.Username, salesforceErrorDetail(err)))
			return
		}
		admin = has
	}

	out := salesforceUserModel{
		ID:            cfg.ID,
		Username:      cfg.Username,
		Email:         types.StringValue(u.Email),
		Name:          types.StringValue(u.Name),
		IsActive:      types.BoolValue(u.IsActive),
		ProfileName:   types.StringValue(u.ProfileName),
		IsSystemAdmin: types.BoolValue(admin),
	}
	// Configured values stay as written (15-character id, username case).
	if out.ID.IsNull() {
		out.ID = types.StringValue(u.ID)
	}
	if out.Username.IsNull() {
		out.Username = types.StringValue(u.Username)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
}
