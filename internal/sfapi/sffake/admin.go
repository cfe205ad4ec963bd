package sffake

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// The Go API and the HTTP admin interface change the org "behind
// Terraform's back": they act as the admin user and bypass access rules
// (read-only fields, managed components) but keep the data rules (required
// fields, lookups, duplicates), so drift tests start from states a real org
// could be in.

var adminOp = &opCtx{trusted: true}

func asError(e *APIError) error {
	if e == nil {
		return nil
	}
	return e
}

func (s *Server) adminObject(sobject string) (*objectDef, *APIError) {
	obj := s.object(sobject)
	if obj == nil || !s.visible(obj) {
		return nil, newErr(http.StatusNotFound, "INVALID_TYPE", "sObject type '%s' is not supported.", sobject)
	}
	if obj.virtual != nil {
		return nil, newErr(http.StatusBadRequest, "INVALID_TYPE", "%s is computed and cannot be changed", obj.Name)
	}
	return obj, nil
}

// Insert creates a record and returns its id.
func (s *Server) Insert(sobject string, fields map[string]any) (id string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	obj, aerr := s.adminObject(sobject)
	if aerr != nil {
		return "", aerr
	}
	rec, aerr := s.insertLocked(obj, fields, adminOp)
	if aerr != nil {
		return "", aerr
	}
	return rec.id, nil
}

// Update changes fields of a record.
func (s *Server) Update(sobject, id string, fields map[string]any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	obj, aerr := s.adminObject(sobject)
	if aerr != nil {
		return aerr
	}
	_, aerr = s.updateLocked(obj, id, fields, adminOp)
	return asError(aerr)
}

// Delete deletes a record (a second delete is ENTITY_IS_DELETED).
func (s *Server) Delete(sobject, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	obj, aerr := s.adminObject(sobject)
	if aerr != nil {
		return aerr
	}
	return asError(s.deleteLocked(obj, id, adminOp))
}

// recordMap copies a record for callers: Go values (time.Time for dates),
// computed fields included, complex values deep-copied.
func (s *Server) recordMap(rec *record) map[string]any {
	out := map[string]any{}
	for _, f := range rec.obj.Fields {
		if f.WriteOnly || f.FilterOnly {
			continue
		}
		v := s.value(rec, f)
		if f.Type == tComplex && v != nil {
			b, _ := json.Marshal(v)
			var cp any
			_ = json.Unmarshal(b, &cp)
			v = cp
		}
		out[f.Name] = v
	}
	return out
}

// Records lists the live records of an object (nil for unknown objects or
// a package's object while the package is not installed).
func (s *Server) Records(sobject string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	obj := s.object(sobject)
	if obj == nil || !s.visible(obj) {
		return nil
	}
	recs := s.live(obj)
	out := make([]map[string]any, len(recs))
	for i, r := range recs {
		out[i] = s.recordMap(r)
	}
	return out
}

// Lookup returns the first live record whose field equals value (text
// compares case-insensitively, ids in either length).
func (s *Server) Lookup(sobject, field string, value any) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	obj := s.object(sobject)
	if obj == nil || !s.visible(obj) {
		return nil, false
	}
	if m := s.findBy(obj, field, value); len(m) > 0 {
		return s.recordMap(m[0]), true
	}
	return nil, false
}

