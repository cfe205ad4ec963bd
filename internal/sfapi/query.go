package sfapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

type queryPage struct {
	TotalSize      int               `json:"totalSize"`
	Done           bool              `json:"done"`
	NextRecordsURL string            `json:"nextRecordsUrl"`
	Records        []json.RawMessage `json:"records"`
}

// Query runs a SOQL query on the REST API and calls fn once per record (raw
// JSON, including "attributes"), following nextRecordsUrl until done. An
// error from fn stops the query and is returned as is.
func (c *Client) Query(ctx context.Context, soql string, fn func(json.RawMessage) error) error {
	return c.query(ctx, c.apiPath+"/query", soql, fn)
}

// ToolingQuery is Query on the Tooling API.
func (c *Client) ToolingQuery(ctx context.Context, soql string, fn func(json.RawMessage) error) error {
	return c.query(ctx, c.apiPath+"/tooling/query", soql, fn)
}

// QueryAll runs soql and decodes every record into a T.
func QueryAll[T any](ctx context.Context, c *Client, soql string) ([]T, error) {
	return collect[T](soql, func(fn func(json.RawMessage) error) error { return c.Query(ctx, soql, fn) })
}

// ToolingQueryAll is QueryAll on the Tooling API.
func ToolingQueryAll[T any](ctx context.Context, c *Client, soql string) ([]T, error) {
	return collect[T](soql, func(fn func(json.RawMessage) error) error { return c.ToolingQuery(ctx, soql, fn) })
}

func collect[T any](soql string, run func(func(json.RawMessage) error) error) ([]T, error) {
	out := []T{}
	err := run(func(raw json.RawMessage) error {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("decode record of query %q: %w", soql, err)
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *Client) query(ctx context.Context, path, soql string, fn func(json.RawMessage) error) error {
	return c.queryPages(ctx, path, soql, func(_ int, recs []json.RawMessage) (bool, error) {
		for _, rec := range recs {
			if err := fn(rec); err != nil {
				return false, err
			}
		}
		return true, nil
	})
}

// queryPages runs soql and calls fn with each batch and the query's
// totalSize; fn returns false to stop before the next batch (the rest of
// the result is then never fetched).
func (c *Client) queryPages(ctx context.Context, path, soql string, fn func(total int, recs []json.RawMessage) (bool, error)) error {
	r := apiReq{method: http.MethodGet, path: path, query: url.Values{"q": {soql}}}
	for {
		var page queryPage
		if err := c.doJSON(ctx, r, &page); err != nil {
			return err
		}
		more, err := fn(page.TotalSize, page.Records)
		if err != nil || !more || page.Done || page.NextRecordsURL == "" {
			return err
		}
		next, err := c.nextPage(ctx, page.NextRecordsURL)
		if err != nil {
			return err
		}
		r = next
	}
}

// nextPage turns nextRecordsUrl into a request on the instance. It must be a
// path under /services/data/ (or an absolute URL on the instance itself):
// following it elsewhere would hand our bearer token to another host.
func (c *Client) nextPage(ctx context.Context, next string) (apiReq, error) {
	u, err := url.Parse(next)
	if err != nil {
		return apiReq{}, fmt.Errorf("query: unusable nextRecordsUrl %q: %w", next, err)
	}
	if u.IsAbs() || u.Host != "" {
		inst, err := c.InstanceURL(ctx)
		if err != nil {
			return apiReq{}, err
		}
		if !strings.EqualFold(u.Scheme+"://"+u.Host, inst) {
			return apiReq{}, fmt.Errorf("query: refusing nextRecordsUrl %q outside the instance %s", next, inst)
		}
	}
	p := u.EscapedPath()
	if !strings.HasPrefix(u.Path, "/services/data/") || hasDotSegment(u.Path) {
		return apiReq{}, fmt.Errorf("query: refusing nextRecordsUrl %q (not a /services/data/ path)", next)
	}
	r := apiReq{method: http.MethodGet, path: p}
	if u.RawQuery != "" {
		r.query = u.Query()
	}
	return r, nil
}

func hasDotSegment(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}
