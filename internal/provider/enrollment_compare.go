package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

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
// all courses) and looks their records up in Salesforce by the External id
// values format gives them. With compareData it also finds records whose
// data differs and the Contacts to link, and fills upserts; without, it
// only reports which records are missing.
//
// When none is found, it first makes sure the key is right
// (checkEnrollmentIdentity): a wrong key would make every record look
// missing, and every upsert an insert beside the record CE synced.
func compareEnrollments(ctx context.Context, np *npapi.Client, sf *sfapi.Client, s *sfapi.EnrollmentSchema,
	format enrollmentKeyFormat, since time.Time, courseIDs []string, compareData bool) (*enrollmentComparison, error) {
	ce, err := np.ListEnrollmentsSince(ctx, since, courseIDs)
	if err != nil {
		return nil, &enrollmentSideError{summary: "Cannot read enrollments from CE", err: err}
	}
	keys := make([]string, len(ce))
	for i, e := range ce {
		keys[i] = format.key(e.Enrollment)
	}
	if err := checkKeysUnique(ce, keys, format); err != nil {
		return nil, err
	}
	have, err := sf.ListEnrollments(ctx, s, keys)
	if err != nil {
		return nil, &enrollmentSideError{salesforce: true, summary: "Cannot read Enrollment records from Salesforce", err: err}
	}
	if len(have) == 0 && len(ce) > 0 {
		if err := checkEnrollmentIdentity(ctx, np, sf, s, format, ce, keys); err != nil {
			return nil, err
		}
	}

	out := &enrollmentComparison{checked: len(ce)}
	if !compareData {
		for i, e := range ce {
			if _, ok := have[keys[i]]; !ok {
				out.missing = append(out.missing, e.ID)
			}
		}
		return out, nil
	}

	// Contacts are looked up only for records a link could be added to.
	contacts := map[string]string{}
	if s.ContactField != "" {
		var emails []string
		for i, e := range ce {
			if r, ok := have[keys[i]]; e.Email != "" && (!ok || r.ContactID == "") {
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
	for i, e := range ce {
		want := recordFor(e, keys[i], contacts[strings.ToLower(e.Email)])
		r, ok := have[keys[i]]
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
func recordFor(e npapi.LearnerEnrollment, key, contactID string) sfapi.EnrollmentRecord {
	progress := e.Progress
	r := sfapi.EnrollmentRecord{
		ExternalID: key, ContactID: contactID, CourseID: e.CourseID, CourseName: e.CourseName, Progress: &progress,
	}
	if !e.EnrolledAt.IsZero() {
		t := e.EnrolledAt
		r.EnrolledAt = &t
	}
	return r
}

// identitySampleSize is how many of Salesforce's newest Enrollment records
// are held against CE when no CE enrollment was found under the key.
const identitySampleSize = 100

// checkEnrollmentIdentity runs when none of CE's enrollments was found
// under the key. That is expected when CE never synced anything (a new org,
// an outage that began before the first sync) and when it synced only
// other enrollments (older ones, other courses). It is a wrong key when
// Salesforce holds records of CE's courses and none of them is a CE
// enrollment under the key: then every upsert would insert a duplicate
// beside a record CE synced (or will sync), so it is refused, with the
// evidence.
//
// The sample is Salesforce's newest records of any course, not only of the
// courses at hand: a first backfill of a new course must not pass under a
// key that the rest of the org contradicts. It is held against every CE
// enrollment of its courses, since it may predate since. Records whose
// Course ID names no CE course are not CE's and prove nothing.
func checkEnrollmentIdentity(ctx context.Context, np *npapi.Client, sf *sfapi.Client, s *sfapi.EnrollmentSchema,
	format enrollmentKeyFormat, ce []npapi.LearnerEnrollment, keys []string) error {
	sample, err := sf.SampleEnrollments(ctx, s, identitySampleSize)
	if err != nil {
		return &enrollmentSideError{salesforce: true, summary: "Cannot read Enrollment records from Salesforce", err: err}
	}
	if len(sample) == 0 {
		return nil // CE synced nothing: inserting duplicates nothing
	}

	var courses []string // whose enrollments the sample is held against
	if s.Fields[sfapi.EnrollmentLabelCourseID] == "" {
		seen := map[string]bool{}
		for _, e := range ce {
			if !seen[e.CourseID] {
				seen[e.CourseID] = true
				courses = append(courses, e.CourseID)
			}
		}
	} else {
		all, err := np.ListCourses(ctx)
		if err != nil {
			return &enrollmentSideError{summary: "Cannot read courses from CE", err: err}
		}
		known := map[string]string{} // lower-case → as CE has it
		for _, c := range all {
			known[strings.ToLower(c.ID)] = c.ID
		}
		var ours []sfapi.EnrollmentRecord
		for _, r := range sample {
			id := known[strings.ToLower(r.CourseID)]
			if id == "" {
				continue
			}
			ours = append(ours, r)
			if !slices.Contains(courses, id) {
				courses = append(courses, id)
			}
		}
		if sample = ours; len(sample) == 0 {
			return nil // no record of a CE course: none is CE's
		}
	}
	var all []npapi.Enrollment
	for _, id := range courses {
		es, err := np.ListCourseEnrollments(ctx, id)
		if err != nil {
			return &enrollmentSideError{summary: "Cannot read enrollments from CE", err: fmt.Errorf("list enrollments of course %s: %w", id, err)}
		}
		all = append(all, es...)
	}
	ceKeys := map[string]bool{}
	for _, e := range all {
		ceKeys[strings.ToLower(format.key(e))] = true
	}
	var sfKeys []string
	for _, r := range sample {
		if ceKeys[strings.ToLower(r.ExternalID)] {
			return nil // a record CE synced, found under the key: the key is right
		}
		sfKeys = append(sfKeys, r.ExternalID)
	}
	return &enrollmentKeyMismatch{
		object: s.Object, field: s.ExternalIDField, format: format, checked: len(ce), sampled: len(sample),
		ceKeys: keys[:min(len(keys), 3)], sfKeys: sfKeys[:min(len(sfKeys), 3)],
		suggestion: guessEnrollmentKeyFormat(sfKeys, all),
	}
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

// addEnrollmentError reports a comparison failure; a key mismatch goes on
// external_id_format, the attribute that fixes it, saying what it means
// where it was found (mismatchAtRead, …AtPlan, …AtApply).
func addEnrollmentError(diags *diag.Diagnostics, err error, consequence string) {
	var m *enrollmentKeyMismatch
	if errors.As(err, &m) {
		diags.AddAttributeError(path.Root("external_id_format"), "Enrollment records are keyed differently", m.detail(consequence))
		return
	}
	var c *enrollmentKeyCollision
	if errors.As(err, &c) {
		diags.AddAttributeError(path.Root("external_id_format"), "Two CE enrollments get the same external id", c.detail())
		return
	}
	diags.AddError(enrollmentErrorDetail(err))
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
