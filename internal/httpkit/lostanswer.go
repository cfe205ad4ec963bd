package httpkit

import "context"

// MaxLostAnswerResends is how often SendWrite sends a write again after its
// answer was lost and nothing it did was found: up to three sends in all.
// More would mostly hammer a server that is failing; fewer would fail an
// apply on one unlucky connection.
const MaxLostAnswerResends = 2

// Write is a write whose answer may be lost (a POST answered 5xx, or a
// connection broken mid-request: OutcomeUnknown), described by callbacks so
// that SendWrite knows nothing of what is written.
type Write[T any] struct {
	// Send sends the write once.
	Send func(ctx context.Context) (T, error)
	// Find, if set, looks for what a send whose answer was lost did. found
	// means it took effect and v stands for its result: nothing is sent
	// again. An error ends SendWrite with the send's error, since nothing
	// is proven either way. Without Find, a lost answer is sent again at
	// once: for writes the server refuses to apply twice (a unique record
	// comes back DUPLICATE_VALUE) or where a second one supersedes the
	// first (a new authorization link).
	Find func(ctx context.Context) (v T, found bool, err error)
	// Lost, if set, is told of each lost answer that SendWrite is about to
	// look for or send again (for the log); attempt counts sends from 1.
	Lost func(attempt int, err error)
	// Done, if set, waits for what was sent or found to finish (polls a
	// long-running request) and gives SendWrite its result.
	Done func(ctx context.Context, v T) error
}

// SendWrite sends w: if the answer was lost, it looks for what the lost send
// did (Find); if nothing, it sends again, at most MaxLostAnswerResends
// times; then it waits with Done. A POST is never repeated blindly, and
// never by the HTTP layer: only here, after a look. Any other error (a 4xx,
// a done context) is returned at once: nothing was written.
func SendWrite[T any](ctx context.Context, w Write[T]) (T, error) {
	var (
		v   T
		err error
	)
	for attempt := 1; ; attempt++ {
		v, err = w.Send(ctx)
		if err == nil || !OutcomeUnknown(err) || attempt > MaxLostAnswerResends {
			break
		}
		if w.Lost != nil {
			w.Lost(attempt, err)
		}
		if w.Find == nil {
			continue
		}
		found, ok, ferr := w.Find(ctx)
		if ferr != nil {
			return v, err
		}
		if ok {
			v, err = found, nil
			break
		}
	}
	if err != nil || w.Done == nil {
		return v, err
	}
	return v, w.Done(ctx, v)
}
