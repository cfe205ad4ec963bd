package httpkit

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func reqCtx(method string) context.Context {
	return WithRequest(context.Background(), NewRequest(method, "/x"))
}

func TestDecide(t *testing.T) {
	connErr := &url.Error{Op: "Get", URL: "https://x", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}
	certErr := &url.Error{Op: "Get", URL: "https://x", Err: x509.UnknownAuthorityError{}}
	withMethod := func(method string, status int) *http.Response {
		r, _ := http.NewRequest(method, "https://x", nil)
		return &http.Response{StatusCode: status, Header: http.Header{}, Request: r}
	}
	// refused stands for a client's proof that a request was not processed
	// (Salesforce's 403 REQUEST_LIMIT_EXCEEDED).
	refused := func(resp *http.Response) string {
		if resp.StatusCode == 403 && resp.Header.Get("X-Limit") != "" {
			return "limit"
		}
		return ""
	}
	limited := respWith(403, "")
	limited.Header.Set("X-Limit", "1")
	tests := []struct {
		name string
		ctx  context.Context
		resp *http.Response
		err  error
		want bool
	}{
		{"GET 503", reqCtx("GET"), respWith(503, ""), nil, true},
		{"GET 500", reqCtx("GET"), respWith(500, ""), nil, true},
		{"GET 501 is permanent", reqCtx("GET"), respWith(501, ""), nil, false},
		{"PUT 504", reqCtx("PUT"), respWith(504, ""), nil, true},
		{"PATCH 502", reqCtx("PATCH"), respWith(502, ""), nil, true},
		{"DELETE 503", reqCtx("DELETE"), respWith(503, ""), nil, true},
		{"POST 503 never", reqCtx("POST"), respWith(503, ""), nil, false},
		{"POST 500 never", reqCtx("POST"), respWith(500, ""), nil, false},
		{"POST 429", reqCtx("POST"), respWith(429, "1"), nil, true},
		{"GET 429", reqCtx("GET"), respWith(429, ""), nil, true},
		{"POST refused by the client's rule", reqCtx("POST"), limited, nil, true},
		{"GET 403 otherwise", reqCtx("GET"), respWith(403, ""), nil, false},
		{"GET 400", reqCtx("GET"), respWith(400, ""), nil, false},
		{"GET 401", reqCtx("GET"), respWith(401, ""), nil, false},
		{"PATCH 409", reqCtx("PATCH"), respWith(409, ""), nil, false},
		{"GET 404", reqCtx("GET"), respWith(404, ""), nil, false},
		{"GET 200", reqCtx("GET"), respWith(200, ""), nil, false},
		{"GET connection error", reqCtx("GET"), nil, connErr, true},
		{"DELETE connection error", reqCtx("DELETE"), nil, connErr, true},
		{"POST connection error never (the answer was lost)", reqCtx("POST"), nil, connErr, false},
		{"GET certificate error is permanent", reqCtx("GET"), nil, certErr, false},
		{"GET marked permanent", reqCtx("GET"), nil, Permanent(connErr), false},
		{"idempotent POST (token mint) 503", WithRequest(context.Background(), &Request{Class: Idempotent, Method: "POST"}), respWith(503, ""), nil, true},
		{"no request: class from the response's method", context.Background(), withMethod("POST", 503), nil, false},
		{"no request: GET from the response", context.Background(), withMethod("GET", 503), nil, true},
		{"no request: a connection error is not repeated", context.Background(), nil, connErr, false},
	}
	p := Policy{WaitMin: time.Millisecond, WaitMax: 10 * time.Millisecond, Refused: refused}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why, stop := p.Decide(tt.ctx, tt.resp, tt.err)
			if got != tt.want || stop != nil {
				t.Fatalf("Decide = (%v, %q, %v), want (%v, _, nil)", got, why, stop, tt.want)
			}
			if got && why == "" {
				t.Error("a retry without a reason for the log")
			}
		})
	}
}

