package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi"
)

func TestEnrollmentKeyFormat(t *testing.T) {
	t.Parallel()
	e := npapi.Enrollment{ID: "e-1", CourseID: "c-9", PersonID: "p-4"}
	for f, want := range map[enrollmentKeyFormat]string{
		"":                               "e-1",
		"{enrollment_id}":                "e-1",
		"{course_id}:{enrollment_id}":    "c-9:e-1",
		"ce-{person_id}/{enrollment_id}": "ce-p-4/e-1",
	} {
		if got := f.key(e); got != want {
			t.Errorf("%q: %q, want %q", f, got, want)
		}
	}
}

func TestCheckEnrollmentKeyFormat(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"{enrollment_id}", "{course_id}:{enrollment_id}", "np_{course_id}_{person_id}_{enrollment_id}"} {
		if err := checkEnrollmentKeyFormat(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for bad, want := range map[string]string{
		"":                              "has no {enrollment_id}",
		"{course_id}:{person_id}":       "has no {enrollment_id}",
		"{course}:{enrollment_id}":      `unknown placeholder at "{course}`,
		"${course_id}:{enrollment_id}}": "a } without its {",
		"{course_id} {enrollment_id}":   "spaces and control characters",
		strings.Repeat("x", 90) + "{enrollment_id}": "longer than 100",
	} {
		if err := checkEnrollmentKeyFormat(bad); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %q", bad, err, want)
		}
	}
}

// The format is read off the values Salesforce holds: the most common
// shape wins, ids compare without regard to case, and values holding no
// CE enrollment id give no guess.
func TestGuessEnrollmentKeyFormat(t *testing.T) {
	t.Parallel()
	ce := []npapi.Enrollment{
		{ID: "e-1", CourseID: "c-1", PersonID: "p-1"},
		{ID: "e-2", CourseID: "c-2", PersonID: "p-2"},
		{ID: "e-3", CourseID: "c-2", PersonID: "p-3"},
	}
	for _, tc := range []struct {
		sf   []string
		want string
	}{
		{[]string{"c-1:e-1", "C-2:E-2", "p-3|e-3"}, "{course_id}:{enrollment_id}"},
		{[]string{"p-3|e-3"}, "{person_id}|{enrollment_id}"},
		{[]string{"legacy-1", "x"}, ""},
		{nil, ""},
	} {
		if got := guessEnrollmentKeyFormat(tc.sf, ce); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.sf, got, tc.want)
		}
	}
}

// Enrollment ids that repeat across courses collide under the default
// format; the course-scoped one tells them apart.
func TestCheckKeysUnique(t *testing.T) {
	t.Parallel()
	ce := []npapi.LearnerEnrollment{
		{Enrollment: npapi.Enrollment{ID: "17", CourseID: "c-1"}},
		{Enrollment: npapi.Enrollment{ID: "18", CourseID: "c-1"}},
		{Enrollment: npapi.Enrollment{ID: "17", CourseID: "c-2"}},
	}
	keysOf := func(f enrollmentKeyFormat) []string {
		var out []string
		for _, e := range ce {
			out = append(out, f.key(e.Enrollment))
		}
		return out
	}
	err := checkKeysUnique(ce, keysOf(defaultEnrollmentKeyFormat), defaultEnrollmentKeyFormat)
	var c *enrollmentKeyCollision
	if !errors.As(err, &c) || c.a.CourseID != "c-1" || c.b.CourseID != "c-2" || c.key != "17" {
		t.Fatalf("err = %v, want a collision of 17 in c-1 and c-2", err)
	}
	if d := c.detail(); !strings.Contains(d, "unique only within a course") || !strings.Contains(d, `"{course_id}:{enrollment_id}"`) {
		t.Errorf("detail does not say how to fix it: %s", d)
	}
	if err := checkKeysUnique(ce, keysOf(courseScopedFormat), courseScopedFormat); err != nil {
		t.Fatalf("course-scoped keys collide: %v", err)
	}
}
