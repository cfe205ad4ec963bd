package sfapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// assignmentsOrg answers the set-wide assignment query of psID with n
// assignments, slowly enough that concurrent callers overlap.
func assignmentsOrg(t *testing.T, n int, delay time.Duration) *org {
	o := newOrg(t)
	o.handle("GET "+restQuery, func(w http.ResponseWriter, _ *http.Request, s seen) {
		time.Sleep(delay)
		q := s.Query.Get("q")
		var recs []map[string]any
		switch {
		case strings.Contains(q, "WHERE PermissionSetId='"+psID+"'"):
			for i := 1; i <= n; i++ {
				recs = append(recs, psaRecord(sfID("0Pa", i), psID, sfID("005", i), fmt.Sprintf("u%d@example.com", i), nil))
			}
		case strings.Contains(q, "WHERE Id='"):
			id := q[strings.Index(q, "WHERE Id='")+len("WHERE Id='"):]
			id = id[:18]
			recs = append(recs, psaRecord(id, psID, sfID("005", 1), "u1@example.com", nil))
		}
		writeJSON(w, 200, queryResult(recs...))
	})
	o.handle("PATCH "+psaPath+"/"+sfID("0Pa", 1), func(w http.ResponseWriter, _ *http.Request, _ seen) { w.WriteHeader(204) })
	o.handle("PATCH "+psaPath+"/"+sfID("0Pa", 999), func(w http.ResponseWriter, _ *http.Request, _ seen) { w.WriteHeader(204) })
	o.handle("POST "+psaPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 201, map[string]any{"id": sfID("0Pa", 500), "success": true, "errors": []any{}})
	})
	return o
}

func setQueries(o *org) int {
	n := 0
	for _, q := range soqlOf(o, restQuery) {
		if strings.Contains(q, "WHERE PermissionSetId=") {
			n++
		}
	}
	return n
}

