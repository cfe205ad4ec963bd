package npfake

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
)

// adminMux serves the seeding and behind-the-client's-back operations as
// JSON for the emulator and `make demo` (curl), next to fakekit's request
// log, counters, faults and latency:
//
//	GET  /__admin/courses                     POST {"name"}
//	GET  /__admin/people                      POST {"email","first_name","last_name"}
//	GET  /__admin/enrollments                 POST {"course_id","person_id","progress","enrolled_at"}
//	GET  /__admin/integration                 the IntegrationState
//	POST /__admin/integration/approve         {"username"}
//	PUT  /__admin/integration/auto-approve    {"username","after":"2s"}
//	POST /__admin/integration/revoke          Salesforce revokes the tokens
//	PUT  /__admin/integration/status          {"status","message"}
//	PUT  /__admin/integration/served          {"served": false}: the account does not serve the integration API
//	…    /__admin/requests|counters|faults|latency   (fakekit)
//
// Admin requests bypass the API key, the rate limit and the fault rules.
func (s *Server) adminMux() http.Handler {
	m := http.NewServeMux()
	m.Handle("/__admin/", s.kit.AdminHandler("/__admin"))
	m.HandleFunc("GET /__admin/courses", func(w http.ResponseWriter, _ *http.Request) {
		fakekit.WriteJSON(w, http.StatusOK, s.Courses())
	})
	m.HandleFunc("POST /__admin/courses", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Name string `json:"name"`
		}
		if !decodeAdmin(w, r, &in) {
			return
		}
		if in.Name == "" {
			adminError(w, http.StatusUnprocessableEntity, "name is required")
			return
		}
		fakekit.WriteJSON(w, http.StatusCreated, s.AddCourse(in.Name))
	})
	m.HandleFunc("GET /__admin/people", func(w http.ResponseWriter, _ *http.Request) {
		fakekit.WriteJSON(w, http.StatusOK, s.People())
	})
	m.HandleFunc("POST /__admin/people", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Email     string `json:"email"`
			FirstName string `json:"first_name"`
			LastName  string `json:"last_name"`
		}
		if !decodeAdmin(w, r, &in) {
			return
		}
		if in.Email == "" {
			adminError(w, http.StatusUnprocessableEntity, "email is required")
			return
		}
		fakekit.WriteJSON(w, http.StatusCreated, s.AddPerson(in.Email, in.FirstName, in.LastName))
	})
	m.HandleFunc("GET /__admin/enrollments", func(w http.ResponseWriter, _ *http.Request) {
		fakekit.WriteJSON(w, http.StatusOK, s.Enrollments())
	})
	m.HandleFunc("POST /__admin/enrollments", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			CourseID   string    `json:"course_id"`
			PersonID   string    `json:"person_id"`
			Progress   float64   `json:"progress"`
			EnrolledAt time.Time `json:"enrolled_at"`
		}
		if !decodeAdmin(w, r, &in) {
			return
		}
		e, err := s.addEnrollment(in.CourseID, in.PersonID, in.Progress, in.EnrolledAt)
		if err != nil {
			adminError(w, http.StatusUnprocessableEntity, err.Error())
			return
		}
		fakekit.WriteJSON(w, http.StatusCreated, e)
	})
	m.HandleFunc("GET /__admin/integration", func(w http.ResponseWriter, _ *http.Request) {
		fakekit.WriteJSON(w, http.StatusOK, s.Integration())
	})
	m.HandleFunc("POST /__admin/integration/approve", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Username string `json:"username"`
		}
		if !decodeAdmin(w, r, &in) {
			return
		}
		if err := s.ApprovePendingAuthorization(in.Username); err != nil {
			adminError(w, http.StatusConflict, err.Error())
			return
		}
		fakekit.WriteJSON(w, http.StatusOK, s.Integration())
	})
	m.HandleFunc("PUT /__admin/integration/auto-approve", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Username string `json:"username"`
			After    string `json:"after"`
		}
		if !decodeAdmin(w, r, &in) {
			return
		}
		var after time.Duration
		if in.After != "" {
			d, err := time.ParseDuration(in.After)
			if err != nil {
				adminError(w, http.StatusUnprocessableEntity, "after: "+err.Error())
				return
			}
			after = d
		}
		s.SetAutoApprove(in.Username, after)
		w.WriteHeader(http.StatusNoContent)
	})
	m.HandleFunc("POST /__admin/integration/revoke", func(w http.ResponseWriter, _ *http.Request) {
		s.RevokeAuthorization()
		fakekit.WriteJSON(w, http.StatusOK, s.Integration())
	})
	m.HandleFunc("PUT /__admin/integration/status", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Status  string `json:"status"`
			Message string `json:"message"`
		}
		if !decodeAdmin(w, r, &in) {
			return
		}
		switch in.Status {
		case StatusNotConfigured, StatusAuthorizationRequired, StatusConnected, StatusDisconnected, StatusError:
		default:
			adminError(w, http.StatusUnprocessableEntity, "status must be one of not_configured, authorization_required, connected, disconnected, error")
			return
		}
		s.SetIntegrationStatus(in.Status, in.Message)
		fakekit.WriteJSON(w, http.StatusOK, s.Integration())
	})
	m.HandleFunc("PUT /__admin/integration/served", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Served *bool `json:"served"`
		}
		if !decodeAdmin(w, r, &in) {
			return
		}
		if in.Served == nil {
			adminError(w, http.StatusUnprocessableEntity, "served (true or false) is required")
			return
		}
		s.SetIntegrationAPIServed(*in.Served)
		w.WriteHeader(http.StatusNoContent)
	})
	return m
}

func decodeAdmin(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil {
		adminError(w, http.StatusBadRequest, "invalid JSON: "+err.Error())
		return false
	}
	return true
}

func adminError(w http.ResponseWriter, status int, msg string) {
	fakekit.WriteJSON(w, status, map[string]string{"error": msg})
}
