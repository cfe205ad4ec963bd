package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

var (
	_ resource.ResourceWithConfigure   = (*permissionSetAssignmentResource)(nil)
	_ resource.ResourceWithImportState = (*permissionSetAssignmentResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*permissionSetAssignmentResource)(nil)
)

func newPermissionSetAssignmentResource() resource.Resource {
	return &permissionSetAssignmentResource{}
}

// permissionSetAssignmentResource is one user's assignment of one
// permission set (a PermissionSetAssignment record, 0Pa…).
type permissionSetAssignmentResource struct{ data *providerData }

type permissionSetAssignmentModel struct {
	ID              types.String `tfsdk:"id"`
	PermissionSetID types.String `tfsdk:"permission_set_id"`
	AssigneeID      types.String `tfsdk:"assignee_id"`
	ExpirationDate  types.String `tfsdk:"expiration_date"`
}

const typePermissionSetAssignment resourceType = "northpass_salesforce_permission_set_assignment"

func (r *permissionSetAssignmentResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = string(typePermissionSetAssignment)
}

func (r *permissionSetAssignmentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Assigns one permission set to one Salesforce user: the guide's \"assign the Northpass " +
			"Standard User permission set, with expiration\" for a single user (Setup → Users → the user → Permission " +
			"Set Assignments).\n\n" +
			"When the user already has the permission set (assigned by hand in Setup), apply adopts that assignment " +
			"instead of failing, and sets its expiration; destroying the resource then removes it. When someone removes " +
			"the assignment in Setup, the next plan shows it being created again; a changed expiration shows as an " +
			"in-place update.\n\n" +
			"To manage the complete list of users who have a permission set, and remove everyone else, use " +
			"`northpass_salesforce_permission_set_assignments` instead; do not use both for the same permission set.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The id of the permission set assignment (18 characters, starting with `0Pa`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"permission_set_id": schema.StringAttribute{
				MarkdownDescription: "The id of the permission set to assign (15 or 18 characters, starting with `0PS`), " +
					"usually from the `northpass_salesforce_permission_set` data source looked up by label, such as " +
					"\"Northpass Standard User\". Changing it replaces the assignment.",
				Required:      true,
				Validators:    []validator.String{salesforceID("0PS")},
				PlanModifiers: []planmodifier.String{requiresReplaceForOtherRecord()},
			},
			"assignee_id": schema.StringAttribute{
				MarkdownDescription: "The id of the user who gets the permission set (15 or 18 characters, starting " +
					"with `005`), usually from the `northpass_salesforce_user` data source looked up by username. " +
					"Changing it replaces the assignment.",
				Required:      true,
				Validators:    []validator.String{salesforceID("005")},
				PlanModifiers: []planmodifier.String{requiresReplaceForOtherRecord()},
			},
			"expiration_date": schema.StringAttribute{
				MarkdownDescription: descExpirationDate + " Omit it for an assignment that does not expire.",
				Optional:            true,
				Validators:          []validator.String{expirationDate()},
			},
		},
	}
}

func (r *permissionSetAssignmentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses an expiration the configured API version cannot
// carry, at plan time, on expiration_date.
func (r *permissionSetAssignmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil || r.data.salesforce == nil {
		return
	}
	var exp types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("expiration_date"), &exp)...)
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePermissionSetAssignment)
	defer done()
	checkExpirationAPIVersion(client, exp, &resp.Diagnostics)
}

