package httpkit

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPollerBackoff(t *testing.T) {
	tests := []struct {
		name   string
		policy PollPolicy
		want   []time.Duration
	}{
		{"doubles to the cap", PollPolicy{Initial: time.Second, Max: 5 * time.Second},
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}},
		{"defaults: 2s to 30s", PollPolicy{},
			[]time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}},
		{"a cap below the start is raised to it", PollPolicy{Initial: 3 * time.Second, Max: time.Second},
			[]time.Duration{3 * time.Second, 3 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []time.Duration
			p := tt.policy
			p.Sleep = func(_ context.Context, d time.Duration) error { got = append(got, d); return nil }
			w := p.Start()
			for range tt.want {
				if err := w.Wait(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("waits %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("waits %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestPollerStopsWithSleep(t *testing.T) {
	stop := errors.New("context done")
	p := PollPolicy{Sleep: func(context.Context, time.Duration) error { return stop }}
	var seen []string
	p.Progress = func(attempt int, status string) { seen = append(seen, status) }
	w := p.Start()
	w.Report(1, "IN_PROGRESS")
	if err := w.Wait(context.Background()); !errors.Is(err, stop) {
		t.Fatalf("Wait = %v, want the sleep's error", err)
	}
	if len(seen) != 1 || seen[0] != "IN_PROGRESS" {
		t.Fatalf("Progress saw %v", seen)
	}
}

func TestSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep = %v, want context.Canceled", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("Sleep took %v after cancel", took)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	if err := Sleep(ctx2, time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Sleep = %v, want context.DeadlineExceeded", err)
	}
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatalf("Sleep = %v, want nil after the wait", err)
	}
}
