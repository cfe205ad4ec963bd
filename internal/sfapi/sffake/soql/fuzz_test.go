package soql

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// escapeSOQL quotes s for use inside '…', the way a careful client does it.
// It works byte by byte so that invalid UTF-8 survives unchanged.
func escapeSOQL(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`\'`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func FuzzStringLiteralRoundTrip(f *testing.F) {
	for _, s := range []string{
		"", "alice@example.com", "Bob's BBQ", `back\slash`, `\'`, `'\`, "\"quoted\"",
		"line\nbreak\r\n\ttab\bbell\fform", "100%_match", `\%\_`, "Ünïcödé 世界", "\xff\xfe", "a\x00b",
		"' OR Id != null OR Name = '", "\\", "'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		soql := "SELECT Id FROM User WHERE Username = '" + escapeSOQL(s) + "'"
		q, err := Parse(soql)
		if err != nil {
			t.Fatalf("Parse(%q): %v", soql, err)
		}
		c, ok := q.Where.(*Comparison)
		if !ok {
			t.Fatalf("Where is %T, want one *Comparison", q.Where)
		}
		if c.Op != OpEq || len(c.Path) != 1 || c.Path[0] != "Username" || len(c.Values) != 1 {
			t.Fatalf("Where = %s, want Username = <literal>", c)
		}
		lit := c.Values[0]
		if got, ok := lit.Value.(string); lit.Kind != KindString || !ok || got != s {
			t.Fatalf("literal = %#v, want string %q", lit.Value, s)
		}

		match := func(v any) bool {
			t.Helper()
			ok, err := q.Match(rec{"Username": v})
			if err != nil {
				t.Fatalf("Match(%q): %v", v, err)
			}
			return ok
		}
		if !match(s) {
			t.Errorf("no match for the exact value %q", s)
		}
		if match(s+"x") || match("x"+s) || match(nil) {
			t.Errorf("matched a different value for %q", s)
		}
		if s != "" && match("") {
			t.Errorf("matched the empty string for %q", s)
		}
		if utf8.ValidString(s) {
			upper := strings.ToUpper(s)
			if got, want := match(upper), strings.EqualFold(s, upper); got != want {
				t.Errorf("Match(%q) = %v for literal %q, want %v", upper, got, s, want)
			}
			if s != "" {
				other := []byte(s)
				other[len(other)-1] ^= 1
				if o := string(other); utf8.ValidString(o) {
					if got, want := match(o), strings.EqualFold(s, o); got != want {
						t.Errorf("Match(%q) = %v for literal %q, want %v", o, got, s, want)
					}
				}
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"SELECT Id FROM User",
		"SELECT COUNT() FROM User WHERE Id != null LIMIT 1",
		"SELECT Id, Assignee.Username FROM PermissionSetAssignment WHERE (PermissionSetId = '0PS' AND (NOT Assignee.IsActive = false)) OR Id IN ('a', 'b') ORDER BY Assignee.Username DESC NULLS LAST LIMIT 10 OFFSET 5",
		"SELECT Id FROM User WHERE Username LIKE '%\\%\\_x_' AND CreatedDate > 2025-11-20T00:00:00.000+0000 AND LastLoginDate < TODAY",
		"SELECT Id FROM User WHERE Id = :userId",
		"SELECT Id FROM User WHERE Name = 'unterminated",
		"SELECT Id FROM User WHERE a = 1 AND b = 2 OR c = 3",
		"SELECT Id FROM X WHERE d = 2025-02-30 OR e = -0.5 OR f = 2025-",
		"select\tid\nfrom\ruser where x not in (1,2) and y <> 'q\\u00e9'",
		"((((",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code == "" || e.Message == "" {
				t.Fatalf("Parse(%q) error %#v is not a complete *Error", s, err)
			}
			if q != nil {
				t.Fatalf("Parse(%q) returned a query with an error", s)
			}
			return
		}
		// Whatever parses must support the rest of the API without panicking.
		_ = q.Paths()
		if q.Where != nil {
			// The printed condition is valid SOQL and parses to the same text.
			printed := q.Where.String()
			q2, err := Parse("SELECT Id FROM X WHERE " + printed)
			if err != nil {
				t.Fatalf("reparsing %q (from %q): %v", printed, s, err)
			}
			if q2.Where.String() != printed {
				t.Fatalf("reparse changed %q to %q", printed, q2.Where.String())
			}
		}
		r := rec{}
		for _, p := range q.Paths() {
			r[p.String()] = "x"
		}
		_, _ = q.Match(r)
		_, _ = q.Match(rec{})
		_, _ = Execute(q, records(r, rec{}, r))
	})
}