func (r *permissionSetAssignmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan permissionSetAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePermissionSetAssignment)
	defer done()
	if client == nil {
		return
	}
	exp, err := parseExpirationDate(plan.ExpirationDate)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("expiration_date"), "Invalid expiration date", err.Error())
		return
	}
	if checkExpirationAPIVersion(client, plan.ExpirationDate, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	psID, userID := normalizeID(plan.PermissionSetID.ValueString()), normalizeID(plan.AssigneeID.ValueString())
	a, adopted, err := client.CreatePermissionSetAssignment(ctx, psID, userID, exp)
	if err != nil {
		addAssignmentError(&resp.Diagnostics, err, "Cannot assign the permission set",
			fmt.Sprintf("Assigning permission set %s to user %s failed: %s", psID, userID, assignmentErrorDetail(err)))
		return
	}
	if adopted {
		resp.Diagnostics.AddWarning("Existing permission set assignment adopted",
			fmt.Sprintf("User %s already had permission set %s (assignment %s, made outside this configuration). "+
				"Terraform now manages that assignment: its expiration was set from expiration_date, and destroying "+
				"this resource removes it.", userID, psID, a.ID))
	}
	tflog.Info(ctx, "permission set assigned", map[string]any{"assignment_id": a.ID, "adopted": adopted})
	plan.ID = types.StringValue(a.ID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *permissionSetAssignmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state permissionSetAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePermissionSetAssignment)
	defer done()
	if client == nil {
		return
	}
	// Knowing the permission set, the read is answered from one load of all
	// of the set's assignments, shared with every other assignment of it in
	// this plan. Just after import by id the set is not known yet: read the
	// assignment itself.
	var a *sfapi.PermissionSetAssignment
	var err error
	if ps := state.PermissionSetID; !ps.IsNull() && !ps.IsUnknown() && ps.ValueString() != "" {
		a, err = client.ReadPermissionSetAssignment(ctx, normalizeID(ps.ValueString()), state.ID.ValueString())
	} else {
		a, err = client.GetPermissionSetAssignment(ctx, state.ID.ValueString())
	}
	if sfapi.IsNotFound(err) {
		// Removed in Setup, or expired: the plan shows it being created again.
		tflog.Info(ctx, "permission set assignment is gone; removing it from state", map[string]any{"assignment_id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the permission set assignment",
			fmt.Sprintf("Reading permission set assignment %s failed: %s", state.ID.ValueString(), salesforceErrorDetail(err)))
		return
	}
	state.ID = types.StringValue(a.ID)
	state.PermissionSetID = keepID(state.PermissionSetID, a.PermissionSetID)
	state.AssigneeID = keepID(state.AssigneeID, a.AssigneeID)
	state.ExpirationDate = keepExpiration(state.ExpirationDate, a.ExpirationDate)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *permissionSetAssignmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state permissionSetAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePermissionSetAssignment)
	defer done()
	if client == nil {
		return
	}
	exp, err := parseExpirationDate(plan.ExpirationDate)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("expiration_date"), "Invalid expiration date", err.Error())
		return
	}
	// Only the expiration can change in place; a change of id that names
	// the same record (15 vs 18 characters) needs no call at all.
	if old, _ := parseExpirationDate(state.ExpirationDate); !sameExpiration(plan.ExpirationDate, old) {
		if checkExpirationAPIVersion(client, plan.ExpirationDate, &resp.Diagnostics); resp.Diagnostics.HasError() {
			return
		}
		err := client.SetPermissionSetAssignmentExpiration(ctx, state.ID.ValueString(), exp)
		if err != nil {
			detail := salesforceErrorDetail(err)
			if sfapi.IsNotFound(err) {
				detail += "\n\nThe assignment was removed after the plan was made; run terraform apply again to create it."
			}
			addAssignmentError(&resp.Diagnostics, err, "Cannot change the expiration of the permission set assignment",
				fmt.Sprintf("Setting the expiration of permission set assignment %s failed: %s", state.ID.ValueString(), detail))
			return
		}
	}
	plan.ID = state.ID
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *permissionSetAssignmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state permissionSetAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePermissionSetAssignment)
	defer done()
	if client == nil {
		return
	}
	err := client.DeletePermissionSetAssignment(ctx, state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot remove the permission set assignment",
			fmt.Sprintf("Deleting permission set assignment %s failed: %s", state.ID.ValueString(), assignmentErrorDetail(err)))
	}
}

// ImportState accepts the assignment id (0Pa…) or "<permission set>/<username>",
// where the permission set is its API name (namespace__Name for a packaged
// one) or its label.
func (r *permissionSetAssignmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	slash := strings.LastIndex(id, "/")
	if slash < 0 {
		if msg := checkSalesforceID(id, "0Pa"); msg != "" {
			resp.Diagnostics.AddError("Invalid import id", msg+"\n\nImport by the assignment id (0Pa…) or by "+
				"\"<permission set name>/<username>\", such as \"Sales_Ops/jane.doe@acme.com\".")
			return
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), normalizeID(id))...)
		return
	}
	psRef, username := strings.TrimSpace(id[:slash]), strings.TrimSpace(id[slash+1:])
	if psRef == "" || username == "" {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("%q: expected \"<permission set name>/<username>\", "+
			"such as \"Sales_Ops/jane.doe@acme.com\", or an assignment id (0Pa…).", req.ID))
		return
	}
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePermissionSetAssignment)
	defer done()
	if client == nil {
		return
	}
	ps, err := findPermissionSetByReference(ctx, client, psRef)
	if err != nil {
		summary, detail := lookupErrorParts(err, "Cannot find the permission set")
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	users, err := client.FindUsersByUsername(ctx, []string{username})
	if err != nil {
		resp.Diagnostics.AddError("Cannot look up the user", fmt.Sprintf("Looking up %s failed: %s", username, salesforceErrorDetail(err)))
		return
	}
	u, ok := users[strings.ToLower(username)]
	if !ok {
		resp.Diagnostics.AddError("User not found", fmt.Sprintf("The org has no user with the username %q.", username))
		return
	}
	a, err := client.LookupPermissionSetAssignment(ctx, ps.ID, u.ID)
	if err != nil {
		resp.Diagnostics.AddError("Cannot look up the permission set assignment", salesforceErrorDetail(err))
		return
	}
	if a == nil {
		resp.Diagnostics.AddError("Permission set not assigned", fmt.Sprintf("%s does not have permission set %q (%s), so "+
			"there is no assignment to import. Let terraform apply create it instead.", u.Username, ps.Label, qualifiedPermissionSetName(*ps)))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), a.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("permission_set_id"), a.PermissionSetID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("assignee_id"), a.AssigneeID)...)
}
