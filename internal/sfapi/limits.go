package sfapi

import (
	"context"
	"net/http"
)

// Limit is one entry of /limits, such as DailyApiRequests.
type Limit struct {
	Max       int `json:"Max"`
	Remaining int `json:"Remaining"`
}

// Limits returns the org's limits (needs View Setup and Configuration).
// Per-app sub-entries are dropped.
func (c *Client) Limits(ctx context.Context) (map[string]Limit, error) {
	var out map[string]Limit
	if err := c.doJSON(ctx, apiReq{method: http.MethodGet, path: c.apiPath + "/limits"}, &out); err != nil {
		return nil, err
	}
	return out, nil
}