func TestDecideContext(t *testing.T) {
	p := Policy{WaitMin: time.Second, WaitMax: 30 * time.Second}

	ctx, cancel := context.WithCancel(reqCtx("GET"))
	cancel()
	if got, err := p.CheckRetry(ctx, respWith(503, ""), nil); got || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ctx: (%v, %v), want (false, context.Canceled)", got, err)
	}

	// The next wait (1s) would outlive the deadline: give up now with the
	// answer instead of sleeping into "context deadline exceeded".
	req := NewRequest("GET", "/x")
	ctx, cancel2 := context.WithTimeout(WithRequest(context.Background(), req), 200*time.Millisecond)
	defer cancel2()
	if got, err := p.CheckRetry(ctx, respWith(503, ""), nil); got || err != nil {
		t.Errorf("short deadline: (%v, %v), want (false, nil)", got, err)
	}
	if !req.StoppedByDeadline() {
		t.Error("StoppedByDeadline = false after giving up for the deadline")
	}
	cause := fmt.Errorf("GET /x: HTTP 503")
	final := req.Final(cause)
	if !errors.Is(final, context.DeadlineExceeded) || !errors.Is(final, cause) {
		t.Errorf("Final = %v: want both the cause and context.DeadlineExceeded", final)
	}

	req3 := NewRequest("GET", "/x")
	ctx, cancel3 := context.WithTimeout(WithRequest(context.Background(), req3), time.Minute)
	defer cancel3()
	if got, err := p.CheckRetry(ctx, respWith(503, ""), nil); !got || err != nil {
		t.Errorf("long deadline: (%v, %v), want (true, nil)", got, err)
	}
	if req3.StoppedByDeadline() || req3.Final(cause) != cause {
		t.Error("a request retried in time reports a deadline stop")
	}
	// Later attempts wait longer, up to the 30s cap.
	req3.SetAttempt(10)
	if got, _ := p.CheckRetry(ctx, respWith(503, ""), nil); !got {
		t.Error("attempt 10 with 1 min left: capped wait 30s fits, want retry")
	}
	req4 := NewRequest("GET", "/x")
	req4.SetAttempt(10)
	ctx4, cancel4 := context.WithTimeout(WithRequest(context.Background(), req4), 20*time.Second)
	defer cancel4()
	if got, _ := p.CheckRetry(ctx4, respWith(503, ""), nil); got {
		t.Error("attempt 10 with 20s left: 30s wait does not fit, want no retry")
	}
	// A Retry-After longer than the time left is not waited for either.
	ctx5, cancel5 := context.WithTimeout(reqCtx("GET"), 5*time.Second)
	defer cancel5()
	if got, _ := p.CheckRetry(ctx5, respWith(429, "10"), nil); got {
		t.Error("Retry-After 10s with 5s left: want no retry")
	}
}

func TestClassForMethod(t *testing.T) {
	for method, want := range map[string]Class{
		"GET": Idempotent, "HEAD": Idempotent, "OPTIONS": Idempotent, "PUT": Idempotent,
		"PATCH": Idempotent, "DELETE": Idempotent, "POST": UnprocessedOnly, "CONNECT": UnprocessedOnly,
	} {
		if got := ClassForMethod(method); got != want {
			t.Errorf("ClassForMethod(%s) = %v, want %v", method, got, want)
		}
	}
}

func TestIsPermanent(t *testing.T) {
	for name, c := range map[string]struct {
		err  error
		want bool
	}{
		"nil":                {nil, false},
		"marked":             {fmt.Errorf("x: %w", Permanent(errors.New("redirect refused"))), true},
		"unknown authority":  {&url.Error{Err: x509.UnknownAuthorityError{}}, true},
		"hostname":           {x509.HostnameError{Host: "x"}, true},
		"too many redirects": {errors.New(`Get "https://x": stopped after 10 redirects`), true},
		"unsupported scheme": {errors.New(`unsupported protocol scheme "ftp"`), true},
		"invalid header":     {errors.New(`net/http: invalid header field value for "X"`), true},
		"connection reset":   {&net.OpError{Op: "read", Err: errors.New("connection reset by peer")}, false},
		"plain error":        {errors.New("EOF"), false},
		"context cancelled":  {context.Canceled, false},
	} {
		if got := IsPermanent(c.err); got != c.want {
			t.Errorf("%s: IsPermanent(%v) = %v, want %v", name, c.err, got, c.want)
		}
	}
}
