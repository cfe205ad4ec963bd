package httpkit

import (
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// The retry defaults both clients use: five retries, 1 s doubling to 30 s.
const (
	DefaultRetryMax     = 5
	DefaultRetryWaitMin = 1 * time.Second
	DefaultRetryWaitMax = 30 * time.Second
)

// RetryDefaults fills in a client's zero retry settings: retryMax 0 means
// DefaultRetryMax and a negative one none; a wait ≤ 0 means its default.
// Whether waitMax < waitMin is an error is the client's call.
func RetryDefaults(retryMax int, waitMin, waitMax time.Duration) (int, time.Duration, time.Duration) {
	switch {
	case retryMax == 0:
		retryMax = DefaultRetryMax
	case retryMax < 0:
		retryMax = 0
	}
	if waitMin <= 0 {
		waitMin = DefaultRetryWaitMin
	}
	if waitMax <= 0 {
		waitMax = DefaultRetryWaitMax
	}
	return retryMax, waitMin, waitMax
}

// Client is a retryablehttp client that follows p: its waits, CheckRetry
// and Backoff. It logs nothing by itself (Logger nil); the client sets its
// hooks (logging through its own Logger, with the request's context), may
// wrap CheckRetry to log decisions, and picks its ErrorHandler.
func (p Policy) Client(hc *http.Client, retryMax int) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   hc,
		Logger:       nil,
		RetryWaitMin: p.WaitMin,
		RetryWaitMax: p.WaitMax,
		RetryMax:     retryMax,
		CheckRetry:   p.CheckRetry,
		Backoff:      p.Backoff,
	}
}
