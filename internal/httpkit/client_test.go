package httpkit

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryDefaults(t *testing.T) {
	tests := []struct {
		name             string
		max              int
		min, wmax        time.Duration
		wantMax          int
		wantMin, wantWMx time.Duration
	}{
		{"zero values", 0, 0, 0, DefaultRetryMax, DefaultRetryWaitMin, DefaultRetryWaitMax},
		{"negative max disables retries", -1, 0, 0, 0, DefaultRetryWaitMin, DefaultRetryWaitMax},
		{"set values are kept", 2, time.Millisecond, 5 * time.Millisecond, 2, time.Millisecond, 5 * time.Millisecond},
		{"negative waits mean the default", 1, -time.Second, -time.Second, 1, DefaultRetryWaitMin, DefaultRetryWaitMax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, lo, hi := RetryDefaults(tt.max, tt.min, tt.wmax)
			if m != tt.wantMax || lo != tt.wantMin || hi != tt.wantWMx {
				t.Errorf("RetryDefaults = (%d, %v, %v), want (%d, %v, %v)", m, lo, hi, tt.wantMax, tt.wantMin, tt.wantWMx)
			}
		})
	}
}

func TestPolicyClient(t *testing.T) {
	hc := &http.Client{}
	p := Policy{WaitMin: time.Second, WaitMax: 3 * time.Second}
	c := p.Client(hc, 4)
	if c.HTTPClient != hc || c.RetryMax != 4 || c.RetryWaitMin != time.Second || c.RetryWaitMax != 3*time.Second ||
		c.CheckRetry == nil || c.Backoff == nil || c.Logger != nil {
		t.Fatalf("client does not follow the policy: %+v", c)
	}
	if got := c.Backoff(c.RetryWaitMin, c.RetryWaitMax, 5, nil); got != 3*time.Second {
		t.Errorf("Backoff at attempt 5 = %v, want the policy's cap 3s", got)
	}
}
