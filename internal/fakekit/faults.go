// Package fakekit holds what both in-memory API fakes (sffake, npfake) need
// around their handlers: a request log, per-endpoint counters, fault injection
// and latency. It knows nothing of either API's wire format: each fake renders
// its own error bodies, so a fault looks exactly like the real service's.
package fakekit

import (
	"math/rand"
	"net/http"
	"strings"
	"time"
)

// Fault is a kind of failure the real APIs produce in practice.
type Fault string

const (
	// FaultNone lets a request through; useful inside a Sequence.
	FaultNone Fault = "none"
	// Fault503 is a transient server error.
	Fault503 Fault = "503"
	// Fault429 is a rate-limit response.
	Fault429 Fault = "429"
	// FaultRequestLimit is Salesforce's 403 REQUEST_LIMIT_EXCEEDED.
	FaultRequestLimit Fault = "request_limit_exceeded"
	// FaultExpiredSession is a 401 for an expired or invalid session.
	FaultExpiredSession Fault = "expired_session"
	// FaultConnectionReset closes the TCP connection without an answer.
	FaultConnectionReset Fault = "connection_reset"
)

// TransientFaults are the faults a well-behaved client must survive.
var TransientFaults = []Fault{Fault503, Fault429, FaultRequestLimit, FaultExpiredSession, FaultConnectionReset}

// Rule says which requests get which faults. A request matches when its
// method and path fit; the first matching rule decides.
type Rule struct {
	// Method matches the HTTP method; empty matches any.
	Method string `json:"method,omitempty"`
	// PathPrefix matches the start of the URL path; empty matches any.
	PathPrefix string `json:"path_prefix,omitempty"`
	// PathContains matches anywhere in the path; empty matches any.
	PathContains string `json:"path_contains,omitempty"`
	// Sequence is consumed in order, one entry per matching request.
	Sequence []Fault `json:"sequence,omitempty"`
	// Rate is the probability (0..1) of a fault once Sequence is used up.
	Rate float64 `json:"rate,omitempty"`
	// Kinds are drawn from at random when Rate fires; default TransientFaults.
	Kinds []Fault `json:"kinds,omitempty"`
	// Latency is added to every matching request.
	Latency time.Duration `json:"latency,omitempty"`
	// Seed makes Rate reproducible; 0 uses a fixed default.
	Seed int64 `json:"seed,omitempty"`
}

type ruleState struct {
	Rule
	next int
	rng  *rand.Rand
}

func newRuleState(r Rule) *ruleState {
	seed := r.Seed
	if seed == 0 {
		seed = 1
	}
	if len(r.Kinds) == 0 {
		r.Kinds = TransientFaults
	}
	return &ruleState{Rule: r, rng: rand.New(rand.NewSource(seed))}
}

func (r *ruleState) matches(req *http.Request) bool {
	if r.Method != "" && !strings.EqualFold(r.Method, req.Method) {
		return false
	}
	if r.PathPrefix != "" && !strings.HasPrefix(req.URL.Path, r.PathPrefix) {
		return false
	}
	if r.PathContains != "" && !strings.Contains(req.URL.Path, r.PathContains) {
		return false
	}
	return true
}

// draw picks the fault for one matching request; callers hold the kit's lock.
func (r *ruleState) draw() Fault {
	if r.next < len(r.Sequence) {
		f := r.Sequence[r.next]
		r.next++
		return f
	}
	if r.Rate > 0 && r.rng.Float64() < r.Rate {
		return r.Kinds[r.rng.Intn(len(r.Kinds))]
	}
	return FaultNone
}
