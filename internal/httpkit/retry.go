package httpkit

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Policy decides whether a failed attempt is repeated and how long to wait
// first. Its CheckRetry and Backoff have retryablehttp's signatures; a
// client wraps CheckRetry to log its decisions in its own words.
type Policy struct {
	// WaitMin is the first wait; it doubles per attempt up to WaitMax, which
	// caps every wait, the server's Retry-After included (see Backoff).
	WaitMin, WaitMax time.Duration
	// Jitter returns a random duration in [0, d]; nil adds none (tests).
	Jitter func(d time.Duration) time.Duration
	// Now is the clock for Retry-After dates and deadlines; nil: time.Now.
	Now func() time.Time
	// Refused, if set, recognises an answer other than 429 that proves the
	// request was not processed, so that any method may repeat it (for
	// Salesforce: 403 REQUEST_LIMIT_EXCEEDED). It returns the reason for the
	// log, or "". If it reads the body it must put it back.
	Refused func(resp *http.Response) string
}

func (p Policy) clock() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// CheckRetry has the retryablehttp.CheckRetry signature. A non-nil error
// ends the request with that error (the context is done).
func (p Policy) CheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	retry, _, stop := p.Decide(ctx, resp, err)
	return retry, stop
}

// Decide is CheckRetry plus the reason, for the client's log ("" when
// nothing went wrong).
//
// A 429 (or a Refused answer) means the server did not process the request,
// so every method may repeat it. A 5xx other than 501, or a broken
// connection, may come after the server acted: only Idempotent requests
// repeat those, and a POST never does (see OutcomeUnknown and SendWrite).
func (p Policy) Decide(ctx context.Context, resp *http.Response, err error) (retry bool, why string, stop error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, "context done", ctxErr
	}
	class, attempt := UnprocessedOnly, 0
	req := RequestFrom(ctx)
	if req != nil {
		class, attempt = req.Class, req.Attempt()
	} else if resp != nil && resp.Request != nil {
		class = ClassForMethod(resp.Request.Method)
	}

	refused := ""
	if err == nil && resp != nil && resp.StatusCode != http.StatusTooManyRequests && p.Refused != nil {
		refused = p.Refused(resp)
	}
	switch {
	case err != nil:
		if IsPermanent(err) {
			return false, "permanent transport error", nil
		}
		if class != Idempotent {
			return false, "connection error on a request that must not be repeated", nil
		}
		why = "connection error"
	case resp == nil:
		return false, "", nil
	case resp.StatusCode == http.StatusTooManyRequests:
		why = "429 Too Many Requests"
	case refused != "":
		why = refused
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		if class != Idempotent {
			return false, "server error on a request that must not be repeated", nil
		}
		why = "HTTP " + strconv.Itoa(resp.StatusCode)
	default:
		return false, "", nil
	}

	// Sleeping toward a deadline the next attempt cannot meet only turns
	// the real cause into "context deadline exceeded"; give up now with the
	// last answer instead (the client reports it through Request.Final).
	if dl, ok := ctx.Deadline(); ok {
		if wait := p.maxBackoff(attempt, resp); dl.Sub(p.clock()) < wait {
			if req != nil {
				req.deadlineStop.Store(true)
			}
			return false, why + "; next attempt would pass the context deadline", nil
		}
	}
	return true, why, nil
}

// StoppedByDeadline reports whether the policy gave up on r because the
// next attempt would have come after the context's deadline.
func (r *Request) StoppedByDeadline() bool { return r != nil && r.deadlineStop.Load() }

// Final is the error to report for the request's last answer: err itself,
// or, when the policy stopped retrying because of the deadline
// (StoppedByDeadline), err wrapped so that the message keeps the real cause
// and errors.Is(err, context.DeadlineExceeded) holds, since the deadline is
// what ended the request.
func (r *Request) Final(err error) error {
	if err == nil || !r.StoppedByDeadline() {
		return err
	}
	return fmt.Errorf("%w (not retried: the next attempt would come after the deadline: %w)", err, context.DeadlineExceeded)
}
