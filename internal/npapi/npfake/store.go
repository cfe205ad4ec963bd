package npfake

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Course is a course in the fake account.
type Course struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Status    string    `json:"status"`
	Permalink string    `json:"permalink"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Person is a learner in the fake account.
type Person struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	FirstName string    `json:"first_name"`
	LastName  string    `json:"last_name"`
	FullName  string    `json:"full_name"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Enrollment is one person in one course; Progress is a percentage.
type Enrollment struct {
	ID         string    `json:"id"`
	CourseID   string    `json:"course_id"`
	PersonID   string    `json:"person_id"`
	Progress   float64   `json:"progress"`
	EnrolledAt time.Time `json:"enrolled_at"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// AddCourse adds a live course and returns it.
func (s *Server) AddCourse(name string) Course {
	t := now()
	c := Course{ID: newUUID(), Name: name, Status: "live", CreatedAt: t, UpdatedAt: t,
		Permalink: strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(name), "-"), "-")}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.courses = append(s.courses, c)
	return c
}

// AddPerson adds a person and returns it.
func (s *Server) AddPerson(email, first, last string) Person {
	t := now()
	p := Person{ID: newUUID(), Email: email, FirstName: first, LastName: last,
		FullName: strings.TrimSpace(first + " " + last), CreatedAt: t, UpdatedAt: t}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.people = append(s.people, p)
	return p
}

// AddEnrollment enrolls a person in a course. Unknown ids are a seeding bug
// and panic; the admin endpoint reports them as 422 instead.
func (s *Server) AddEnrollment(courseID, personID string, progress float64, enrolledAt time.Time) Enrollment {
	e, err := s.addEnrollment(courseID, personID, progress, enrolledAt)
	if err != nil {
		panic("npfake.AddEnrollment: " + err.Error())
	}
	return e
}

func (s *Server) addEnrollment(courseID, personID string, progress float64, enrolledAt time.Time) (Enrollment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.courseLocked(courseID); !ok {
		return Enrollment{}, fmt.Errorf("no course %q", courseID)
	}
	if _, ok := s.personLocked(personID); !ok {
		return Enrollment{}, fmt.Errorf("no person %q", personID)
	}
	if progress < 0 || progress > 100 {
		return Enrollment{}, fmt.Errorf("progress %v is not a percentage", progress)
	}
	t := now()
	if enrolledAt.IsZero() {
		enrolledAt = t
	}
	e := Enrollment{ID: newUUID(), CourseID: courseID, PersonID: personID, Progress: progress,
		EnrolledAt: enrolledAt.UTC().Truncate(time.Second), CreatedAt: t, UpdatedAt: t}
	s.enrollments = append(s.enrollments, e)
	return e, nil
}

// Courses returns the courses in creation order.
func (s *Server) Courses() []Course {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Course(nil), s.courses...)
}

// People returns the people in creation order.
func (s *Server) People() []Person {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Person(nil), s.people...)
}

// Enrollments returns every enrollment in creation order.
func (s *Server) Enrollments() []Enrollment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Enrollment(nil), s.enrollments...)
}

func (s *Server) courseLocked(id string) (Course, bool) {
	for _, c := range s.courses {
		if c.ID == id {
			return c, true
		}
	}
	return Course{}, false
}

func (s *Server) personLocked(id string) (Person, bool) {
	for _, p := range s.people {
		if p.ID == id {
			return p, true
		}
	}
	return Person{}, false
}
