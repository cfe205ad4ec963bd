package provider

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi"
)

// The value CE's sync writes into the Enrollment's External id field is not
// documented. The provider assumes the CE enrollment id, and lets the user
// say otherwise with a format such as "{course_id}:{enrollment_id}" (CE
// enrollment ids come from per-course listings, so a package may scope them
// by course).
const (
	phEnrollmentID = "{enrollment_id}"
	phCourseID     = "{course_id}"
	phPersonID     = "{person_id}"

	defaultEnrollmentKeyFormat = phEnrollmentID
	// maxEnrollmentKeyFormat leaves room for the ids inside Salesforce's
	// 255-character text limit.
	maxEnrollmentKeyFormat = 100
)

var enrollmentKeyPlaceholders = []string{phEnrollmentID, phCourseID, phPersonID}

// enrollmentKeyFormat turns a CE enrollment into its External id value.
type enrollmentKeyFormat string

func (f enrollmentKeyFormat) key(e npapi.Enrollment) string {
	if f == "" {
		f = defaultEnrollmentKeyFormat
	}
	return strings.NewReplacer(phEnrollmentID, e.ID, phCourseID, e.CourseID, phPersonID, e.PersonID).Replace(string(f))
}

// checkEnrollmentKeyFormat says what is wrong with a format, in the user's
// words; nil when it is usable.
func checkEnrollmentKeyFormat(f string) error {
	if !strings.Contains(f, phEnrollmentID) {
		return fmt.Errorf("%q has no %s: every CE enrollment must get its own External id", f, phEnrollmentID)
	}
	if len(f) > maxEnrollmentKeyFormat {
		return fmt.Errorf("%q is longer than %d characters", f, maxEnrollmentKeyFormat)
	}
	for i := 0; i < len(f); {
		switch c := rune(f[i]); {
		case c == '{':
			ph := ""
			for _, p := range enrollmentKeyPlaceholders {
				if strings.HasPrefix(f[i:], p) {
					ph = p
				}
			}
			if ph == "" {
				return fmt.Errorf("%q: unknown placeholder at %q; the placeholders are %s", f, f[i:], strings.Join(enrollmentKeyPlaceholders, ", "))
			}
			i += len(ph)
		case c == '}':
			return fmt.Errorf("%q: a } without its {", f)
		case unicode.IsControl(c) || c == ' ':
			return fmt.Errorf("%q: spaces and control characters are not allowed", f)
		default:
			i++
		}
	}
	return nil
}

// guessEnrollmentKeyFormat looks for CE's ids inside the External id
// values Salesforce holds and returns the format most of them follow, or
// "" when no value holds a CE enrollment id.
func guessEnrollmentKeyFormat(sfKeys []string, ce []npapi.Enrollment) string {
	votes := map[string]int{}
	best := ""
	for _, k := range sfKeys {
		lk := strings.ToLower(k)
		for _, e := range ce {
			if e.ID == "" {
				continue
			}
			i := strings.Index(lk, strings.ToLower(e.ID))
			if i < 0 {
				continue
			}
			f := generalize(k[:i], e) + phEnrollmentID + generalize(k[i+len(e.ID):], e)
			if checkEnrollmentKeyFormat(f) != nil {
				continue
			}
			votes[f]++
			if votes[f] > votes[best] || (votes[f] == votes[best] && f < best) {
				best = f
			}
			break
		}
	}
	return best
}

// generalize replaces the course and person ids in a piece of a key by
// their placeholders.
func generalize(s string, e npapi.Enrollment) string {
	for _, r := range []struct{ id, ph string }{{e.CourseID, phCourseID}, {e.PersonID, phPersonID}} {
		if r.id == "" {
			continue
		}
		if i := strings.Index(strings.ToLower(s), strings.ToLower(r.id)); i >= 0 {
			s = s[:i] + r.ph + s[i+len(r.id):]
		}
	}
	return s
}

// enrollmentKeyCollision: two CE enrollments get the same External id
// under the format, as happens with "{enrollment_id}" where CE's enrollment
// ids repeat across courses. One record cannot hold both.
type enrollmentKeyCollision struct {
	format enrollmentKeyFormat
	key    string
	a, b   npapi.Enrollment
}

