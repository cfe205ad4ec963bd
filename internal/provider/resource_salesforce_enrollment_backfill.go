package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

var (
	_ resource.ResourceWithConfigure   = (*enrollmentBackfillResource)(nil)
	_ resource.ResourceWithImportState = (*enrollmentBackfillResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*enrollmentBackfillResource)(nil)
)

func newEnrollmentBackfillResource() resource.Resource { return &enrollmentBackfillResource{} }

// enrollmentBackfillResource keeps Salesforce's Enrollment records up to CE
// for enrollments since a date: the guide's "backfill what is missing".
// Its remote object is the set of records; it owns none of them.
type enrollmentBackfillResource struct{ data *providerData }

type enrollmentBackfillModel struct {
	ID                  types.String `tfsdk:"id"`
	Since               types.String `tfsdk:"since"`
	CourseIDs           types.Set    `tfsdk:"course_ids"`
	Object              types.String `tfsdk:"object"`
	ExternalIDField     types.String `tfsdk:"external_id_field"`
	ExternalIDFormat    types.String `tfsdk:"external_id_format"`
	ContactField        types.String `tfsdk:"contact_field"`
	CourseIDField       types.String `tfsdk:"course_id_field"`
	CourseNameField     types.String `tfsdk:"course_name_field"`
	EnrollmentDateField types.String `tfsdk:"enrollment_date_field"`
	ProgressField       types.String `tfsdk:"progress_field"`
	CheckedCount        types.Int64  `tfsdk:"checked_count"`
	PendingCount        types.Int64  `tfsdk:"pending_count"`
	UpsertedCount       types.Int64  `tfsdk:"upserted_count"`
	LastRunAt           types.String `tfsdk:"last_run_at"`
}

const typeEnrollmentBackfill resourceType = "northpass_salesforce_enrollment_backfill"

func (r *enrollmentBackfillResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = string(typeEnrollmentBackfill)
}

func backfillNameAttribute(desc string) schema.StringAttribute {
	return schema.StringAttribute{Required: true, MarkdownDescription: desc, Validators: []validator.String{enrollmentAPIName()}}
}

