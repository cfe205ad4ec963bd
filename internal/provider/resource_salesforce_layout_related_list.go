package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

var (
	_ resource.ResourceWithConfigure   = (*layoutRelatedListResource)(nil)
	_ resource.ResourceWithImportState = (*layoutRelatedListResource)(nil)
)

// layoutRelatedListIDSeparator joins layout and related list in the id. A
// layout's full name writes '|' as %7C, and API names have none.
const layoutRelatedListIDSeparator = "|"

var (
	// layoutRelatedListPattern: a standard list (RelatedContactList) or
	// <ChildObject>.<LookupField>.
	layoutRelatedListPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$`)
	// layoutColumnPattern: a column alias (NAME, CONTACT.TITLE, CORE.USERS.FULL_NAME)
	// or a field's API name.
	layoutColumnPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$`)
	layoutButtonPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
)

func newLayoutRelatedListResource() resource.Resource { return &layoutRelatedListResource{} }

// layoutRelatedListResource is one related list on one page layout. The
// rest of the layout is left as it is: every write re-reads the layout under
// its lock and changes only this entry of relatedLists.
type layoutRelatedListResource struct{ data *providerData }

type layoutRelatedListModel struct {
	ID             types.String `tfsdk:"id"`
	Layout         types.String `tfsdk:"layout"`
	LayoutID       types.String `tfsdk:"layout_id"`
	RelatedList    types.String `tfsdk:"related_list"`
	Fields         types.List   `tfsdk:"fields"`
	SortField      types.String `tfsdk:"sort_field"`
	SortOrder      types.String `tfsdk:"sort_order"`
	ExcludeButtons types.Set    `tfsdk:"exclude_buttons"`
	Position       types.Int64  `tfsdk:"position"`
}

const typeLayoutRelatedList resourceType = "northpass_salesforce_layout_related_list"

func (r *layoutRelatedListResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = string(typeLayoutRelatedList)
}

