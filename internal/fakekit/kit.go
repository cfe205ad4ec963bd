package fakekit

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"time"
)

// Recorded is one request as the fake saw it. Headers and bodies are not
// kept: they may carry secrets, and tests assert on counts and paths.
type Recorded struct {
	Time     time.Time `json:"time"`
	Method   string    `json:"method"`
	Path     string    `json:"path"`
	RawQuery string    `json:"raw_query,omitempty"`
	Endpoint string    `json:"endpoint"`
	Status   int       `json:"status"`
	Fault    Fault     `json:"fault,omitempty"`
	// Body is the request body for writes (POST/PATCH/PUT), for tests that
	// assert on what was sent. Fakes decide whether to keep it.
	Body string `json:"body,omitempty"`
	// Processed: the fake carried the request out before the fault lost
	// its answer (Rule.Processed).
	Processed bool `json:"processed,omitempty"`
}

// Classifier names a request's endpoint for the counters ("tooling/query",
// "token", …) and says whether the real service counts it against limits.
type Classifier func(*http.Request) (endpoint string, billable bool)

// Renderer writes the service's own error response for a fault.
type Renderer func(w http.ResponseWriter, r *http.Request, f Fault)

// Kit wraps a fake's handler. It is safe for concurrent use.
type Kit struct {
	mu       sync.Mutex
	rules    []*ruleState
	latency  time.Duration
	log      []Recorded
	counters map[string]int
	billable int
	// Sleep is replaceable so tests of the kit itself need not wait.
	Sleep func(context.Context, time.Duration)
	// KeepBodies records write bodies in the log.
	KeepBodies bool
}

// New returns an empty kit.
func New() *Kit {
	return &Kit{counters: map[string]int{}, Sleep: sleepCtx}
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// AddRule appends a fault rule.
func (k *Kit) AddRule(r Rule) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.rules = append(k.rules, newRuleState(r))
}

// ClearRules removes every fault rule and the global latency.
func (k *Kit) ClearRules() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.rules = nil
	k.latency = 0
}

// SetLatency adds d to every request (the benchmark's "50 ms per request").
func (k *Kit) SetLatency(d time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.latency = d
}

// Requests returns a copy of the request log.
func (k *Kit) Requests() []Recorded {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]Recorded(nil), k.log...)
}

// Count returns how many requests reached an endpoint (faulted ones included).
func (k *Kit) Count(endpoint string) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.counters[endpoint]
}

// Counters returns a copy of the per-endpoint counters.
func (k *Kit) Counters() map[string]int {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make(map[string]int, len(k.counters))
	for e, n := range k.counters {
		out[e] = n
	}
	return out
}

// Endpoints lists the endpoints seen, sorted.
func (k *Kit) Endpoints() []string {
	c := k.Counters()
	out := make([]string, 0, len(c))
	for e := range c {
		out = append(out, e)
	}
	sort.Strings(out)
	return out
}

// BillableCalls is the number of requests the real service would count
// against the customer's API limits.
func (k *Kit) BillableCalls() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.billable
}

// Reset clears the log and counters (not the rules).
func (k *Kit) Reset() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.log = nil
	k.counters = map[string]int{}
	k.billable = 0
}

// decide records the request and picks its fault and latency.
func (k *Kit) decide(r *http.Request, body, endpoint string, billable bool) (Fault, time.Duration, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.counters[endpoint]++
	if billable {
		k.billable++
	}
	latency := k.latency
	fault, processed := FaultNone, false
	for _, rule := range k.rules {
		if rule.matches(r, body) {
			latency += rule.Latency
			fault = rule.draw(r)
			processed = rule.Processed && (fault == Fault503 || fault == FaultConnectionReset)
			break
		}
	}
	return fault, latency, processed
}

func (k *Kit) record(rec Recorded) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.log = append(k.log, rec)
}

// Wrap returns next behind the kit: each request is classified, counted,
// delayed, possibly faulted (render writes the fault in the service's own
// format), and logged with its final status.
func (k *Kit) Wrap(next http.Handler, classify Classifier, render Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		endpoint, billable := classify(r)
		if endpoint == "" {
			// Unclassified requests (the admin interface) bypass the kit.
			next.ServeHTTP(w, r)
			return
		}
		var body string
		if k.KeepBodies && r.Body != nil && (r.Method == http.MethodPost || r.Method == http.MethodPatch || r.Method == http.MethodPut) {
			body, r.Body = readAndRestore(r.Body)
		}
		fault, latency, processed := k.decide(r, body, endpoint, billable)
		if latency > 0 {
			k.Sleep(r.Context(), latency)
		}
		rec := Recorded{Time: time.Now().UTC(), Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Endpoint: endpoint, Body: body}
		if fault != FaultNone {
			rec.Fault = fault
			if processed {
				// The fake does the work; only the answer is lost.
				rec.Processed = true
				next.ServeHTTP(httptest.NewRecorder(), r)
			}
			if fault == FaultConnectionReset {
				rec.Status = 0
				k.record(rec)
				resetConnection(w)
				return
			}
			sw := &statusWriter{ResponseWriter: w}
			render(sw, r, fault)
			rec.Status = sw.code()
			k.record(rec)
			return
		}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		rec.Status = sw.code()
		k.record(rec)
	})
}

// resetConnection drops the connection with a TCP RST, as a load balancer
// does under pressure; the client sees "connection reset by peer".
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) code() int {
	if s.status == 0 {
		return http.StatusOK
	}
	return s.status
}

// Hijack lets a wrapped handler still reset connections.
func (s *statusWriter) Hijack() (net.Conn, *bufioReadWriter, error) {
	hj, ok := s.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	return hj.Hijack()
}