func (c *enrollmentKeyCollision) Error() string {
	return fmt.Sprintf("CE enrollments %s (course %s) and %s (course %s) both get the External id %q under external_id_format = %q",
		c.a.ID, c.a.CourseID, c.b.ID, c.b.CourseID, c.key, string(c.format))
}

func (c *enrollmentKeyCollision) detail() string {
	hint := "Add the placeholder that tells them apart"
	if !strings.Contains(string(c.format), phCourseID) && c.a.CourseID != c.b.CourseID {
		hint = "CE enrollment ids are unique only within a course: include " + phCourseID +
			", as the Northpass package does if it keys records by course (for example \"{course_id}:{enrollment_id}\")"
	}
	return c.Error() + ", and one Enrollment record cannot stand for both. Nothing was looked up or written. " + hint +
		"; the key check then confirms the format against the records CE synced."
}

// checkKeysUnique refuses a format under which two CE enrollments share a
// key (compared without regard to case, as Salesforce compares external
// ids).
func checkKeysUnique(ce []npapi.LearnerEnrollment, keys []string, format enrollmentKeyFormat) error {
	first := make(map[string]int, len(keys))
	for i, k := range keys {
		lk := strings.ToLower(k)
		if j, dup := first[lk]; dup {
			return &enrollmentKeyCollision{format: format, key: k, a: ce[j].Enrollment, b: ce[i].Enrollment}
		}
		first[lk] = i
	}
	return nil
}

// errEnrollmentKeyMismatch marks the refusal to backfill under a key that
// matches none of the records CE synced.
var errEnrollmentKeyMismatch = errors.New("enrollment records are keyed differently")

// enrollmentKeyMismatch is the evidence behind that refusal.
type enrollmentKeyMismatch struct {
	object, field string
	format        enrollmentKeyFormat
	checked       int      // CE enrollments looked up under format
	ceKeys        []string // sample values CE's enrollments give under format
	sfKeys        []string // sample values Salesforce holds in the same courses
	sampled       int      // how many Salesforce records were compared
	suggestion    string   // a format the Salesforce values follow, or ""
}

func (m *enrollmentKeyMismatch) Error() string {
	return fmt.Sprintf("%v: none of %d CE enrollments has a %s record under external id format %q, although %s holds records of CE's courses",
		errEnrollmentKeyMismatch, m.checked, m.object, m.format, m.object)
}

func (m *enrollmentKeyMismatch) Unwrap() error { return errEnrollmentKeyMismatch }

// What a mismatch means where it is found.
const (
	mismatchAtRead  = ""
	mismatchAtPlan  = " Applying would insert every enrollment a second time beside the record CE synced, so the backfill refuses to run until the key is set."
	mismatchAtApply = " Upserting now would insert every enrollment a second time beside the record CE synced, so nothing was written."
)

// detail explains the mismatch: which field, what each side holds, and how
// to set the key.
func (m *enrollmentKeyMismatch) detail(consequence string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "None of the %d CE enrollments checked has an Enrollment record whose %s (the field labelled "+
		"\"External id\") equals its key under external_id_format = %q, yet %s holds records of CE's courses, and "+
		"none of the %d newest of them belongs to a CE enrollment under that format: CE's sync keys its records "+
		"differently.", m.checked, m.field, string(m.format), m.object, m.sampled)
	b.WriteString(consequence)
	fmt.Fprintf(&b, "\n\n  %s values CE's enrollments give: %s\n  %s values Salesforce holds:     %s",
		m.field, quoteAll(m.ceKeys), m.field, quoteAll(m.sfKeys))
	if m.suggestion != "" {
		fmt.Fprintf(&b, "\n\nThe values in Salesforce follow external_id_format = %q. Set it on "+
			"data.northpass_salesforce_enrollment_schema (which hands it to the backfill and the sync check) or on "+
			"this object, then plan again.", m.suggestion)
	} else {
		fmt.Fprintf(&b, "\n\nNo CE enrollment id appears in these values. Find out how the Northpass package fills %s "+
			"and set external_id_format to match, using the placeholders %s; for example "+
			"\"{course_id}:{enrollment_id}\" for course-scoped ids. If these records are not CE's, correct or remove "+
			"them: the backfill does not write while it cannot tell which records CE synced.",
			m.field, strings.Join(enrollmentKeyPlaceholders, ", "))
	}
	return b.String()
}

func quoteAll(vals []string) string {
	if len(vals) == 0 {
		return "(none)"
	}
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}
