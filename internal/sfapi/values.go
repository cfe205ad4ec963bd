package sfapi

import (
	"fmt"
	"strings"
	"time"
)

// checkID accepts a 15- or 18-character record id, optionally with a given
// key prefix. Ids end up inside SOQL literals and URL paths; rejecting
// anything else up front turns a typo into a clear error instead of a
// MALFORMED_QUERY or a request for the wrong resource.
func checkID(what, id, prefix string) error {
	if len(id) != 15 && len(id) != 18 {
		return fmt.Errorf("invalid %s %q: a Salesforce id has 15 or 18 letters and digits", what, id)
	}
	for i := 0; i < len(id); i++ {
		ch := id[i]
		if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z') {
			return fmt.Errorf("invalid %s %q: a Salesforce id has 15 or 18 letters and digits", what, id)
		}
	}
	if prefix != "" && !strings.HasPrefix(id, prefix) {
		return fmt.Errorf("invalid %s %q: it must start with %q", what, id, prefix)
	}
	return nil
}

// idKey is the case-sensitive 15-character form: Salesforce returns 18
// characters while callers may hold either form of the same id.
func idKey(id string) string {
	if len(id) == 18 {
		return id[:15]
	}
	return id
}

// notFound builds the error for "the query found nothing": an *APIError so
// that IsNotFound works the same as for a REST 404.
func notFound(format string, args ...any) *APIError {
	return &APIError{ErrorCode: "NOT_FOUND", Message: fmt.Sprintf(format, args...)}
}

// deref returns "" for a JSON null string.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Salesforce writes dateTime values as "2026-01-05T10:00:00.000+0000";
// RFC 3339 forms are accepted too because fakes and proxies use them.
var sfTimeLayouts = []string{"2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700", time.RFC3339Nano}

func parseSFTime(s *string) (*time.Time, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	for _, l := range sfTimeLayouts {
		if t, err := time.Parse(l, *s); err == nil {
			return &t, nil
		}
	}
	return nil, fmt.Errorf("unrecognised Salesforce dateTime %q", *s)
}

// formatSFTime writes UTC with millisecond precision, the precision
// Salesforce keeps; nil becomes JSON null, which clears the field.
func formatSFTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// sameTime compares at the precision Salesforce stores, so a value read
// back never looks different from the one written.
func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Truncate(time.Millisecond).Equal(b.Truncate(time.Millisecond))
}

// quoteList renders ('a','b',…) for SOQL IN.
func quoteList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = QuoteSOQL(v)
	}
	return "(" + strings.Join(q, ",") + ")"
}
