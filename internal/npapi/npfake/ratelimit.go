package npfake

import (
	"sync"
	"time"
)

// windowLimiter admits at most limit requests in any one-second window (a
// sliding log of admitted requests). Rejected requests are not counted, so
// the fake never serves more than limit per second and a client that backs
// off gets through.
type windowLimiter struct {
	mu    sync.Mutex
	limit int
	times []time.Time
}

func (l *windowLimiter) allow(t time.Time) bool {
	if l.limit <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	cutoff := t.Add(-time.Second)
	keep := 0
	for keep < len(l.times) && !l.times[keep].After(cutoff) {
		keep++
	}
	l.times = l.times[keep:]
	if len(l.times) >= l.limit {
		return false
	}
	l.times = append(l.times, t)
	return true
}