func (r *layoutRelatedListResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One related list on one Salesforce page layout: the guide's \"add the Enrollments " +
			"related list to the Contact page layout: chosen fields, sort field and order, the New button removed\". " +
			"The rest of the layout (sections, fields, buttons, the other related lists and their order) is left as " +
			"it is.\n\n" +
			"**How the layout is written.** Through the Metadata API, the route Salesforce's own tools use to " +
			"round-trip a layout: `readMetadata` of the `Layout`, then `updateMetadata` of the same XML with only this " +
			"related list changed (SOAP at `/services/Soap/m/<api_version>`, signed in with the provider's session). " +
			"Every other element goes back exactly as it was read, including the Lightning/mobile action list " +
			"(`platformActionList`), the highlights panel (`summaryLayout`), quick actions, the mini layout and elements " +
			"newer than this provider. The Tooling API is never used to write: its `PATCH` replaces the whole layout but " +
			"cannot take back the action list and highlights panel its own `GET` returns, so writing there would reset " +
			"them. The user needs the permissions `updateMetadata` needs (Modify Metadata Through Metadata API " +
			"Functions, or Modify All Data).\n\n" +
			"**How drift is read.** `terraform plan` reads each layout once through the Tooling API " +
			"(`GET /tooling/sobjects/Layout/{id}`), shared by every related list on that layout: one call per layout " +
			"per refresh. Each write reads the layout again with `readMetadata` just before changing it.\n\n" +
			"Several of these resources on the same layout in one apply are written one after the other, each on a " +
			"fresh read, so none undoes another.\n\n" +
			"Removing the related list in Setup shows up in the next plan as a create; editing its columns, sort or " +
			"buttons there shows up as an update. Destroying removes this related list from the layout and nothing " +
			"else.\n\n" +
			"Creating fails when the layout already has this related list: import it instead " +
			"(`terraform import` or an `import` block, with the id `<layout>|<related list>`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<layout>|<related_list>`, such as `Contact-Contact Layout|ns__Enrollment__c.ns__Contact__c`; the import id.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"layout": schema.StringAttribute{
				MarkdownDescription: "The page layout's full name, `<Object>-<Layout Name>`, such as `Contact-Contact Layout`. " +
					"Special characters are written the way Salesforce writes them in full names, URL-encoded except " +
					"spaces: the layout \"Contact (Marketing) Layout\" is `Contact-Contact %28Marketing%29 Layout`. The " +
					"`full_name` of the `northpass_salesforce_layouts` data source is in this form. Changing it moves the " +
					"related list to the other layout (it is removed from this one).",
				Required:      true,
				Validators:    []validator.String{layoutFullName()},
				PlanModifiers: []planmodifier.String{requiresReplaceWhenChanged(sameString)},
			},
			"layout_id": schema.StringAttribute{
				MarkdownDescription: "The id of the page layout (`00h…`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"related_list": schema.StringAttribute{
				MarkdownDescription: "Which related list: `<ChildObject>.<LookupField>` for a custom object's list, " +
					"such as the Enrollments list, whose name the `related_list` attribute of the " +
					"`northpass_salesforce_enrollment_schema` data source gives (the package's API names are looked up " +
					"in the org, never typed in); or a standard list's name, such as `RelatedContactList`. It must be a " +
					"child relationship of the layout's object. Changing it replaces the related list.",
				Required: true,
				Validators: []validator.String{stringvalidator.RegexMatches(layoutRelatedListPattern,
					"must be a related list name: <ChildObject>.<LookupField>, such as ns__Enrollment__c.ns__Contact__c, "+
						"or a standard list such as RelatedContactList")},
				PlanModifiers: []planmodifier.String{requiresReplaceWhenChanged(sameString)},
			},
			"fields": schema.ListAttribute{
				MarkdownDescription: "The columns the related list shows, in order (at least one): API names of the " +
					"child object's fields, such as the Enrollment fields the `fields` map of the " +
					"`northpass_salesforce_enrollment_schema` data source gives by label (`Course Name`, `Progress " +
					"Percentage`, `Enrollment Date`, …), or column names such as `NAME`.",
				ElementType: types.StringType,
				Required:    true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(stringvalidator.RegexMatches(layoutColumnPattern,
						"must be a field's API name or a column name such as NAME")),
				},
			},
			"sort_field": schema.StringAttribute{
				MarkdownDescription: "The field the related list is sorted by, as an API name or column name (usually " +
					"one of `fields`, such as the Enrollment Date field). Unset: Salesforce's default order.",
				Optional: true,
				Validators: []validator.String{stringvalidator.RegexMatches(layoutColumnPattern,
					"must be a field's API name or a column name such as NAME")},
			},
			"sort_order": schema.StringAttribute{
				MarkdownDescription: "The sort order, `Asc` (ascending) or `Desc` (descending, newest first for a " +
					"date). Needs `sort_field`.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.OneOf("Asc", "Desc"),
					stringvalidator.AlsoRequires(path.MatchRoot("sort_field")),
				},
			},
			"exclude_buttons": schema.SetAttribute{
				MarkdownDescription: "The standard buttons removed from the related list. Defaults to `[\"New\"]`: " +
					"the guide's \"remove the New button\", because enrollments come from CE and are not created in " +
					"Salesforce. Set `[]` to keep every button.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Default:     setdefault.StaticValue(types.SetValueMust(types.StringType, []attr.Value{types.StringValue("New")})),
				Validators: []validator.Set{setvalidator.ValueStringsAre(stringvalidator.RegexMatches(layoutButtonPattern,
					"must be a button name such as New"))},
			},
			"position": schema.Int64Attribute{
				MarkdownDescription: "Where the related list goes among the layout's related lists, counting from 0 " +
					"(0 is the top). Unset: a new related list is added at the bottom, and an existing one keeps its " +
					"place. A position past the end puts it at the bottom. When it is set, a related list moved in " +
					"Setup shows as an update. To place several related lists of one layout, chain them with " +
					"`depends_on` in increasing position, so that each is placed after the ones above it.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
		},
	}
}

