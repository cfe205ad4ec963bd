package sfapi

import (
	"context"
	"fmt"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

// PollPolicy says how to wait for a long-running Salesforce request such as
// a package install, which takes minutes (2 s doubling to 30 s by default).
type PollPolicy = httpkit.PollPolicy

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
	waits, last := p.Start(), ""
	for attempt := 1; ; attempt++ {
		status, done, err := get()
		if err != nil {
			if ctx.Err() != nil {
				return &WaitError{Op: op, RequestID: id, LastStatus: last, Err: ctx.Err()}
			}
			return fmt.Errorf("poll %s request %s: %w", op, id, err)
		}
		last = status
		waits.Report(attempt, status)
		if done {
			return nil
		}
		if err := waits.Wait(ctx); err != nil {
			return &WaitError{Op: op, RequestID: id, LastStatus: last, Err: err}
		}
	}
}
