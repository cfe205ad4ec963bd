package sfapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryClass says whether repeating a request could apply it twice.
type retryClass int

const (
	// retryIdempotent requests may be repeated after any transient failure:
	// GET, HEAD, PUT, PATCH, DELETE, and minting a token (JWT, client
	// credentials), which does not consume anything.
	retryIdempotent retryClass = iota + 1
	// retryUnprocessedOnly requests (POST, the refresh-token exchange) are
	// repeated only when the response proves they were not processed: after
	// a 5xx or a lost connection the record may exist, or a rotated refresh
	// token may already have been burnt.
	retryUnprocessedOnly
)

func classForMethod(method string) retryClass {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return retryIdempotent
	}
	return retryUnprocessedOnly
}

// reqState travels in the request context, because retryablehttp's CheckRetry
// sees only the context when the connection failed (no response, no method).
type reqState struct {
	class   retryClass
	method  string
	path    string
	attempt int // 0-based, updated by the request hook before each attempt
}

type reqStateKey struct{}

func withReqState(ctx context.Context, st *reqState) context.Context {
	return context.WithValue(ctx, reqStateKey{}, st)
}

func reqStateFrom(ctx context.Context) *reqState {
	st, _ := ctx.Value(reqStateKey{}).(*reqState)
	return st
}

type retryPolicy struct {
	waitMin, waitMax time.Duration
	// jitter returns a random duration in [0, d]; nil means none (tests).
	jitter func(d time.Duration) time.Duration
	now    func() time.Time
}

func defaultJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}

func (p retryPolicy) clock() time.Time {
	if p.now != nil {
		return p.now()
	}
	return time.Now()
}

// checkRetry has the retryablehttp.CheckRetry signature.
func (p retryPolicy) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	retry, _, stop := p.decide(ctx, resp, err)
	return retry, stop
}

// decide is checkRetry plus a reason for the log. A non-nil error ends the
// request with that error (the context is done).
func (p retryPolicy) decide(ctx context.Context, resp *http.Response, err error) (retry bool, why string, stop error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, "context done", ctxErr
	}
	class, attempt := retryUnprocessedOnly, 0
	if st := reqStateFrom(ctx); st != nil {
		class, attempt = st.class, st.attempt
	} else if resp != nil && resp.Request != nil {
		class = classForMethod(resp.Request.Method)
	}

	switch {
	case err != nil:
		if permanentTransportError(err) {
			return false, "permanent transport error", nil
		}
		if class != retryIdempotent {
			return false, "connection error on a request that must not be repeated", nil
		}
		why = "connection error"
	case resp.StatusCode == http.StatusTooManyRequests:
		why = "429 Too Many Requests"
	case resp.StatusCode == http.StatusForbidden && bodyHasErrorCode(resp, "REQUEST_LIMIT_EXCEEDED"):
		why = "403 REQUEST_LIMIT_EXCEEDED"
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		if class != retryIdempotent {
			return false, "server error on a request that must not be repeated", nil
		}
		why = "HTTP " + strconv.Itoa(resp.StatusCode)
	default:
		return false, "", nil
	}

	// Waiting past the deadline only to fail with "context deadline exceeded"
	// would hide the real cause; give up now with the last response instead.
	if dl, ok := ctx.Deadline(); ok {
		if wait := p.maxBackoff(attempt, resp); dl.Sub(p.clock()) < wait {
			return false, why + "; next attempt would pass the context deadline", nil
		}
	}
	return true, why, nil
}

// backoff has the retryablehttp.Backoff signature: capped exponential from
// lo, at least the server's Retry-After (also capped), plus up to 10% jitter
// so that parallel goroutines do not retry in lockstep.
func (p retryPolicy) backoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	wait := p.baseBackoff(lo, hi, attempt, resp)
	if p.jitter != nil {
		wait += p.jitter(wait / 10)
	}
	return wait
}

func (p retryPolicy) maxBackoff(attempt int, resp *http.Response) time.Duration {
	wait := p.baseBackoff(p.waitMin, p.waitMax, attempt, resp)
	if p.jitter != nil {
		wait += wait / 10
	}
	return wait
}

func (p retryPolicy) baseBackoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	wait := lo
	for i := 0; i < attempt && wait < hi; i++ {
		wait *= 2
	}
	if ra, ok := retryAfter(resp, p.clock()); ok && ra > wait {
		wait = ra
	}
	if wait > hi {
		wait = hi
	}
	return wait
}

// retryAfter parses Retry-After as delay-seconds or an HTTP date.
func retryAfter(resp *http.Response, now time.Time) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}

// bodyHasErrorCode peeks at a REST error body and puts it back, so the
// caller can still read the whole body when no retry happens.
func bodyHasErrorCode(resp *http.Response, code string) bool {
	if resp.Body == nil || resp.Body == http.NoBody {
		return false
	}
	head, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	if err != nil {
		return false
	}
	return parseAPIError(resp.StatusCode, head, false).ErrorCode == code
}

// permanentTransportError reports failures that repeating cannot fix.
func permanentTransportError(err error) bool {
	var (
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		certErr   x509.CertificateInvalidError
		verifyErr *tls.CertificateVerificationError
	)
	if errors.As(err, &unknownCA) || errors.As(err, &hostErr) || errors.As(err, &certErr) || errors.As(err, &verifyErr) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "stopped after") && strings.Contains(msg, "redirects") ||
		strings.Contains(msg, "unsupported protocol scheme") ||
		strings.Contains(msg, "invalid header")
}
