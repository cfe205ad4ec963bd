package sffake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Field values: how JSON input becomes stored Go values, and how lookups
// are checked against the org.

const sfDateTime = "2006-01-02T15:04:05.000-0700"

var dateTimeLayouts = []string{
	sfDateTime,
	"2006-01-02T15:04:05.000Z0700",
	time.RFC3339Nano,
	"2006-01-02T15:04:05-0700",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02",
}

// coerce converts one input value to the field's stored Go type, the way
// Salesforce accepts JSON: empty text is null, checkboxes are never null,
// numbers may arrive as strings.
func (s *Server) coerce(f *fieldDef, v any) (any, *APIError) {
	// Salesforce's parser names no field: the body is only message and
	// errorCode (the position says where).
	bad := func(kind string) *APIError {
		return newErr(http.StatusBadRequest, "JSON_PARSER_ERROR", "Cannot deserialize instance of %s from %v value %v or request may be missing a required field", f.Type, kind, v)
	}
	switch f.Type {
	case tString, tTextarea, tEmail, tPicklist, tID:
		if v == nil {
			return nil, nil
		}
		str, ok := v.(string)
		if !ok {
			return nil, bad(fmt.Sprintf("%T", v))
		}
		if str == "" {
			return nil, nil
		}
		if f.Picklist != nil {
			for _, p := range f.Picklist {
				if strings.EqualFold(p, str) {
					return p, nil
				}
			}
			return nil, newErr(http.StatusBadRequest, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "%s: bad value for restricted picklist field: %s", f.Label, str).withFields(f.Name)
		}
		if f.Type == tEmail && !strings.Contains(str, "@") {
			return nil, newErr(http.StatusBadRequest, "INVALID_EMAIL_ADDRESS", "%s: invalid email address: %s", f.Label, str).withFields(f.Name)
		}
		if (f.Type == tString || f.Type == tEmail) && len(str) > 255 {
			return nil, newErr(http.StatusBadRequest, "STRING_TOO_LONG", "%s: data value too large: %s (max length=255)", f.Label, str[:20]+"…").withFields(f.Name)
		}
		return str, nil
	case tBoolean:
		switch b := v.(type) {
		case nil:
			return false, nil
		case bool:
			return b, nil
		case string:
			if p, err := strconv.ParseBool(b); err == nil {
				return p, nil
			}
		}
		return nil, bad(fmt.Sprintf("%T", v))
	case tDouble, tInt:
		var n float64
		switch x := v.(type) {
		case nil:
			return nil, nil
		case float64:
			n = x
		case float32:
			n = float64(x)
		case int:
			n = float64(x)
		case int64:
			n = float64(x)
		case json.Number:
			p, err := x.Float64()
			if err != nil {
				return nil, bad("string")
			}
			n = p
		case string:
			if x == "" {
				return nil, nil
			}
			p, err := strconv.ParseFloat(x, 64)
			if err != nil {
				return nil, bad("string")
			}
			n = p
		default:
			return nil, bad(fmt.Sprintf("%T", v))
		}
		if f.Type == tInt {
			return int(math.Round(n)), nil
		}
		return n, nil
	case tDateTime, tDate:
		switch x := v.(type) {
		case nil:
			return nil, nil
		case time.Time:
			if f.Type == tDate {
				return time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC), nil
			}
			return x.UTC(), nil
		case string:
			if x == "" {
				return nil, nil
			}
			if f.Type == tDate {
				// A Date field takes yyyy-MM-dd and nothing longer: a
				// date-time sent to it fails to deserialize (Force.com
				// Toolkit for .NET's Create_EventWithDate test quotes the
				// JSON_PARSER_ERROR; "Primitive Data Types", date:
				// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/primitive_data_types.htm).
				t, err := time.Parse("2006-01-02", x)
				if err != nil {
					return nil, bad("VALUE_STRING")
				}
				return t, nil
			}
			for _, l := range dateTimeLayouts {
				if t, err := time.Parse(l, x); err == nil {
					return t.UTC(), nil
				}
			}
			return nil, bad("VALUE_STRING")
		}
		return nil, bad(fmt.Sprintf("%T", v))
	case tRef:
		if v == nil {
			return nil, nil
		}
		str, ok := v.(string)
		if !ok {
			return nil, bad(fmt.Sprintf("%T", v))
		}
		if str == "" {
			return nil, nil
		}
		id, ok := normalizeID(str)
		if !ok {
			return nil, newErr(http.StatusBadRequest, "MALFORMED_ID", "%s: id value of incorrect type: %s", f.Label, str).withFields(f.Name)
		}
		return id, nil
	case tComplex:
		if v == nil {
			return nil, nil
		}
		// A deep copy through JSON: stored values are never shared with
		// the caller, and they are in JSON's own types.
		b, err := json.Marshal(v)
		if err != nil {
			return nil, bad(fmt.Sprintf("%T", v))
		}
		var out any
		dec := json.NewDecoder(bytes.NewReader(b))
		if err := dec.Decode(&out); err != nil {
			return nil, bad(fmt.Sprintf("%T", v))
		}
		return out, nil
	}
	return v, nil
}

// atJSONValue adds the "at [line:L, column:C]" Salesforce's JSON parser puts
// after a JSON_PARSER_ERROR message ("…or request may be missing a required
// field at [line:1, column:55]", quoted in public integration guides), for
// the first place the bad value appears in the request body. Without a body
// (the Go API) the message stays as it is.
func atJSONValue(e *APIError, body []byte, v any) *APIError {
	if e.Code != "JSON_PARSER_ERROR" || len(body) == 0 {
		return e
	}
	lit, err := json.Marshal(v)
	if err != nil {
		return e
	}
	i := bytes.Index(body, lit)
	if i < 0 {
		return e
	}
	end := body[:i+len(lit)]
	line := 1 + bytes.Count(end, []byte("\n"))
	col := len(end) - bytes.LastIndexByte(end, '\n')
	e.Message += fmt.Sprintf(" at [line:%d, column:%d]", line, col)
	return e
}

// checkRef validates a lookup value against the org.
func (s *Server) checkRef(f *fieldDef, id string) *APIError {
	target := schema.object(f.ReferenceTo)
	if target == nil || !strings.HasPrefix(id, target.KeyPrefix) {
		return newErr(http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION", "%s: id value of incorrect type: %s", f.Label, id).withFields(f.Name)
	}
	r := s.get(target, id)
	if r == nil || r.deleted || !s.visible(target) {
		return newErr(http.StatusBadRequest, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id").withFields()
	}
	return nil
}

func equalValues(a, b any) bool {
	if as, ok := a.(string); ok {
		bs, ok := b.(string)
		return ok && strings.EqualFold(as, bs)
	}
	if at, ok := a.(time.Time); ok {
		bt, ok := b.(time.Time)
		return ok && at.Equal(bt)
	}
	if af, ok := toFloat(a); ok {
		bf, ok := toFloat(b)
		return ok && af == bf
	}
	return a == b
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}
