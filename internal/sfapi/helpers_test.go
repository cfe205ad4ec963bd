package sfapi

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// seen is one request as the test server received it.
type seen struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   string
	Form   url.Values // token endpoint only
}

type recorder struct {
	mu   sync.Mutex
	reqs []seen
}

func (r *recorder) add(s seen) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, s)
}

func (r *recorder) all() []seen {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seen(nil), r.reqs...)
}

// count returns how many requests matched method and path.
func (r *recorder) count(method, path string) int {
	n := 0
	for _, s := range r.all() {
		if s.Method == method && s.Path == path {
			n++
		}
	}
	return n
}

// newServer starts an httptest server that records every request (body
// included) before handing it to h.
func newServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, s seen)) (*httptest.Server, *recorder) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s := seen{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: string(body)}
		if r.URL.Path == tokenPath {
			s.Form, _ = url.ParseQuery(string(body))
		}
		rec.add(s)
		h(w, r, s)
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeRaw(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// tokenResponse is what Salesforce returns: no expires_in, no refresh_token.
func tokenResponse(instance, access string) map[string]any {
	return map[string]any{
		"access_token": access,
		"instance_url": instance,
		"id":           instance + "/id/00Dxx0000001gEREAY/005xx000001Sv6AAAS",
		"token_type":   "Bearer",
		"scope":        "api",
	}
}

// fastConfig keeps retries quick so the suite stays fast.
func fastConfig(c Config) Config {
	c.RetryWaitMin = time.Millisecond
	c.RetryWaitMax = 4 * time.Millisecond
	if c.APIVersion == "" {
		c.APIVersion = "65.0"
	}
	if c.UserAgent == "" {
		c.UserAgent = "sfapi-test/1.0"
	}
	return c
}

func mustNew(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(fastConfig(cfg))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// logEntry / testLogger capture what the client logs.
type logEntry struct {
	Level  string
	Msg    string
	Fields map[string]any
}

type testLogger struct {
	mu      sync.Mutex
	entries []logEntry
}

func (l *testLogger) Log(_ context.Context, level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, logEntry{level, msg, fields})
}

func (l *testLogger) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, e := range l.entries {
		fmt.Fprintf(&b, "%s %s %v\n", e.Level, e.Msg, e.Fields)
	}
	return b.String()
}

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

func rsaKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey
}

func pkcs8PEM(t *testing.T) string {
	der, err := x509.MarshalPKCS8PrivateKey(rsaKey(t))
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func pkcs1PEM(t *testing.T) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey(t))}))
}

// org is a tiny scripted Salesforce: a token endpoint that hands out
// "tok-1", "tok-2", … and routes keyed "METHOD /path".
type org struct {
	*httptest.Server
	rec    *recorder
	mu     sync.Mutex
	tokens int
	routes map[string]func(w http.ResponseWriter, r *http.Request, s seen)
}

func newOrg(t *testing.T) *org {
	t.Helper()
	o := &org{routes: map[string]func(http.ResponseWriter, *http.Request, seen){}}
	o.Server, o.rec = newServer(t, func(w http.ResponseWriter, r *http.Request, s seen) {
		o.mu.Lock()
		h, ok := o.routes[r.Method+" "+r.URL.Path]
		o.mu.Unlock()
		switch {
		case ok:
			h(w, r, s)
		case r.Method == http.MethodPost && r.URL.Path == tokenPath:
			writeJSON(w, 200, tokenResponse(o.URL, o.nextToken()))
		default:
			writeRaw(w, 404, `[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]`)
		}
	})
	return o
}

func (o *org) nextToken() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.tokens++
	return fmt.Sprintf("tok-%d", o.tokens)
}

func (o *org) handle(key string, h func(w http.ResponseWriter, r *http.Request, s seen)) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.routes[key] = h
}

// jwtConfig authenticates against o with JWT bearer, learning the instance
// from the token response.
func (o *org) jwtConfig(t *testing.T) Config {
	return Config{LoginURL: o.URL, ClientID: "3MVG9-consumer-key", Username: "integration@example.com", PrivateKeyPEM: pkcs8PEM(t)}
}

func bearer(s seen) string { return strings.TrimPrefix(s.Header.Get("Authorization"), "Bearer ") }
