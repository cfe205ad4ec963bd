package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

const enrollmentSchemaAddr = "data.northpass_salesforce_enrollment_schema.this"

// The data source finds the emulator's names by label alone.
func TestAccEnrollmentSchemaDataSource_findsNamesByLabel(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	value := func(attr string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(enrollmentSchemaAddr, tfjsonpath.New(attr), v)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + `data "northpass_salesforce_enrollment_schema" "this" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				value("external_id_format", knownvalue.StringExact("{enrollment_id}")),
				value("namespace", knownvalue.StringExact("northpass")),
				value("object", knownvalue.StringExact(emuEnrollment)),
				value("contact_field", knownvalue.StringExact(emuContact)),
				value("related_list", knownvalue.StringExact(emuEnrollment+"."+emuContact)),
				value("external_id_field", knownvalue.StringExact(emuExternalID)),
				value("course_id_field", knownvalue.StringExact(emuCourseID)),
				value("course_name_field", knownvalue.StringExact(emuCourseName)),
				value("enrollment_date_field", knownvalue.StringExact(emuDate)),
				value("progress_field", knownvalue.StringExact(emuProgress)),
				value("attempt_field", knownvalue.StringExact(emuAttempt)),
				value("fields", knownvalue.MapExact(map[string]knownvalue.Check{
					"Course ID":             knownvalue.StringExact(emuCourseID),
					"Course Name":           knownvalue.StringExact(emuCourseName),
					"Enrollment Date":       knownvalue.StringExact(emuDate),
					"Progress Percentage":   knownvalue.StringExact(emuProgress),
					"Course Attempt Number": knownvalue.StringExact(emuAttempt),
				})),
			},
		}},
	})
}

// external_id_format is passed on as set, and checked at plan time.
func TestAccEnrollmentSchemaDataSource_externalIDFormat(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: org.jwtProvider() + `data "northpass_salesforce_enrollment_schema" "this" {
  external_id_format = "{course_id}:{id}"
}`,
				PlanOnly:    true,
				ExpectError: errorLike("Invalid external_id_format", "has no {enrollment_id}"),
			},
			{
				Config: org.jwtProvider() + `data "northpass_salesforce_enrollment_schema" "this" {
  external_id_format = "{course_id}:{enrollment_id}"
}`,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(enrollmentSchemaAddr,
					tfjsonpath.New("external_id_format"), knownvalue.StringExact("{course_id}:{enrollment_id}"))},
			},
		},
	})
}

// Without the Northpass package there is no Enrollment object: an error
// that says what to install.
func TestAccEnrollmentSchemaDataSource_packageNotInstalled(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	mustDo(t, org.Uninstall(sffake.NorthpassNamespace))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config:      org.jwtProvider() + `data "northpass_salesforce_enrollment_schema" "this" {}`,
			ExpectError: errorLike("Northpass Enrollment object not found", "Install the Northpass managed package"),
		}},
	})
}
