package httpkit

import (
	"context"
	"errors"
	"strings"
	"testing"
)

var errLost = statusErr(503) // the answer to a POST was lost: outcome unknown

// script plays a write: each send returns the next error (nil: success),
// each look the next finding; it records the calls in order.
type script struct {
	sends []error
	finds []string // "found", "nothing", "error"
	calls []string
}

func (s *script) write(withFind, withDone bool) Write[string] {
	w := Write[string]{
		Send: func(context.Context) (string, error) {
			n := len(s.calls)
			s.calls = append(s.calls, "send")
			err := s.sends[0]
			s.sends = s.sends[1:]
			if err != nil {
				return "", err
			}
			return "sent" + string(rune('0'+n)), nil
		},
		Lost: func(int, error) { s.calls = append(s.calls, "lost") },
	}
	if withFind {
		w.Find = func(context.Context) (string, bool, error) {
			s.calls = append(s.calls, "find")
			f := s.finds[0]
			s.finds = s.finds[1:]
			switch f {
			case "found":
				return "found", true, nil
			case "error":
				return "", false, errors.New("look failed")
			}
			return "", false, nil
		}
	}
	if withDone {
		w.Done = func(_ context.Context, v string) error {
			s.calls = append(s.calls, "done("+v+")")
			return nil
		}
	}
	return w
}

func TestSendWrite(t *testing.T) {
	refused := statusErr(400)
	tests := []struct {
		name     string
		sends    []error
		finds    []string
		find     bool
		done     bool
		wantV    string
		wantErr  error
		wantCall string
	}{
		{"sent", []error{nil}, nil, true, true, "sent0", nil, "send done(sent0)"},
		{"refused: nothing was written, no look, no resend", []error{refused}, nil, true, true, "", refused, "send"},
		{"lost, the look finds it: never sent twice", []error{errLost}, []string{"found"}, true, true, "found", nil,
			"send lost find done(found)"},
		{"lost, nothing found: sent again", []error{errLost, nil}, []string{"nothing"}, true, true, "sent3", nil,
			"send lost find send done(sent3)"},
		{"lost, the look fails: the send's error, no resend", []error{errLost}, []string{"error"}, true, true, "", errLost,
			"send lost find"},
		{"lost every time: at most MaxLostAnswerResends resends, no look after the last",
			[]error{errLost, errLost, errLost}, []string{"nothing", "nothing"}, true, true, "", errLost,
			"send lost find send lost find send"},
		{"no Find: sent again at once", []error{errLost, nil}, nil, false, false, "sent2", nil, "send lost send"},
		{"no Find, lost every time", []error{errLost, errLost, errLost}, nil, false, false, "", errLost,
			"send lost send lost send"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &script{sends: tt.sends, finds: tt.finds}
			v, err := SendWrite(context.Background(), s.write(tt.find, tt.done))
			if v != tt.wantV || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("SendWrite = (%q, %v), want (%q, %v)", v, err, tt.wantV, tt.wantErr)
			}
			if got := strings.Join(s.calls, " "); got != tt.wantCall {
				t.Errorf("calls %q, want %q", got, tt.wantCall)
			}
		})
	}
	if sends := 1 + MaxLostAnswerResends; sends != 3 {
		t.Errorf("a lost write is sent %d times at most; the fault suites expect 3", sends)
	}
}

// Done's error is SendWrite's error.
func TestSendWriteDoneError(t *testing.T) {
	wantErr := errors.New("install failed")
	_, err := SendWrite(context.Background(), Write[int]{
		Send: func(context.Context) (int, error) { return 1, nil },
		Done: func(context.Context, int) error { return wantErr },
	})
	if !errors.Is(err, wantErr) {
		t.Fatalf("err = %v, want Done's", err)
	}
}
