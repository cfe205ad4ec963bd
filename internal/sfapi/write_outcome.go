package sfapi

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"
)

// OutcomeUnknown reports whether a failed write may have been carried out
// all the same: Salesforce answered 5xx, or the connection broke once the
// request was on its way. The client never repeats such a POST by itself (it
// could create a second object); callers look for what the first one made,
// or send it again only where Salesforce refuses duplicates. Any other
// failure (4xx, a cancelled context) means nothing was written.
func OutcomeUnknown(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Status >= 500
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// maxLostAnswerResends bounds how often a create whose answer was lost is
// sent again.
const maxLostAnswerResends = 2
