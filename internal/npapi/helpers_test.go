package npapi

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
)

// fastConfig keeps tests quick: no client-side pacing, millisecond backoff.
func fastConfig(baseURL, key string) Config {
	return Config{BaseURL: baseURL, APIKey: key, RequestsPerSecond: 1e6,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond}
}

// newFakeAndClient starts a fake without its rate limit and a client for it.
func newFakeAndClient(t *testing.T, mod ...func(*Config)) (*npfake.Server, *Client) {
	t.Helper()
	fake := npfake.NewTestServer(t, npfake.Options{RateLimit: npfake.RateLimitOff})
	cfg := fastConfig(fake.URL(), fake.APIKey())
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { checkRoutesListed(t, fake) })
	return fake, c
}

// checkRoutesListed fails a test whose client called a route Routes does
// not list, so every test of the package guards the documented list.
func checkRoutesListed(t *testing.T, fake *npfake.Server) {
	t.Helper()
	listed := map[string]bool{}
	for _, r := range routeStrings() {
		listed[r] = true
	}
	for _, r := range calledRoutes(fake) {
		if !listed[r] {
			t.Errorf("the client called %s, which Routes() does not list (nor, then, the provider's docs)", r)
		}
	}
}

type logLine struct {
	ctx    context.Context
	level  string
	msg    string
	fields map[string]any
}

// recordingLogger keeps every line for assertions.
type recordingLogger struct {
	mu    sync.Mutex
	lines []logLine
}

func (l *recordingLogger) Log(ctx context.Context, level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, logLine{ctx, level, msg, fields})
}

func (l *recordingLogger) all() []logLine {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logLine(nil), l.lines...)
}

func (l *recordingLogger) text() string {
	var s string
	for _, line := range l.all() {
		s += fmt.Sprintf("%s %s %v\n", line.level, line.msg, line.fields)
	}
	return s
}

func ptr[T any](v T) *T { return &v }
