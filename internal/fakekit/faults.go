// Package fakekit holds what both in-memory API fakes (sffake, npfake) need
// around their handlers: a request log, per-endpoint counters, fault injection
// and latency. It knows nothing of either API's wire format: each fake renders
// its own error bodies, so a fault looks exactly like the real service's.
package fakekit

import (
	"encoding/binary"
	"hash/fnv"
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
	// FaultBadRequest refuses the request as invalid (Salesforce's 400,
	// CE's 422): the failure no retry can fix. Not in TransientFaults; tests
	// aim it at one request to fail an apply in the middle.
	FaultBadRequest Fault = "bad_request"
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
	// BodyContains matches anywhere in the request body (writes only, and
	// only when the kit keeps bodies); empty matches any.
	BodyContains string `json:"body_contains,omitempty"`
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
	// Processed makes the fake carry a request out before a 503 or a
	// connection reset loses its answer, as when a response is lost on the
	// way back: the client cannot tell whether its write happened. Other
	// kinds (429, request limit, expired session) are refusals, never
	// processed.
	Processed bool `json:"processed,omitempty"`
	// Stable draws each request's fault from the seed, the request itself
	// (method, path, query) and how often that same request came before,
	// instead of from one sequence in arrival order. Parallel clients then
	// meet the same faults on every run, whatever order their requests
	// arrive in: a failing seed stays failing.
	Stable bool `json:"stable,omitempty"`
}

type ruleState struct {
	Rule
	next int
	rng  *rand.Rand
	seen map[string]uint64 // Stable: occurrences per request
}

func newRuleState(r Rule) *ruleState {
	seed := r.Seed
	if seed == 0 {
		seed = 1
	}
	if len(r.Kinds) == 0 {
		r.Kinds = TransientFaults
	}
	r.Seed = seed
	return &ruleState{Rule: r, rng: rand.New(rand.NewSource(seed)), seen: map[string]uint64{}}
}

func (r *ruleState) matches(req *http.Request, body string) bool {
	if r.Method != "" && !strings.EqualFold(r.Method, req.Method) {
		return false
	}
	if r.PathPrefix != "" && !strings.HasPrefix(req.URL.Path, r.PathPrefix) {
		return false
	}
	if r.PathContains != "" && !strings.Contains(req.URL.Path, r.PathContains) {
		return false
	}
	if r.BodyContains != "" && !strings.Contains(body, r.BodyContains) {
		return false
	}
	return true
}

// draw picks the fault for one matching request; callers hold the kit's lock.
func (r *ruleState) draw(req *http.Request) Fault {
	if r.next < len(r.Sequence) {
		f := r.Sequence[r.next]
		r.next++
		return f
	}
	if r.Rate <= 0 {
		return FaultNone
	}
	if r.Stable {
		key := req.Method + " " + req.URL.Path + "?" + req.URL.RawQuery
		n := r.seen[key]
		r.seen[key] = n + 1
		h := fnv.New64a()
		_ = binary.Write(h, binary.LittleEndian, r.Seed)
		_ = binary.Write(h, binary.LittleEndian, n)
		_, _ = h.Write([]byte(key))
		rng := rand.New(rand.NewSource(int64(h.Sum64())))
		if rng.Float64() < r.Rate {
			return r.Kinds[rng.Intn(len(r.Kinds))]
		}
		return FaultNone
	}
	if r.rng.Float64() < r.Rate {
		return r.Kinds[r.rng.Intn(len(r.Kinds))]
	}
	return FaultNone
}
