package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

var (
	_ resource.ResourceWithConfigure      = (*permissionSetAssignmentsResource)(nil)
	_ resource.ResourceWithImportState    = (*permissionSetAssignmentsResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*permissionSetAssignmentsResource)(nil)
	_ resource.ResourceWithValidateConfig = (*permissionSetAssignmentsResource)(nil)
)

func newPermissionSetAssignmentsResource() resource.Resource {
	return &permissionSetAssignmentsResource{}
}

// permissionSetAssignmentsResource owns the complete list of users who have
// one permission set: users missing from the list lose it.
type permissionSetAssignmentsResource struct{ data *providerData }

type permissionSetAssignmentsModel struct {
	ID              types.String     `tfsdk:"id"`
	PermissionSetID types.String     `tfsdk:"permission_set_id"`
	Usernames       usernameSetValue `tfsdk:"usernames"`
	ExpirationDate  types.String     `tfsdk:"expiration_date"`
	Assignments     types.Map        `tfsdk:"assignments"`
}

var (
	pathPSASPermissionSetID = path.Root("permission_set_id")
	pathPSASUsernames       = path.Root("usernames")

	psasEntryAttrTypes = map[string]attr.Type{"id": types.StringType, "expiration_date": types.StringType}
	psasEntryType      = types.ObjectType{AttrTypes: psasEntryAttrTypes}
)

// psasEntry is one element of the assignments map.
type psasEntry struct{ id, expiration types.String }

const typePermissionSetAssignments resourceType = "northpass_salesforce_permission_set_assignments"

func (r *permissionSetAssignmentsResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = string(typePermissionSetAssignments)
}

func (r *permissionSetAssignmentsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The complete list of users who have one permission set: the guide's \"assign the " +
			"Northpass Standard User permission set, with expiration\" for a whole team, kept in one place.\n\n" +
			"This resource is **authoritative**: users who have the permission set but are not in `usernames` lose it " +
			"on apply, including users assigned by hand in Setup. The plan shows them as removed from `usernames`; " +
			"when the resource is first created, the plan warns which users will lose the permission set. Users who " +
			"already have it are kept, not assigned again. A permission set owned by a profile cannot be managed this " +
			"way (its assignments follow the users' profiles), and no profile's own permission set is ever touched.\n\n" +
			"Assignments are created, changed and removed in batches (200 per Salesforce call); usernames are looked up " +
			"200 per call, or, for long lists, by reading the org's users 2,000 per call when that takes fewer calls; and " +
			"the current assignments are read with one query, so lists of thousands of users are fine. Unknown or " +
			"inactive usernames are an error that lists them, at plan time when the provider can sign in to " +
			"Salesforce then, and always before apply changes anything.\n\n" +
			"Destroying the resource removes the permission set from the users in `usernames`. Do not combine it with " +
			"`northpass_salesforce_permission_set_assignment` for the same permission set: each would undo the other.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The 18-character id of the permission set.",
				Computed:            true,
			},
			"permission_set_id": schema.StringAttribute{
				MarkdownDescription: "The id of the permission set whose users this resource manages (15 or 18 " +
					"characters, starting with `0PS`), usually from the `northpass_salesforce_permission_set` data " +
					"source looked up by label, such as \"Northpass Standard User\". Changing it replaces the resource: " +
					"the users lose the old permission set and get the new one.",
				Required:      true,
				Validators:    []validator.String{salesforceID("0PS")},
				PlanModifiers: []planmodifier.String{requiresReplaceForOtherRecord()},
			},
			"usernames": schema.SetAttribute{
				MarkdownDescription: "The Salesforce usernames of everyone who should have the permission set, such as " +
					"`jane.doe@acme.com`. Compared without regard to case. Everyone else who has it loses it on apply. An " +
					"empty set removes the permission set from everyone.",
				Required:    true,
				ElementType: types.StringType,
				CustomType:  newUsernameSetType(),
				Validators: []validator.Set{setvalidator.ValueStringsAre(stringvalidator.RegexMatches(salesforceUsernamePattern,
					"must be a Salesforce username, which has the form of an email address"))},
			},
			"expiration_date": schema.StringAttribute{
				MarkdownDescription: descExpirationDate + " Applies to every user in `usernames`; omit it for " +
					"assignments that do not expire. An assignment whose expiration was changed in Setup shows in the plan " +
					"as an update of `assignments`.",
				Optional:   true,
				Validators: []validator.String{expirationDate()},
			},
			"assignments": schema.MapNestedAttribute{
				MarkdownDescription: "The assignments as Salesforce has them, keyed by username (spelled as in " +
					"`usernames`).",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": schema.StringAttribute{
						MarkdownDescription: "The id of the permission set assignment (`0Pa…`).",
						Computed:            true,
					},
					"expiration_date": schema.StringAttribute{
						MarkdownDescription: "When the assignment expires (RFC 3339, UTC); null if it does not.",
						Computed:            true,
					},
				}},
			},
		},
	}
}

