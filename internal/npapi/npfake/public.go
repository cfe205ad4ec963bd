package npfake

import (
	"net/http"
	"strings"
)

// The resource shapes follow the public v2 API (Airbyte's manifest and the
// resource-structure docs): id, type, attributes, relationships, links.

type resourceObject struct {
	ID            string                  `json:"id"`
	Type          string                  `json:"type"`
	Attributes    any                     `json:"attributes"`
	Relationships map[string]relationship `json:"relationships,omitempty"`
	Links         map[string]any          `json:"links,omitempty"`
}

type relationship struct {
	Data identifier `json:"data"`
}

type identifier struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

type actionLink struct {
	Href string `json:"href"`
	Meta struct {
		Methods []string `json:"methods"`
	} `json:"meta"`
}

func action(href string, methods ...string) actionLink {
	a := actionLink{Href: href}
	a.Meta.Methods = methods
	return a
}

func (s *Server) courseResource(c Course) resourceObject {
	count := 0
	for _, e := range s.enrollments {
		if e.CourseID == c.ID {
			count++
		}
	}
	self := "/v2/courses/" + c.ID
	return resourceObject{ID: c.ID, Type: "courses",
		Attributes: map[string]any{
			"name": c.Name, "status": c.Status, "permalink": c.Permalink,
			"created_at": timestamp(c.CreatedAt), "updated_at": timestamp(c.UpdatedAt),
			"enrollments_count": count, "unpublished_changes": false,
		},
		Links: map[string]any{"self": self, "enrollments": action(self+"/enrollments", "GET")},
	}
}

func enrollmentResource(e Enrollment) resourceObject {
	return resourceObject{ID: e.ID, Type: "enrollments",
		Attributes: map[string]any{
			"person_id": e.PersonID, "course_id": e.CourseID, "progress": e.Progress,
			"enrolled_at": timestamp(e.EnrolledAt), "created_at": timestamp(e.CreatedAt), "updated_at": timestamp(e.UpdatedAt),
		},
		Relationships: map[string]relationship{
			"person": {Data: identifier{Type: "people", ID: e.PersonID}},
			"course": {Data: identifier{Type: "courses", ID: e.CourseID}},
		},
	}
}

func personResource(p Person) resourceObject {
	return resourceObject{ID: p.ID, Type: "people",
		Attributes: map[string]any{
			"email": p.Email, "first_name": p.FirstName, "last_name": p.LastName,
			"full_name": p.FullName, "name": p.FullName,
			"created_at": timestamp(p.CreatedAt), "updated_at": timestamp(p.UpdatedAt),
			"activated_at": timestamp(p.CreatedAt), "disabled": false, "unsubscribed": false,
			"registration_status": "activated",
		},
		Links: map[string]any{"self": "/v2/people/" + p.ID},
	}
}

// writeList pages items and writes {"data": [...], "links": {...}}.
func (s *Server) writeList(w http.ResponseWriter, r *http.Request, items []resourceObject) {
	start, end, links := s.pageWindow(r, len(items))
	writeJSON(w, http.StatusOK, map[string]any{"data": items[start:end], "links": links})
}

func (s *Server) listCourses(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	items := make([]resourceObject, 0, len(s.courses))
	for _, c := range s.courses {
		items = append(items, s.courseResource(c))
	}
	s.mu.Unlock()
	s.writeList(w, r, items)
}

func (s *Server) getCourse(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	c, ok := s.courseLocked(r.PathValue("id"))
	var res resourceObject
	if ok {
		res = s.courseResource(c)
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "", "Couldn't find Course with 'id'="+r.PathValue("id"), "")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": res})
}

func (s *Server) listCourseEnrollments(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	_, ok := s.courseLocked(id)
	var items []resourceObject
	for _, e := range s.enrollments {
		if e.CourseID == id {
			items = append(items, enrollmentResource(e))
		}
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "", "Couldn't find Course with 'id'="+id, "")
		return
	}
	if items == nil {
		items = []resourceObject{} // "data": [] rather than null
	}
	s.writeList(w, r, items)
}

// listPeople supports filter[email][eq] (exact, case-insensitive as email
// addresses are) and filter[email] / filter[email][cont] (contains); other
// filters are ignored, as CE ignores attributes it does not filter on.
func (s *Server) listPeople(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	eq, hasEq := q["filter[email][eq]"]
	cont := q.Get("filter[email][cont]")
	if cont == "" {
		cont = q.Get("filter[email]")
	}
	s.mu.Lock()
	items := []resourceObject{}
	for _, p := range s.people {
		if hasEq && !strings.EqualFold(p.Email, eq[0]) {
			continue
		}
		if cont != "" && !strings.Contains(strings.ToLower(p.Email), strings.ToLower(cont)) {
			continue
		}
		items = append(items, personResource(p))
	}
	s.mu.Unlock()
	s.writeList(w, r, items)
}

func (s *Server) getPerson(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.personLocked(r.PathValue("id"))
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "", "Couldn't find Person with 'id'="+r.PathValue("id"), "")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": personResource(p)})
}
