package provider

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// enrollmentAPINamePattern is the shape of an object or field API name,
// such as acme__Enrollment__c. The names end up in SOQL, so the shape is
// checked at plan time rather than left to a MALFORMED_QUERY at apply.
var enrollmentAPINamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,254}$`)

func enrollmentAPIName() validator.String {
	return stringvalidator.RegexMatches(enrollmentAPINamePattern,
		"must be a Salesforce API name: letters, digits and underscores, starting with a letter, such as acme__Enrollment__c")
}

// enrollmentSince validates `since`: an RFC 3339 timestamp or a plain date.
func enrollmentSince() validator.String {
	return stringCheck{
		description: "must be an RFC 3339 timestamp (2025-11-20T00:00:00Z) or a date (2025-11-20, midnight UTC)",
		summary:     "Invalid since",
		check:       errorText(sinceTime),
	}
}

// enrollmentKeyFormatCheck checks external_id_format at plan time: known
// placeholders only, {enrollment_id} present.
func enrollmentKeyFormatCheck() validator.String {
	return stringCheck{
		description: "must contain {enrollment_id} and no placeholder other than {enrollment_id}, {course_id} and {person_id}",
		summary:     "Invalid external_id_format",
		check: func(s string) string {
			if err := checkEnrollmentKeyFormat(s); err != nil {
				return err.Error()
			}
			return ""
		},
	}
}

// descEnrollmentKeyFormat documents external_id_format wherever it appears.
const descEnrollmentKeyFormat = "What CE's sync writes into the Enrollment's **External id** field for each enrollment, " +
	"with the placeholders `{enrollment_id}` (required), `{course_id}` and `{person_id}` (CE's ids). Default " +
	"`{enrollment_id}`: the CE enrollment id alone. If your Northpass package keys records by course, because CE " +
	"enrollment ids are unique only within a course, set the format it uses, such as `{course_id}:{enrollment_id}`. " +
	"Records are looked up, and upserted, by this value: with the wrong format every record looks missing and a " +
	"backfill would insert each enrollment a second time, so before writing anything the provider checks the " +
	"format against the records CE already synced, and refuses (naming the format the records follow, when it can " +
	"tell) if none of them matches. A format under which two CE enrollments get the same value is refused too."
