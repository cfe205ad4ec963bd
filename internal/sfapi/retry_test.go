package sfapi

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

func fakeResp(method string, status int, body string, header map[string]string) *http.Response {
	h := http.Header{}
	for k, v := range header {
		h.Set(k, v)
	}
	req, _ := http.NewRequest(method, "https://x.my.salesforce.com/services/data/v65.0/query", nil)
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: req}
}

func stateCtx(method string, class httpkit.Class) context.Context {
	return httpkit.WithRequest(context.Background(), &httpkit.Request{Class: class, Method: method})
}

// testPolicy is the client's policy without jitter, so waits are exact.
func testPolicy(waitMin, waitMax time.Duration) httpkit.Policy {
	p := newRetryPolicy(waitMin, waitMax)
	p.Jitter = nil
	return p
}

// The client's policy: httpkit's (tested there: TestDecide, TestBackoff,
// TestDecideContext) plus REQUEST_LIMIT_EXCEEDED read from the body.
func TestCheckRetry(t *testing.T) {
	const rle = `[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`
	connErr := &url.Error{Op: "Get", URL: "https://x", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}
	certErr := &url.Error{Op: "Get", URL: "https://x", Err: x509.UnknownAuthorityError{}}
	idem, unsafe := httpkit.Idempotent, httpkit.UnprocessedOnly

	tests := []struct {
		name   string
		ctx    context.Context
		resp   *http.Response
		err    error
		want   bool
		wantEr bool
	}{
		{"GET 503", stateCtx("GET", idem), fakeResp("GET", 503, "", nil), nil, true, false},
		{"GET 500", stateCtx("GET", idem), fakeResp("GET", 500, "", nil), nil, true, false},
		{"GET 502", stateCtx("GET", idem), fakeResp("GET", 502, "", nil), nil, true, false},
		{"GET 501 is permanent", stateCtx("GET", idem), fakeResp("GET", 501, "", nil), nil, false, false},
		{"PATCH 503", stateCtx("PATCH", idem), fakeResp("PATCH", 503, "", nil), nil, true, false},
		{"DELETE 504", stateCtx("DELETE", idem), fakeResp("DELETE", 504, "", nil), nil, true, false},
		{"POST 503 never", stateCtx("POST", unsafe), fakeResp("POST", 503, "", nil), nil, false, false},
		{"POST 500 never", stateCtx("POST", unsafe), fakeResp("POST", 500, "", nil), nil, false, false},
		{"POST 429", stateCtx("POST", unsafe), fakeResp("POST", 429, "", map[string]string{"Retry-After": "1"}), nil, true, false},
		{"GET 429", stateCtx("GET", idem), fakeResp("GET", 429, "", nil), nil, true, false},
		{"POST 403 REQUEST_LIMIT_EXCEEDED", stateCtx("POST", unsafe), fakeResp("POST", 403, rle, nil), nil, true, false},
		{"GET 403 REQUEST_LIMIT_EXCEEDED", stateCtx("GET", idem), fakeResp("GET", 403, rle, nil), nil, true, false},
		{"GET 403 other", stateCtx("GET", idem), fakeResp("GET", 403, `[{"message":"no","errorCode":"INSUFFICIENT_ACCESS"}]`, nil), nil, false, false},
		{"GET 403 html", stateCtx("GET", idem), fakeResp("GET", 403, `<html>REQUEST_LIMIT_EXCEEDED</html>`, nil), nil, false, false},
		{"GET 400", stateCtx("GET", idem), fakeResp("GET", 400, `[{"errorCode":"MALFORMED_QUERY"}]`, nil), nil, false, false},
		{"GET 401", stateCtx("GET", idem), fakeResp("GET", 401, `[{"errorCode":"INVALID_SESSION_ID"}]`, nil), nil, false, false},
		{"GET 404", stateCtx("GET", idem), fakeResp("GET", 404, "", nil), nil, false, false},
		{"GET 200", stateCtx("GET", idem), fakeResp("GET", 200, "{}", nil), nil, false, false},
		{"GET connection error", stateCtx("GET", idem), nil, connErr, true, false},
		{"PUT connection error", stateCtx("PUT", idem), nil, connErr, true, false},
		{"POST connection error never", stateCtx("POST", unsafe), nil, connErr, false, false},
		{"GET cert error is permanent", stateCtx("GET", idem), nil, certErr, false, false},
		{"token mint POST 503 (idempotent class)", stateCtx("POST", idem), fakeResp("POST", 503, "", nil), nil, true, false},
		{"refresh exchange 503 (unsafe class)", stateCtx("POST", unsafe), fakeResp("POST", 503, "", nil), nil, false, false},
		{"no state: method from response", context.Background(), fakeResp("POST", 503, "", nil), nil, false, false},
		{"no state: GET from response", context.Background(), fakeResp("GET", 503, "", nil), nil, true, false},
		{"no state: connection error is not repeated", context.Background(), nil, connErr, false, false},
	}
	p := testPolicy(time.Millisecond, 10*time.Millisecond)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.CheckRetry(tt.ctx, tt.resp, tt.err)
			if got != tt.want || (err != nil) != tt.wantEr {
				t.Fatalf("checkRetry = (%v, %v), want (%v, err=%v)", got, err, tt.want, tt.wantEr)
			}
		})
	}
}

func TestCheckRetryRestoresBody(t *testing.T) {
	const body = `[{"message":"nope","errorCode":"INSUFFICIENT_ACCESS"}]`
	resp := fakeResp("GET", 403, body, nil)
	p := testPolicy(time.Millisecond, time.Millisecond)
	if got, _ := p.CheckRetry(stateCtx("GET", httpkit.Idempotent), resp, nil); got {
		t.Fatal("retried a plain 403")
	}
	b, _ := io.ReadAll(resp.Body)
	if string(b) != body {
		t.Fatalf("body after peek = %q, want %q", b, body)
	}
}

func TestParseLimitInfo(t *testing.T) {
	tests := []struct {
		in        string
		used, max int
		ok        bool
	}{
		{"api-usage=18/5000", 18, 5000, true},
		{"api-usage=18/5000, per-app-api-usage=17/250(appName=sample-app)", 18, 5000, true},
		{"per-app-api-usage=17/250(appName=x), api-usage=25/15000", 25, 15000, true},
		{"api-usage = 3 / 100", 3, 100, true},
		{"", 0, 0, false},
		{"api-usage=abc/100", 0, 0, false},
		{"api-usage=18", 0, 0, false},
		{"per-app-api-usage=17/250", 0, 0, false},
	}
	for _, tt := range tests {
		used, limit, ok := parseLimitInfo(tt.in)
		if used != tt.used || limit != tt.max || ok != tt.ok {
			t.Errorf("parseLimitInfo(%q) = (%d, %d, %v), want (%d, %d, %v)", tt.in, used, limit, ok, tt.used, tt.max, tt.ok)
		}
	}
}
