package sfapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// SObjects does record CRUD and describe under one sObject root: the REST
// API (Client.SObjects) or the Tooling API (Client.Tooling).
type SObjects struct {
	c    *Client
	root string // "/services/data/vXX.X/sobjects" or ".../tooling/sobjects"
}

// SObjects returns the REST API's sObject operations.
func (c *Client) SObjects() *SObjects {
	return &SObjects{c: c, root: c.apiPath + "/sobjects"}
}

// Tooling returns the Tooling API's sObject operations.
func (c *Client) Tooling() *SObjects {
	return &SObjects{c: c, root: c.apiPath + "/tooling/sobjects"}
}

// segment escapes one path element; "." and ".." would change the path.
func segment(what, v string) (string, error) {
	if v == "" || v == "." || v == ".." {
		return "", fmt.Errorf("invalid %s %q", what, v)
	}
	return url.PathEscape(v), nil
}

func (s *SObjects) path(sobject string, rest ...string) (string, error) {
	seg, err := segment("sObject name", sobject)
	if err != nil {
		return "", err
	}
	p := s.root + "/" + seg
	for _, r := range rest {
		p += "/" + r
	}
	return p, nil
}

// Get reads one record into out; fields limits the returned fields (nil: all).
func (s *SObjects) Get(ctx context.Context, sobject, id string, fields []string, out any) error {
	idSeg, err := segment("record id", id)
	if err != nil {
		return err
	}
	p, err := s.path(sobject, idSeg)
	if err != nil {
		return err
	}
	r := apiReq{method: http.MethodGet, path: p}
	if len(fields) > 0 {
		r.query = url.Values{"fields": {strings.Join(fields, ",")}}
	}
	return s.c.doJSON(ctx, r, out)
}

// Create inserts one record and returns its id. A POST is never repeated
// after a 5xx or lost connection, since the record may already exist.
func (s *SObjects) Create(ctx context.Context, sobject string, body any) (string, error) {
	p, err := s.path(sobject)
	if err != nil {
		return "", err
	}
	defer s.c.invalidateAfterWrite(sobject, "", body)
	var res SaveResult
	if err := s.c.doJSON(ctx, apiReq{method: http.MethodPost, path: p, body: body}, &res); err != nil {
		return "", err
	}
	if !res.Success || res.ID == "" {
		return "", fmt.Errorf("create %s: %w", sobject, res.err())
	}
	return res.ID, nil
}

// Update patches the given fields of one record.
func (s *SObjects) Update(ctx context.Context, sobject, id string, body any) error {
	idSeg, err := segment("record id", id)
	if err != nil {
		return err
	}
	p, err := s.path(sobject, idSeg)
	if err != nil {
		return err
	}
	defer s.c.invalidateAfterWrite(sobject, id, body)
	return s.c.doJSON(ctx, apiReq{method: http.MethodPatch, path: p, body: body}, nil)
}

// Delete removes one record. Deleting twice yields an error for which
// IsNotFound is true (ENTITY_IS_DELETED or NOT_FOUND).
func (s *SObjects) Delete(ctx context.Context, sobject, id string) error {
	idSeg, err := segment("record id", id)
	if err != nil {
		return err
	}
	p, err := s.path(sobject, idSeg)
	if err != nil {
		return err
	}
	defer s.c.invalidateAfterWrite(sobject, id, nil)
	return s.c.doJSON(ctx, apiReq{method: http.MethodDelete, path: p}, nil)
}

// Describe returns the object's metadata: fields and child relationships.
func (s *SObjects) Describe(ctx context.Context, sobject string) (*DescribeResult, error) {
	p, err := s.path(sobject, "describe")
	if err != nil {
		return nil, err
	}
	var d DescribeResult
	if err := s.c.doJSON(ctx, apiReq{method: http.MethodGet, path: p}, &d); err != nil {
		return nil, err
	}
	return &d, nil
}
