package httpkit

import (
	"net/http"
	"testing"
	"time"
)

func respWith(status int, retryAfter string) *http.Response {
	h := http.Header{}
	if retryAfter != "" {
		h.Set("Retry-After", retryAfter)
	}
	return &http.Response{StatusCode: status, Header: h}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name   string
		resp   *http.Response
		want   time.Duration
		wantOK bool
	}{
		{"no response", nil, 0, false},
		{"no header", respWith(429, ""), 0, false},
		{"seconds", respWith(429, "7"), 7 * time.Second, true},
		{"seconds with spaces", respWith(503, " 3 "), 3 * time.Second, true},
		{"zero", respWith(429, "0"), 0, true},
		{"negative", respWith(429, "-5"), 0, false},
		{"huge does not overflow", respWith(429, "99999999999999999"), 24 * time.Hour, true},
		{"http date", respWith(503, now.Add(12*time.Second).Format(http.TimeFormat)), 12 * time.Second, true},
		{"http date in the past", respWith(503, now.Add(-time.Hour).Format(http.TimeFormat)), 0, true},
		{"garbage", respWith(429, "soon"), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := RetryAfter(tt.resp, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("RetryAfter = (%v, %v), want (%v, %v)", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := Policy{Now: func() time.Time { return now }} // no jitter: exact values
	lo, hi := time.Second, 30*time.Second
	tests := []struct {
		name    string
		attempt int
		resp    *http.Response
		want    time.Duration
	}{
		{"first", 0, nil, time.Second},
		{"second", 1, nil, 2 * time.Second},
		{"third", 2, respWith(503, ""), 4 * time.Second},
		{"capped", 5, nil, 30 * time.Second},
		{"huge attempt does not overflow", 200, nil, 30 * time.Second},
		{"retry-after above backoff", 0, respWith(429, "7"), 7 * time.Second},
		{"retry-after below backoff", 3, respWith(429, "2"), 8 * time.Second},
		{"retry-after on any retried status", 0, respWith(502, "5"), 5 * time.Second},
		{"retry-after capped at hi", 0, respWith(429, "120"), 30 * time.Second},
		{"retry-after http date", 0, respWith(429, now.Add(12*time.Second).Format(http.TimeFormat)), 12 * time.Second},
		{"retry-after garbage", 0, respWith(429, "soon"), time.Second},
		{"retry-after date in the past", 1, respWith(429, now.Add(-time.Hour).Format(http.TimeFormat)), 2 * time.Second},
		{"retry-after negative", 0, respWith(429, "-5"), time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Backoff(lo, hi, tt.attempt, tt.resp); got != tt.want {
				t.Errorf("Backoff = %v, want %v", got, tt.want)
			}
		})
	}
}

// Jitter adds up to 10%, never passes hi, and does vary.
func TestBackoffJitterBounds(t *testing.T) {
	p := Policy{Jitter: DefaultJitter}
	lo, hi := 100*time.Millisecond, time.Second
	for attempt := 0; attempt < 8; attempt++ {
		base := min(lo<<attempt, hi)
		varied := false
		for i := 0; i < 200; i++ {
			d := p.Backoff(lo, hi, attempt, nil)
			if d < base || d > min(base+base/10, hi) {
				t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, base, min(base+base/10, hi))
			}
			varied = varied || d != base
		}
		if base < hi && !varied {
			t.Errorf("attempt %d: jitter never applied", attempt)
		}
	}
}

func TestDefaultJitter(t *testing.T) {
	if got := DefaultJitter(0); got != 0 {
		t.Errorf("DefaultJitter(0) = %v", got)
	}
	if got := DefaultJitter(-time.Second); got != 0 {
		t.Errorf("DefaultJitter(-1s) = %v", got)
	}
	for i := 0; i < 100; i++ {
		if got := DefaultJitter(10 * time.Millisecond); got < 0 || got > 10*time.Millisecond {
			t.Fatalf("DefaultJitter(10ms) = %v", got)
		}
	}
}
