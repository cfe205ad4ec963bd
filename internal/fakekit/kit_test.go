package fakekit

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"
)

func testServer(t *testing.T, k *Kit) *httptest.Server {
	t.Helper()
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	classify := func(r *http.Request) (string, bool) {
		if r.URL.Path == "/admin" {
			return "", false
		}
		return r.URL.Path, r.URL.Path != "/free"
	}
	render := func(w http.ResponseWriter, _ *http.Request, f Fault) {
		code := map[Fault]int{Fault503: 503, Fault429: 429, FaultRequestLimit: 403, FaultExpiredSession: 401}[f]
		w.WriteHeader(code)
	}
	srv := httptest.NewServer(k.Wrap(ok, classify, render))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (int, error) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func TestSequenceThenPass(t *testing.T) {
	k := New()
	srv := testServer(t, k)
	k.AddRule(Rule{PathPrefix: "/a", Sequence: []Fault{Fault503, Fault429, FaultNone, FaultRequestLimit, FaultExpiredSession}})
	want := []int{503, 429, 200, 403, 401, 200}
	for i, w := range want {
		got, err := get(t, srv.URL+"/a")
		if err != nil || got != w {
			t.Fatalf("request %d: got %d (%v), want %d", i, got, err, w)
		}
	}
	if got, _ := get(t, srv.URL+"/b"); got != 200 {
		t.Fatalf("unmatched path faulted: %d", got)
	}
	if k.Count("/a") != 6 || k.Count("/b") != 1 {
		t.Fatalf("counters: %v", k.Counters())
	}
	log := k.Requests()
	if len(log) != 7 || log[0].Fault != Fault503 || log[0].Status != 503 || log[2].Status != 200 {
		t.Fatalf("log: %+v", log)
	}
}

func TestConnectionReset(t *testing.T) {
	k := New()
	srv := testServer(t, k)
	k.AddRule(Rule{Sequence: []Fault{FaultConnectionReset}})
	_, err := get(t, srv.URL+"/x")
	if err == nil {
		t.Fatal("expected a connection error")
	}
	if !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, io.EOF) {
		t.Logf("error (accepted as a reset): %v", err)
	}
	if got, err := get(t, srv.URL+"/x"); err != nil || got != 200 {
		t.Fatalf("after the reset: %d %v", got, err)
	}
}

func TestRateIsReproducibleAndBillableCounted(t *testing.T) {
	run := func() []int {
		k := New()
		srv := testServer(t, k)
		k.AddRule(Rule{Rate: 0.5, Kinds: []Fault{Fault503}, Seed: 7})
		var codes []int
		for i := 0; i < 40; i++ {
			c, _ := get(t, srv.URL+"/r")
			codes = append(codes, c)
		}
		_, _ = get(t, srv.URL+"/free")
		if k.BillableCalls() != 40 {
			t.Fatalf("billable = %d, want 40", k.BillableCalls())
		}
		return codes
	}
	a, b := run(), run()
	faults := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed gave different faults at %d", i)
		}
		if a[i] == 503 {
			faults++
		}
	}
	if faults < 8 || faults > 32 {
		t.Fatalf("rate 0.5 gave %d faults of 40", faults)
	}
}

func TestLatencyUsesSleep(t *testing.T) {
	k := New()
	var slept time.Duration
	k.Sleep = func(_ context.Context, d time.Duration) { slept += d }
	srv := testServer(t, k)
	k.SetLatency(50 * time.Millisecond)
	k.AddRule(Rule{PathPrefix: "/slow", Latency: time.Second})
	_, _ = get(t, srv.URL+"/slow")
	_, _ = get(t, srv.URL+"/fast")
	if slept != 50*time.Millisecond*2+time.Second {
		t.Fatalf("slept %v", slept)
	}
	k.ClearRules()
	slept = 0
	_, _ = get(t, srv.URL+"/slow")
	if slept != 0 {
		t.Fatalf("latency survived ClearRules: %v", slept)
	}
}

func TestUnclassifiedBypassesKit(t *testing.T) {
	k := New()
	srv := testServer(t, k)
	k.AddRule(Rule{Sequence: []Fault{Fault503}})
	if got, _ := get(t, srv.URL+"/admin"); got != 200 {
		t.Fatalf("admin request faulted: %d", got)
	}
	if len(k.Requests()) != 0 {
		t.Fatal("admin request was logged")
	}
}