// Ten concurrent first reads of one permission set make one paged query.
func TestReadCacheConcurrentFirstReadsShareOneLoad(t *testing.T) {
	o := assignmentsOrg(t, 20, 30*time.Millisecond)
	c := newTestClient(t, o)
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := 1; i <= 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := c.ReadPermissionSetAssignment(t.Context(), psID, sfID("0Pa", i))
			if err == nil && a.AssigneeID != sfID("005", i) {
				err = fmt.Errorf("read %d: got %+v", i, a)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := setQueries(o); n != 1 {
		t.Fatalf("%d set-wide queries for 10 concurrent reads, want 1", n)
	}
	if st := c.cache.snapshot(); st.Loads != 1 || st.Hits+st.Joins != 9 {
		t.Errorf("stats %+v, want 1 load and 9 shared", st)
	}
	// Later reads, 15- or 18-character ids alike, are answered from it.
	if _, err := c.ReadPermissionSetAssignment(t.Context(), psID[:15], sfID("0Pa", 20)[:15]); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReadPermissionSetAssignment(t.Context(), psID, sfID("0Pa", 21)); !IsNotFound(err) {
		t.Errorf("an assignment the set does not hold: %v, want not found", err)
	}
	if n := len(soqlOf(o, restQuery)); n != 1 {
		t.Errorf("%d queries in all, want 1", n)
	}
}

// A write to an assignment of the set makes the next read load again; a
// write to an assignment the load does not hold leaves it alone.
func TestReadCacheWriteInvalidates(t *testing.T) {
	o := assignmentsOrg(t, 3, 0)
	c := newTestClient(t, o)
	ctx := t.Context()
	list := func() {
		t.Helper()
		if _, err := c.ListPermissionSetAssignments(ctx, psID); err != nil {
			t.Fatal(err)
		}
	}
	list()
	list()
	if n := setQueries(o); n != 1 {
		t.Fatalf("%d queries for two reads, want 1", n)
	}
	exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	mustDo(t, c.SetPermissionSetAssignmentExpiration(ctx, sfID("0Pa", 999), &exp)) // not in this set
	list()
	if n := setQueries(o); n != 1 {
		t.Fatalf("a write elsewhere reloaded the set: %d queries", n)
	}
	mustDo(t, c.SetPermissionSetAssignmentExpiration(ctx, sfID("0Pa", 1), &exp))
	list()
	if n := setQueries(o); n != 2 {
		t.Fatalf("%d queries after updating an assignment of the set, want 2", n)
	}
	if _, _, err := c.CreatePermissionSetAssignment(ctx, psID, sfID("005", 77), nil); err != nil {
		t.Fatal(err)
	}
	list()
	if n := setQueries(o); n != 3 {
		t.Fatalf("%d queries after creating an assignment of the set, want 3", n)
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A write that ends while a load is running drops that load: it may have
// read the org before the write.
func TestReadCacheWriteDuringLoadDropsIt(t *testing.T) {
	rc := newReadCache(true, time.Minute)
	started, release := make(chan struct{}), make(chan struct{})
	var loads atomic.Int32
	load := func(context.Context) (any, error) {
		if loads.Add(1) == 1 {
			close(started)
			<-release
			return "before the write", nil
		}
		return "after the write", nil
	}
	first := make(chan any)
	go func() {
		v, _ := rc.get(context.Background(), "psa:x", load)
		first <- v
	}()
	<-started
	rc.invalidatePrefix("psa:", func(any) bool { return false }) // running loads go regardless
	close(release)
	if v := <-first; v != "before the write" {
		t.Fatalf("the running load answered %v", v)
	}
	v, err := rc.get(context.Background(), "psa:x", load)
	if err != nil || v != "after the write" || loads.Load() != 2 {
		t.Fatalf("read after the write: %v, %v after %d loads; want a new load", v, err, loads.Load())
	}
}

// With the cache off every read is a request, as before it existed.
func TestReadCacheDisabledAlwaysLoads(t *testing.T) {
	o := assignmentsOrg(t, 3, 0)
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok", DisableReadCache: true})
	for range 3 {
		if _, err := c.ListPermissionSetAssignments(t.Context(), psID); err != nil {
			t.Fatal(err)
		}
	}
	if n := setQueries(o); n != 3 {
		t.Errorf("%d queries for 3 reads, want 3", n)
	}
	// The single read is a query by id, not the set-wide load.
	if _, err := c.ReadPermissionSetAssignment(t.Context(), psID, sfID("0Pa", 2)); err != nil {
		t.Fatal(err)
	}
	qs := soqlOf(o, restQuery)
	if last := qs[len(qs)-1]; !strings.Contains(last, "WHERE Id='"+sfID("0Pa", 2)+"'") {
		t.Errorf("single read without the cache sent %q", last)
	}
	if st := c.cache.snapshot(); st != (cacheStats{}) {
		t.Errorf("disabled cache counted %+v", st)
	}
}

// Errors are handed to the callers that waited, and never kept.
func TestReadCacheErrorsAreNotKept(t *testing.T) {
	rc := newReadCache(true, time.Minute)
	calls := 0
	load := func(context.Context) (any, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("boom")
		}
		return "ok", nil
	}
	if _, err := rc.get(t.Context(), "k", load); err == nil {
		t.Fatal("no error from the failing load")
	}
	if v, err := rc.get(t.Context(), "k", load); err != nil || v != "ok" {
		t.Fatalf("after an error: %v, %v", v, err)
	}
}

// A caller whose context ends does not fail the callers waiting on its load.
func TestReadCacheLeaderCancellationDoesNotFailOthers(t *testing.T) {
	rc := newReadCache(true, time.Minute)
	leaderCtx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	var loads atomic.Int32
	load := func(ctx context.Context) (any, error) {
		if loads.Add(1) == 1 {
			close(started)
			<-ctx.Done()
			return nil, ctx.Err()
		}
		return "loaded again", nil
	}
	leaderErr := make(chan error)
	go func() {
		_, err := rc.get(leaderCtx, "k", load)
		leaderErr <- err
	}()
	<-started
	waiter := make(chan any)
	go func() {
		v, err := rc.get(context.Background(), "k", load)
		if err != nil {
			v = err
		}
		waiter <- v
	}()
	time.Sleep(20 * time.Millisecond) // let the waiter join the running load
	cancel()
	if err := <-leaderErr; !errors.Is(err, context.Canceled) {
		t.Fatalf("leader: %v", err)
	}
	if v := <-waiter; v != "loaded again" {
		t.Fatalf("waiter got %v, want its own load", v)
	}
}

// WithFreshReads asks again and keeps the new answer; answers expire.
func TestReadCacheFreshReadsAndTTL(t *testing.T) {
	rc := newReadCache(true, time.Minute)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rc.now = func() time.Time { return now }
	n := 0
	load := func(context.Context) (any, error) { n++; return n, nil }
	ctx := t.Context()
	get := func(ctx context.Context) any {
		v, err := rc.get(ctx, "k", load)
		mustDo(t, err)
		return v
	}
	if first, second := get(ctx), get(ctx); first != 1 || second != 1 {
		t.Fatal("second read loaded again")
	}
	if get(WithFreshReads(ctx)) != 2 || get(ctx) != 2 {
		t.Fatal("a fresh read did not load, or its answer was not kept")
	}
	now = now.Add(61 * time.Second)
	if get(ctx) != 3 {
		t.Fatal("an expired answer was reused")
	}
}

// Concurrent single user look-ups (ten data sources read at once) share IN
// queries; a name seen once is not asked again, nor its user by id.
func TestFindUsersByUsernameCoalescesConcurrentLookups(t *testing.T) {
	o := newOrg(t)
	var queries atomic.Int32
	o.handle("GET "+restQuery, func(w http.ResponseWriter, _ *http.Request, s seen) {
		queries.Add(1)
		time.Sleep(40 * time.Millisecond)
		var recs []map[string]any
		for _, u := range soqlLiterals(t, s.Query.Get("q"), "Username") {
			var n int
			// Salesforce compares usernames without regard to case.
			if _, err := fmt.Sscanf(strings.ToLower(u), "user%d@example.com", &n); err == nil {
				recs = append(recs, userRec(sfID("005", n), strings.ToLower(u), false))
			}
		}
		writeJSON(w, 200, queryResult(recs...))
	})
	c := newTestClient(t, o)
	var wg sync.WaitGroup
	errs := make(chan error, 21)
	for i := 1; i <= 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("User%d@Example.com", i)
			got, err := c.FindUsersByUsername(t.Context(), []string{name, "ghost@example.com"})
			if err == nil && (got[strings.ToLower(name)].ID != sfID("005", i) || len(got) != 1) {
				err = fmt.Errorf("%s: got %+v", name, got)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// The first caller's batch goes at once; everyone arriving meanwhile
	// waits for it and goes in the next one.
	if n := queries.Load(); n > 3 {
		t.Fatalf("%d queries for 20 concurrent look-ups, want at most 3", n)
	}
	before := queries.Load()
	got, err := c.FindUsersByUsername(t.Context(), []string{"user7@example.com", "ghost@example.com"})
	if err != nil || len(got) != 1 {
		t.Fatalf("again: %v, %v", got, err)
	}
	if u, err := c.GetUser(t.Context(), sfID("005", 7)); err != nil || u.Username != "user7@example.com" {
		t.Fatalf("GetUser: %+v, %v", u, err)
	}
	if n := queries.Load() - before; n != 0 {
		t.Errorf("%d queries for names and ids already known, want 0", n)
	}
}

// Admin checks of several users are asked in one IN query, and an
// assignment write makes them ask again.
func TestUserHasModifyAllDataBatched(t *testing.T) {
	viaPS, plain := sfID("005", 2), sfID("005", 3)
	o := newOrg(t)
	var checks atomic.Int32
	o.handle("GET "+restQuery, func(w http.ResponseWriter, _ *http.Request, s seen) {
		q := s.Query.Get("q")
		switch {
		case strings.Contains(q, "FROM User WHERE Id="):
			writeJSON(w, 200, queryResult(userRec(q[len(q)-19:len(q)-1], "x@example.com", false)))
		case strings.Contains(q, "FROM PermissionSetAssignment WHERE AssigneeId IN ("):
			checks.Add(1)
			time.Sleep(30 * time.Millisecond)
			var recs []map[string]any
			for _, id := range soqlLiterals(t, q, "AssigneeId") {
				if id == viaPS {
					recs = append(recs, withAttrs("PermissionSetAssignment", map[string]any{"AssigneeId": id}))
				}
			}
			writeJSON(w, 200, queryResult(recs...))
		default:
			writeJSON(w, 200, queryResult())
		}
	})
	o.handle("DELETE "+psaPath+"/"+sfID("0Pa", 1), func(w http.ResponseWriter, _ *http.Request, _ seen) { w.WriteHeader(204) })
	c := newTestClient(t, o)
	// Users first, so the checks start together.
	for _, id := range []string{viaPS, plain} {
		_, err := c.GetUser(t.Context(), id)
		mustDo(t, err)
	}
	var wg sync.WaitGroup
	got := make([]bool, 2)
	for i, id := range []string{viaPS, plain} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			has, err := c.UserHasModifyAllData(t.Context(), id)
			if err != nil {
				t.Error(err)
			}
			got[i] = has
		}()
	}
	wg.Wait()
	if !got[0] || got[1] {
		t.Fatalf("admin = %v, want [true false]", got)
	}
	if n := checks.Load(); n > 2 {
		t.Fatalf("%d admin queries for 2 concurrent checks, want at most 2", n)
	}
	before := checks.Load()
	if _, err := c.UserHasModifyAllData(t.Context(), plain); err != nil || checks.Load() != before {
		t.Fatalf("a repeated check asked again (%v)", err)
	}
	mustDo(t, c.DeletePermissionSetAssignment(t.Context(), sfID("0Pa", 1)))
	if _, err := c.UserHasModifyAllData(t.Context(), plain); err != nil || checks.Load() != before+1 {
		t.Fatalf("after an assignment write: %d checks, want %d (%v)", checks.Load(), before+1, err)
	}
}

// A layout is fetched once for all its readers, each of which gets its own
// copy; an update and a fresh read fetch it again.
func TestGetLayoutSharedCopiedAndInvalidated(t *testing.T) {
	o := soapOrg(t)
	c := newTestClient(t, o)
	ctx := t.Context()
	const id = "00h000000000001AAA"
	gets := func() int { return o.rec.count(http.MethodGet, layoutPath+"/"+id) }
	a, err := c.GetLayout(ctx, id)
	mustDo(t, err)
	a.Metadata["relatedLists"] = nil
	b, err := c.GetLayout(ctx, id)
	mustDo(t, err)
	if gets() != 1 {
		t.Fatalf("%d GETs for two reads, want 1", gets())
	}
	if _, _, ok := b.Metadata.RelatedList("RelatedContactList"); !ok {
		t.Fatal("one reader's change reached another reader")
	}
	x, err := c.ReadLayoutXML(ctx, "Contact-Contact %28Marketing%29 Layout")
	mustDo(t, err)
	mustDo(t, c.UpdateLayout(ctx, id, x))
	if _, err := c.GetLayout(ctx, id); err != nil || gets() != 2 {
		t.Fatalf("after an update: %d GETs, want 2 (%v)", gets(), err)
	}
	if _, err := c.GetLayout(WithFreshReads(ctx), id); err != nil || gets() != 3 {
		t.Fatalf("fresh read: %d GETs, want 3 (%v)", gets(), err)
	}
	listed, err := c.ListLayouts(ctx, "Contact")
	mustDo(t, err)
	if m := MatchLayout(listed, "Contact (Marketing) Layout"); m == nil || m.ID != id {
		t.Fatalf("matched %+v, want %s", m, id)
	}
	if _, err := c.GetLayout(ctx, id); err != nil {
		t.Fatal(err)
	}
	if n := len(soqlOf(o, toolingQuery)); n != 1 || gets() != 3 {
		t.Errorf("%d list queries and %d GETs after list+find, want 1 and 3", n, gets())
	}
}

// The batch loader never makes a caller wait for a batch it is not in
// longer than that batch takes, and a caller who gives up does not fail
// the others.
func TestBatchLoaderLeaderGivesUp(t *testing.T) {
	release := make(chan struct{})
	var runs atomic.Int32
	b := &batchLoader{run: func(ctx context.Context, keys []string) (map[string]any, error) {
		if runs.Add(1) == 1 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-release:
			}
		}
		out := map[string]any{}
		for _, k := range keys {
			out[k] = "v:" + k
		}
		return out, nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error)
	go func() {
		_, err := b.load(ctx, []string{"a"})
		first <- err
	}()
	for runs.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	second := make(chan map[string]any)
	go func() {
		got, err := b.load(context.Background(), []string{"a", "b"})
		if err != nil {
			t.Error(err)
		}
		second <- got
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("first: %v", err)
	}
	got := <-second
	if got["a"] != "v:a" || got["b"] != "v:b" {
		t.Fatalf("second got %v", got)
	}
	close(release)
}

