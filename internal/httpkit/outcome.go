package httpkit

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"
)

// StatusError is an error answer from a server; both clients' APIError
// types implement it, so OutcomeUnknown can read either without knowing it.
type StatusError interface {
	error
	HTTPStatus() int // 0 when the error has no HTTP status of its own (a per-record result)
}

// OutcomeUnknown reports whether a failed write may have been carried out
// all the same: the server answered 5xx, or the connection broke once the
// request was on its way. The clients never repeat such a POST by
// themselves (it could create a second object); callers use SendWrite to
// look for what the first one did. Any other failure (4xx, a cancelled or
// expired context) means nothing was written.
func OutcomeUnknown(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var se StatusError
	if errors.As(err, &se) {
		return se.HTTPStatus() >= 500
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
