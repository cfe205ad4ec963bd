package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

var _ datasource.DataSourceWithConfigure = (*enrollmentSchemaDataSource)(nil)

func newEnrollmentSchemaDataSource() datasource.DataSource { return &enrollmentSchemaDataSource{} }

// enrollmentSchemaDataSource finds the Northpass package's API names by the
// labels users see, since the package does not publish them.
type enrollmentSchemaDataSource struct{ data *providerData }

type enrollmentSchemaModel struct {
	Namespace           types.String `tfsdk:"namespace"`
	Object              types.String `tfsdk:"object"`
	ContactField        types.String `tfsdk:"contact_field"`
	RelatedList         types.String `tfsdk:"related_list"`
	ExternalIDField     types.String `tfsdk:"external_id_field"`
	ExternalIDFormat    types.String `tfsdk:"external_id_format"`
	Fields              types.Map    `tfsdk:"fields"`
	CourseIDField       types.String `tfsdk:"course_id_field"`
	CourseNameField     types.String `tfsdk:"course_name_field"`
	EnrollmentDateField types.String `tfsdk:"enrollment_date_field"`
	ProgressField       types.String `tfsdk:"progress_field"`
	AttemptField        types.String `tfsdk:"attempt_field"`
}

const typeEnrollmentSchemaData dataSourceType = "northpass_salesforce_enrollment_schema"

func (d *enrollmentSchemaDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = string(typeEnrollmentSchemaData)
}

func enrollmentFieldDescription(label string) string {
	return fmt.Sprintf("API name of the Enrollment field labelled **%s**; null when the object has no such field.", label)
}

func (d *enrollmentSchemaDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The API names of the Northpass managed package's **Enrollment** object and its fields in " +
			"this org, found by the labels the install guide shows (Enrollment, Contact, External id, Course ID, Course " +
			"Name, Enrollment Date, Progress Percentage, Course Attempt Number). The package does not publish its " +
			"namespace or API names, so they are looked up at run time: the custom objects related to Contact are " +
			"described and the one labelled Enrollment is taken.\n\n" +
			"Wire its attributes into `northpass_salesforce_layout_related_list` (`related_list`, the fields) and " +
			"`northpass_salesforce_enrollment_backfill`. It is an error when no object related to Contact is labelled " +
			"Enrollment (the Northpass package is not installed, or this user cannot see its Enrollment object: the " +
			"\"Northpass Standard User\" permission set grants that) or when several are; the message names the " +
			"candidates.",
		Attributes: map[string]schema.Attribute{
			"namespace": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Namespace prefix of the Enrollment object (the package's namespace); empty when it has none."},
			"object": schema.StringAttribute{Computed: true,
				MarkdownDescription: "API name of the **Enrollment** object, such as `acme__Enrollment__c`."},
			"contact_field": schema.StringAttribute{Computed: true,
				MarkdownDescription: "API name of the Enrollment's lookup to **Contact** (the learner)."},
			"related_list": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The **Enrollments** related list as a Contact page layout names it: `<object>.<contact_field>`."},
			"external_id_field": schema.StringAttribute{Computed: true,
				MarkdownDescription: "API name of the Enrollment field labelled **External id** and marked as an external " +
					"id: it holds each enrollment's key (see `external_id_format`), which is how CE's sync (and the backfill) match records. Null " +
					"when there is none (a warning says so)."},
			"external_id_format": schema.StringAttribute{Optional: true, Computed: true,
				Validators: []validator.String{enrollmentKeyFormatCheck()},
				MarkdownDescription: descEnrollmentKeyFormat + " Set it here, once per org, and wire it into " +
					"`northpass_salesforce_enrollment_backfill` and `northpass_salesforce_enrollment_sync` with the field " +
					"names. This data source only passes it on (or the default when unset): the check runs where CE's " +
					"enrollments are read."},
			"fields": schema.MapAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: "API names of the Enrollment fields the guide names, keyed by their label: " +
					"`Course ID`, `Course Name`, `Enrollment Date`, `Progress Percentage`, `Course Attempt Number`. " +
					"A label the object has no field for is left out."},
			"course_id_field":       schema.StringAttribute{Computed: true, MarkdownDescription: enrollmentFieldDescription(sfapi.EnrollmentLabelCourseID)},
			"course_name_field":     schema.StringAttribute{Computed: true, MarkdownDescription: enrollmentFieldDescription(sfapi.EnrollmentLabelCourseName)},
			"enrollment_date_field": schema.StringAttribute{Computed: true, MarkdownDescription: enrollmentFieldDescription(sfapi.EnrollmentLabelDate)},
			"progress_field":        schema.StringAttribute{Computed: true, MarkdownDescription: enrollmentFieldDescription(sfapi.EnrollmentLabelProgress)},
			"attempt_field":         schema.StringAttribute{Computed: true, MarkdownDescription: enrollmentFieldDescription(sfapi.EnrollmentLabelAttempt)},
		},
	}
}

