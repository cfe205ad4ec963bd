package sffake

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// decodeObject reads a JSON object body.
func decodeObject(body []byte) (map[string]any, *APIError) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&m); err != nil {
		if len(bytes.TrimSpace(body)) == 0 {
			err = errors.New("no content to map due to end-of-input")
		}
		return nil, errJSON(err)
	}
	if m == nil {
		return nil, errJSON(errors.New("expected a JSON object"))
	}
	return m, nil
}

func saveResult(id string) *jsonObject {
	o := newObject()
	o.set("id", id)
	o.set("success", true)
	o.set("errors", []any{})
	return o
}

// handleSObjects serves /sobjects[/…] on both APIs. Callers hold s.mu.
func (s *Server) handleSObjects(c *reqCtx) resp {
	segs := c.segs[1:]
	m := c.r.Method
	if len(segs) == 0 {
		if m != http.MethodGet {
			return fail(errMethod(m, "GET", "HEAD"))
		}
		return ok(s.describeGlobal(c))
	}
	obj := s.objectFor(segs[0], c.api)
	if obj == nil {
		return fail(errNotFound())
	}
	switch len(segs) {
	case 1:
		switch m {
		case http.MethodGet:
			return ok(map[string]any{"objectDescribe": s.describeBasic(obj, c), "recentItems": []any{}})
		case http.MethodPost:
			in, err := decodeObject(c.body)
			if err != nil {
				return fail(err)
			}
			rec, aerr := s.insertLocked(obj, in, c.op)
			if aerr != nil {
				return fail(aerr)
			}
			return created(saveResult(rec.id))
		}
		return fail(errMethod(m, "GET", "HEAD", "POST"))
	case 2:
		if segs[1] == "describe" {
			if m != http.MethodGet {
				return fail(errMethod(m, "GET", "HEAD"))
			}
			return ok(s.describe(obj, c))
		}
		return s.recordByID(c, obj, segs[1])
	case 3:
		return s.recordByExternalID(c, obj, segs[1], segs[2])
	}
	return fail(errNotFound())
}

func (s *Server) recordByID(c *reqCtx, obj *objectDef, rawID string) resp {
	switch c.r.Method {
	case http.MethodGet:
		if obj.virtual != nil {
			return fail(errNotFound())
		}
		id, valid := normalizeID(rawID)
		if !valid {
			return fail(newErr(http.StatusNotFound, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: %s", rawID))
		}
		rec := s.get(obj, id)
		if rec == nil || rec.deleted {
			return fail(errNotFound())
		}
		only, err := fieldsParam(obj, c.query.Get("fields"))
		if err != nil {
			return fail(err)
		}
		return ok(s.recordJSON(rec, c.ver, c.tooling, only))
	case http.MethodPatch:
		in, err := decodeObject(c.body)
		if err != nil {
			return fail(err)
		}
		if _, err := s.updateLocked(obj, rawID, in, c.op); err != nil {
			return fail(err)
		}
		return noContent()
	case http.MethodDelete:
		if err := s.deleteLocked(obj, rawID, c.op); err != nil {
			return fail(err)
		}
		return noContent()
	}
	return fail(errMethod(c.r.Method, "GET", "HEAD", "PATCH", "DELETE"))
}

// fieldsParam resolves ?fields=A,B to field definitions (nil when absent).
func fieldsParam(obj *objectDef, list string) ([]*fieldDef, *APIError) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	var out []*fieldDef
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		f := obj.field(name)
		if f == nil || f.WriteOnly {
			return nil, newErr(http.StatusBadRequest, "INVALID_FIELD", "No such column '%s' on sobject of type %s", name, obj.Name)
		}
		out = append(out, f)
	}
	return out, nil
}

// recordByExternalID serves /sobjects/{type}/{externalIdField}/{value}:
// GET, DELETE, and PATCH as an upsert (201 created / 200 updated, each with
// a body carrying "created").
func (s *Server) recordByExternalID(c *reqCtx, obj *objectDef, fieldName, rawValue string) resp {
	value, _ := url.PathUnescape(rawValue)
	f := obj.field(fieldName)
	if f == nil || (!f.ExternalID && f.Name != "Id") {
		return fail(newErr(http.StatusNotFound, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: %s", fieldName))
	}
	matches := s.findBy(obj, f.Name, value)
	if len(matches) > 1 {
		return resp{status: http.StatusMultipleChoices, body: matchURLs(matches, c)}
	}
	switch c.r.Method {
	case http.MethodGet:
		if len(matches) == 0 {
			return fail(errNotFound())
		}
		only, err := fieldsParam(obj, c.query.Get("fields"))
		if err != nil {
			return fail(err)
		}
		return ok(s.recordJSON(matches[0], c.ver, c.tooling, only))
	case http.MethodDelete:
		if len(matches) == 0 {
			return fail(errNotFound())
		}
		if err := s.deleteLocked(obj, matches[0].id, c.op); err != nil {
			return fail(err)
		}
		return noContent()
	case http.MethodPatch:
		in, err := decodeObject(c.body)
		if err != nil {
			return fail(err)
		}
		rec, wasCreated, aerr := s.upsertLocked(obj, f, value, in, c.op)
		if aerr != nil {
			return fail(aerr)
		}
		res := saveResult(rec.id)
		res.set("created", wasCreated)
		if wasCreated {
			return created(res)
		}
		return ok(res)
	}
	return fail(errMethod(c.r.Method, "GET", "HEAD", "PATCH", "DELETE"))
}

func matchURLs(recs []*record, c *reqCtx) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = recordURL(r.obj, r.id, c.ver, c.tooling)
	}
	return out
}

// upsertLocked inserts or updates by external id. A body may repeat the
// external id; a different value in the body is an error.
func (s *Server) upsertLocked(obj *objectDef, f *fieldDef, value string, in map[string]any, op *opCtx) (*record, bool, *APIError) {
	for k, v := range in {
		if strings.EqualFold(k, f.Name) {
			if sv, _ := v.(string); !strings.EqualFold(sv, value) {
				return nil, false, newErr(http.StatusBadRequest, "INVALID_FIELD", "The external ID field %s in the body (%v) doesn't match the value in the URL (%s)", f.Name, v, value).withFields(f.Name)
			}
			in = without(in, k)
		}
	}
	matches := s.findBy(obj, f.Name, value)
	switch len(matches) {
	case 0:
		if f.Name == "Id" {
			return nil, false, errNotFound()
		}
		withKey := make(map[string]any, len(in)+1)
		for k, v := range in {
			withKey[k] = v
		}
		withKey[f.Name] = value
		rec, err := s.insertLocked(obj, withKey, op)
		return rec, true, err
	case 1:
		rec, err := s.updateLocked(obj, matches[0].id, in, op)
		return rec, false, err
	}
	return nil, false, newErr(http.StatusMultipleChoices, "MULTIPLE_CHOICES", "More than one record found for external id field %s with value %s", f.Name, value)
}
