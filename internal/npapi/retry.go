package npapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// maxRetryAfter bounds a server's Retry-After: a broken header must not park
// a Terraform run for hours (ctx bounds it too).
const maxRetryAfter = 10 * time.Minute

// reqInfo travels in the request's context: CheckRetry gets no request when
// the connection failed, and the response hook gets no attempt number.
type reqInfo struct {
	method  string
	path    string
	attempt atomic.Int32
}

type reqInfoKey struct{}

func withReqInfo(ctx context.Context, method, path string) context.Context {
	return context.WithValue(ctx, reqInfoKey{}, &reqInfo{method: method, path: path})
}

func reqInfoFrom(ctx context.Context) *reqInfo {
	if info, ok := ctx.Value(reqInfoKey{}).(*reqInfo); ok {
		return info
	}
	return &reqInfo{}
}

// checkRetry is retryablehttp's CheckRetry. It returns an error only for
// failures without a response, so keepLastResponse can tell them apart.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	info := reqInfoFrom(ctx)
	retry, reason := shouldRetry(info.method, resp, err)
	if retry {
		c.logger.Log(ctx, "debug", "CE API request will be retried", map[string]any{
			"method": info.method, "path": info.path, "attempt": int(info.attempt.Load()), "reason": reason,
		})
		return true, nil
	}
	if err != nil && !isPermanent(err) && !idempotent(info.method) {
		return false, fmt.Errorf("%w (not retried: CE may already have processed this %s)", err, info.method)
	}
	return false, err
}

// shouldRetry is the retry policy. A 429 means CE did not process the
// request, so every method may repeat it. A 5xx or a broken connection may
// come after CE acted: only idempotent methods repeat those, and POST (which
// creates an authorization) never does.
func shouldRetry(method string, resp *http.Response, err error) (bool, string) {
	if err != nil {
		if isPermanent(err) {
			return false, ""
		}
		if !idempotent(method) {
			return false, ""
		}
		return true, "connection error: " + err.Error()
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return true, "status 429"
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented && idempotent(method):
		return true, "status " + strconv.Itoa(resp.StatusCode)
	}
	return false, ""
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

func isPermanent(err error) bool {
	var p *permanentError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verification *tls.CertificateVerificationError
	return errors.As(err, &p) || errors.As(err, &unknownAuthority) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &verification)
}

// backoff honours Retry-After on 429/503; otherwise it doubles from min,
// capped at max, with up to 25% jitter so parallel Terraform operations do
// not retry in lockstep.
func backoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return d
		}
	}
	d := lo
	for i := 0; i < attempt && d < hi; i++ {
		d *= 2
	}
	if d > hi || d <= 0 {
		d = hi
	}
	d += time.Duration(rand.Int64N(int64(d)/4 + 1))
	return min(d, hi)
}

// parseRetryAfter reads delta-seconds or an HTTP date.
func parseRetryAfter(h string, now time.Time) (time.Duration, bool) {
	if h == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = max(t.Sub(now), 0)
	} else {
		return 0, false
	}
	return min(d, maxRetryAfter), true
}

// keepLastResponse is retryablehttp's ErrorHandler. When retries run out on
// a response (a final 429 or 503), it hands the response back so its errors[]
// becomes an *APIError; without a response it reports the attempts made.
func keepLastResponse(resp *http.Response, err error, attempts int) (*http.Response, error) {
	if resp != nil && err == nil {
		return resp, nil
	}
	if resp != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		_ = resp.Body.Close()
	}
	if err == nil {
		err = errors.New("request failed")
	}
	return nil, fmt.Errorf("giving up after %d attempt(s): %w", attempts, err)
}
