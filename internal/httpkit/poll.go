package httpkit

import (
	"context"
	"time"
)

// PollPolicy says how to wait for something that takes minutes: a package
// install, a person approving an authorization link.
type PollPolicy struct {
	Initial time.Duration // first wait; default 2s (what `sf package install --wait` uses)
	Max     time.Duration // cap of the doubling waits; default 30s
	// Sleep waits d or until ctx is done; default Sleep. Tests inject one
	// that records the waits, or moves a fake's clock, instead of sleeping.
	Sleep func(ctx context.Context, d time.Duration) error
	// Progress, if set, is told of every poll and the status seen; the
	// caller of Poller decides when to call it (Report).
	Progress func(attempt int, status string)
}

// WithDefaults fills in the zero fields.
func (p PollPolicy) WithDefaults() PollPolicy {
	if p.Initial <= 0 {
		p.Initial = 2 * time.Second
	}
	if p.Max <= 0 {
		p.Max = 30 * time.Second
	}
	if p.Max < p.Initial {
		p.Max = p.Initial
	}
	if p.Sleep == nil {
		p.Sleep = Sleep
	}
	return p
}

// Poller paces one wait: each Wait sleeps the current interval, then
// doubles it up to Max.
type Poller struct {
	p    PollPolicy
	next time.Duration
}

// Start begins a wait paced by p (with defaults).
func (p PollPolicy) Start() *Poller {
	p = p.WithDefaults()
	return &Poller{p: p, next: p.Initial}
}

// Wait sleeps the next interval; it returns the context's error if the
// context ends first.
func (w *Poller) Wait(ctx context.Context) error {
	if err := w.p.Sleep(ctx, w.next); err != nil {
		return err
	}
	w.next = min(w.next*2, w.p.Max)
	return nil
}

// Report passes a poll's status to Progress, if set.
func (w *Poller) Report(attempt int, status string) {
	if w.p.Progress != nil {
		w.p.Progress(attempt, status)
	}
}
