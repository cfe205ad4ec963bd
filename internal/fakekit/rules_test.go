package fakekit

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// Stable draws do not depend on arrival order: the same requests sent in
// another order meet the same faults.
func TestStableDrawsIgnoreArrivalOrder(t *testing.T) {
	faultsFor := func(order []int) map[string]Fault {
		k := New()
		k.AddRule(Rule{Rate: 0.3, Seed: 42, Stable: true})
		srv := testServer(t, k)
		for _, i := range order {
			for n := 0; n < 3; n++ { // the same request, three times
				_, _ = get(t, fmt.Sprintf("%s/p%d?q=%d", srv.URL, i, i))
			}
		}
		out := map[string]Fault{}
		seen := map[string]int{}
		for _, r := range k.Requests() {
			key := r.Path + "#" + fmt.Sprint(seen[r.Path])
			seen[r.Path]++
			out[key] = r.Fault
		}
		return out
	}
	forward := faultsFor([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	backward := faultsFor([]int{9, 8, 7, 6, 5, 4, 3, 2, 1, 0})
	faulted := 0
	for key, f := range forward {
		if backward[key] != f {
			t.Fatalf("%s: %q in one order, %q in the other", key, f, backward[key])
		}
		if f != "" {
			faulted++
		}
	}
	if faulted == 0 || faulted == len(forward) {
		t.Fatalf("rate 0.3 faulted %d of %d requests", faulted, len(forward))
	}
}

// A processed fault runs the handler and loses only the answer; refusals
// (429 and the like) never run it. BodyContains picks one request by what
// it sends.
func TestProcessedFaultsAndBodyMatch(t *testing.T) {
	k := New()
	k.KeepBodies = true
	var handled atomic.Int32
	var mu sync.Mutex
	var bodies []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		handled.Add(1)
		w.WriteHeader(http.StatusCreated)
	})
	render := func(w http.ResponseWriter, _ *http.Request, f Fault) {
		w.WriteHeader(map[Fault]int{Fault503: 503, Fault429: 429, FaultBadRequest: 400}[f])
	}
	srv := httptest.NewServer(k.Wrap(h, func(r *http.Request) (string, bool) { return r.URL.Path, true }, render))
	t.Cleanup(srv.Close)
	k.AddRule(Rule{Method: http.MethodPost, BodyContains: `"user":"u2"`, Sequence: []Fault{FaultBadRequest}})
	k.AddRule(Rule{Method: http.MethodPost, Sequence: []Fault{Fault503, Fault429, FaultConnectionReset}, Processed: true})

	post := func(body string) (int, error) {
		resp, err := http.Post(srv.URL+"/create", "application/json", strings.NewReader(body))
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		return resp.StatusCode, nil
	}
	if code, _ := post(`{"user":"u2"}`); code != 400 || handled.Load() != 0 {
		t.Fatalf("targeted request: %d, handled %d; want 400 and not handled", code, handled.Load())
	}
	if code, _ := post(`{"user":"u1"}`); code != 503 || handled.Load() != 1 {
		t.Fatalf("processed 503: %d, handled %d; want 503 after handling", code, handled.Load())
	}
	if code, _ := post(`{"user":"u1"}`); code != 429 || handled.Load() != 1 {
		t.Fatalf("429: %d, handled %d; a refusal must not be handled", code, handled.Load())
	}
	if _, err := post(`{"user":"u1"}`); err == nil || handled.Load() != 2 {
		t.Fatalf("processed reset: err %v, handled %d; want a connection error after handling", err, handled.Load())
	}
	if len(bodies) != 2 || bodies[0] != `{"user":"u1"}` {
		t.Fatalf("handler saw bodies %q", bodies)
	}
	log := k.Requests()
	if !log[1].Processed || log[2].Processed || !log[3].Processed || log[0].Fault != FaultBadRequest {
		t.Fatalf("log: %+v", log)
	}
}