// The TTL counts from the last use: a shared answer read every half minute
// by a long walk is loaded once, an answer left unused for the TTL is
// loaded again, and one kept in use is still loaded again after
// readCacheMaxAge.
func TestReadCacheTTLCountsFromLastUse(t *testing.T) {
	rc, now, get := clockedCache(t, "k")
	peek := func() any {
		v, _ := rc.peek("k")
		return v
	}
	start := *now
	if get() != 1 {
		t.Fatal("first read did not load")
	}
	// A ten-minute walk, a read every 30 s: one load, by get and by peek.
	for i := 0; now.Sub(start) < 10*time.Minute; i++ {
		*now = now.Add(30 * time.Second)
		v := get()
		if i%2 == 1 {
			v = peek()
		}
		if v != 1 {
			t.Fatalf("read %v after %s of reads 30 s apart, want the first load", v, now.Sub(start))
		}
	}
	// Unused for the TTL: loaded again.
	*now = now.Add(time.Minute)
	if peek() != nil || get() != 2 {
		t.Fatal("an answer unused for the TTL was reused")
	}
	// Kept in use, it still expires readCacheMaxAge after its load.
	loaded := *now
	for now.Sub(loaded) < readCacheMaxAge-30*time.Second {
		*now = now.Add(30 * time.Second)
		if get() != 2 {
			t.Fatalf("reloaded %s after the load, before readCacheMaxAge", now.Sub(loaded))
		}
	}
	*now = now.Add(30 * time.Second)
	if get() != 3 {
		t.Fatal("an answer in use was reused past readCacheMaxAge")
	}
	if s := rc.snapshot(); s.Loads != 3 {
		t.Fatalf("loads = %d, want 3", s.Loads)
	}
}

// A write through the client still invalidates an answer kept alive by its
// uses.
func TestReadCacheInvalidateDropsAnswerInUse(t *testing.T) {
	rc, now, get := clockedCache(t, "fam:k")
	get()
	*now = now.Add(30 * time.Second)
	get()
	rc.invalidatePrefix("fam:", nil)
	if get() != 2 {
		t.Fatal("an answer in use survived the invalidation after a write")
	}
}

// clockedCache is a read cache on a clock the test moves (*now), and a
// get of key whose loads answer 1, 2, 3, ….
func clockedCache(t *testing.T, key string) (rc *readCache, now *time.Time, get func() any) {
	rc = newReadCache(true, time.Minute)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rc.now = func() time.Time { return clock }
	n := 0
	load := func(context.Context) (any, error) { n++; return n, nil }
	return rc, &clock, func() any {
		v, err := rc.get(t.Context(), key, load)
		mustDo(t, err)
		return v
	}
}
