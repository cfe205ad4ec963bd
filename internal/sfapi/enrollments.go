package sfapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
)

// The labels of the Enrollment fields the install guide names; the API
// names behind them come from DiscoverEnrollmentSchema (or the user).
const (
	EnrollmentLabelCourseID   = "Course ID"
	EnrollmentLabelCourseName = "Course Name"
	EnrollmentLabelDate       = "Enrollment Date"
	EnrollmentLabelProgress   = "Progress Percentage"
	EnrollmentLabelAttempt    = "Course Attempt Number"
)

// EnrollmentRecord is one Enrollment record in the package's terms. Nil
// pointers and empty strings are "no value": on upsert they are left out,
// so a value CE does not know never clears what Salesforce holds.
type EnrollmentRecord struct {
	ID         string // Salesforce record id; empty for a record not yet saved
	ExternalID string // the CE enrollment id
	ContactID  string // the linked Contact; empty for an unlinked enrollment
	CourseID   string
	CourseName string
	EnrolledAt *time.Time
	Progress   *float64 // percent, 0–100
	Attempt    *float64

	dateOnly bool // EnrolledAt was read from a Date field: compared by day
}

// Limits of one IN (…) query: Salesforce caps SOQL at 100,000 characters,
// but the query travels in a GET URL, which proxies and Salesforce's own
// front end cut off far sooner; 8,000 characters stays well clear.
const (
	maxEnrollmentINValues = 200
	maxEnrollmentSOQLLen  = 8000
)

