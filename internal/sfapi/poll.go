package sfapi

import (
	"context"
	"fmt"
	"time"
)

// PollPolicy says how to wait for a long-running Salesforce request such as
// a package install, which takes minutes.
type PollPolicy struct {
	Initial time.Duration // first wait; default 2s (what `sf package install --wait` uses)
	Max     time.Duration // cap of the doubling waits; default 30s
	// Sleep waits d or until ctx is done; the default uses a timer. Tests
	// inject one that records the waits instead of sleeping.
	Sleep func(ctx context.Context, d time.Duration) error
	// Progress, if set, is called after every poll with the status seen.
	Progress func(attempt int, status string)
}

func (p PollPolicy) withDefaults() PollPolicy {
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
		p.Sleep = sleepCtx
	}
	return p
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// WaitError means waiting stopped (deadline or cancellation) while the
// request was still running in Salesforce. The request carries on there, so
// the caller can record RequestID and resume polling later.
type WaitError struct {
	Op         string // "package install" or "package uninstall"
	RequestID  string
	LastStatus string // "" if no poll completed
	Err        error  // the context's error
}

func (e *WaitError) Error() string {
	last := e.LastStatus
	if last == "" {
		last = "not yet known"
	}
	return fmt.Sprintf("stopped waiting for %s request %s (last status %s): %v; the request keeps running in Salesforce, poll request %s again to resume",
		e.Op, e.RequestID, last, e.Err, e.RequestID)
}

func (e *WaitError) Unwrap() error { return e.Err }

// poll calls get until it reports done, sleeping with capped doubling waits
// in between. get's error ends polling unless the context is done, in which
// case the caller gets a *WaitError it can resume from.
func poll(ctx context.Context, p PollPolicy, op, id string, get func() (status string, done bool, err error)) error {
	p = p.withDefaults()
	wait, last := p.Initial, ""
	for attempt := 1; ; attempt++ {
		status, done, err := get()
		if err != nil {
			if ctx.Err() != nil {
				return &WaitError{Op: op, RequestID: id, LastStatus: last, Err: ctx.Err()}
			}
			return fmt.Errorf("poll %s request %s: %w", op, id, err)
		}
		last = status
		if p.Progress != nil {
			p.Progress(attempt, status)
		}
		if done {
			return nil
		}
		if err := p.Sleep(ctx, wait); err != nil {
			return &WaitError{Op: op, RequestID: id, LastStatus: last, Err: err}
		}
		wait = min(wait*2, p.Max)
	}
}
