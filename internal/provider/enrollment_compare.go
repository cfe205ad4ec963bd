package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// enrollmentComparison is CE's enrollments since a time held against the
// Enrollment records in Salesforce, matched by external id.
type enrollmentComparison struct {
	checked  int
	missing  []string // CE enrollment ids without a record, in CE's order
	outdated []string // with a record whose data differs (only when data was compared)
	// upserts are the records that bring Salesforce up to CE: the missing
	// ones and the outdated ones, in that order of CE's listing.
	upserts []sfapi.EnrollmentRecord
}

// enrollmentSideError says which side failed, so that diagnostics can
// explain a Salesforce failure the way the rest of the provider does.
type enrollmentSideError struct {
	salesforce bool
	summary    string
	err        error
}

func (e *enrollmentSideError) Error() string { return e.summary + ": " + e.err.Error() }
func (e *enrollmentSideError) Unwrap() error { return e.err }

// compareEnrollments lists CE's enrollments since `since` (in courseIDs, or
// all courses) and looks their records up in Salesforce. With compareData
// it also finds records whose data differs and the Contacts to link, and
// fills upserts; without, it only reports which records are missing.
func compareEnrollments(ctx context.Context, np *npapi.Client, sf *sfapi.Client, s *sfapi.EnrollmentSchema,
	since time.Time, courseIDs []string, compareData bool) (*enrollmentComparison, error) {
	ce, err := np.ListEnrollmentsSince(ctx, since, courseIDs)
	if err != nil {
		return nil, &enrollmentSideError{summary: "Cannot read enrollments from CE", err: err}
	}
	ids := make([]string, len(ce))
	for i, e := range ce {
		ids[i] = e.ID
	}
	have, err := sf.ListEnrollments(ctx, s, ids)
	if err != nil {
		return nil, &enrollmentSideError{salesforce: true, summary: "Cannot read Enrollment records from Salesforce", err: err}
	}

	out := &enrollmentComparison{checked: len(ce)}
	if !compareData {
		for _, e := range ce {
			if _, ok := have[e.ID]; !ok {
				out.missing = append(out.missing, e.ID)
			}
		}
		return out, nil
	}

	// Contacts are looked up only for records a link could be added to.
	contacts := map[string]string{}
	if s.ContactField != "" {
		var emails []string
		for _, e := range ce {
			if r, ok := have[e.ID]; e.Email != "" && (!ok || r.ContactID == "") {
				emails = append(emails, e.Email)
			}
		}
		if len(emails) > 0 {
			if contacts, err = sf.FindContactIDsByEmail(ctx, emails); err != nil {
				return nil, &enrollmentSideError{salesforce: true, summary: "Cannot look up Contacts by the learners' emails", err: err}
			}
		}
	}
	var outdated []sfapi.EnrollmentRecord
	for _, e := range ce {
		want := recordFor(e, contacts[strings.ToLower(e.Email)])
		r, ok := have[e.ID]
		switch {
		case !ok:
			out.missing = append(out.missing, e.ID)
			out.upserts = append(out.upserts, want)
		case sfapi.EnrollmentNeedsUpdate(r, want):
			out.outdated = append(out.outdated, e.ID)
			outdated = append(outdated, want)
		}
	}
	out.upserts = append(out.upserts, outdated...)
	return out, nil
}

// recordFor is what the package would have written for a CE enrollment.
// CE's public API reports no attempt number, so none is written.
func recordFor(e npapi.LearnerEnrollment, contactID string) sfapi.EnrollmentRecord {
	progress := e.Progress
	r := sfapi.EnrollmentRecord{
		ExternalID: e.ID, ContactID: contactID, CourseID: e.CourseID, CourseName: e.CourseName, Progress: &progress,
	}
	if !e.EnrolledAt.IsZero() {
		t := e.EnrolledAt
		r.EnrolledAt = &t
	}
	return r
}

// enrollmentErrorDetail explains a comparison failure, with a hint for the
// mistakes users make: a wrong field mapping, an unknown course id.
func enrollmentErrorDetail(err error) (summary, detail string) {
	var se *enrollmentSideError
	if !errors.As(err, &se) {
		return "Cannot compare CE enrollments with Salesforce", err.Error()
	}
	detail = se.err.Error()
	if se.salesforce {
		detail = salesforceErrorDetail(se.err)
		var ae *sfapi.APIError
		if errors.As(se.err, &ae) && (ae.ErrorCode == "INVALID_FIELD" || ae.ErrorCode == "INVALID_TYPE") {
			detail += "\n\nThe Enrollment object or one of its fields does not exist under the name given, or this " +
				"user cannot see it. Take the names from data.northpass_salesforce_enrollment_schema, and check that " +
				"the user has the \"Northpass Standard User\" permission set."
		}
	}
	var nf *npapi.CourseNotFoundError
	if errors.As(se.err, &nf) {
		detail += fmt.Sprintf("\n\nCheck course_ids: %d of them name no course in this CE account.", len(nf.IDs))
	}
	return se.summary, detail
}

// sinceTime parses `since`: RFC 3339, or a plain date (midnight UTC).
func sinceTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 timestamp such as 2025-11-20T00:00:00Z nor a date such as 2025-11-20", s)
	}
	return t.UTC(), nil
}

// normalizedSince is the id form of `since`: RFC 3339 in UTC.
func normalizedSince(s string) (string, error) {
	t, err := sinceTime(s)
	if err != nil {
		return "", err
	}
	return t.Format(time.RFC3339), nil
}