// adminHandler serves /__admin/: package, session, token, record and clock
// controls, and the kit's own requests/counters/faults/latency.
func (s *Server) adminHandler() http.Handler {
	mux := http.NewServeMux()
	writeErr := func(w http.ResponseWriter, status int, code, msg string) {
		writeJSON(w, status, map[string]string{"error": msg, "errorCode": code})
	}
	writeAPIErr := func(w http.ResponseWriter, err error) {
		var ae *APIError
		if errors.As(err, &ae) {
			writeErr(w, ae.Status, ae.Code, ae.Message)
			return
		}
		writeErr(w, http.StatusBadRequest, "BAD_REQUEST", err.Error())
	}
	decode := func(w http.ResponseWriter, r *http.Request, v any) bool {
		if err := json.NewDecoder(r.Body).Decode(v); err != nil {
			writeErr(w, http.StatusBadRequest, "JSON_PARSER_ERROR", err.Error())
			return false
		}
		return true
	}

	mux.HandleFunc("GET /__admin/packages", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{
			"installed": s.InstalledPackages(), "catalog": s.Catalog(), "install_requests": s.InstallRequests(),
		})
	})
	mux.HandleFunc("POST /__admin/packages/install", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Namespace string `json:"namespace"`
			Version   string `json:"version"`
			VersionID string `json:"version_id"`
		}
		if !decode(w, r, &body) {
			return
		}
		s.mu.Lock()
		s.settle()
		e, err := s.catalogLookup(body.Namespace, body.Version, body.VersionID)
		if err == nil {
			s.applyInstall(e)
		}
		s.mu.Unlock()
		if err != nil {
			writeErr(w, http.StatusNotFound, "NOT_FOUND", err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"installed": e.PackageVersion})
	})
	mux.HandleFunc("POST /__admin/packages/uninstall", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Namespace string `json:"namespace"`
		}
		if !decode(w, r, &body) {
			return
		}
		if err := s.Uninstall(body.Namespace); err != nil {
			writeErr(w, http.StatusNotFound, "NOT_FOUND", err.Error())
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /__admin/sessions/expire", func(w http.ResponseWriter, _ *http.Request) {
		s.ExpireSessions()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /__admin/tokens", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Username string `json:"username"`
			Kind     string `json:"kind"`
		}
		if !decode(w, r, &body) {
			return
		}
		var tok string
		switch body.Kind {
		case "", "access":
			tok = s.IssueAccessToken(body.Username)
		case "refresh":
			tok = s.IssueRefreshToken(body.Username)
		default:
			writeErr(w, http.StatusBadRequest, "BAD_REQUEST", `kind must be "access" or "refresh"`)
			return
		}
		if tok == "" {
			writeErr(w, http.StatusNotFound, "NOT_FOUND", "no user with username "+body.Username)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"token": tok})
	})
	mux.HandleFunc("GET /__admin/records/{sobject}", func(w http.ResponseWriter, r *http.Request) {
		obj := schema.object(r.PathValue("sobject"))
		s.mu.Lock()
		visible := s.visible(obj)
		s.mu.Unlock()
		if !visible {
			writeErr(w, http.StatusNotFound, "INVALID_TYPE", "sObject type '"+r.PathValue("sobject")+"' is not supported.")
			return
		}
		writeJSON(w, http.StatusOK, s.Records(obj.Name))
	})
	mux.HandleFunc("POST /__admin/records/{sobject}", func(w http.ResponseWriter, r *http.Request) {
		var fields map[string]any
		if !decode(w, r, &fields) {
			return
		}
		id, err := s.Insert(r.PathValue("sobject"), fields)
		if err != nil {
			writeAPIErr(w, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"id": id})
	})
	mux.HandleFunc("GET /__admin/records/{sobject}/{id}", func(w http.ResponseWriter, r *http.Request) {
		rec, ok := s.Lookup(r.PathValue("sobject"), "Id", r.PathValue("id"))
		if !ok {
			writeErr(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
			return
		}
		writeJSON(w, http.StatusOK, rec)
	})
	mux.HandleFunc("PATCH /__admin/records/{sobject}/{id}", func(w http.ResponseWriter, r *http.Request) {
		var fields map[string]any
		if !decode(w, r, &fields) {
			return
		}
		if err := s.Update(r.PathValue("sobject"), r.PathValue("id"), fields); err != nil {
			writeAPIErr(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("DELETE /__admin/records/{sobject}/{id}", func(w http.ResponseWriter, r *http.Request) {
		if err := s.Delete(r.PathValue("sobject"), r.PathValue("id")); err != nil {
			writeAPIErr(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /__admin/settings", func(w http.ResponseWriter, _ *http.Request) {
		s.mu.Lock()
		on := s.settings.assignmentExpirationDates
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"assignment_expiration_dates": on})
	})
	mux.HandleFunc("POST /__admin/settings", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			AssignmentExpirationDates *bool `json:"assignment_expiration_dates"`
		}
		if !decode(w, r, &in) {
			return
		}
		if in.AssignmentExpirationDates == nil {
			writeErr(w, http.StatusBadRequest, "BAD_REQUEST", `want {"assignment_expiration_dates": true|false}`)
			return
		}
		s.SetAssignmentExpirationDates(*in.AssignmentExpirationDates)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /__admin/clock", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"now": s.Now().UTC().Format(time.RFC3339Nano)})
	})
	mux.HandleFunc("POST /__admin/clock/advance", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Duration string `json:"duration"`
		}
		if !decode(w, r, &body) {
			return
		}
		d, err := time.ParseDuration(body.Duration)
		if err != nil || d < 0 {
			writeErr(w, http.StatusBadRequest, "BAD_REQUEST", "duration must be a non-negative Go duration such as \"10m\"")
			return
		}
		s.AdvanceClock(d)
		writeJSON(w, http.StatusOK, map[string]any{"now": s.Now().UTC().Format(time.RFC3339Nano)})
	})
	mux.Handle("/__admin/", s.kit.AdminHandler("/__admin"))
	return mux
}