func (r *permissionSetAssignmentsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

// setStrings returns a set's strings, and false while any is unknown.
func setStrings(s types.Set) ([]string, bool) {
	if s.IsNull() || s.IsUnknown() {
		return nil, false
	}
	out := make([]string, 0, len(s.Elements()))
	for _, v := range s.Elements() {
		str, ok := v.(types.String)
		if !ok || str.IsUnknown() || str.IsNull() {
			return nil, false
		}
		out = append(out, str.ValueString())
	}
	sort.Strings(out)
	return out, true
}

// ValidateConfig rejects a username listed twice in different case:
// Salesforce usernames are case-insensitive, so both name one user.
func (r *permissionSetAssignmentsResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var names usernameSetValue
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathPSASUsernames, &names)...)
	if resp.Diagnostics.HasError() {
		return
	}
	list, ok := setStrings(names.SetValue)
	if !ok {
		return
	}
	seen := map[string]string{}
	for _, n := range list {
		k := strings.ToLower(strings.TrimSpace(n))
		if first, dup := seen[k]; dup {
			resp.Diagnostics.AddAttributeError(pathPSASUsernames, "Username listed twice",
				fmt.Sprintf("%q and %q are the same Salesforce user: usernames are compared without regard to case. Keep one.", first, n))
			continue
		}
		seen[k] = n
	}
}

func psasEntriesValue(entries map[string]psasEntry) (types.Map, diag.Diagnostics) {
	var diags diag.Diagnostics
	elems := make(map[string]attr.Value, len(entries))
	for name, e := range entries {
		o, d := types.ObjectValue(psasEntryAttrTypes, map[string]attr.Value{"id": e.id, "expiration_date": e.expiration})
		diags.Append(d...)
		elems[name] = o
	}
	m, d := types.MapValue(psasEntryType, elems)
	diags.Append(d...)
	return m, diags
}

// psasEntriesOf reads the assignments map keyed by lower-case username.
func psasEntriesOf(m types.Map) map[string]psasEntry {
	out := map[string]psasEntry{}
	if m.IsNull() || m.IsUnknown() {
		return out
	}
	for name, v := range m.Elements() {
		o, ok := v.(types.Object)
		if !ok || o.IsNull() || o.IsUnknown() {
			continue
		}
		attrs := o.Attributes()
		id, _ := attrs["id"].(types.String)
		exp, _ := attrs["expiration_date"].(types.String)
		out[strings.ToLower(name)] = psasEntry{id: id, expiration: exp}
	}
	return out
}

