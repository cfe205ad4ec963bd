package sffake

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// sObject Collections (/composite/sobjects): up to 200 records per call,
// results in request order, per-record errors with statusCode (not
// errorCode), and allOrNone rollback that turns every other record into
// ALL_OR_NONE_OPERATION_ROLLED_BACK.

const collectionLimit = 200

func errTooMany() *APIError {
	return newErr(http.StatusBadRequest, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than %d records into this call", collectionLimit)
}

func errRolledBack() *APIError {
	return newErr(http.StatusBadRequest, "ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header")
}

type collectionBody struct {
	AllOrNone bool             `json:"allOrNone"`
	Records   []map[string]any `json:"records"`
}

func decodeCollection(body []byte) (*collectionBody, *APIError) {
	var cb collectionBody
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&cb); err != nil {
		return nil, errJSON(err)
	}
	if len(cb.Records) == 0 {
		return nil, newErr(http.StatusBadRequest, "REQUIRED_FIELD_MISSING", "At least 1 record is required")
	}
	if len(cb.Records) > collectionLimit {
		return nil, errTooMany()
	}
	return &cb, nil
}

// outcome is one record's result before allOrNone is applied.
type outcome struct {
	id      string
	err     *APIError
	created *bool
}

func (o outcome) json() *jsonObject {
	if o.err != nil {
		m := newObject()
		m.set("success", false)
		m.set("errors", []any{o.err.saveError()})
		return m
	}
	m := saveResult(o.id)
	if o.created != nil {
		m.set("created", *o.created)
	}
	return m
}

// runAll applies op to each record, inside a transaction when allOrNone.
func (s *Server) runAll(allOrNone bool, n int, op func(i int) outcome) []*jsonObject {
	if allOrNone {
		s.begin()
	}
	outs := make([]outcome, n)
	failed := false
	for i := 0; i < n; i++ {
		outs[i] = op(i)
		if outs[i].err != nil {
			failed = true
		}
	}
	if allOrNone {
		if failed {
			s.rollback()
			for i := range outs {
				if outs[i].err == nil {
					outs[i] = outcome{err: errRolledBack()}
				}
			}
		} else {
			s.commit()
		}
	}
	res := make([]*jsonObject, n)
	for i, o := range outs {
		res[i] = o.json()
	}
	return res
}

// recordType reads attributes.type and checks that setup and non-setup
// objects are not mixed in one call.
func (s *Server) recordType(rec map[string]any, first **objectDef) (*objectDef, *APIError) {
	attrs, _ := rec["attributes"].(map[string]any)
	typ, _ := attrs["type"].(string)
	if typ == "" {
		return nil, newErr(http.StatusBadRequest, "INVALID_TYPE", "Must send a concrete entity type.")
	}
	obj := s.objectFor(typ, apiREST)
	if obj == nil {
		return nil, newErr(http.StatusBadRequest, "INVALID_TYPE", "sObject type '%s' is not supported.", typ)
	}
	if *first == nil {
		*first = obj
	} else if (*first).Setup != obj.Setup {
		return nil, newErr(http.StatusBadRequest, "MIXED_DML_OPERATION",
			"DML operation on setup object is not permitted after you have updated a non-setup object (or vice versa): %s, original object: %s", obj.Name, (*first).Name)
	}
	return obj, nil
}

func (s *Server) handleCollections(c *reqCtx) resp {
	segs := c.segs[2:]
	switch c.r.Method {
	case http.MethodPost:
		if len(segs) == 0 {
			return s.collectionCreate(c)
		}
	case http.MethodPatch:
		if len(segs) == 0 {
			return s.collectionUpdate(c)
		}
		if len(segs) == 2 {
			return s.collectionUpsert(c, segs[0], segs[1])
		}
	case http.MethodDelete:
		if len(segs) == 0 {
			return s.collectionDelete(c)
		}
	case http.MethodGet:
		if len(segs) == 1 {
			return s.collectionRetrieve(c, segs[0])
		}
	default:
		return fail(errMethod(c.r.Method, "GET", "POST", "PATCH", "DELETE"))
	}
	return fail(errNotFound())
}

func (s *Server) collectionCreate(c *reqCtx) resp {
	cb, err := decodeCollection(c.body)
	if err != nil {
		return fail(err)
	}
	var first *objectDef
	return ok(s.runAll(cb.AllOrNone, len(cb.Records), func(i int) outcome {
		in := cb.Records[i]
		obj, err := s.recordType(in, &first)
		if err != nil {
			return outcome{err: err}
		}
		for k, v := range in {
			if strings.EqualFold(k, "Id") && v != nil {
				return outcome{err: newErr(http.StatusBadRequest, "INVALID_FIELD", "cannot specify Id in an insert call")}
			}
		}
		rec, err := s.insertLocked(obj, in, c.op)
		if err != nil {
			return outcome{err: err}
		}
		return outcome{id: rec.id}
	}))
}

func (s *Server) collectionUpdate(c *reqCtx) resp {
	cb, err := decodeCollection(c.body)
	if err != nil {
		return fail(err)
	}
	var first *objectDef
	return ok(s.runAll(cb.AllOrNone, len(cb.Records), func(i int) outcome {
		in := cb.Records[i]
		var id string
		for k, v := range in {
			if strings.EqualFold(k, "Id") {
				id, _ = v.(string)
				in = without(in, k)
			}
		}
		if id == "" {
			return outcome{err: newErr(http.StatusBadRequest, "MISSING_ARGUMENT", "Id not specified in an update call")}
		}
		obj, err := s.recordType(in, &first)
		if err != nil {
			return outcome{err: err}
		}
		rec, err := s.updateLocked(obj, id, in, c.op)
		if err != nil {
			return outcome{err: collectionNotFound(err)}
		}
		return outcome{id: rec.id}
	}))
}

