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

// APIVersion is one entry of GET /services/data/.
type APIVersion struct {
	Label   string `json:"label"`
	URL     string `json:"url"`
	Version string `json:"version"`
}

// Versions lists the API versions the org serves. The call itself needs no
// token (and costs no API request), but without a configured instance_url
// the instance is only known after authenticating.
func (c *Client) Versions(ctx context.Context) ([]APIVersion, error) {
	var out []APIVersion
	if err := c.doJSON(ctx, apiReq{method: http.MethodGet, path: "/services/data/", noAuth: true}, &out); err != nil {
		return nil, err
	}
	return out, nil
}
