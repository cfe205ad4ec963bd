package npapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// document is a JSON:API top-level document as CE sends it.
type document struct {
	Data  json.RawMessage `json:"data"`
	Links links           `json:"links"`
}

type resource struct {
	ID            string                  `json:"id"`
	Type          string                  `json:"type"`
	Attributes    json.RawMessage         `json:"attributes"`
	Relationships map[string]relationship `json:"relationships"`
}

type relationship struct {
	Data *struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"data"`
}

// relatedID returns relationships.<name>.data.id, or "".
func (r resource) relatedID(name string) string {
	if rel, ok := r.Relationships[name]; ok && rel.Data != nil {
		return rel.Data.ID
	}
	return ""
}

// links holds top-level links; each may be a string, {"href": …} or null.
type links map[string]json.RawMessage

func (l links) href(name string) string {
	raw, ok := l[name]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		Href string `json:"href"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.Href
	}
	return ""
}

// wireTime reads CE timestamps ("2020-03-31T17:15:17Z"); null and "" are unset.
type wireTime struct{ t *time.Time }

func (w *wireTime) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == nil || strings.TrimSpace(*s) == "" {
		w.t = nil
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		return fmt.Errorf("timestamp %q: %w", *s, err)
	}
	t = t.UTC()
	w.t = &t
	return nil
}

func (w wireTime) value() time.Time {
	if w.t == nil {
		return time.Time{}
	}
	return *w.t
}

func (w wireTime) ptr() *time.Time {
	if w.t == nil {
		return nil
	}
	t := *w.t
	return &t
}

// wireNumber reads a number that some serializers send as a string
// (Rails renders decimals as "12.5"); null is 0.
type wireNumber float64

func (n *wireNumber) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*n = 0
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if strings.TrimSpace(s) == "" {
			*n = 0
			return nil
		}
		b = []byte(strings.TrimSpace(s))
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("number %s: %w", b, err)
	}
	*n = wireNumber(f)
	return nil
}

// decodeOne decodes a single-resource document's data.
func decodeOne(doc document) (resource, error) {
	var r resource
	if len(doc.Data) == 0 || bytes.Equal(bytes.TrimSpace(doc.Data), []byte("null")) {
		return r, fmt.Errorf("response has no data")
	}
	if err := json.Unmarshal(doc.Data, &r); err != nil {
		return r, fmt.Errorf("response data: %w", err)
	}
	return r, nil
}

// decodeList decodes a list document's data; absent or null is empty.
func decodeList(doc document) ([]resource, error) {
	var items []resource
	if len(bytes.TrimSpace(doc.Data)) == 0 {
		return nil, nil
	}
	if err := json.Unmarshal(doc.Data, &items); err != nil {
		return nil, fmt.Errorf("data is not a list: %w", err)
	}
	return items, nil
}
