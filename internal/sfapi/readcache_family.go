package sfapi

import (
	"context"
	"fmt"
	"strings"
)

// cacheFamily is one kind of cached read: its entries live under one key
// prefix, hold values of one type, and go stale after the writes its stale
// func names. Each cached read declares its family beside itself with
// newCacheFamily, which cannot be called without saying what makes the
// family stale, so a new cached read cannot forget its invalidation;
// invalidateAfterWrite asks every family in turn.
//
// Besides what stale names, a package install or uninstall drops every
// family (packagesChanged): it adds or removes layouts, permission sets and
// their assignments all at once.
type cacheFamily[V any] struct {
	name  string
	key   func(string) string // normalises a key, such as an id to its 15-character form; nil keeps it
	stale func(write) drop[V]
}

// write is what a write through the client touched.
type write struct {
	object string // the sObject's API name in lower case, "" when unknown
	id     string // the record's id; "" for a create
	body   any    // what was sent; nil for a delete
}

// created reports a create; deleted a delete.
func (w write) created() bool { return w.id == "" }
func (w write) deleted() bool { return w.id != "" && w.body == nil }

// is reports whether the write was to one of these sObjects (lower case).
func (w write) is(objects ...string) bool {
	for _, o := range objects {
		if w.object == o {
			return true
		}
	}
	return false
}

// field returns a string field of the body sent, "" when absent.
func (w write) field(name string) string {
	if m, ok := w.body.(map[string]any); ok {
		s, _ := m[name].(string)
		return s
	}
	return ""
}

// drop says which entries of a family a write made stale. Loads still
// running are dropped with all and with match, whatever they will return:
// they may have read the org before the write.
type drop[V any] struct {
	all   bool
	keys  []string     // keys as the family's readers give them
	match func(V) bool // entries whose value it accepts
}

func dropNone[V any]() drop[V] { return drop[V]{} }
func dropAll[V any]() drop[V]  { return drop[V]{all: true} }

// staleAfter is a stale func for families that any write to these sObjects
// makes stale as a whole.
func staleAfter[V any](objects ...string) func(write) drop[V] {
	return func(w write) drop[V] {
		if w.is(objects...) {
			return dropAll[V]()
		}
		return dropNone[V]()
	}
}

// cacheFamilies are every family declared, by name.
var cacheFamilies = map[string]familyInvalidator{}

type familyInvalidator interface {
	invalidateAfter(rc *readCache, w write)
}

// newCacheFamily declares a family; name must be unique, since it is the
// key prefix that keeps the families' values apart.
func newCacheFamily[V any](name string, key func(string) string, stale func(write) drop[V]) *cacheFamily[V] {
	if stale == nil || strings.Contains(name, ":") {
		panic("sfapi: cache family " + name + " needs a name without ':' and a stale func")
	}
	if _, dup := cacheFamilies[name]; dup {
		panic("sfapi: cache family " + name + " declared twice")
	}
	f := &cacheFamily[V]{name: name, key: key, stale: stale}
	cacheFamilies[name] = f
	return f
}

func (f *cacheFamily[V]) prefix() string { return f.name + ":" }

func (f *cacheFamily[V]) cacheKey(key string) string {
	if f.key != nil {
		key = f.key(key)
	}
	return f.prefix() + key
}

// get returns the answer for key, running load at most once for callers
// that ask at the same time (readCache.get).
func (f *cacheFamily[V]) get(ctx context.Context, rc *readCache, key string, load func(context.Context) (V, error)) (V, error) {
	v, err := rc.get(ctx, f.cacheKey(key), func(ctx context.Context) (any, error) {
		val, err := load(ctx)
		return val, err
	})
	if err != nil {
		var zero V
		return zero, err
	}
	return f.value(key, v)
}

// peek returns a stored answer without loading.
func (f *cacheFamily[V]) peek(rc *readCache, key string) (V, bool) {
	v, ok := rc.peek(f.cacheKey(key))
	if !ok {
		var zero V
		return zero, false
	}
	val, err := f.value(key, v)
	return val, err == nil
}

// put stores an answer learnt along the way.
func (f *cacheFamily[V]) put(rc *readCache, key string, v V) { rc.put(f.cacheKey(key), v) }

func (f *cacheFamily[V]) value(key string, v any) (V, error) {
	val, ok := v.(V)
	if !ok {
		return val, fmt.Errorf("read cache holds %T under %s%s", v, f.prefix(), key)
	}
	return val, nil
}

func (f *cacheFamily[V]) invalidateAfter(rc *readCache, w write) {
	d := f.stale(w)
	if d.all {
		rc.invalidatePrefix(f.prefix(), nil)
		return
	}
	for _, k := range d.keys {
		rc.invalidate(f.cacheKey(k))
	}
	if d.match != nil {
		rc.invalidatePrefix(f.prefix(), func(v any) bool {
			val, ok := v.(V)
			return ok && d.match(val)
		})
	}
}
