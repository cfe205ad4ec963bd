package npapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

// limiterMargin keeps the client under the server's limit: CE counts
// arrivals, and network, scheduler and timer jitter can bunch requests that
// left exactly 1/RPS apart into one counting window. At 10 req/s this is
// 110 ms spacing, so eleven requests fit in one server second only when the
// first was delayed 100 ms more than the eleventh (2% tolerated 20 ms, which a
// busy machine or a slow hop exceeds; each 429 costs a backoff, far more than
// the 9% of throughput this gives up).
const limiterMargin = 1.10

func limiterRate(rps float64) rate.Limit {
	return rate.Every(time.Duration(float64(time.Second) * limiterMargin / rps))
}

// transport paces every attempt and adds the API key, but only for requests
// to BaseURL's origin: a redirect or link to anywhere else never sees it.
type transport struct {
	next    http.RoundTripper
	limiter *rate.Limiter
	origin  *url.URL
	apiKey  string
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.limiter.Wait(req.Context()); err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		// Wait fails early when the deadline cannot be met; no retry helps.
		return nil, httpkit.Permanent(fmt.Errorf("client-side rate limit: %w", err))
	}
	if sameOrigin(req.URL, t.origin) {
		req = req.Clone(req.Context())
		req.Header.Set("X-Api-Key", t.apiKey)
	}
	return t.next.RoundTrip(req)
}

// checkRedirect refuses to leave BaseURL's origin. Go forwards custom headers
// on redirects, and although the transport only adds the key for the origin,
// following a redirect elsewhere would also silently change which service
// answers.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return httpkit.Permanent(errors.New("stopped after 5 redirects"))
	}
	if !sameOrigin(req.URL, c.base) {
		return httpkit.Permanent(fmt.Errorf("refusing redirect to %s://%s: not the configured CE host", req.URL.Scheme, req.URL.Host))
	}
	return nil
}

func sameOrigin(u, origin *url.URL) bool {
	return strings.EqualFold(u.Scheme, origin.Scheme) && strings.EqualFold(u.Host, origin.Host)
}
