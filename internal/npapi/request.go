package npapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

// maxBody bounds how much of a response is read; CE pages are far smaller.
const maxBody = 32 << 20

// endpoint builds a URL under BaseURL. path segments taken from callers must
// already be escaped with url.PathEscape.
func (c *Client) endpoint(path string, q url.Values) (*url.URL, error) {
	raw := c.base.String() + path
	if len(q) > 0 {
		raw += "?" + q.Encode()
	}
	return url.Parse(raw)
}

// do sends one logical request (retried per the policy) and decodes a 2xx
// JSON body into out when out is non-nil.
func (c *Client) do(ctx context.Context, method string, u *url.URL, body, out any) error {
	var rawBody any // nil interface, not a nil slice: retryablehttp treats them differently
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("encoding CE API request %s %s: %w", method, u.Path, err)
		}
		rawBody = b
	}
	info := httpkit.NewRequest(method, u.Path)
	ctx = httpkit.WithRequest(ctx, info)
	req, err := retryablehttp.NewRequestWithContext(ctx, method, u.String(), rawBody)
	if err != nil {
		return fmt.Errorf("building CE API request %s %s: %w", method, u.Path, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	resp, err := c.http.Do(req)
	if err != nil {
		return info.Final(fmt.Errorf("CE API %s %s: %w", method, u.Path, c.redactErr(err)))
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("CE API %s %s: reading response: %w", method, u.Path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return info.Final(parseAPIError(method, u.Path, resp.StatusCode, data, c.redact))
	}
	if out == nil || resp.StatusCode == http.StatusNoContent || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("CE API %s %s: decoding response: %w", method, u.Path, err)
	}
	return nil
}

// redact removes the API key from text that may have come from elsewhere.
func (c *Client) redact(s string) string {
	if c.apiKey == "" || !strings.Contains(s, c.apiKey) {
		return s
	}
	return strings.ReplaceAll(s, c.apiKey, "[redacted]")
}

// redactErr keeps the error chain (errors.Is on context errors) while
// making sure the message carries no key.
func (c *Client) redactErr(err error) error {
	if strings.Contains(err.Error(), c.apiKey) {
		return &redactedError{msg: c.redact(err.Error()), err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// logRequest is retryablehttp's RequestLogHook: method, path and attempt
// only, never headers (X-Api-Key) or the query (it may hold an email).
func (c *Client) logRequest(req *http.Request, attempt int) {
	ctx := req.Context()
	if info := httpkit.RequestFrom(ctx); info != nil {
		info.SetAttempt(attempt)
	}
	c.logger.Log(ctx, "debug", "CE API request", map[string]any{
		"method": req.Method, "path": req.URL.Path, "attempt": attempt + 1,
	})
}

// logResponse is retryablehttp's ResponseLogHook.
func (c *Client) logResponse(resp *http.Response) {
	if resp == nil || resp.Request == nil {
		return
	}
	req := resp.Request
	attempt := 0
	if info := httpkit.RequestFrom(req.Context()); info != nil {
		attempt = info.Attempt() + 1
	}
	c.logger.Log(req.Context(), "debug", "CE API response", map[string]any{
		"method": req.Method, "path": req.URL.Path, "status": resp.StatusCode, "attempt": attempt,
	})
}