// enrollmentAPIName is the shape of an object or field API name. Names go
// into SOQL unquoted, so anything else is refused before a query is built.
var enrollmentAPIName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,254}$`)

func checkEnrollmentName(what, name string) error {
	if !enrollmentAPIName.MatchString(name) {
		return fmt.Errorf("invalid %s %q: a Salesforce API name has letters, digits and underscores and starts with a letter", what, name)
	}
	return nil
}

// enrollmentColumns are the fields read and written for a schema, by label.
type enrollmentColumns struct {
	object, externalID, contact string
	courseID, courseName        string
	date, progress, attempt     string
	// dateOnly: the Enrollment Date field is a Date, written as YYYY-MM-DD.
	dateOnly bool
}

func columnsOf(s *EnrollmentSchema) (*enrollmentColumns, error) {
	if s == nil {
		return nil, errors.New("no Enrollment schema given")
	}
	c := &enrollmentColumns{
		object: s.Object, externalID: s.ExternalIDField, contact: s.ContactField,
		courseID: s.Fields[EnrollmentLabelCourseID], courseName: s.Fields[EnrollmentLabelCourseName],
		date: s.Fields[EnrollmentLabelDate], progress: s.Fields[EnrollmentLabelProgress], attempt: s.Fields[EnrollmentLabelAttempt],
	}
	if c.object == "" {
		return nil, errors.New("the Enrollment schema names no object")
	}
	if c.externalID == "" {
		return nil, fmt.Errorf("%s has no external id field (labelled %q): enrollments cannot be matched to CE without it", c.object, externalIDLabel)
	}
	for what, name := range map[string]string{
		"object": c.object, "external id field": c.externalID, "Contact field": c.contact,
		EnrollmentLabelCourseID + " field": c.courseID, EnrollmentLabelCourseName + " field": c.courseName,
		EnrollmentLabelDate + " field": c.date, EnrollmentLabelProgress + " field": c.progress, EnrollmentLabelAttempt + " field": c.attempt,
	} {
		if name == "" {
			continue // a field the org does not have is neither read nor written
		}
		if err := checkEnrollmentName(what, name); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *enrollmentColumns) selectList() string {
	cols := []string{"Id", c.externalID}
	for _, f := range []string{c.contact, c.courseID, c.courseName, c.date, c.progress, c.attempt} {
		if f != "" {
			cols = append(cols, f)
		}
	}
	return strings.Join(cols, ", ")
}

// inQueries builds head + "(v1,v2,…)" + tail queries of at most
// maxEnrollmentINValues values and maxEnrollmentSOQLLen characters each.
func inQueries(head, tail string, vals []string) ([]string, error) {
	fixed := len(head) + len("()") + len(tail)
	var out []string
	var lits []string
	size := fixed
	flush := func() {
		if len(lits) > 0 {
			out = append(out, head+"("+strings.Join(lits, ",")+")"+tail)
			lits, size = nil, fixed
		}
	}
	for _, v := range vals {
		lit := QuoteSOQL(v)
		if fixed+len(lit) > maxEnrollmentSOQLLen {
			return nil, fmt.Errorf("value %.40q… is too long to look up", v)
		}
		sep := 0
		if len(lits) > 0 {
			sep = 1
		}
		if len(lits) == maxEnrollmentINValues || size+sep+len(lit) > maxEnrollmentSOQLLen {
			flush()
			sep = 0
		}
		lits = append(lits, lit)
		size += sep + len(lit)
	}
	flush()
	return out, nil
}

// ListEnrollments reads the Enrollment records whose external id is one of
// externalIDs, a few hundred per query. The map is keyed by the id as
// given; ids without a record are absent. External ids compare without
// regard to case, as SOQL does.
func (c *Client) ListEnrollments(ctx context.Context, s *EnrollmentSchema, externalIDs []string) (map[string]EnrollmentRecord, error) {
	cols, err := columnsOf(s)
	if err != nil {
		return nil, fmt.Errorf("list enrollments: %w", err)
	}
	asGiven := map[string]string{} // lower-case → as given
	var ids []string
	for _, id := range externalIDs {
		k := strings.ToLower(id)
		if id == "" || asGiven[k] != "" {
			continue
		}
		asGiven[k] = id
		ids = append(ids, id)
	}
	queries, err := inQueries("SELECT "+cols.selectList()+" FROM "+cols.object+" WHERE "+cols.externalID+" IN ", "", ids)
	if err != nil {
		return nil, fmt.Errorf("list enrollments: %w", err)
	}
	out := make(map[string]EnrollmentRecord, len(ids))
	for i, q := range queries {
		err := c.Query(ctx, q, func(raw json.RawMessage) error {
			rec, err := cols.decode(raw)
			if err != nil {
				return err
			}
			key, ok := asGiven[strings.ToLower(rec.ExternalID)]
			if !ok {
				return nil
			}
			if _, dup := out[key]; !dup { // a case-sensitive field may hold both cases; the first wins
				out[key] = rec
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("list %s records by %s (query %d of %d): %w", cols.object, cols.externalID, i+1, len(queries), err)
		}
	}
	return out, nil
}

// decode reads one record; field names compare without regard to case,
// since Salesforce answers with the names as defined, not as asked.
func (c *enrollmentColumns) decode(raw json.RawMessage) (EnrollmentRecord, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return EnrollmentRecord{}, fmt.Errorf("decode %s record: %w", c.object, err)
	}
	fields := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		fields[strings.ToLower(k)] = v
	}
	var rec EnrollmentRecord
	var errs []error
	str := func(name string, dst *string) {
		if name == "" {
			return
		}
		var v *string
		if raw, ok := fields[strings.ToLower(name)]; ok {
			if err := json.Unmarshal(raw, &v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
		}
		*dst = deref(v)
	}
	num := func(name string) *float64 {
		if name == "" {
			return nil
		}
		var v *float64
		if raw, ok := fields[strings.ToLower(name)]; ok {
			if err := json.Unmarshal(raw, &v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
		}
		return v
	}
	str("Id", &rec.ID)
	str(c.externalID, &rec.ExternalID)
	str(c.contact, &rec.ContactID)
	str(c.courseID, &rec.CourseID)
	str(c.courseName, &rec.CourseName)
	var date string
	str(c.date, &date)
	if date != "" {
		t, dateOnly, err := parseEnrollmentDate(date)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.date, err))
		}
		rec.EnrolledAt, rec.dateOnly = t, dateOnly
	}
	rec.Progress = num(c.progress)
	rec.Attempt = num(c.attempt)
	if err := errors.Join(errs...); err != nil {
		return rec, fmt.Errorf("decode %s record %s: %w", c.object, rec.ID, err)
	}
	return rec, nil
}

// parseEnrollmentDate accepts a dateTime and, for orgs where the field is
// a Date, a plain date (midnight UTC).
func parseEnrollmentDate(s string) (t *time.Time, dateOnly bool, err error) {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return &d, true, nil
	}
	t, err = parseSFTime(&s)
	return t, false, err
}

// FindContactIDsByEmail returns the Contact id for each email that has a
// Contact, keyed by lower-case email. When several Contacts share an email
// the oldest is used, so the choice is the same on every run.
func (c *Client) FindContactIDsByEmail(ctx context.Context, emails []string) (map[string]string, error) {
	seen := map[string]bool{}
	var list []string
	for _, e := range emails {
		k := strings.ToLower(strings.TrimSpace(e))
		if k != "" && !seen[k] {
			seen[k] = true
			list = append(list, k)
		}
	}
	queries, err := inQueries("SELECT Id, Email FROM Contact WHERE Email IN ", " ORDER BY CreatedDate, Id", list)
	if err != nil {
		return nil, fmt.Errorf("look up contacts by email: %w", err)
	}
	out := make(map[string]string, len(list))
	for i, q := range queries {
		recs, err := QueryAll[struct {
			ID    string  `json:"Id"`
			Email *string `json:"Email"`
		}](ctx, c, q)
		if err != nil {
			return nil, fmt.Errorf("look up contacts by email (query %d of %d): %w", i+1, len(queries), err)
		}
		for _, r := range recs {
			if k := strings.ToLower(deref(r.Email)); seen[k] && out[k] == "" {
				out[k] = r.ID
			}
		}
	}
	return out, nil
}

// UpsertEnrollments inserts or updates the records matched on the external
// id field, 200 per call, with allOrNone=false: one bad record does not
// hold back the others. created and updated count the records saved; the
// ones that failed come back in a *BatchError keyed by external id.
func (c *Client) UpsertEnrollments(ctx context.Context, s *EnrollmentSchema, recs []EnrollmentRecord) (created, updated int, err error) {
	cols, err := columnsOf(s)
	if err != nil {
		return 0, 0, fmt.Errorf("upsert enrollments: %w", err)
	}
	if len(recs) == 0 {
		return 0, 0, nil
	}
	if cols.dateOnly, err = c.enrollmentDateOnly(ctx, s, cols); err != nil {
		return 0, 0, fmt.Errorf("upsert enrollments: %w", err)
	}
	seen := map[string]bool{}
	body := make([]map[string]any, 0, len(recs))
	for _, r := range recs {
		k := strings.ToLower(r.ExternalID)
		if k == "" {
			return 0, 0, errors.New("upsert enrollments: a record has no external id")
		}
		if seen[k] {
			// Salesforce would fail both with DUPLICATE_EXTERNAL_ID.
			return 0, 0, fmt.Errorf("upsert enrollments: external id %q appears twice", r.ExternalID)
		}
		seen[k] = true
		body = append(body, cols.encode(r))
	}
	res, callErr := c.UpsertCollection(ctx, cols.object, cols.externalID, body, false)
	var failures []BatchFailure
	for i, r := range res {
		switch {
		case !r.Success:
			failures = append(failures, failureOf(recs[i].ExternalID, r.Err()))
		case r.Created:
			created++
		default:
			updated++
		}
	}
	return created, updated, batchResult(callErr, failures)
}

// enrollmentDateOnly tells how to write the Enrollment Date: Salesforce
// parses a JSON value by the field's type, a Date field taking only
// YYYY-MM-DD and a Date/Time field a full ISO 8601 dateTime (REST API
// Developer Guide, "Valid Date and DateTime Formats"). A dateTime sent into
// a Date field fails the whole collection call with JSON_PARSER_ERROR, so
// the type comes from describe: the schema's when discovery filled it, a
// describe of the object otherwise.
func (c *Client) enrollmentDateOnly(ctx context.Context, s *EnrollmentSchema, cols *enrollmentColumns) (bool, error) {
	if cols.date == "" {
		return false, nil
	}
	typ, ok := s.FieldTypes[strings.ToLower(cols.date)]
	if !ok {
		d, err := c.SObjects().Describe(ctx, cols.object)
		if err != nil {
			return false, fmt.Errorf("describe %s to learn the type of %s: %w", cols.object, cols.date, err)
		}
		f := d.Field(cols.date)
		if f == nil {
			return false, fmt.Errorf("%s has no field %s, or this user cannot see it: check the %s field name", cols.object, cols.date, EnrollmentLabelDate)
		}
		typ = f.Type
	}
	switch strings.ToLower(typ) {
	case "date":
		return true, nil
	case "datetime":
		return false, nil
	}
	return false, fmt.Errorf("%s.%s is a %s field, not a Date or Date/Time field: check the %s field name", cols.object, cols.date, typ, EnrollmentLabelDate)
}

// formatEnrollmentDate writes a Date field's value as the UTC day, the day
// sameEnrollmentDate compares by.
func formatEnrollmentDate(t *time.Time, dateOnly bool) any {
	if dateOnly {
		return t.UTC().Format(time.DateOnly)
	}
	return formatSFTime(t)
}

func (c *enrollmentColumns) encode(r EnrollmentRecord) map[string]any {
	m := map[string]any{c.externalID: r.ExternalID}
	set := func(field string, v any, present bool) {
		if field != "" && present {
			m[field] = v
		}
	}
	set(c.contact, r.ContactID, r.ContactID != "")
	set(c.courseID, r.CourseID, r.CourseID != "")
	set(c.courseName, r.CourseName, r.CourseName != "")
	if r.EnrolledAt != nil {
		set(c.date, formatEnrollmentDate(r.EnrolledAt, c.dateOnly), true)
	}
	if r.Progress != nil {
		set(c.progress, *r.Progress, true)
	}
	if r.Attempt != nil {
		set(c.attempt, *r.Attempt, true)
	}
	return m
}

// EnrollmentNeedsUpdate reports whether writing want over have would
// change what Salesforce shows. Only the values want carries count: a
// Contact link or attempt number CE does not know is never taken away, and
// a link someone set by hand is kept.
func EnrollmentNeedsUpdate(have, want EnrollmentRecord) bool {
	switch {
	case want.ContactID != "" && have.ContactID == "":
		return true
	case want.CourseID != "" && want.CourseID != have.CourseID:
		return true
	case want.CourseName != "" && want.CourseName != have.CourseName:
		return true
	case want.EnrolledAt != nil && !sameEnrollmentDate(have, *want.EnrolledAt):
		return true
	case want.Progress != nil && !sameProgress(have.Progress, *want.Progress):
		return true
	case want.Attempt != nil && (have.Attempt == nil || *have.Attempt != *want.Attempt):
		return true
	}
	return false
}

// sameEnrollmentDate compares to the second (CE's precision), or by day
// when Salesforce holds a plain date.
func sameEnrollmentDate(have EnrollmentRecord, want time.Time) bool {
	if have.EnrolledAt == nil {
		return false
	}
	if have.dateOnly {
		return have.EnrolledAt.UTC().Format(time.DateOnly) == want.UTC().Format(time.DateOnly)
	}
	return have.EnrolledAt.Truncate(time.Second).Equal(want.Truncate(time.Second))
}

// sameProgress allows for the field's scale: a percent field with two
// decimals holds CE's value to 0.01, one without decimals its rounding.
func sameProgress(have *float64, want float64) bool {
	if have == nil {
		return false
	}
	if math.Abs(*have-want) < 0.005 {
		return true
	}
	return *have == math.Trunc(*have) && math.Round(want) == *have
}
