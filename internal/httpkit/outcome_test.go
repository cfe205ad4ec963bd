package httpkit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
)

// statusErr stands for a client's APIError.
type statusErr int

func (e statusErr) Error() string   { return fmt.Sprintf("HTTP %d", int(e)) }
func (e statusErr) HTTPStatus() int { return int(e) }

func TestOutcomeUnknown(t *testing.T) {
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	for name, c := range map[string]struct {
		err  error
		want bool
	}{
		"5xx":                   {fmt.Errorf("POST x: %w", statusErr(503)), true},
		"500":                   {statusErr(500), true},
		"4xx":                   {fmt.Errorf("POST x: %w", statusErr(400)), false},
		"429":                   {statusErr(429), false},
		"per-record, no status": {statusErr(0), false},
		"connection reset":      {fmt.Errorf("POST x failed after 1 attempt(s): %w", reset), true},
		"bare ECONNRESET":       {syscall.ECONNRESET, true},
		"EPIPE":                 {syscall.EPIPE, true},
		"EOF":                   {fmt.Errorf("giving up: %w", io.EOF), true},
		"unexpected EOF":        {io.ErrUnexpectedEOF, true},
		"timeout on the socket": {&net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}, true},
		"cancelled":             {fmt.Errorf("x: %w", context.Canceled), false},
		"deadline":              {context.DeadlineExceeded, false},
		"reset after cancel":    {errors.Join(context.Canceled, reset), false},
		"5xx given up at the deadline": {
			func() error {
				r := NewRequest("POST", "/x")
				r.deadlineStop.Store(true)
				return r.Final(statusErr(503))
			}(), false,
		},
		"bad argument": {errors.New("invalid id"), false},
		"no error":     {nil, false},
	} {
		if got := OutcomeUnknown(c.err); got != c.want {
			t.Errorf("%s: OutcomeUnknown(%v) = %v, want %v", name, c.err, got, c.want)
		}
	}
}