func (r *enrollmentBackfillResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	from := func(attr string) string {
		return " Take it from `data.northpass_salesforce_enrollment_schema`'s `" + attr + "`."
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Backfills the enrollment data that did not reach Salesforce, without duplicates: the " +
			"guide's \"backfill data missing since 2025-11-20\" step after the November 2025 token revocation.\n\n" +
			"Every refresh lists the CE enrollments since `since` through CE's public v2 API (courses, then each " +
			"course's enrollments, then the learners' emails) and looks up their Enrollment records in Salesforce by " +
			"the external id field, which holds each enrollment's key as `external_id_format` describes it (by " +
			"default the CE enrollment id). An enrollment is pending when it has no record, " +
			"or when its record's Course ID, Course Name, Enrollment Date or Progress Percentage differ from CE (or it " +
			"is unlinked while a Contact has the learner's email). `pending_count` holds how many are pending, and " +
			"the plan always sets it to `0`, so `terraform plan` shows `~ pending_count = 37 -> 0` while CE has " +
			"enrollments that Salesforce lacks, and nothing once they are in sync.\n\n" +
			"Apply upserts exactly the pending enrollments by external id (sObject Collections, 200 records per " +
			"call), linking each to the Contact with the learner's email when there is one and leaving it unlinked " +
			"otherwise, as the package does. Running it again creates nothing twice, and records already as CE has " +
			"them are not sent at all. A Contact link someone set by hand is kept, and the Course Attempt Number, " +
			"which CE's public API does not report, is never written.\n\n" +
			"Before anything is written (at plan time when the inputs are known, and again at apply), the key is " +
			"checked: when no CE enrollment is found under `external_id_format` but Salesforce holds records of CE's " +
			"courses and none of the newest of them is a CE enrollment under that format, the backfill refuses with " +
			"**Enrollment records are keyed differently**, naming the field, values from both sides and, when it can " +
			"tell, the format Salesforce's values follow. Inserting under a wrong key would duplicate every record CE " +
			"synced.\n\n" +
			"The Enrollment Date is written as its field's describe type requires: the UTC day (`2025-11-21`) into " +
			"a Date field, a full ISO 8601 timestamp into a Date/Time field.\n\n" +
			"Destroying the resource only removes it from the state: it deletes **nothing** in Salesforce.\n\n" +
			"Needs both the provider's CE `api_key` and its `salesforce` credentials; the Salesforce user needs " +
			"read and edit access to the Enrollment object (the \"Northpass Standard User\" permission set) and read " +
			"access to Contacts.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true,
				MarkdownDescription: "`since` as an RFC 3339 timestamp in UTC, such as `2025-11-20T00:00:00Z`."},
			"since": schema.StringAttribute{Required: true, Validators: []validator.String{enrollmentSince()},
				MarkdownDescription: "Backfill the CE enrollments enrolled, created or updated at or after this time: a " +
					"date such as `2025-11-20` (midnight UTC; the outage guide's date) or an RFC 3339 timestamp such as " +
					"`2025-11-20T00:00:00Z`. An enrollment counts when CE's `enrolled_at`, or its `created_at` or " +
					"`updated_at` where CE reports them, is at or after it, so progress made since on an older enrollment " +
					"is backfilled too. Changing it runs the backfill again for the new period."},
			"course_ids": schema.SetAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: descEnrollmentCourseIDs,
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))}},
			"object": backfillNameAttribute("API name of the package's **Enrollment** object." + from("object")),
			"external_id_field": backfillNameAttribute("API name of the Enrollment field labelled **External id**, " +
				"which holds each enrollment's key (see `external_id_format`); records are matched and upserted on it." + from("external_id_field")),
			"external_id_format": schema.StringAttribute{Optional: true, Computed: true,
				Default:             stringdefault.StaticString(defaultEnrollmentKeyFormat),
				Validators:          []validator.String{enrollmentKeyFormatCheck()},
				MarkdownDescription: descEnrollmentKeyFormat + " Take it from `data.northpass_salesforce_enrollment_schema`'s `external_id_format`."},
			"contact_field": backfillNameAttribute("API name of the Enrollment's lookup to **Contact**, set to the " +
				"Contact with the learner's email." + from("contact_field")),
			"course_id_field": backfillNameAttribute("API name of the Enrollment field labelled **Course ID**, set to " +
				"the CE course id." + from("course_id_field")),
			"course_name_field": backfillNameAttribute("API name of the Enrollment field labelled **Course Name**, set " +
				"to the CE course's name." + from("course_name_field")),
			"enrollment_date_field": backfillNameAttribute("API name of the Enrollment field labelled **Enrollment " +
				"Date**, set to CE's `enrolled_at`." + from("enrollment_date_field")),
			"progress_field": backfillNameAttribute("API name of the Enrollment field labelled **Progress " +
				"Percentage**, set to CE's `progress` (0–100)." + from("progress_field")),
			"checked_count": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "How many CE enrollments since `since` the last apply checked."},
			"pending_count": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "How many CE enrollments since `since` Salesforce lacks or holds with different " +
					"data, as of the last refresh. Always `0` in a plan: a non-zero value is the pending change apply " +
					"makes. After an apply in which some records failed, the number that failed."},
			"upserted_count": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "How many Enrollment records the last apply inserted or updated."},
			"last_run_at": schema.StringAttribute{Computed: true,
				MarkdownDescription: "When the last apply ran the backfill (RFC 3339, UTC)."},
		},
	}
}

