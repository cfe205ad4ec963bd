package npfake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

type response struct {
	status int
	header http.Header
	body   []byte
}

// doc decodes the body as a generic JSON document.
func (r response) doc(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not JSON (%v): %s", err, r.body)
	}
	return m
}

// call sends a request with the fake's key unless key says otherwise
// ("-" means no key header at all).
func call(t *testing.T, s *Server, method, path, key, body string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	switch key {
	case "":
		req.Header.Set("X-Api-Key", s.APIKey())
	case "-":
	default:
		req.Header.Set("X-Api-Key", key)
	}
	req.Header.Set("Accept", "application/json")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func mustStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %s", r.status, want, r.body)
	}
}

// path walks a decoded JSON value: strings index objects, ints index arrays.
func path(t *testing.T, v any, keys ...any) any {
	t.Helper()
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %q: %v is not an object", k, v)
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("at [%d]: %v is not a long enough array", k, v)
			}
			v = a[k]
		}
	}
	return v
}

func str(t *testing.T, v any, keys ...any) string {
	t.Helper()
	s, _ := path(t, v, keys...).(string)
	return s
}

// firstError returns errors[0] of a JSON:API error document.
func firstError(t *testing.T, r response) map[string]any {
	t.Helper()
	e, ok := path(t, r.doc(t), "errors", 0).(map[string]any)
	if !ok {
		t.Fatalf("no errors[0] in %s", r.body)
	}
	return e
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func patchDoc(t *testing.T, attrs map[string]any) string {
	return jsonBody(t, map[string]any{"data": map[string]any{"type": "salesforce_integrations", "attributes": attrs}})
}

func newFake(t *testing.T) *Server {
	t.Helper()
	return NewTestServer(t, Options{RateLimit: RateLimitOff})
}
