package npapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

// checkRetry is retryablehttp's CheckRetry: httpkit's policy, logged in the
// CE client's words. It returns an error only for failures without a
// response, so keepLastResponse can tell them apart.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	retry, why, stop := c.policy.Decide(ctx, resp, err)
	if stop != nil {
		return false, stop
	}
	info := httpkit.RequestFrom(ctx)
	if info == nil {
		info = &httpkit.Request{Class: httpkit.UnprocessedOnly}
	}
	if retry {
		c.logger.Log(ctx, "debug", "CE API request will be retried", map[string]any{
			"method": info.Method, "path": info.Path, "attempt": info.Attempt() + 1, "reason": why,
		})
		return true, nil
	}
	if err != nil && !httpkit.IsPermanent(err) && info.Class != httpkit.Idempotent {
		return false, fmt.Errorf("%w (not retried: CE may already have processed this %s)", err, info.Method)
	}
	return false, err
}

// keepLastResponse is retryablehttp's ErrorHandler. When retries run out on
// a response (a final 429 or 503), it hands the response back so its errors[]
// becomes an *APIError; without a response it reports the attempts made.
func keepLastResponse(resp *http.Response, err error, attempts int) (*http.Response, error) {
	if resp != nil && err == nil {
		return resp, nil
	}
	if resp != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		_ = resp.Body.Close()
	}
	if err == nil {
		err = errors.New("request failed")
	}
	return nil, fmt.Errorf("giving up after %d attempt(s): %w", attempts, err)
}
