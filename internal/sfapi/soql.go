package sfapi

import "strings"

// EscapeSOQL escapes s for use inside a single-quoted SOQL string literal.
// It works on bytes: every byte it escapes is ASCII, so multi-byte UTF-8 (and
// even invalid UTF-8) passes through unchanged. It does not escape the LIKE
// wildcards % and _, which are only special in LIKE patterns.
func EscapeSOQL(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; ch {
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
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// QuoteSOQL returns s as a complete SOQL string literal.
func QuoteSOQL(s string) string {
	return "'" + EscapeSOQL(s) + "'"
}
