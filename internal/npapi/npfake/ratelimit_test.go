package npfake

import (
	"sync"
	"testing"
	"time"
)

func TestWindowLimiter(t *testing.T) {
	l := &windowLimiter{limit: 3}
	t0 := time.Unix(1000, 0)
	for i := 0; i < 3; i++ {
		if !l.allow(t0.Add(time.Duration(i) * 100 * time.Millisecond)) {
			t.Fatalf("request %d refused", i)
		}
	}
	if l.allow(t0.Add(900 * time.Millisecond)) {
		t.Fatal("4th request within one second admitted")
	}
	// Exactly one second after the first, that one has left the window.
	if !l.allow(t0.Add(time.Second)) {
		t.Fatal("request one second later refused")
	}
	if l.allow(t0.Add(time.Second + time.Millisecond)) {
		t.Fatal("window slid too far")
	}
	off := &windowLimiter{limit: 0}
	for i := 0; i < 100; i++ {
		if !off.allow(t0) {
			t.Fatal("limit 0 must admit everything")
		}
	}
}

// With the default limit on, a burst gets JSON:API 429s, and never more
// than 10 requests are served.
func TestRateLimitOnByDefault(t *testing.T) {
	s := NewTestServer(t, Options{})
	var wg sync.WaitGroup
	results := make([]response, 25)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = call(t, s, "GET", "/v2/courses", "", "")
		}()
	}
	wg.Wait()
	ok, limited := 0, 0
	for _, r := range results {
		switch r.status {
		case 200:
			ok++
		case 429:
			limited++
			if e := firstError(t, r); e["status"] != "429" || e["title"] != "Too Many Requests" {
				t.Fatalf("429 body: %s", r.body)
			}
		default:
			t.Fatalf("status %d: %s", r.status, r.body)
		}
	}
	if ok > DefaultRateLimit || limited == 0 {
		t.Fatalf("%d served, %d limited", ok, limited)
	}
	if s.Kit().Count("GET /v2/courses") != 25 {
		t.Fatalf("limited requests must still be logged: %v", s.Kit().Counters())
	}
}