func (d *enrollmentSchemaDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *enrollmentSchemaDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var format types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("external_id_format"), &format)...)
	if format.IsNull() || format.IsUnknown() {
		format = types.StringValue(defaultEnrollmentKeyFormat)
	}
	client, done := d.data.salesforceFor(&resp.Diagnostics, typeEnrollmentSchemaData)
	defer done()
	if client == nil {
		return
	}
	s, err := client.DiscoverEnrollmentSchema(ctx)
	if err != nil {
		summary := "Cannot find the Enrollment object"
		switch {
		case errors.Is(err, sfapi.ErrEnrollmentNotInstalled):
			summary = "Northpass Enrollment object not found"
		case errors.Is(err, sfapi.ErrEnrollmentAmbiguous):
			summary = "Several Enrollment objects or Contact lookups found"
		}
		resp.Diagnostics.AddError(summary, salesforceErrorDetail(err))
		return
	}
	if s.ExternalIDField == "" {
		resp.Diagnostics.AddWarning("Enrollment object has no external id",
			fmt.Sprintf("%s has no field labelled \"External id\" marked as an external id. CE's sync matches records "+
				"by it, and northpass_salesforce_enrollment_sync and northpass_salesforce_enrollment_backfill cannot work "+
				"without it. Check the Northpass package version and the field-level security of this user.", s.Object))
	}
	var missing []string
	for _, label := range sfapi.EnrollmentFieldLabels {
		if s.Fields[label] == "" {
			missing = append(missing, label)
		}
	}
	if len(missing) > 0 {
		resp.Diagnostics.AddWarning("Enrollment fields not found",
			fmt.Sprintf("%s has no field labelled %s (or this user cannot see it); the matching attributes are null.",
				s.Object, strings.Join(missing, ", ")))
	}
	fields, diags := types.MapValueFrom(ctx, types.StringType, s.Fields)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, enrollmentSchemaModel{
		Namespace:           types.StringValue(s.Namespace),
		Object:              types.StringValue(s.Object),
		ContactField:        types.StringValue(s.ContactField),
		RelatedList:         types.StringValue(s.RelatedList),
		ExternalIDField:     enrollmentNameOrNull(s.ExternalIDField),
		ExternalIDFormat:    format,
		Fields:              fields,
		CourseIDField:       enrollmentNameOrNull(s.Fields[sfapi.EnrollmentLabelCourseID]),
		CourseNameField:     enrollmentNameOrNull(s.Fields[sfapi.EnrollmentLabelCourseName]),
		EnrollmentDateField: enrollmentNameOrNull(s.Fields[sfapi.EnrollmentLabelDate]),
		ProgressField:       enrollmentNameOrNull(s.Fields[sfapi.EnrollmentLabelProgress]),
		AttemptField:        enrollmentNameOrNull(s.Fields[sfapi.EnrollmentLabelAttempt]),
	})...)
}

func enrollmentNameOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
