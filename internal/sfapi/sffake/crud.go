package sffake

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Insert, update and delete with Salesforce's rules: field access, required
// fields, lookups, unique keys, then each object's own hooks. The REST
// resources, collections and the Go API all go through here.

// prepareFields validates and converts an input map for insert or update.
// It returns the storable values and, separately, write-only inputs (the
// installation key) that hooks may read but nothing stores.
func (s *Server) prepareFields(obj *objectDef, in map[string]any, c *opCtx, creating bool) (vals, writeOnly map[string]any, err *APIError) {
	vals = map[string]any{}
	writeOnly = map[string]any{}
	var locked []string
	// Sorted, so that which error a request gets does not depend on map order.
	for _, k := range slices.Sorted(maps.Keys(in)) {
		v := in[k]
		if strings.EqualFold(k, "attributes") {
			continue
		}
		f := obj.field(k)
		// A field newer than the request's API version does not exist at
		// that version (each field's page: "Available in API version N.0
		// and later").
		if f == nil || f.newerThan(c.ver) {
			return nil, nil, newErr(http.StatusBadRequest, "INVALID_FIELD", "No such column '%s' on sobject of type %s", k, obj.Name)
		}
		writable := f.Createable
		if !creating {
			writable = f.Updateable
		}
		if f.Name == "Id" || f.Computed != nil || f.FilterOnly || (!writable && !c.trusted) {
			locked = append(locked, f.Name)
			continue
		}
		cv, cerr := s.coerce(f, v)
		if cerr != nil {
			return nil, nil, atJSONValue(cerr, c.body, v)
		}
		if f.WriteOnly {
			writeOnly[f.Name] = cv
			continue
		}
		vals[f.Name] = cv
	}
	if len(locked) > 0 {
		return nil, nil, newErr(http.StatusBadRequest, "INVALID_FIELD_FOR_INSERT_UPDATE",
			"Unable to create/update fields: %s. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
			strings.Join(locked, ", ")).withFields(locked...)
	}
	return vals, writeOnly, nil
}

// finish applies defaults, checks required fields, lookups and unique keys:
// the rules shared by insert and update.
func (s *Server) finish(rec *record, c *opCtx, creating bool, changed map[string]any) *APIError {
	obj := rec.obj
	if creating {
		for _, f := range obj.Fields {
			if _, set := rec.f[f.Name]; set || f.Default == nil {
				continue
			}
			if fn, ok := f.Default.(func(*Server, *opCtx, *record) any); ok {
				rec.f[f.Name] = fn(s, c, rec)
			} else {
				rec.f[f.Name] = f.Default
			}
		}
	}
	var missing []string
	for _, f := range obj.Fields {
		// Read-only fields (audit fields, Status) are the org's to fill in;
		// a field without Nillable needs a value unless the org supplies one
		// (Defaulted on create).
		if f.Name == "Id" || (f.Nillable && !f.MustSet) || (f.DefaultedOnCreate && creating) || f.Computed != nil || f.WriteOnly || f.Type == tBoolean || (!f.Createable && !f.Updateable) {
			continue
		}
		if rec.f[f.Name] == nil && (creating || hasKey(changed, f.Name)) {
			missing = append(missing, f.Name)
		}
	}
	if len(missing) > 0 {
		return newErr(http.StatusBadRequest, "REQUIRED_FIELD_MISSING", "Required fields are missing: [%s]", strings.Join(missing, ", ")).withFields(missing...)
	}
	for _, name := range slices.Sorted(maps.Keys(changed)) {
		v := changed[name]
		f := obj.field(name)
		if f == nil || f.Type != tRef || v == nil {
			continue
		}
		if err := s.checkRef(f, str(v)); err != nil {
			return err
		}
	}
	return nil
}

