package sfapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// collectionChunk is the most records one sObject Collections call accepts.
const collectionChunk = 200

// SaveResult is one per-record result of a collection call (or of a single
// create), in the order of the records sent.
type SaveResult struct {
	ID      string            `json:"id"`
	Success bool              `json:"success"`
	Errors  []CollectionError `json:"errors"`
}

// UpsertResult adds whether the upsert inserted the record.
type UpsertResult struct {
	SaveResult
	Created bool `json:"created"`
}

// Err is nil for a successful record, else an *APIError with the first
// error's statusCode as ErrorCode, so HasErrorCode works on it.
func (r SaveResult) Err() error {
	if r.Success {
		return nil
	}
	return r.err()
}

func (r SaveResult) err() *APIError {
	if len(r.Errors) == 0 {
		return &APIError{Message: "the record was not saved and Salesforce gave no reason"}
	}
	msgs := make([]string, 0, len(r.Errors))
	for _, e := range r.Errors {
		msgs = append(msgs, e.Message)
	}
	return &APIError{ErrorCode: r.Errors[0].StatusCode, Message: strings.Join(msgs, "; "), Fields: r.Errors[0].Fields}
}

type collectionBody struct {
	AllOrNone bool             `json:"allOrNone"`
	Records   []map[string]any `json:"records"`
}

// typed copies records with attributes.type set; the caller's maps stay as
// they were.
func typed(sobject string, records []map[string]any) []map[string]any {
	out := make([]map[string]any, len(records))
	for i, rec := range records {
		m := make(map[string]any, len(rec)+1)
		for k, v := range rec {
			m[k] = v
		}
		m["attributes"] = map[string]string{"type": sobject}
		out[i] = m
	}
	return out
}

// chunks calls fn for each run of at most collectionChunk items. Each chunk
// is its own call, so allOrNone holds per chunk only: earlier chunks stay
// committed when a later one fails.
func chunks(n int, fn func(lo, hi int) error) error {
	for lo := 0; lo < n; lo += collectionChunk {
		if err := fn(lo, min(lo+collectionChunk, n)); err != nil {
			return err
		}
	}
	return nil
}

// CreateCollection inserts records of one sObject type, 200 per call. On an
// error it returns the results of the chunks that completed.
func (c *Client) CreateCollection(ctx context.Context, sobject string, records []map[string]any, allOrNone bool) ([]SaveResult, error) {
	if _, err := segment("sObject name", sobject); err != nil {
		return nil, err
	}
	defer func() {
		for _, rec := range records {
			c.invalidateAfterWrite(sobject, "", rec)
		}
	}()
	return c.sendCollection(ctx, http.MethodPost, "create", sobject, records, allOrNone)
}

// UpdateCollection updates records of one sObject type by their "Id" key,
// 200 per call (PATCH /composite/sobjects). Setting the same fields again
// is harmless, which is why it may be retried like any PATCH. On an error
// it returns the results of the chunks that completed.
func (c *Client) UpdateCollection(ctx context.Context, sobject string, records []map[string]any, allOrNone bool) ([]SaveResult, error) {
	if _, err := segment("sObject name", sobject); err != nil {
		return nil, err
	}
	for i, rec := range records {
		if id, _ := rec["Id"].(string); id == "" || strings.ContainsAny(id, ", /") {
			return nil, fmt.Errorf("update %s record %d: invalid or missing Id %q", sobject, i+1, id)
		}
	}
	defer func() {
		for _, rec := range records {
			id, _ := rec["Id"].(string)
			c.invalidateAfterWrite(sobject, id, rec)
		}
	}()
	return c.sendCollection(ctx, http.MethodPatch, "update", sobject, records, allOrNone)
}

// sendCollection sends records to /composite/sobjects (POST creates, PATCH
// updates), 200 per call, and returns the results of the calls that
// completed.
func (c *Client) sendCollection(ctx context.Context, method, verb, sobject string, records []map[string]any, allOrNone bool) ([]SaveResult, error) {
	out := make([]SaveResult, 0, len(records))
	err := chunks(len(records), func(lo, hi int) error {
		var res []SaveResult
		body := collectionBody{AllOrNone: allOrNone, Records: typed(sobject, records[lo:hi])}
		if err := c.doJSON(ctx, apiReq{method: method, path: c.apiPath + "/composite/sobjects", body: body}, &res); err != nil {
			return fmt.Errorf("%s %s records %d-%d of %d: %w", verb, sobject, lo+1, hi, len(records), err)
		}
		if len(res) != hi-lo {
			return fmt.Errorf("%s %s records %d-%d: Salesforce returned %d results for %d records", verb, sobject, lo+1, hi, len(res), hi-lo)
		}
		out = append(out, res...)
		return nil
	})
	return out, err
}

// DeleteCollection deletes records by id, 200 per call.
func (c *Client) DeleteCollection(ctx context.Context, ids []string, allOrNone bool) ([]SaveResult, error) {
	for _, id := range ids {
		if id == "" || strings.ContainsAny(id, ", ") {
			return nil, fmt.Errorf("delete records: invalid record id %q", id)
		}
	}
	defer func() {
		for _, id := range ids {
			c.invalidateAfterWrite("", id, nil)
		}
	}()
	out := make([]SaveResult, 0, len(ids))
	err := chunks(len(ids), func(lo, hi int) error {
		var res []SaveResult
		q := url.Values{"ids": {strings.Join(ids[lo:hi], ",")}, "allOrNone": {strconv.FormatBool(allOrNone)}}
		if err := c.doJSON(ctx, apiReq{method: http.MethodDelete, path: c.apiPath + "/composite/sobjects", query: q}, &res); err != nil {
			return fmt.Errorf("delete records %d-%d of %d: %w", lo+1, hi, len(ids), err)
		}
		if len(res) != hi-lo {
			return fmt.Errorf("delete records %d-%d: Salesforce returned %d results for %d ids", lo+1, hi, len(res), hi-lo)
		}
		out = append(out, res...)
		return nil
	})
	return out, err
}

// UpsertCollection inserts or updates records matched on externalIDField,
// 200 per call. Matching on an external id makes a repeated call harmless,
// which is why it may be retried like any PATCH.
func (c *Client) UpsertCollection(ctx context.Context, sobject, externalIDField string, records []map[string]any, allOrNone bool) ([]UpsertResult, error) {
	obj, err := segment("sObject name", sobject)
	if err != nil {
		return nil, err
	}
	field, err := segment("external id field", externalIDField)
	if err != nil {
		return nil, err
	}
	path := c.apiPath + "/composite/sobjects/" + obj + "/" + field
	defer func() {
		for _, rec := range records {
			c.invalidateAfterWrite(sobject, "", rec)
		}
	}()
	out := make([]UpsertResult, 0, len(records))
	err = chunks(len(records), func(lo, hi int) error {
		var res []UpsertResult
		body := collectionBody{AllOrNone: allOrNone, Records: typed(sobject, records[lo:hi])}
		if err := c.doJSON(ctx, apiReq{method: http.MethodPatch, path: path, body: body}, &res); err != nil {
			return fmt.Errorf("upsert %s records %d-%d of %d by %s: %w", sobject, lo+1, hi, len(records), externalIDField, err)
		}
		if len(res) != hi-lo {
			return fmt.Errorf("upsert %s records %d-%d: Salesforce returned %d results for %d records", sobject, lo+1, hi, len(res), hi-lo)
		}
		out = append(out, res...)
		return nil
	})
	return out, err
}
