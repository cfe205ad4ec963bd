package sfapi

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// defaultReadCacheTTL is how long an answer is kept after it was last
// used. Terraform configures a fresh client for every plan and apply, so in
// practice an answer lives for one walk. The TTL counts from the last use,
// not from the load, because a walk's reads of one shared answer can spread
// over many minutes: a plan of 10,000 single assignments read them over more
// than ten minutes on a loaded 2-vCPU machine, and a TTL counted from the
// load made the set-wide load expire halfway and run again. Reads a minute
// apart are no longer one walk's, so an answer idle that long is dropped.
const defaultReadCacheTTL = 60 * time.Second

// readCacheMaxAge bounds how long one answer is reused however often it is
// asked for, so that a long-lived client that keeps reading still sees
// changes made by others (the provider's own writes invalidate at once).
// It is well above the longest walk measured (the 10,000-resource plan,
// about 12 minutes under load).
const readCacheMaxAge = 30 * time.Minute

// readCache shares reads among the callers of one Client (unless
// Config.DisableReadCache).
//
// Terraform reads resources one RPC at a time, up to -parallelism at once.
// Without sharing, a plan over 1,000 assignments of one permission set asks
// Salesforce 1,000 times; with it, the first read loads every assignment of
// the set in one paged query and the other 999 are answered from that load.
//
//   - get runs a keyed load once: callers that arrive while it is running
//     wait for it (singleflight), later callers reuse its answer until it
//     has gone unused for the TTL (or was loaded readCacheMaxAge ago).
//     Errors are handed to the callers that waited and never kept. A
//     caller whose own context is still alive does not inherit another
//     caller's cancellation: it loads again.
//   - Writes made through the client invalidate the entries they touch
//     (invalidateAfterWrite), including loads still running, which may have
//     read the org before the write: a read after a write is always fresh.
//   - A context from WithFreshReads skips the stored answer and loads again
//     (read-modify-write decisions); the new answer replaces the old one.
//   - Disabled, every read goes to Salesforce, as before the cache existed.
//
// Keys and values are untyped here. Each cached read goes through its
// cacheFamily (readcache_family.go), declared beside the read, which types
// them and says which writes make them stale. Values are shared: the reads
// copy them before handing them out.
type readCache struct {
	enabled bool
	ttl     time.Duration // since the last use
	maxAge  time.Duration // since the load
	now     func() time.Time

	mu      sync.Mutex
	entries map[string]*cacheEntry
	stats   cacheStats
}

type cacheEntry struct {
	done    chan struct{} // closed when the load ends
	ready   bool          // the load ended; guarded by readCache.mu
	val     any
	err     error
	fetched time.Time
	used    time.Time // the load or the last answer given; guarded by readCache.mu
}

// cacheStats counts what the read cache did, for tests.
type cacheStats struct {
	Loads int // loads sent to Salesforce through the cache
	Hits  int // answers from a finished load
	Joins int // waits for a load another caller had started
}

func newReadCache(enabled bool, ttl time.Duration) *readCache {
	if ttl <= 0 {
		ttl = defaultReadCacheTTL
	}
	return &readCache{enabled: enabled, ttl: ttl, maxAge: max(ttl, readCacheMaxAge), now: time.Now, entries: map[string]*cacheEntry{}}
}

type freshReadsKey struct{}

// WithFreshReads returns a context whose reads skip the client's read
// cache: they always ask Salesforce, and their answers replace the cached
// ones. Use it when the answer decides a write (read-modify-write of a
// layout, the list of installed packages before an install).
func WithFreshReads(ctx context.Context) context.Context {
	return context.WithValue(ctx, freshReadsKey{}, true)
}