func (r *enrollmentBackfillResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan plans pending_count as 0, which turns enrollments found pending
// by the refresh into a change, and leaves what apply reports unknown
// whenever apply will run.
func (r *enrollmentBackfillResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan enrollmentBackfillModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringUnknown()
	if !plan.Since.IsUnknown() {
		if id, err := normalizedSince(plan.Since.ValueString()); err == nil {
			plan.ID = types.StringValue(id)
		}
	}
	plan.PendingCount = types.Int64Value(0)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() || (!req.State.Raw.IsNull() && resp.Plan.Raw.Equal(req.State.Raw)) {
		return
	}
	var state *enrollmentBackfillModel
	if !req.State.Raw.IsNull() {
		state = &enrollmentBackfillModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if state == nil || keyInputsChanged(&plan, state) {
		r.checkKeyAtPlan(ctx, &plan, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	plan.CheckedCount = types.Int64Unknown()
	plan.UpsertedCount = types.Int64Unknown()
	plan.LastRunAt = types.StringUnknown()
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// keyInputsChanged reports whether the plan changes what decides which
// records the backfill looks up: otherwise the refresh has just checked
// the key with the same inputs.
func keyInputsChanged(plan, state *enrollmentBackfillModel) bool {
	return !plan.Since.Equal(state.Since) || !plan.CourseIDs.Equal(state.CourseIDs) || !plan.Object.Equal(state.Object) ||
		!plan.ExternalIDField.Equal(state.ExternalIDField) || !plan.ExternalIDFormat.Equal(state.ExternalIDFormat) ||
		!plan.CourseIDField.Equal(state.CourseIDField)
}

// checkKeyAtPlan holds external_id_format against the records CE synced
// before the plan is shown, so that a wrong key is refused by the plan
// rather than half-way through an apply. Anything it cannot check yet
// (values known only after apply, a side not configured, a failing read)
// is left to apply, which checks again before it writes.
func (r *enrollmentBackfillResource) checkKeyAtPlan(ctx context.Context, m *enrollmentBackfillModel, diags *diag.Diagnostics) {
	if r.data == nil || r.data.salesforce == nil || r.data.northpass == nil {
		return
	}
	sf, done := r.data.salesforceFor(diags, typeEnrollmentBackfill)
	defer done()
	for _, v := range []attr.Value{m.Since, m.CourseIDs, m.Object, m.ExternalIDField, m.ExternalIDFormat, m.CourseIDField} {
		if v.IsUnknown() {
			return
		}
	}
	if m.Object.IsNull() || m.ExternalIDField.IsNull() {
		return
	}
	since, err := sinceTime(m.Since.ValueString())
	if err != nil {
		return
	}
	var courseIDs []string
	if d := m.CourseIDs.ElementsAs(ctx, &courseIDs, false); d.HasError() {
		return
	}
	_, err = compareEnrollments(ctx, r.data.northpass, sf, m.schema(), m.keyFormat(), since, courseIDs, false)
	var mm *enrollmentKeyMismatch
	var kc *enrollmentKeyCollision
	if errors.As(err, &mm) || errors.As(err, &kc) {
		addEnrollmentError(diags, err, mismatchAtPlan)
		return
	}
	if err != nil {
		tflog.Debug(ctx, "Enrollment key not checked at plan time; apply checks it before writing", map[string]any{"error": err.Error()})
	}
}

func (r *enrollmentBackfillResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan enrollmentBackfillModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.backfill(ctx, &plan, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

func (r *enrollmentBackfillResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state enrollmentBackfillModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.backfill(ctx, &plan, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// backfill upserts what is pending and records the run in m. It reports
// false when it failed before writing anything.
func (r *enrollmentBackfillResource) backfill(ctx context.Context, m *enrollmentBackfillModel, diags *diag.Diagnostics) bool {
	np := r.data.northpassFor(diags, typeEnrollmentBackfill)
	sf, done := r.data.salesforceFor(diags, typeEnrollmentBackfill)
	defer done()
	if diags.HasError() {
		return false
	}
	s, since, courseIDs := prepareBackfill(ctx, sf, m, diags)
	if diags.HasError() {
		return false
	}
	cmp, err := compareEnrollments(ctx, np, sf, s, m.keyFormat(), since, courseIDs, true)
	if err != nil {
		addEnrollmentError(diags, err, mismatchAtApply)
		return false
	}
	tflog.Info(ctx, "Backfilling CE enrollments into Salesforce", map[string]any{
		"checked": cmp.checked, "missing": len(cmp.missing), "outdated": len(cmp.outdated), "object": s.Object,
	})
	created, updated, err := sf.UpsertEnrollments(ctx, s, cmp.upserts)
	m.ID = types.StringValue(since.Format(time.RFC3339))
	m.CheckedCount = types.Int64Value(int64(cmp.checked))
	m.UpsertedCount = types.Int64Value(int64(created + updated))
	m.PendingCount = types.Int64Value(int64(len(cmp.upserts) - created - updated))
	m.LastRunAt = types.StringValue(time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		detail := fmt.Sprintf("%d of the %d pending enrollments were upserted into %s (%d inserted, %d updated); "+
			"the others were not. Salesforce said (records named by external id): %s",
			created+updated, len(cmp.upserts), s.Object, created, updated, salesforceErrorDetail(err))
		diags.AddError("Some enrollments were not backfilled", detail+
			"\n\nThe next plan shows the rest as pending_count; apply again once the cause is fixed.")
		return true
	}
	tflog.Info(ctx, "Backfill done", map[string]any{"inserted": created, "updated": updated})
	return true
}

// prepareBackfill gathers what both Read and apply need, reporting into diags.
func prepareBackfill(ctx context.Context, sf *sfapi.Client, m *enrollmentBackfillModel, diags *diag.Diagnostics) (
	s *sfapi.EnrollmentSchema, since time.Time, courseIDs []string) {
	var err error
	if since, err = sinceTime(m.Since.ValueString()); err != nil {
		diags.AddAttributeError(path.Root("since"), "Invalid since", err.Error())
		return
	}
	diags.Append(m.CourseIDs.ElementsAs(ctx, &courseIDs, false)...)
	if m.ExternalIDFormat.IsNull() {
		m.ExternalIDFormat = types.StringValue(defaultEnrollmentKeyFormat) // imported
	}
	if m.Object.IsNull() {
		// Imported: the names come from the org, as the schema data source finds them.
		found, err := sf.DiscoverEnrollmentSchema(ctx)
		if err != nil {
			diags.AddError("Cannot find the Enrollment object", salesforceErrorDetail(err))
			return
		}
		m.setNames(found)
	}
	s = m.schema()
	return
}

func (r *enrollmentBackfillResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state enrollmentBackfillModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	np := r.data.northpassFor(&resp.Diagnostics, typeEnrollmentBackfill)
	sf, done := r.data.salesforceFor(&resp.Diagnostics, typeEnrollmentBackfill)
	defer done()
	if resp.Diagnostics.HasError() {
		return
	}
	s, since, courseIDs := prepareBackfill(ctx, sf, &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	cmp, err := compareEnrollments(ctx, np, sf, s, state.keyFormat(), since, courseIDs, true)
	if err != nil {
		addEnrollmentError(&resp.Diagnostics, err, mismatchAtRead)
		return
	}
	state.ID = types.StringValue(since.Format(time.RFC3339))
	state.PendingCount = types.Int64Value(int64(len(cmp.upserts)))
	if n := len(cmp.upserts); n > 0 {
		resp.Diagnostics.AddWarning("Enrollments missing in Salesforce",
			fmt.Sprintf("Of the %d CE enrollments since %s, %d have no Enrollment record in Salesforce and %d have a "+
				"record with different data (first: %s). Apply upserts them.", cmp.checked, state.Since.ValueString(),
				len(cmp.missing), len(cmp.outdated), strings.Join(firstIDs(cmp), ", ")))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func firstIDs(cmp *enrollmentComparison) []string {
	ids := append(append([]string(nil), cmp.missing...), cmp.outdated...)
	if len(ids) > 5 {
		ids = append(ids[:5], "…")
	}
	return ids
}

// Delete leaves every Enrollment record in place: the backfilled records
// are CE's data, which the package keeps syncing.
func (r *enrollmentBackfillResource) Delete(ctx context.Context, _ resource.DeleteRequest, _ *resource.DeleteResponse) {
	tflog.Info(ctx, "Removing the enrollment backfill from state; no Salesforce record is deleted")
}

// ImportState takes `since` as the id; the field names are then found by
// label, as data.northpass_salesforce_enrollment_schema finds them.
func (r *enrollmentBackfillResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, err := normalizedSince(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id",
			"Import a backfill by its since value, such as 2025-11-20 or 2025-11-20T00:00:00Z: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("since"), req.ID)...)
}

func (m *enrollmentBackfillModel) schema() *sfapi.EnrollmentSchema {
	return &sfapi.EnrollmentSchema{
		Object:          m.Object.ValueString(),
		ExternalIDField: m.ExternalIDField.ValueString(),
		ContactField:    m.ContactField.ValueString(),
		Fields: map[string]string{
			sfapi.EnrollmentLabelCourseID:   m.CourseIDField.ValueString(),
			sfapi.EnrollmentLabelCourseName: m.CourseNameField.ValueString(),
			sfapi.EnrollmentLabelDate:       m.EnrollmentDateField.ValueString(),
			sfapi.EnrollmentLabelProgress:   m.ProgressField.ValueString(),
		},
	}
}

func (m *enrollmentBackfillModel) keyFormat() enrollmentKeyFormat {
	return enrollmentKeyFormat(m.ExternalIDFormat.ValueString())
}

func (m *enrollmentBackfillModel) setNames(s *sfapi.EnrollmentSchema) {
	m.Object = types.StringValue(s.Object)
	m.ExternalIDField = enrollmentNameOrNull(s.ExternalIDField)
	m.ContactField = enrollmentNameOrNull(s.ContactField)
	m.CourseIDField = enrollmentNameOrNull(s.Fields[sfapi.EnrollmentLabelCourseID])
	m.CourseNameField = enrollmentNameOrNull(s.Fields[sfapi.EnrollmentLabelCourseName])
	m.EnrollmentDateField = enrollmentNameOrNull(s.Fields[sfapi.EnrollmentLabelDate])
	m.ProgressField = enrollmentNameOrNull(s.Fields[sfapi.EnrollmentLabelProgress])
}