// ModifyPlan fills in the assignments the apply will leave, so that an
// expiration changed in Setup shows as an update, and checks the
// permission set and any usernames not yet assigned against the org with
// one batched look-up.
func (r *permissionSetAssignmentsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan permissionSetAssignmentsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var state *permissionSetAssignmentsModel
	if !req.State.Raw.IsNull() {
		state = &permissionSetAssignmentsModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	psKnown := !plan.PermissionSetID.IsUnknown()
	psID := normalizeID(plan.PermissionSetID.ValueString())
	replacing := state == nil || !psKnown || psID != normalizeID(state.PermissionSetID.ValueString())
	plan.ID = types.StringUnknown()
	if psKnown {
		plan.ID = types.StringValue(psID)
	}

	names, namesKnown := setStrings(plan.Usernames.SetValue)
	var newNames []string
	if !namesKnown {
		plan.Assignments = types.MapUnknown(psasEntryType)
	} else {
		exp := types.StringUnknown()
		if !plan.ExpirationDate.IsUnknown() {
			t, _ := parseExpirationDate(plan.ExpirationDate) // validated already
			exp = expirationDateString(t)
		}
		prior := map[string]psasEntry{}
		if !replacing {
			prior = psasEntriesOf(state.Assignments)
		}
		entries := make(map[string]psasEntry, len(names))
		for _, n := range names {
			if e, ok := prior[strings.ToLower(strings.TrimSpace(n))]; ok && !e.id.IsNull() && !e.id.IsUnknown() {
				entries[n] = psasEntry{id: e.id, expiration: exp}
				continue
			}
			entries[n] = psasEntry{id: types.StringUnknown(), expiration: exp}
			newNames = append(newNames, n)
		}
		m, d := psasEntriesValue(entries)
		resp.Diagnostics.Append(d...)
		plan.Assignments = m
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// Plan-time checks need a signed-in provider; without one (credentials
	// not known until apply) apply makes the same checks before any change.
	if r.data == nil || r.data.salesforce == nil {
		return
	}
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePermissionSetAssignments)
	defer done()
	if checkExpirationAPIVersion(client, plan.ExpirationDate, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	if replacing && psKnown {
		ps, err := checkAssignablePermissionSet(ctx, client, psID)
		if err != nil {
			summary, detail := lookupErrorParts(err, "Cannot read the permission set")
			resp.Diagnostics.AddAttributeError(pathPSASPermissionSetID, summary, detail)
			return
		}
		if namesKnown {
			r.warnAboutTakeover(ctx, client, ps, names, &resp.Diagnostics)
		}
	}
	if len(newNames) > 0 {
		users, err := client.FindUsersByUsername(ctx, newNames)
		if err != nil {
			resp.Diagnostics.AddAttributeError(pathPSASUsernames, "Cannot look up the Salesforce users",
				fmt.Sprintf("Looking up %d username(s) failed: %s", len(newNames), salesforceErrorDetail(err)))
			return
		}
		if detail := usernameProblemDetail(usernameProblems(newNames, users)); detail != "" {
			resp.Diagnostics.AddAttributeError(pathPSASUsernames, "Unknown or inactive Salesforce users", detail)
		}
	}
}

// warnAboutTakeover tells, when the resource takes a permission set over,
// who has it now and will lose it: the only time the plan cannot show it.
func (r *permissionSetAssignmentsResource) warnAboutTakeover(ctx context.Context, client *sfapi.Client, ps *sfapi.PermissionSet, names []string, diags *diag.Diagnostics) {
	have, err := client.ListPermissionSetAssignments(ctx, ps.ID)
	if err != nil {
		diags.AddWarning("Cannot list the current assignments",
			fmt.Sprintf("Listing who has permission set %q now failed (%s); apply removes it from everyone not in usernames.",
				ps.Label, salesforceErrorDetail(err)))
		return
	}
	want := map[string]bool{}
	for _, n := range names {
		want[strings.ToLower(strings.TrimSpace(n))] = true
	}
	var losing []string
	for _, a := range have {
		if !want[strings.ToLower(a.AssigneeUsername)] {
			losing = append(losing, psasAssigneeName(a))
		}
	}
	if len(losing) == 0 {
		return
	}
	sort.Strings(losing)
	diags.AddAttributeWarning(pathPSASUsernames, "Users will lose the permission set",
		fmt.Sprintf("This resource manages the complete list of users of permission set %q (%s). These %d user(s) have "+
			"it now but are not in usernames, so apply removes it from them:\n%s\n\nAdd them to usernames to keep them.",
			ps.Label, qualifiedPermissionSetName(*ps), len(losing), bulletList(losing)))
}

// psasAssigneeName is the username, or the user id when Salesforce did not
// return the username (a user the provider's user cannot see).
func psasAssigneeName(a sfapi.PermissionSetAssignment) string {
	if a.AssigneeUsername != "" {
		return a.AssigneeUsername
	}
	return a.AssigneeID
}

// psasPlanTarget is what Create and Update apply.
type psasPlanTarget struct {
	psID       string
	names      []string
	expiration *time.Time
}

func (r *permissionSetAssignmentsResource) target(plan *permissionSetAssignmentsModel, diags *diag.Diagnostics) *psasPlanTarget {
	names, ok := setStrings(plan.Usernames.SetValue)
	if !ok {
		diags.AddAttributeError(pathPSASUsernames, "Usernames not known", "usernames must be known when the resource is applied.")
		return nil
	}
	exp, err := parseExpirationDate(plan.ExpirationDate)
	if err != nil {
		diags.AddAttributeError(path.Root("expiration_date"), "Invalid expiration date", err.Error())
		return nil
	}
	return &psasPlanTarget{psID: normalizeID(plan.PermissionSetID.ValueString()), names: names, expiration: exp}
}

// reconcile makes the org's assignments of the permission set match t.
// Every check (permission set, usernames) runs before the first change. It
// returns the resulting assignments keyed by the configured usernames, and
// changed=true when an error came after something had been changed.
func (r *permissionSetAssignmentsResource) reconcile(ctx context.Context, client *sfapi.Client, t *psasPlanTarget, diags *diag.Diagnostics) (entries map[string]psasEntry, changed bool) {
	if t.expiration != nil {
		if detail := expirationAPIVersionProblem(client); detail != "" {
			diags.AddAttributeError(path.Root("expiration_date"), "Expiration dates need API version 52.0 or later", detail)
			return nil, false
		}
	}
	ps, err := checkAssignablePermissionSet(ctx, client, t.psID)
	if err != nil {
		summary, detail := lookupErrorParts(err, "Cannot read the permission set")
		diags.AddAttributeError(pathPSASPermissionSetID, summary, detail)
		return nil, false
	}
	have, err := client.ListPermissionSetAssignments(ctx, t.psID)
	if err != nil {
		diags.AddError("Cannot list the permission set's assignments",
			fmt.Sprintf("Listing the users of permission set %q (%s) failed: %s", ps.Label, t.psID, salesforceErrorDetail(err)))
		return nil, false
	}
	haveBy := make(map[string]sfapi.PermissionSetAssignment, len(have))
	for _, a := range have {
		haveBy[strings.ToLower(psasAssigneeName(a))] = a
	}
	want := make(map[string]bool, len(t.names))
	var toCreate []string
	var toUpdate []sfapi.PermissionSetAssignment
	for _, n := range t.names {
		k := strings.ToLower(strings.TrimSpace(n))
		want[k] = true
		a, ok := haveBy[k]
		switch {
		case !ok:
			toCreate = append(toCreate, n)
		case !sameExpiration(expirationDateString(t.expiration), a.ExpirationDate):
			toUpdate = append(toUpdate, a)
		}
	}
	var toDelete []sfapi.PermissionSetAssignment
	for k, a := range haveBy {
		if !want[k] {
			toDelete = append(toDelete, a)
		}
	}
	sort.Slice(toDelete, func(i, j int) bool { return toDelete[i].ID < toDelete[j].ID })

	// Check every new username, in batches, before changing anything.
	var users map[string]sfapi.User
	if len(toCreate) > 0 {
		users, err = client.FindUsersByUsername(ctx, toCreate)
		if err != nil {
			diags.AddError("Cannot look up the Salesforce users",
				fmt.Sprintf("Looking up %d username(s) failed: %s", len(toCreate), salesforceErrorDetail(err)))
			return nil, false
		}
		if detail := usernameProblemDetail(usernameProblems(toCreate, users)); detail != "" {
			diags.AddAttributeError(pathPSASUsernames, "Unknown or inactive Salesforce users", detail)
			return nil, false
		}
	}
	tflog.Info(ctx, "reconciling permission set assignments", map[string]any{
		"permission_set_id": t.psID, "create": len(toCreate), "update": len(toUpdate), "delete": len(toDelete)})

	// Names for messages and for matching created assignments, by user id.
	nameOf := map[string]string{}
	for _, n := range toCreate {
		nameOf[normalizeID(users[strings.ToLower(strings.TrimSpace(n))].ID)] = n
	}
	for _, a := range have {
		nameOf[normalizeID(a.AssigneeID)] = psasAssigneeName(a)
		nameOf[normalizeID(a.ID)] = psasAssigneeName(a)
	}

	created := map[string]sfapi.PermissionSetAssignment{} // by lower-case username
	if len(toCreate) > 0 {
		news := make([]sfapi.NewAssignment, len(toCreate))
		for i, n := range toCreate {
			news[i] = sfapi.NewAssignment{PermissionSetID: t.psID, AssigneeID: users[strings.ToLower(strings.TrimSpace(n))].ID, ExpirationDate: t.expiration}
		}
		done, err := client.CreatePermissionSetAssignments(ctx, news)
		for _, a := range done {
			if n, ok := nameOf[normalizeID(a.AssigneeID)]; ok {
				created[strings.ToLower(strings.TrimSpace(n))] = a
			}
		}
		changed = len(done) > 0
		if err != nil {
			// Stop here: removing users while others could not be added
			// would leave the permission set further from the plan.
			addAssignmentError(diags, err, "Cannot assign the permission set to every user",
				fmt.Sprintf("Assigning permission set %q to %d user(s) failed for some: %s\n\nNo one was removed from it.",
					ps.Label, len(toCreate), psasBatchDetail(err, nameOf)))
			return nil, changed
		}
	}
	if len(toUpdate) > 0 {
		ids := make([]string, len(toUpdate))
		for i, a := range toUpdate {
			ids[i] = a.ID
		}
		// 200 per call; a failure is reported on its user and, as for
		// creates, stops the apply before anyone is removed.
		if err := client.SetPermissionSetAssignmentExpirations(ctx, ids, t.expiration); err != nil {
			addAssignmentError(diags, err, "Cannot change the expiration of every assignment",
				fmt.Sprintf("Setting the expiration of %d assignment(s) of permission set %q failed for some: %s\n\nNo one was removed from it.",
					len(ids), ps.Label, psasBatchDetail(err, nameOf)))
			return nil, true // the others were saved
		}
		changed = true
	}
	if len(toDelete) > 0 {
		ids := make([]string, len(toDelete))
		for i, a := range toDelete {
			ids[i] = a.ID
		}
		if err := client.DeletePermissionSetAssignments(ctx, ids); err != nil {
			diags.AddError("Cannot remove the permission set from every user",
				fmt.Sprintf("Removing permission set %q from %d user(s) not in usernames failed for some: %s", ps.Label, len(ids), psasBatchDetail(err, nameOf)))
		}
		changed = true
	}
	if diags.HasError() {
		return nil, changed
	}

	entries = make(map[string]psasEntry, len(t.names))
	exp := expirationDateString(t.expiration)
	for _, n := range t.names {
		k := strings.ToLower(strings.TrimSpace(n))
		a, ok := haveBy[k]
		if !ok {
			a = created[k]
		}
		entries[n] = psasEntry{id: types.StringValue(a.ID), expiration: exp}
	}
	return entries, changed
}

// psasBatchDetail lists the records a collection call could not save, by
// username where known.
func psasBatchDetail(err error, nameOf map[string]string) string {
	var be *sfapi.BatchError
	if !errors.As(err, &be) {
		return salesforceErrorDetail(err)
	}
	lines := make([]string, 0, len(be.Failures))
	for _, f := range be.Failures {
		who := f.Key
		if n, ok := nameOf[normalizeID(f.Key)]; ok {
			who = n + " (" + f.Key + ")"
		}
		lines = append(lines, strings.TrimSpace(fmt.Sprintf("%s: %s %s", who, f.Code, f.Message)))
	}
	detail := "\n" + bulletList(lines)
	if err != error(be) {
		detail = err.Error() + detail
	}
	return detail
}

func (r *permissionSetAssignmentsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan permissionSetAssignmentsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePermissionSetAssignments)
	defer done()
	if client == nil {
		return
	}
	t := r.target(&plan, &resp.Diagnostics)
	if t == nil {
		return
	}
	entries, _ := r.reconcile(ctx, client, t, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		// No state: a partly applied create is finished by the next apply,
		// which starts from the org again. State saved now would be
		// tainted, and replacing a tainted one removes everyone first.
		return
	}
	resp.Diagnostics.Append(r.setApplied(ctx, &plan, t, entries, &resp.State)...)
}

func (r *permissionSetAssignmentsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state permissionSetAssignmentsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePermissionSetAssignments)
	defer done()
	if client == nil {
		return
	}
	t := r.target(&plan, &resp.Diagnostics)
	if t == nil {
		return
	}
	entries, changed := r.reconcile(ctx, client, t, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		if changed {
			// Part of the change went through: record what the org has now,
			// so the next plan shows only what is left.
			if now, gone, err := r.read(ctx, client, &state); err == nil && !gone {
				resp.Diagnostics.Append(resp.State.Set(ctx, now)...)
			}
		}
		return
	}
	resp.Diagnostics.Append(r.setApplied(ctx, &plan, t, entries, &resp.State)...)
}

