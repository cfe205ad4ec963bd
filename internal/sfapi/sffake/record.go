package sffake

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake/soql"
)

// jsonObject is a JSON object that keeps insertion order. Salesforce writes
// "attributes" first and the fields in the order they were selected; clients
// should not care, but people reading the request log and curl output do.
type jsonObject struct {
	keys []string
	vals map[string]any
}

func newObject() *jsonObject { return &jsonObject{vals: map[string]any{}} }

func (o *jsonObject) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *jsonObject) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(k); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		buf.WriteByte(':')
		if err := enc.Encode(o.vals[k]); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// sfRecord adapts a stored record to soql.Record. Field and relationship
// names resolve case-insensitively; a relationship follows its lookup field
// (Assignee → AssigneeId → User), and a null lookup resolves to (nil, true).
type sfRecord struct {
	s   *Server
	rec *record
}

func (r sfRecord) Resolve(p soql.Path) (any, bool) {
	rec := r.rec
	for i, seg := range p {
		if i == len(p)-1 {
			f := rec.obj.field(seg)
			if f == nil || f.WriteOnly {
				return nil, false
			}
			return soqlValue(f, r.s.value(rec, f)), true
		}
		rel := rec.obj.relationship(seg)
		if rel == nil {
			return nil, false
		}
		target := r.s.follow(rec, rel)
		if target == nil {
			return nil, true
		}
		rec = target
	}
	return nil, false
}

// follow returns the record a lookup points to, or nil.
func (s *Server) follow(rec *record, rel *fieldDef) *record {
	id, _ := rec.f[rel.Name].(string)
	if id == "" {
		return nil
	}
	t := s.get(schema.object(rel.ReferenceTo), id)
	if t == nil || t.deleted {
		return nil
	}
	return t
}

func soqlValue(f *fieldDef, v any) any {
	switch f.Type {
	case tComplex:
		// Not filterable on a real org either; nil keeps the evaluator simple.
		return nil
	}
	return v
}

// outValue renders a stored value as Salesforce writes it in JSON.
func outValue(f *fieldDef, v any) any {
	if f.FilterOnly {
		return nil
	}
	if t, ok := v.(time.Time); ok {
		if f.Type == tDate {
			return t.Format("2006-01-02")
		}
		return t.UTC().Format("2006-01-02T15:04:05.000+0000")
	}
	return v
}

// recordURL is the attributes.url of a record, in the caller's API version.
func recordURL(obj *objectDef, id, ver string, tooling bool) string {
	api := ""
	if obj.API == apiTooling || (obj.API == apiBoth && tooling) {
		api = "/tooling"
	}
	return "/services/data/v" + ver + api + "/sobjects/" + obj.Name + "/" + id
}

func attributes(obj *objectDef, id, ver string, tooling bool) *jsonObject {
	a := newObject()
	a.set("type", obj.Name)
	a.set("url", recordURL(obj, id, ver, tooling))
	o := newObject()
	o.set("attributes", a)
	return o
}

// recordJSON renders a whole record as GET /sobjects/{type}/{id} does: every
// readable field, nulls included. only, when non-nil, restricts the fields
// (the ?fields= parameter).
func (s *Server) recordJSON(rec *record, ver string, tooling bool, only []*fieldDef) *jsonObject {
	o := attributes(rec.obj, rec.id, ver, tooling)
	fields := only
	if fields == nil {
		fields = rec.obj.Fields
	}
	for _, f := range fields {
		if f.WriteOnly || f.FilterOnly {
			continue
		}
		o.set(f.Name, outValue(f, s.value(rec, f)))
	}
	return o
}

// project renders one query row: the selected paths, with a nested object
// (carrying its own attributes) per relationship, null for a null lookup,
// and every key in its canonical spelling.
func (s *Server) project(rec *record, paths []soql.Path, ver string, tooling bool) *jsonObject {
	o := attributes(rec.obj, rec.id, ver, tooling)
	for _, p := range paths {
		s.projectPath(o, rec, p, ver, tooling)
	}
	return o
}

func (s *Server) projectPath(o *jsonObject, rec *record, p soql.Path, ver string, tooling bool) {
	if len(p) == 1 {
		f := rec.obj.field(p[0])
		o.set(f.Name, outValue(f, s.value(rec, f)))
		return
	}
	rel := rec.obj.relationship(p[0])
	target := s.follow(rec, rel)
	if target == nil {
		o.set(rel.RelationshipName, nil)
		return
	}
	sub, _ := o.vals[rel.RelationshipName].(*jsonObject)
	if sub == nil {
		sub = attributes(target.obj, target.id, ver, tooling)
		o.set(rel.RelationshipName, sub)
	}
	s.projectPath(sub, target, p[1:], ver, tooling)
}
