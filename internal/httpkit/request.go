package httpkit

import (
	"context"
	"net/http"
	"sync/atomic"
)

// Class says whether repeating a request could apply it twice.
type Class int

const (
	// Idempotent requests may be repeated after any transient failure: GET,
	// HEAD, OPTIONS, PUT, PATCH, DELETE, and POSTs a client knows to consume
	// nothing (minting an OAuth token).
	Idempotent Class = iota + 1
	// UnprocessedOnly requests (other POSTs) are repeated only when the
	// answer proves they were not processed (429, or a client's own proof
	// such as Salesforce's REQUEST_LIMIT_EXCEEDED): after a 5xx or a lost
	// connection the object may exist.
	UnprocessedOnly
)

// ClassForMethod is the class of a request of that method.
func ClassForMethod(method string) Class {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return Idempotent
	}
	return UnprocessedOnly
}

// Request describes one logical request across its attempts. It travels in
// the request's context because retryablehttp's CheckRetry sees only the
// context when the connection failed (no response, no request), and its
// response hook gets no attempt number.
type Request struct {
	Class  Class
	Method string
	Path   string // for logs; never the query (it may hold an email address)

	attempt atomic.Int32 // 0-based
	// deadlineStop is set when the policy gave up because the next attempt
	// would come after the context's deadline.
	deadlineStop atomic.Bool
}

// NewRequest describes a request of the method's class.
func NewRequest(method, path string) *Request {
	return &Request{Class: ClassForMethod(method), Method: method, Path: path}
}

// Attempt is the 0-based number of the attempt under way.
func (r *Request) Attempt() int { return int(r.attempt.Load()) }

// SetAttempt records the attempt under way (from retryablehttp's request
// hook, which is told the 0-based number).
func (r *Request) SetAttempt(n int) { r.attempt.Store(int32(n)) }

type requestKey struct{}

// WithRequest puts r in ctx.
func WithRequest(ctx context.Context, r *Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the Request in ctx, or nil.
func RequestFrom(ctx context.Context) *Request {
	r, _ := ctx.Value(requestKey{}).(*Request)
	return r
}