// setApplied stores the plan with the assignments apply produced.
func (r *permissionSetAssignmentsResource) setApplied(ctx context.Context, plan *permissionSetAssignmentsModel, t *psasPlanTarget, entries map[string]psasEntry, st *tfsdk.State) diag.Diagnostics {
	m, diags := psasEntriesValue(entries)
	if diags.HasError() {
		return diags
	}
	plan.ID = types.StringValue(t.psID)
	plan.Assignments = m
	diags.Append(st.Set(ctx, plan)...)
	return diags
}

// read returns the org's assignments of the permission set as state, with
// usernames spelled as in prior where they match. gone is true when the
// permission set no longer exists.
func (r *permissionSetAssignmentsResource) read(ctx context.Context, client *sfapi.Client, prior *permissionSetAssignmentsModel) (_ *permissionSetAssignmentsModel, gone bool, _ error) {
	psID := normalizeID(prior.PermissionSetID.ValueString())
	have, err := client.ListPermissionSetAssignments(ctx, psID)
	if err != nil {
		return nil, false, err
	}
	if len(have) == 0 {
		// Deleting a permission set deletes its assignments: tell the two
		// apart only when there are none, which costs one query then.
		if _, err := client.GetPermissionSet(ctx, psID); sfapi.IsNotFound(err) {
			return nil, true, nil
		} else if err != nil {
			return nil, false, err
		}
	}
	spelling := map[string]string{}
	priorNames, importing := []string(nil), prior.Usernames.IsNull()
	if !importing {
		priorNames, _ = setStrings(prior.Usernames.SetValue)
	}
	for _, n := range priorNames {
		spelling[strings.ToLower(strings.TrimSpace(n))] = n
	}
	names := make([]string, 0, len(have))
	entries := make(map[string]psasEntry, len(have))
	for _, a := range have {
		name := psasAssigneeName(a)
		if s, ok := spelling[strings.ToLower(name)]; ok {
			name = s
		}
		names = append(names, name)
		entries[name] = psasEntry{id: types.StringValue(a.ID), expiration: expirationDateString(a.ExpirationDate)}
	}
	out := *prior
	out.ID = types.StringValue(psID)
	out.PermissionSetID = keepID(prior.PermissionSetID, psID)
	set, diags := types.SetValueFrom(ctx, types.StringType, names)
	if diags.HasError() {
		return nil, false, fmt.Errorf("building usernames: %v", diags)
	}
	out.Usernames = usernameSetOf(set)
	m, diags := psasEntriesValue(entries)
	if diags.HasError() {
		return nil, false, fmt.Errorf("building assignments: %v", diags)
	}
	out.Assignments = m
	if importing {
		out.ExpirationDate = commonExpiration(have)
	}
	return &out, false, nil
}

