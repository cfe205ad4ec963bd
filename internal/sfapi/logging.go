package sfapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

// logRequest is retryablehttp's RequestLogHook. Only method, path, SOQL and
// attempt are logged: never headers (Authorization) or bodies (the token
// endpoint's form carries secrets).
func (c *Client) logRequest(_ retryablehttp.Logger, req *http.Request, attempt int) {
	ctx := req.Context()
	if st := httpkit.RequestFrom(ctx); st != nil {
		st.SetAttempt(attempt)
	}
	fields := map[string]any{"method": req.Method, "path": req.URL.Path, "attempt": attempt + 1}
	if q := req.URL.Query().Get("q"); q != "" {
		fields["soql"] = q
	}
	c.logf(ctx, "debug", "Salesforce request", fields)
}

// logResponse is retryablehttp's ResponseLogHook; it logs Sforce-Limit-Info,
// which arrives on every authenticated REST response.
func (c *Client) logResponse(_ retryablehttp.Logger, resp *http.Response) {
	if resp == nil || resp.Request == nil {
		return
	}
	req := resp.Request
	fields := map[string]any{"method": req.Method, "path": req.URL.Path, "status": resp.StatusCode}
	if st := httpkit.RequestFrom(req.Context()); st != nil {
		fields["attempt"] = st.Attempt() + 1
	}
	if used, limit, ok := parseLimitInfo(resp.Header.Get("Sforce-Limit-Info")); ok {
		fields["api_usage"] = strconv.Itoa(used) + "/" + strconv.Itoa(limit)
	}
	c.logf(req.Context(), "debug", "Salesforce response", fields)
}

// parseLimitInfo reads "api-usage=18/5000"; the header may also list
// per-app-api-usage or api-bursts entries, which are skipped.
func parseLimitInfo(h string) (used, limit int, ok bool) {
	for _, part := range strings.Split(h, ",") {
		k, v, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found || strings.TrimSpace(k) != "api-usage" {
			continue
		}
		u, m, found := strings.Cut(strings.TrimSpace(v), "/")
		if !found {
			return 0, 0, false
		}
		var err1, err2 error
		used, err1 = strconv.Atoi(strings.TrimSpace(u))
		limit, err2 = strconv.Atoi(strings.TrimSpace(m))
		if err1 != nil || err2 != nil || used < 0 || limit <= 0 {
			return 0, 0, false
		}
		return used, limit, true
	}
	return 0, 0, false
}
