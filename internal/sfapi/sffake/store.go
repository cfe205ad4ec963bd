package sffake

import (
	"fmt"
	"strings"
)

// The store keeps every object's records in insertion order. Records are
// copy-on-write: an update puts a new *record, so a snapshot taken under the
// lock (a query's projected rows, a record handed to the JSON encoder after
// the lock is released) never changes underneath its reader. That also makes
// allOrNone rollback cheap: a journal of replaced pointers.

type record struct {
	id      string
	obj     *objectDef
	f       map[string]any // canonical field name → Go value
	deleted bool
}

func (r *record) clone() *record {
	f := make(map[string]any, len(r.f))
	for k, v := range r.f {
		f[k] = v
	}
	return &record{id: r.id, obj: r.obj, f: f, deleted: r.deleted}
}

type table struct {
	obj   *objectDef
	byID  map[string]*record
	order []string
	// uniq has one index per objectDef.UniqueKeys entry: key → record id.
	uniq []map[string]string
}

type undoEntry struct {
	t   *table
	id  string
	old *record // nil: the record did not exist
}

type store struct {
	tables  map[string]*table
	journal *[]undoEntry
}

func (s *Server) table(obj *objectDef) *table {
	t := s.st.tables[obj.Name]
	if t == nil {
		t = &table{obj: obj, byID: map[string]*record{}}
		for range obj.UniqueKeys {
			t.uniq = append(t.uniq, map[string]string{})
		}
		s.st.tables[obj.Name] = t
	}
	return t
}

// get returns a record by id, tombstones included.
func (s *Server) get(obj *objectDef, id string) *record {
	if obj == nil {
		return nil
	}
	return s.table(obj).byID[id]
}

// live returns the records that exist, in insertion order.
func (s *Server) live(obj *objectDef) []*record {
	if obj.virtual != nil {
		return obj.virtual(s)
	}
	t := s.table(obj)
	out := make([]*record, 0, len(t.byID))
	for _, id := range t.order {
		if r := t.byID[id]; r != nil && !r.deleted {
			out = append(out, r)
		}
	}
	return out
}

// uniqueKey is a record's value for one unique key. A key whose values are all
// null is not indexed: nulls never collide.
func uniqueKey(r *record, fields []string) (string, bool) {
	parts := make([]string, len(fields))
	found := false
	for i, f := range fields {
		v := r.f[f]
		if v != nil && v != "" {
			found = true
			parts[i] = strings.ToLower(fmt.Sprint(v))
		}
	}
	return strings.Join(parts, "\x00"), found
}

func (t *table) index(r *record, add bool) {
	if r == nil || r.deleted {
		return
	}
	for i, key := range t.obj.UniqueKeys {
		if k, ok := uniqueKey(r, key); ok {
			if add {
				t.uniq[i][k] = r.id
			} else if t.uniq[i][k] == r.id {
				delete(t.uniq[i], k)
			}
		}
	}
}

// conflict finds a live record other than r that shares one of r's unique keys.
func (s *Server) conflict(r *record) (key []string, otherID string) {
	t := s.table(r.obj)
	for i, key := range r.obj.UniqueKeys {
		if k, ok := uniqueKey(r, key); ok {
			if id, found := t.uniq[i][k]; found && id != r.id {
				return key, id
			}
		}
	}
	return nil, ""
}

func (t *table) set(id string, r *record) {
	old := t.byID[id]
	t.index(old, false)
	if r == nil {
		delete(t.byID, id)
		for i := len(t.order) - 1; i >= 0; i-- {
			if t.order[i] == id {
				t.order = append(t.order[:i], t.order[i+1:]...)
				break
			}
		}
		return
	}
	if old == nil {
		t.order = append(t.order, id)
	}
	t.byID[id] = r
	t.index(r, true)
}

// put stores r (a new record, an update or a tombstone), journaling the
// previous version while a transaction is open.
func (s *Server) put(r *record) {
	t := s.table(r.obj)
	if s.st.journal != nil {
		*s.st.journal = append(*s.st.journal, undoEntry{t: t, id: r.id, old: t.byID[r.id]})
	}
	t.set(r.id, r)
}

// purge removes a record without a tombstone (a package's data leaving with
// its object on uninstall).
func (s *Server) purge(r *record) {
	t := s.table(r.obj)
	if s.st.journal != nil {
		*s.st.journal = append(*s.st.journal, undoEntry{t: t, id: r.id, old: t.byID[r.id]})
	}
	t.set(r.id, nil)
}

// begin opens an allOrNone transaction; rollback undoes everything since.
func (s *Server) begin() { s.st.journal = &[]undoEntry{} }

func (s *Server) commit() { s.st.journal = nil }

func (s *Server) rollback() {
	j := *s.st.journal
	for i := len(j) - 1; i >= 0; i-- {
		j[i].t.set(j[i].id, j[i].old)
	}
	s.st.journal = nil
}

func (s *Server) newID(prefix string) string {
	s.idSeq++
	return makeID(prefix, s.idSeq)
}

// visible reports whether an object exists in the org right now: a packaged
// object only while its package is installed.
func (s *Server) visible(obj *objectDef) bool {
	return obj != nil && (obj.Namespace == "" || s.installed[obj.Namespace] != "")
}

// objectFor resolves an object name as a request in the given API sees it.
func (s *Server) objectFor(name string, api apiKind) *objectDef {
	obj := s.object(name)
	if obj == nil || obj.API&api == 0 || !s.visible(obj) {
		return nil
	}
	return obj
}

// value reads a field, computing derived ones.
func (s *Server) value(r *record, f *fieldDef) any {
	if f.Name == "Id" {
		return r.id
	}
	if f.Computed != nil {
		return f.Computed(s, r)
	}
	return r.f[f.Name]
}

// findBy returns the live records whose field equals v (case-insensitive
// for text, as SOQL's = is).
func (s *Server) findBy(obj *objectDef, field string, v any) []*record {
	f := obj.field(field)
	if f == nil {
		return nil
	}
	if f.Type == tRef || f.Type == tID {
		if str, ok := v.(string); ok {
			if n, ok := normalizeID(str); ok {
				v = n
			}
		}
	}
	// Unique single-field keys (Username, external ids) have an index:
	// upserts and logins stay fast with thousands of records.
	if obj.virtual == nil {
		for i, key := range obj.UniqueKeys {
			if len(key) != 1 || key[0] != f.Name {
				continue
			}
			k, ok := uniqueKey(&record{f: map[string]any{f.Name: v}}, key)
			if !ok {
				break
			}
			if id, found := s.table(obj).uniq[i][k]; found {
				return []*record{s.get(obj, id)}
			}
			return nil
		}
	}
	var out []*record
	for _, r := range s.live(obj) {
		if equalValues(s.value(r, f), v) {
			out = append(out, r)
		}
	}
	return out
}
