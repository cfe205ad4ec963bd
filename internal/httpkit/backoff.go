package httpkit

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Backoff has the retryablehttp.Backoff signature: lo doubled per attempt,
// at least the server's Retry-After, plus up to 10% jitter, all capped at
// hi.
//
// The two clients used to differ here; the choices now shared:
//   - hi caps every wait, Retry-After included (npapi honoured Retry-After
//     up to 10 minutes beyond it). One knob bounds how long a run sits
//     between attempts, a broken or hostile header cannot park it, and
//     tests that shorten the waits shorten all of them. Retrying before
//     the server's time costs at most one more refusal, counted against
//     RetryMax.
//   - Retry-After counts on any answer that is retried (npapi read it on
//     429 and 503 only): a server that sends it means it.
//   - Jitter is up to 10% (npapi added 25%): enough to spread parallel
//     goroutines that failed together, small enough that the deadline
//     check in Decide can predict the wait. It never passes hi (sfapi's
//     could): offsets from earlier jittered waits still keep the
//     goroutines apart once every wait is at the cap.
func (p Policy) Backoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	wait := p.baseBackoff(lo, hi, attempt, resp)
	if p.Jitter != nil {
		wait += p.Jitter(wait / 10)
	}
	return min(wait, hi)
}

// maxBackoff is the longest Backoff can return for this attempt.
func (p Policy) maxBackoff(attempt int, resp *http.Response) time.Duration {
	wait := p.baseBackoff(p.WaitMin, p.WaitMax, attempt, resp)
	if p.Jitter != nil {
		wait += wait / 10
	}
	return min(wait, p.WaitMax)
}

func (p Policy) baseBackoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	wait := lo
	for i := 0; i < attempt && wait < hi; i++ {
		wait *= 2
	}
	if wait <= 0 {
		wait = hi
	}
	if ra, ok := RetryAfter(resp, p.clock()); ok && ra > wait {
		wait = ra
	}
	return min(wait, hi)
}

// DefaultJitter returns a random duration in [0, d].
func DefaultJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}

// RetryAfter reads the response's Retry-After as delay-seconds or an HTTP
// date (RFC 9110 §10.2.3). A date in the past means "now" (0, true); a
// negative or unreadable value is ignored.
func RetryAfter(resp *http.Response, now time.Time) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxRetryAfterSeconds) {
			secs = maxRetryAfterSeconds // no overflow; Backoff caps it far lower
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// maxRetryAfterSeconds keeps a huge delay-seconds from overflowing a
// Duration (a day is more than any cap a client sets).
const maxRetryAfterSeconds = 24 * 60 * 60