func freshReads(ctx context.Context) bool {
	v, _ := ctx.Value(freshReadsKey{}).(bool)
	return v
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// usable reports whether a finished entry may answer: used within the TTL
// and loaded within maxAge. Callers hold mu.
func (rc *readCache) usable(e *cacheEntry) bool {
	now := rc.now()
	return e.ready && e.err == nil && now.Sub(e.used) < rc.ttl && now.Sub(e.fetched) < rc.maxAge
}

// hit counts an answer from e and restarts its TTL; callers hold mu.
func (rc *readCache) hit(e *cacheEntry) any {
	rc.stats.Hits++
	e.used = rc.now()
	return e.val
}

// get returns the answer for key, running load at most once for callers
// that ask at the same time.
func (rc *readCache) get(ctx context.Context, key string, load func(context.Context) (any, error)) (any, error) {
	if !rc.enabled {
		return load(ctx)
	}
	fresh := freshReads(ctx)
	for {
		rc.mu.Lock()
		e := rc.entries[key]
		switch {
		case e == nil, fresh, e.ready && !rc.usable(e):
			e = &cacheEntry{done: make(chan struct{})}
			rc.entries[key] = e
			rc.stats.Loads++
			rc.mu.Unlock()
			return rc.run(ctx, key, e, load)
		case e.ready:
			v := rc.hit(e)
			rc.mu.Unlock()
			return v, nil
		}
		rc.stats.Joins++
		rc.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err != nil && isContextError(e.err) && ctx.Err() == nil {
			continue // the caller who loaded gave up; this one has not
		}
		return e.val, e.err
	}
}

func (rc *readCache) run(ctx context.Context, key string, e *cacheEntry, load func(context.Context) (any, error)) (val any, err error) {
	// Deferred, so that waiters are released even if load panics.
	defer func() {
		rc.mu.Lock()
		e.val, e.err, e.ready = val, err, true
		e.fetched = rc.now()
		e.used = e.fetched
		if err != nil && rc.entries[key] == e {
			delete(rc.entries, key)
		}
		rc.mu.Unlock()
		close(e.done)
	}()
	err = errLoadPanicked // replaced when load returns
	val, err = load(ctx)
	return val, err
}

var errLoadPanicked = errors.New("read cache: the load did not finish")

// peek returns a stored answer without loading.
func (rc *readCache) peek(key string) (any, bool) {
	if !rc.enabled {
		return nil, false
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e := rc.entries[key]
	if e == nil || !rc.usable(e) {
		return nil, false
	}
	return rc.hit(e), true
}

// put stores an answer learnt along the way (a user found by username is
// also the answer for its id).
func (rc *readCache) put(key string, val any) {
	if !rc.enabled {
		return
	}
	done := make(chan struct{})
	close(done)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	now := rc.now()
	rc.entries[key] = &cacheEntry{done: done, ready: true, val: val, fetched: now, used: now}
}

// invalidate drops the entries with these keys, running loads included.
func (rc *readCache) invalidate(keys ...string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, k := range keys {
		delete(rc.entries, k)
	}
}

// invalidatePrefix drops every entry under prefix whose value match
// accepts (nil: all), and every load under prefix that is still running,
// since its answer may predate the write.
func (rc *readCache) invalidatePrefix(prefix string, match func(any) bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for k, e := range rc.entries {
		if strings.HasPrefix(k, prefix) && (!e.ready || match == nil || match(e.val)) {
			delete(rc.entries, k)
		}
	}
}

// clear drops everything.
func (rc *readCache) clear() {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.entries = map[string]*cacheEntry{}
}

func (rc *readCache) snapshot() cacheStats {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.stats
}

// batchLoader coalesces single look-ups (users by username, admin checks by
// user id) that arrive while another batch is on its way into one IN (…)
// query. The first caller of a batch sends it as soon as the batch before
// it has been answered; everyone who asks meanwhile joins it. So a lone
// caller waits for nothing, and ten data sources read at once cost one or
// two queries instead of ten. Each batch is sent by one of its own callers,
// with that caller's context; if that caller gives up, the others send
// their keys again.
type batchLoader struct {
	// run answers keys; keys it has no answer for are absent (nil).
	run func(ctx context.Context, keys []string) (map[string]any, error)

	mu       sync.Mutex
	next     *loadBatch            // collecting callers; nil when none
	inflight chan struct{}         // done of the batch sent last
	pending  map[string]*loadBatch // key → the batch that will answer it
}

type loadBatch struct {
	keys []string
	done chan struct{}
	res  map[string]any
	err  error
}

// load answers keys, nil for the ones run found nothing for.
func (b *batchLoader) load(ctx context.Context, keys []string) (map[string]any, error) {
	out := make(map[string]any, len(keys))
	for len(keys) > 0 {
		lead, prev, waits := b.enqueue(keys)
		if lead != nil {
			b.send(ctx, lead, prev)
		}
		var again []string
		for bt, ks := range waits {
			select {
			case <-bt.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			switch {
			case bt.err != nil && isContextError(bt.err) && ctx.Err() == nil:
				again = append(again, ks...)
			case bt.err != nil:
				return nil, bt.err
			default:
				for _, k := range ks {
					out[k] = bt.res[k]
				}
			}
		}
		keys = again
	}
	return out, nil
}

// enqueue adds keys to the batches that will answer them. lead is the
// batch this caller must send (after prev is answered), if any.
func (b *batchLoader) enqueue(keys []string) (lead *loadBatch, prev chan struct{}, waits map[*loadBatch][]string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pending == nil {
		b.pending = map[string]*loadBatch{}
	}
	waits = map[*loadBatch][]string{}
	for _, k := range keys {
		bt := b.pending[k]
		if bt == nil {
			if b.next == nil {
				b.next = &loadBatch{done: make(chan struct{})}
				lead, prev = b.next, b.inflight
			}
			bt = b.next
			bt.keys = append(bt.keys, k)
			b.pending[k] = bt
		}
		waits[bt] = append(waits[bt], k)
	}
	return lead, prev, waits
}

// send waits for the batch before (collecting joiners meanwhile), closes
// bt to newcomers and runs it.
func (b *batchLoader) send(ctx context.Context, bt *loadBatch, prev chan struct{}) {
	if prev != nil {
		select {
		case <-prev:
		case <-ctx.Done():
		}
	}
	b.mu.Lock()
	if b.next == bt {
		b.next = nil
	}
	b.inflight = bt.done
	keys := bt.keys
	b.mu.Unlock()

	defer func() {
		b.mu.Lock()
		for _, k := range keys {
			if b.pending[k] == bt {
				delete(b.pending, k)
			}
		}
		b.mu.Unlock()
		close(bt.done)
	}()
	if err := ctx.Err(); err != nil {
		bt.err = err
		return
	}
	bt.res, bt.err = b.run(ctx, keys)
}
