package npapi

import (
	"context"
	"encoding/json"
	"net/url"
	"time"
)

// Course is a CE course (GET /v2/courses).
type Course struct {
	ID, Name, Status, Permalink string
	CreatedAt, UpdatedAt        time.Time
}

// Enrollment is one person's enrollment in a course.
type Enrollment struct {
	ID, PersonID, CourseID           string
	Progress                         float64 // percent, 0–100
	EnrolledAt, CreatedAt, UpdatedAt time.Time
}

// ListCourses returns every course in the account.
func (c *Client) ListCourses(ctx context.Context) ([]Course, error) {
	return listAll(ctx, c, "/v2/courses", nil, courseFrom)
}

// ListCourseEnrollments returns every enrollment in one course; CE lists
// enrollments only per course (or learning path), not account-wide.
func (c *Client) ListCourseEnrollments(ctx context.Context, courseID string) ([]Enrollment, error) {
	path := "/v2/courses/" + url.PathEscape(courseID) + "/enrollments"
	return listAll(ctx, c, path, nil, func(r resource) (Enrollment, error) { return enrollmentFrom(r, courseID) })
}

func courseFrom(r resource) (Course, error) {
	var a struct {
		Name      string   `json:"name"`
		Status    string   `json:"status"`
		Permalink string   `json:"permalink"`
		CreatedAt wireTime `json:"created_at"`
		UpdatedAt wireTime `json:"updated_at"`
	}
	if err := unmarshalAttributes(r, &a); err != nil {
		return Course{}, err
	}
	return Course{ID: r.ID, Name: a.Name, Status: a.Status, Permalink: a.Permalink,
		CreatedAt: a.CreatedAt.value(), UpdatedAt: a.UpdatedAt.value()}, nil
}

// enrollmentFrom falls back to the relationships (and the course asked
// for) when the ids are not repeated in the attributes.
func enrollmentFrom(r resource, courseID string) (Enrollment, error) {
	var a struct {
		PersonID   string     `json:"person_id"`
		CourseID   string     `json:"course_id"`
		Progress   wireNumber `json:"progress"`
		EnrolledAt wireTime   `json:"enrolled_at"`
		CreatedAt  wireTime   `json:"created_at"`
		UpdatedAt  wireTime   `json:"updated_at"`
	}
	if err := unmarshalAttributes(r, &a); err != nil {
		return Enrollment{}, err
	}
	e := Enrollment{ID: r.ID, PersonID: a.PersonID, CourseID: a.CourseID, Progress: float64(a.Progress),
		EnrolledAt: a.EnrolledAt.value(), CreatedAt: a.CreatedAt.value(), UpdatedAt: a.UpdatedAt.value()}
	if e.PersonID == "" {
		e.PersonID = r.relatedID("person")
	}
	if e.CourseID == "" {
		if e.CourseID = r.relatedID("course"); e.CourseID == "" {
			e.CourseID = courseID
		}
	}
	return e, nil
}

func unmarshalAttributes(r resource, v any) error {
	if len(r.Attributes) == 0 {
		return nil
	}
	return json.Unmarshal(r.Attributes, v)
}
