package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*enrollmentSyncDataSource)(nil)

// maxListedMissing keeps state and check messages readable after a long
// outage; missing_count and missing_note tell the rest.
const maxListedMissing = 100

func newEnrollmentSyncDataSource() datasource.DataSource { return &enrollmentSyncDataSource{} }

// enrollmentSyncDataSource checks that CE's enrollments reached Salesforce:
// the guide's "verify that a test enrollment synced", for check blocks.
type enrollmentSyncDataSource struct{ data *providerData }

type enrollmentSyncModel struct {
	Since        types.String `tfsdk:"since"`
	CourseIDs    types.Set    `tfsdk:"course_ids"`
	KeyFormat    types.String `tfsdk:"external_id_format"`
	CheckedCount types.Int64  `tfsdk:"checked_count"`
	MissingCount types.Int64  `tfsdk:"missing_count"`
	Missing      types.List   `tfsdk:"missing"`
	MissingNote  types.String `tfsdk:"missing_note"`
	InSync       types.Bool   `tfsdk:"in_sync"`
}

const (
	descEnrollmentSince = "Check the CE enrollments enrolled, created or updated at or after this time: an RFC 3339 " +
		"timestamp such as `2025-11-20T00:00:00Z`, or a date such as `2025-11-20` (midnight UTC). An enrollment " +
		"counts when CE's `enrolled_at`, or its `created_at` or `updated_at` where CE reports them, is at or after it, " +
		"so progress made since on an older enrollment counts too."
	descEnrollmentCourseIDs = "CE course ids to check (the ids of the public API's `/v2/courses`). Default: every " +
		"course in the account. An id that names no course is an error."
)

const typeEnrollmentSyncData dataSourceType = "northpass_salesforce_enrollment_sync"

func (d *enrollmentSyncDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = string(typeEnrollmentSyncData)
}

func (d *enrollmentSyncDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Whether CE's enrollments reached Salesforce: the guide's \"verify that a test enrollment " +
			"synced\" step, made for a `check` block. It lists the CE enrollments since `since` through CE's public " +
			"v2 API (courses, then each course's enrollments) and looks for an Enrollment record whose external id " +
			"holds each CE enrollment's key (`external_id_format`). The Enrollment object and its fields are found by label, as " +
			"`northpass_salesforce_enrollment_schema` does.\n\n" +
			"Only presence is checked; use `northpass_salesforce_enrollment_backfill` to find (and fix) records whose " +
			"data differs. Needs both the provider's CE `api_key` and its `salesforce` credentials.",
		Attributes: map[string]schema.Attribute{
			"since": schema.StringAttribute{Required: true, MarkdownDescription: descEnrollmentSince,
				Validators: []validator.String{enrollmentSince()}},
			"course_ids": schema.SetAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: descEnrollmentCourseIDs,
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))}},
			"external_id_format": schema.StringAttribute{Optional: true, Computed: true,
				Validators: []validator.String{enrollmentKeyFormatCheck()},
				MarkdownDescription: descEnrollmentKeyFormat + " Take it from `data.northpass_salesforce_enrollment_schema`'s " +
					"`external_id_format`; null means the default."},
			"checked_count": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "How many CE enrollments since `since` were checked."},
			"missing_count": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "How many of them have no Enrollment record in Salesforce."},
			"missing": schema.ListAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: fmt.Sprintf("The CE enrollment ids without an Enrollment record, oldest enrollment "+
					"first; at most %d (see `missing_note`).", maxListedMissing)},
			"missing_note": schema.StringAttribute{Computed: true,
				MarkdownDescription: fmt.Sprintf("Empty, or how many missing enrollments `missing` leaves out when more "+
					"than %d are missing.", maxListedMissing)},
			"in_sync": schema.BoolAttribute{Computed: true,
				MarkdownDescription: "Whether every CE enrollment since `since` has an Enrollment record in Salesforce."},
		},
	}
}

func (d *enrollmentSyncDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *enrollmentSyncDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m enrollmentSyncModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	np := d.data.northpassFor(&resp.Diagnostics, typeEnrollmentSyncData)
	sf, done := d.data.salesforceFor(&resp.Diagnostics, typeEnrollmentSyncData)
	defer done()
	if resp.Diagnostics.HasError() {
		return
	}
	since, err := sinceTime(m.Since.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Invalid since", err.Error())
		return
	}
	var courseIDs []string
	resp.Diagnostics.Append(m.CourseIDs.ElementsAs(ctx, &courseIDs, false)...)
	if resp.Diagnostics.HasError() {
		return
	}

	s, err := sf.DiscoverEnrollmentSchema(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot find the Enrollment object", salesforceErrorDetail(err))
		return
	}
	if m.KeyFormat.IsNull() || m.KeyFormat.IsUnknown() {
		m.KeyFormat = types.StringValue(defaultEnrollmentKeyFormat)
	}
	cmp, err := compareEnrollments(ctx, np, sf, s, enrollmentKeyFormat(m.KeyFormat.ValueString()), since, courseIDs, false)
	if err != nil {
		addEnrollmentError(&resp.Diagnostics, err, mismatchAtRead)
		return
	}

	listed := append([]string{}, cmp.missing[:min(len(cmp.missing), maxListedMissing)]...)
	var diags diag.Diagnostics
	m.Missing, diags = types.ListValueFrom(ctx, types.StringType, listed)
	resp.Diagnostics.Append(diags...)
	m.MissingNote = types.StringValue("")
	if more := len(cmp.missing) - len(listed); more > 0 {
		m.MissingNote = types.StringValue(fmt.Sprintf("%d more missing enrollments are not listed", more))
	}
	m.CheckedCount = types.Int64Value(int64(cmp.checked))
	m.MissingCount = types.Int64Value(int64(len(cmp.missing)))
	m.InSync = types.BoolValue(len(cmp.missing) == 0)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