// commonExpiration is the expiration every assignment shares, for import;
// null when they differ (the plan then shows them being aligned).
func commonExpiration(have []sfapi.PermissionSetAssignment) types.String {
	if len(have) == 0 {
		return types.StringNull()
	}
	first := expirationDateString(have[0].ExpirationDate)
	for _, a := range have[1:] {
		if !expirationDateString(a.ExpirationDate).Equal(first) {
			return types.StringNull()
		}
	}
	return first
}

func (r *permissionSetAssignmentsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state permissionSetAssignmentsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePermissionSetAssignments)
	defer done()
	if client == nil {
		return
	}
	now, gone, err := r.read(ctx, client, &state)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the permission set's assignments",
			fmt.Sprintf("Listing the users of permission set %s failed: %s", state.PermissionSetID.ValueString(), salesforceErrorDetail(err)))
		return
	}
	if gone {
		tflog.Info(ctx, "permission set is gone; removing its assignments from state", map[string]any{"permission_set_id": state.PermissionSetID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, now)...)
}

func (r *permissionSetAssignmentsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state permissionSetAssignmentsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, done := r.data.salesforceFor(&resp.Diagnostics, typePermissionSetAssignments)
	defer done()
	if client == nil {
		return
	}
	nameOf := map[string]string{}
	var ids []string
	for name, v := range state.Assignments.Elements() {
		o, ok := v.(types.Object)
		if !ok {
			continue
		}
		if id, ok := o.Attributes()["id"].(types.String); ok && !id.IsNull() && !id.IsUnknown() {
			ids = append(ids, id.ValueString())
			nameOf[normalizeID(id.ValueString())] = name
		}
	}
	if len(ids) == 0 {
		return
	}
	sort.Strings(ids)
	err := client.DeletePermissionSetAssignments(ctx, ids)
	if err != nil {
		resp.Diagnostics.AddError("Cannot remove the permission set from every user",
			fmt.Sprintf("Removing permission set %s from %d user(s) failed for some: %s", state.PermissionSetID.ValueString(), len(ids), psasBatchDetail(err, nameOf)))
	}
}

// ImportState takes the permission set's id (0PS…) or, for convenience, its
// API name (namespace__Name) or label.
func (r *permissionSetAssignmentsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ref := strings.TrimSpace(req.ID)
	id := ""
	if _, err := sfapi.ID18(ref); err == nil && (strings.HasPrefix(ref, "0PS") || sfapi.IDKinds[ref[:3]] != "") {
		if msg := checkSalesforceID(ref, "0PS"); msg != "" {
			resp.Diagnostics.AddError("Invalid import id", msg+"\n\nImport by the permission set's id (0PS…), API name or label.")
			return
		}
		id = normalizeID(ref)
	} else {
		client, done := r.data.salesforceFor(&resp.Diagnostics, typePermissionSetAssignments)
		defer done()
		if client == nil {
			return
		}
		ps, err := findPermissionSetByReference(ctx, client, ref)
		if err != nil {
			summary, detail := lookupErrorParts(err, "Cannot find the permission set")
			resp.Diagnostics.AddError(summary, detail)
			return
		}
		id = ps.ID
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, pathPSASPermissionSetID, id)...)
}