func hasKey(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

func (s *Server) stamp(rec *record, c *opCtx, creating bool) {
	now := s.now().UTC()
	user := c.userID
	if user == "" {
		user = s.adminID
	}
	if creating {
		rec.f["CreatedDate"] = now
		rec.f["CreatedById"] = user
	}
	rec.f["LastModifiedDate"] = now
	rec.f["LastModifiedById"] = user
	rec.f["SystemModstamp"] = now
}

func errDuplicate(rec *record, key []string, otherID string) *APIError {
	if rec.obj.Name == objUser {
		return newErr(http.StatusBadRequest, "DUPLICATE_USERNAME", "Duplicate Username.<br>Another user has already selected this username.<br>Please select another.").withFields("Username")
	}
	if rec.obj.Name == objPermissionSet {
		return newErr(http.StatusBadRequest, "DUPLICATE_DEVELOPER_NAME", "The API Name you specified is already in use. Specify a unique API Name.").withFields("Name")
	}
	if rec.obj.Name == objPSA {
		return newErr(http.StatusBadRequest, "DUPLICATE_VALUE", "Duplicate PermissionSetAssignment.  Assignee: %s; Permission Set: %s",
			id15(str(rec.f["AssigneeId"])), id15(str(rec.f["PermissionSetId"]))).withFields("AssigneeId", "PermissionSetId")
	}
	return newErr(http.StatusBadRequest, "DUPLICATE_VALUE", "duplicate value found: %s duplicates value on record with id: %s", strings.Join(key, ", "), otherID).withFields(key...)
}

// insertLocked creates a record. Callers hold s.mu.
func (s *Server) insertLocked(obj *objectDef, in map[string]any, c *opCtx) (*record, *APIError) {
	if obj.virtual != nil || (!obj.Createable && !c.trusted) {
		return nil, newErr(http.StatusBadRequest, "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "entity type cannot be inserted: %s", obj.Name)
	}
	vals, writeOnly, err := s.prepareFields(obj, in, c, true)
	if err != nil {
		return nil, err
	}
	id := c.presetID
	if id == "" {
		id = s.newID(obj.KeyPrefix)
	}
	rec := &record{obj: obj, id: id, f: vals}
	changed := make(map[string]any, len(vals))
	for k, v := range vals {
		changed[k] = v
	}
	if err := s.finish(rec, c, true, changed); err != nil {
		return nil, err
	}
	s.stamp(rec, c, true)
	if obj.beforeInsert != nil {
		if err := obj.beforeInsert(s, c, rec, writeOnly); err != nil {
			return nil, err
		}
	}
	if key, other := s.conflict(rec); key != nil {
		return nil, errDuplicate(rec, key, other)
	}
	s.put(rec)
	if obj.afterInsert != nil {
		obj.afterInsert(s, c, rec)
	}
	return rec, nil
}

// existing finds a record for update or delete, with Salesforce's two
// different "not there" answers.
func (s *Server) existing(obj *objectDef, id string) (*record, *APIError) {
	nid, ok := normalizeID(id)
	if !ok || !strings.HasPrefix(nid, obj.KeyPrefix) {
		return nil, errNotFound()
	}
	r := s.get(obj, nid)
	if r == nil {
		return nil, errNotFound()
	}
	if r.deleted {
		return nil, errDeleted()
	}
	return r, nil
}

// updateLocked changes a record. Callers hold s.mu.
func (s *Server) updateLocked(obj *objectDef, id string, in map[string]any, c *opCtx) (*record, *APIError) {
	old, err := s.existing(obj, id)
	if err != nil {
		return nil, err
	}
	if !obj.Updateable && !c.trusted {
		return nil, newErr(http.StatusBadRequest, "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "entity type cannot be updated: %s", obj.Name)
	}
	// A body may repeat the record's own Id (collections updates do).
	if v, ok := in["Id"]; ok {
		if sv, _ := v.(string); sv != "" {
			if nid, ok := normalizeID(sv); ok && nid == old.id {
				in = without(in, "Id")
			}
		}
	}
	vals, writeOnly, err := s.prepareFields(obj, in, c, false)
	if err != nil {
		return nil, err
	}
	rec := old.clone()
	for k, v := range vals {
		rec.f[k] = v
	}
	if err := s.finish(rec, c, false, vals); err != nil {
		return nil, err
	}
	s.stamp(rec, c, false)
	if obj.beforeUpdate != nil {
		if err := obj.beforeUpdate(s, c, old, rec, writeOnly); err != nil {
			return nil, err
		}
	}
	if key, other := s.conflict(rec); key != nil {
		return nil, errDuplicate(rec, key, other)
	}
	s.put(rec)
	return rec, nil
}

func without(m map[string]any, key string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if !strings.EqualFold(k, key) {
			out[k] = v
		}
	}
	return out
}

// deleteLocked deletes a record, leaving a tombstone so a second delete
// answers ENTITY_IS_DELETED. Callers hold s.mu.
func (s *Server) deleteLocked(obj *objectDef, id string, c *opCtx) *APIError {
	rec, err := s.existing(obj, id)
	if err != nil {
		return err
	}
	if !obj.Deletable && !c.trusted {
		return newErr(http.StatusBadRequest, "INSUFFICIENT_ACCESS_OR_READONLY", "entity type cannot be deleted: %s", obj.Name)
	}
	if obj.beforeDelete != nil {
		if err := obj.beforeDelete(s, c, rec); err != nil {
			return err
		}
	}
	tomb := rec.clone()
	tomb.deleted = true
	s.put(tomb)
	if obj.afterDelete != nil {
		obj.afterDelete(s, c, rec)
	}
	return nil
}
