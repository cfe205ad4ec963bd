package npapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// pageLimit is what clients in the wild send; CE does not publish a maximum.
const pageLimit = 100

// maxPages stops a server that keeps sending links.next (10 million rows).
const maxPages = 100000

// listAll fetches path page by page, starting at ?page=1&limit=100 and then
// following links.next until it is absent. A next link is resolved against
// the page it came from and must stay on BaseURL's scheme and host: the key
// would otherwise go wherever a response told it to.
func listAll[T any](ctx context.Context, c *Client, path string, q url.Values, conv func(resource) (T, error)) ([]T, error) {
	if q == nil {
		q = url.Values{}
	}
	q.Set("page", "1")
	q.Set("limit", strconv.Itoa(pageLimit))
	u, err := c.endpoint(path, q)
	if err != nil {
		return nil, err
	}
	var out []T
	seen := map[string]bool{}
	for pages := 0; ; pages++ {
		// Query order is not meaningful, so compare the decoded form.
		key := u.Path + "?" + u.Query().Encode()
		if pages >= maxPages || seen[key] {
			return out, fmt.Errorf("CE API GET %s: links.next loops back to %s; stopping", path, u.Path)
		}
		seen[key] = true
		var doc document
		if err := c.do(ctx, http.MethodGet, u, nil, &doc); err != nil {
			return out, err
		}
		items, err := decodeList(doc)
		if err != nil {
			return out, fmt.Errorf("CE API GET %s: %w", u.Path, err)
		}
		for _, r := range items {
			v, err := conv(r)
			if err != nil {
				return out, fmt.Errorf("CE API GET %s: %s %s: %w", u.Path, r.Type, r.ID, err)
			}
			out = append(out, v)
		}
		next := doc.Links.href("next")
		if next == "" {
			return out, nil
		}
		if u, err = c.nextPage(u, next); err != nil {
			return out, fmt.Errorf("CE API GET %s: %w", path, err)
		}
	}
}

func (c *Client) nextPage(current *url.URL, next string) (*url.URL, error) {
	ref, err := url.Parse(next)
	if err != nil {
		return nil, fmt.Errorf("links.next is not a URL: %w", err)
	}
	u := current.ResolveReference(ref)
	if !sameOrigin(u, c.base) {
		return nil, fmt.Errorf("refusing links.next on %s://%s: only %s://%s is trusted with the API key", u.Scheme, u.Host, c.base.Scheme, c.base.Host)
	}
	return u, nil
}