// collectionNotFound: a missing record is a 404 on the sObject Rows
// resource but a per-record error in collections.
func collectionNotFound(err *APIError) *APIError {
	if err.Code == "NOT_FOUND" {
		return newErr(http.StatusBadRequest, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
	}
	return err
}

func (s *Server) collectionUpsert(c *reqCtx, typ, fieldName string) resp {
	obj := s.objectFor(typ, apiREST)
	if obj == nil {
		return fail(errNotFound())
	}
	f := obj.field(fieldName)
	if f == nil || (!f.ExternalID && f.Name != "Id") {
		return fail(newErr(http.StatusBadRequest, "INVALID_FIELD", "Field name provided, %s is not an External ID or indexed field for %s", fieldName, obj.Name))
	}
	cb, err := decodeCollection(c.body)
	if err != nil {
		return fail(err)
	}
	keys := make([]string, len(cb.Records))
	seen := map[string]int{}
	for i, in := range cb.Records {
		for k, v := range in {
			if strings.EqualFold(k, f.Name) {
				keys[i], _ = v.(string)
			}
		}
		if keys[i] != "" {
			seen[strings.ToLower(keys[i])]++
		}
	}
	first := obj
	return ok(s.runAll(cb.AllOrNone, len(cb.Records), func(i int) outcome {
		in := cb.Records[i]
		if _, err := s.recordType(in, &first); err != nil {
			return outcome{err: err}
		}
		attrs, _ := in["attributes"].(map[string]any)
		if typ, _ := attrs["type"].(string); !strings.EqualFold(typ, obj.Name) {
			return outcome{err: newErr(http.StatusBadRequest, "INVALID_TYPE", "Record type %s doesn't match the upsert object %s", typ, obj.Name)}
		}
		if keys[i] == "" {
			return outcome{err: newErr(http.StatusBadRequest, "MISSING_ARGUMENT", "%s not specified", f.Name).withFields(f.Name)}
		}
		if seen[strings.ToLower(keys[i])] > 1 {
			return outcome{err: newErr(http.StatusBadRequest, "DUPLICATE_EXTERNAL_ID", "Duplicate external id specified: %s", keys[i]).withFields(f.Name)}
		}
		rec, wasCreated, err := s.upsertLocked(obj, f, keys[i], in, c.op)
		if err != nil {
			return outcome{err: err}
		}
		return outcome{id: rec.id, created: &wasCreated}
	}))
}

func (s *Server) collectionDelete(c *reqCtx) resp {
	raw := strings.TrimSpace(c.query.Get("ids"))
	if raw == "" {
		return fail(newErr(http.StatusBadRequest, "MISSING_ARGUMENT", "ids parameter is required"))
	}
	ids := strings.Split(raw, ",")
	if len(ids) > collectionLimit {
		return fail(errTooMany())
	}
	allOrNone := strings.EqualFold(c.query.Get("allOrNone"), "true")
	var first *objectDef
	return ok(s.runAll(allOrNone, len(ids), func(i int) outcome {
		id, valid := normalizeID(strings.TrimSpace(ids[i]))
		if !valid {
			return outcome{err: newErr(http.StatusBadRequest, "MALFORMED_ID", "malformed id %s", ids[i])}
		}
		obj := schema.objectForPrefix(id)
		if obj == nil || obj.API&apiREST == 0 || !s.visible(obj) {
			return outcome{err: newErr(http.StatusBadRequest, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")}
		}
		if first == nil {
			first = obj
		} else if first.Setup != obj.Setup {
			return outcome{err: newErr(http.StatusBadRequest, "MIXED_DML_OPERATION",
				"DML operation on setup object is not permitted after you have updated a non-setup object (or vice versa): %s, original object: %s", obj.Name, first.Name)}
		}
		if err := s.deleteLocked(obj, id, c.op); err != nil {
			return outcome{err: collectionNotFound(err)}
		}
		return outcome{id: id}
	}))
}

// collectionRetrieve is GET /composite/sobjects/{type}?ids=&fields=: the
// records in the order asked, null for ids that don't exist.
func (s *Server) collectionRetrieve(c *reqCtx, typ string) resp {
	obj := s.objectFor(typ, apiREST)
	if obj == nil {
		return fail(errNotFound())
	}
	raw := strings.TrimSpace(c.query.Get("ids"))
	if raw == "" {
		return fail(newErr(http.StatusBadRequest, "MISSING_ARGUMENT", "ids parameter is required"))
	}
	fl := c.query.Get("fields")
	if strings.TrimSpace(fl) == "" {
		return fail(newErr(http.StatusBadRequest, "MISSING_ARGUMENT", "fields parameter is required"))
	}
	only, err := fieldsParam(obj, fl)
	if err != nil {
		return fail(err)
	}
	ids := strings.Split(raw, ",")
	if len(ids) > 2000 {
		return fail(errTooMany())
	}
	out := make([]any, len(ids))
	for i, raw := range ids {
		id, valid := normalizeID(strings.TrimSpace(raw))
		if !valid {
			continue
		}
		if rec := s.get(obj, id); rec != nil && !rec.deleted {
			out[i] = s.recordJSON(rec, c.ver, false, only)
		}
	}
	return ok(out)
}