func (r *layoutRelatedListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

// layoutFullName checks the <Object>-<Layout Name> form at plan time.
func layoutFullName() validator.String {
	return stringCheck{
		description: "must be a page layout's full name, <Object>-<Layout Name>, such as Contact-Contact Layout",
		summary:     "Invalid page layout name",
		check: errorText(func(s string) (string, error) {
			object, _, err := sfapi.ParseLayoutFullName(s)
			return object, err
		}),
	}
}

func layoutRelatedListID(layout, relatedList string) string {
	return layout + layoutRelatedListIDSeparator + relatedList
}

// item is the related list the plan asks for.
func (m *layoutRelatedListModel) item(ctx context.Context, diags *diag.Diagnostics) sfapi.RelatedListItem {
	it := sfapi.RelatedListItem{
		RelatedList: m.RelatedList.ValueString(),
		SortField:   m.SortField.ValueString(),
		SortOrder:   m.SortOrder.ValueString(),
	}
	diags.Append(m.Fields.ElementsAs(ctx, &it.Fields, false)...)
	if !m.ExcludeButtons.IsNull() && !m.ExcludeButtons.IsUnknown() {
		diags.Append(m.ExcludeButtons.ElementsAs(ctx, &it.ExcludeButtons, false)...)
	}
	return it
}

func (m *layoutRelatedListModel) position() int {
	if m.Position.IsNull() || m.Position.IsUnknown() {
		return -1 // keep an existing list where it is, append a new one
	}
	return int(m.Position.ValueInt64())
}

// setFromLayout records the related list as the layout has it. API names are
// case-insensitive, so the configuration's spelling is kept when it names
// the same thing.
func (m *layoutRelatedListModel) setFromLayout(ctx context.Context, l *sfapi.Layout, it sfapi.RelatedListItem, index int, diags *diag.Diagnostics) {
	m.LayoutID = types.StringValue(l.ID)
	if !strings.EqualFold(m.RelatedList.ValueString(), it.RelatedList) {
		m.RelatedList = types.StringValue(it.RelatedList)
	}
	m.ID = types.StringValue(layoutRelatedListID(m.Layout.ValueString(), m.RelatedList.ValueString()))

	var have []string
	if !m.Fields.IsNull() && !m.Fields.IsUnknown() {
		diags.Append(m.Fields.ElementsAs(ctx, &have, false)...)
	}
	if m.Fields.IsNull() || m.Fields.IsUnknown() || !layoutEqualFoldLists(have, it.Fields) {
		m.Fields = layoutStringList(ctx, it.Fields, diags)
	}
	m.SortField = layoutKeepSpelling(m.SortField, it.SortField)
	m.SortOrder = layoutKeepSpelling(m.SortOrder, it.SortOrder)

	have = nil
	if !m.ExcludeButtons.IsNull() && !m.ExcludeButtons.IsUnknown() {
		diags.Append(m.ExcludeButtons.ElementsAs(ctx, &have, false)...)
	}
	if m.ExcludeButtons.IsNull() || m.ExcludeButtons.IsUnknown() || !layoutEqualFoldSets(have, it.ExcludeButtons) {
		set, d := types.SetValueFrom(ctx, types.StringType, layoutNonNil(it.ExcludeButtons))
		diags.Append(d...)
		m.ExcludeButtons = set
	}

	if !m.Position.IsNull() && !m.Position.IsUnknown() {
		want, n := int(m.Position.ValueInt64()), len(l.Metadata.RelatedLists())
		// A position past the end means "at the bottom".
		if index != want && !(want >= n && index == n-1) {
			m.Position = types.Int64Value(int64(index))
		}
	}
}

func layoutNonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

func layoutStringList(ctx context.Context, ss []string, diags *diag.Diagnostics) types.List {
	l, d := types.ListValueFrom(ctx, types.StringType, layoutNonNil(ss))
	diags.Append(d...)
	return l
}

func layoutKeepSpelling(have types.String, remote string) types.String {
	if remote == "" {
		return types.StringNull()
	}
	if !have.IsNull() && !have.IsUnknown() && strings.EqualFold(have.ValueString(), remote) {
		return have
	}
	return types.StringValue(remote)
}

func layoutEqualFoldLists(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

func layoutEqualFoldSets(a, b []string) bool {
	count := map[string]int{}
	for _, s := range a {
		count[strings.ToLower(s)]++
	}
	for _, s := range b {
		count[strings.ToLower(s)]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

// readLayout reads the layout for drift detection through the Tooling API
// (one GET per layout, shared by every related list of that layout through
// the client's read cache): by the id in state when it still carries the
// configured name, otherwise found by name.
func readLayout(ctx context.Context, client *sfapi.Client, fullName, knownID string) (*sfapi.Layout, error) {
	if knownID != "" {
		l, err := client.GetLayout(ctx, knownID)
		switch {
		case err == nil && sameLayout(fullName, l):
			return l, nil
		case err == nil:
			tflog.Info(ctx, "The page layout was renamed; looking it up by name", map[string]any{
				"layout_id": knownID, "now_named": l.FullName, "layout": fullName})
		case !sfapi.IsNotFound(err):
			return nil, err
		}
	}
	sum, err := resolveLayout(ctx, client, fullName)
	if err != nil {
		return nil, err
	}
	return client.GetLayout(ctx, sum.ID)
}

// lockedLayout is a layout being changed: its id, and its Metadata API XML
// read under the layout's lock.
type lockedLayout struct {
	id     string
	xml    *sfapi.LayoutXML
	unlock func()
}

// lockLayoutForWrite finds the layout by name, takes its lock and reads it
// with readMetadata, so that the write that follows sees every earlier
// write of this provider and sends back every element as Salesforce has it
// now. Writes never go through the Tooling API: its PATCH cannot carry a
// customised action list or highlights panel back.
func lockLayoutForWrite(ctx context.Context, client *sfapi.Client, fullName string) (*lockedLayout, error) {
	sum, err := resolveLayout(ctx, client, fullName)
	if err != nil {
		return nil, err
	}
	unlock := client.LockLayout(sum.ID)
	x, err := client.ReadLayoutXML(ctx, sum.FullName)
	if err != nil {
		unlock()
		return nil, err
	}
	return &lockedLayout{id: sum.ID, xml: x, unlock: unlock}, nil
}

func layoutGone(err error) bool {
	var nf *errLayoutNotFound
	return errors.As(err, &nf) || sfapi.IsNotFound(err)
}

// layoutWriteErrorDetail explains a refused layout update.
func layoutWriteErrorDetail(err error, layout, relatedList string) string {
	detail := salesforceErrorDetail(err)
	var ae *sfapi.APIError
	// 400 from REST; no status at all from a failed updateMetadata result.
	if errors.As(err, &ae) && (ae.Status == 400 || ae.Status == 0) {
		object, _, _ := sfapi.ParseLayoutFullName(layout)
		detail += fmt.Sprintf("\n\nSalesforce refused the change to %q. Check that %s is a related list of %s "+
			"(for a custom object, <ChildObject>.<LookupField> with a lookup to %s; the "+
			"northpass_salesforce_enrollment_schema data source gives the Enrollments list's name), and that every "+
			"entry of fields and sort_field is a field of that child object.", layout, relatedList, object, object)
	}
	return detail
}

func (r *layoutRelatedListResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan layoutRelatedListModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	client, done := r.data.salesforceFor(&resp.Diagnostics, typeLayoutRelatedList)
	defer done()
	if resp.Diagnostics.HasError() {
		return
	}
	layout, name := plan.Layout.ValueString(), plan.RelatedList.ValueString()
	item := plan.item(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	l, err := lockLayoutForWrite(ctx, client, layout)
	if err != nil {
		if layoutGone(err) {
			resp.Diagnostics.AddAttributeError(path.Root("layout"), "Page layout not found",
				err.Error()+". Use one of these full names (the "+string(typeLayoutsData)+" data source lists them).")
			return
		}
		resp.Diagnostics.AddError("Cannot read page layout "+layout, salesforceErrorDetail(err))
		return
	}
	defer l.unlock()

	existing, _, ok, err := l.xml.RelatedList(name)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read page layout "+layout, err.Error())
		return
	}
	if ok {
		resp.Diagnostics.AddError("Related list already on the page layout",
			fmt.Sprintf("%q already has the related list %s. Import it to manage it with Terraform:\n\n"+
				"  import {\n    to = %s.<name>\n    id = %q\n  }\n\nor terraform import with that id.",
				layout, existing.RelatedList, typeLayoutRelatedList, layoutRelatedListID(layout, existing.RelatedList)))
		return
	}
	md, err := l.xml.WithRelatedList(item, plan.position())
	if err == nil {
		err = client.UpdateLayout(ctx, l.id, md)
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot add related list %s to page layout %s", name, layout),
			layoutWriteErrorDetail(err, layout, name))
		return
	}
	tflog.Info(ctx, "Added the related list to the page layout", map[string]any{"layout": layout, "related_list": name})

	plan.ID = types.StringValue(layoutRelatedListID(layout, name))
	plan.LayoutID = types.StringValue(l.id)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *layoutRelatedListResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state layoutRelatedListModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client, done := r.data.salesforceFor(&resp.Diagnostics, typeLayoutRelatedList)
	defer done()
	if resp.Diagnostics.HasError() {
		return
	}
	layout, name := state.Layout.ValueString(), state.RelatedList.ValueString()

	l, err := readLayout(ctx, client, layout, state.LayoutID.ValueString())
	if err != nil {
		if layoutGone(err) {
			tflog.Info(ctx, "The page layout no longer exists; removing the related list from state",
				map[string]any{"layout": layout, "related_list": name, "reason": err.Error()})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.AddError("Cannot read page layout "+layout, salesforceErrorDetail(err))
		return
	}
	it, index, ok := l.Metadata.RelatedList(name)
	if !ok {
		tflog.Info(ctx, "The related list is no longer on the page layout; removing it from state",
			map[string]any{"layout": layout, "related_list": name})
		resp.State.RemoveResource(ctx)
		return
	}
	state.setFromLayout(ctx, l, it, index, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *layoutRelatedListResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state layoutRelatedListModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client, done := r.data.salesforceFor(&resp.Diagnostics, typeLayoutRelatedList)
	defer done()
	if resp.Diagnostics.HasError() {
		return
	}
	layout, name := plan.Layout.ValueString(), plan.RelatedList.ValueString()
	item := plan.item(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	l, err := lockLayoutForWrite(ctx, client, layout)
	if err != nil {
		if layoutGone(err) {
			resp.Diagnostics.AddAttributeError(path.Root("layout"), "Page layout not found", err.Error())
			return
		}
		resp.Diagnostics.AddError("Cannot read page layout "+layout, salesforceErrorDetail(err))
		return
	}
	defer l.unlock()

	// Keep the list's own spelling of its name; its custom buttons, quick
	// actions and anything else not managed here stay as they are.
	existing, _, ok, err := l.xml.RelatedList(name)
	if ok {
		item.RelatedList = existing.RelatedList
	}
	var md *sfapi.LayoutXML
	if err == nil {
		md, err = l.xml.WithRelatedList(item, plan.position())
	}
	if err == nil {
		err = client.UpdateLayout(ctx, l.id, md)
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot update related list %s on page layout %s", name, layout),
			layoutWriteErrorDetail(err, layout, name))
		return
	}
	plan.ID = types.StringValue(layoutRelatedListID(layout, name))
	plan.LayoutID = types.StringValue(l.id)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *layoutRelatedListResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state layoutRelatedListModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client, done := r.data.salesforceFor(&resp.Diagnostics, typeLayoutRelatedList)
	defer done()
	if resp.Diagnostics.HasError() {
		return
	}
	layout, name := state.Layout.ValueString(), state.RelatedList.ValueString()

	l, err := lockLayoutForWrite(ctx, client, layout)
	if err != nil {
		if layoutGone(err) {
			return // the layout went, and the related list with it
		}
		resp.Diagnostics.AddError("Cannot read page layout "+layout, salesforceErrorDetail(err))
		return
	}
	defer l.unlock()
	md, found, err := l.xml.WithoutRelatedList(name)
	if err == nil && !found {
		return
	}
	if err == nil {
		err = client.UpdateLayout(ctx, l.id, md)
	}
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot remove related list %s from page layout %s", name, layout),
			salesforceErrorDetail(err))
	}
}

// ImportState takes "<layout>|<related list>"; Read fills in the rest.
func (r *layoutRelatedListResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	i := strings.LastIndex(req.ID, layoutRelatedListIDSeparator)
	var layout, name string
	if i >= 0 {
		layout, name = strings.TrimSpace(req.ID[:i]), strings.TrimSpace(req.ID[i+1:])
	}
	if layout == "" || name == "" {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("%q is not <layout>|<related list>, such as \"Contact-Contact Layout|ns__Enrollment__c.ns__Contact__c\".", req.ID))
		return
	}
	if _, _, err := sfapi.ParseLayoutFullName(layout); err != nil {
		resp.Diagnostics.AddError("Invalid import id", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), layoutRelatedListID(layout, name))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("layout"), layout)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("related_list"), name)...)
}
