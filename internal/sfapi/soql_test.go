package sfapi

import (
	"errors"
	"strings"
	"testing"
)

func TestEscapeSOQL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Northpass Standard User", "Northpass Standard User"},
		{"O'Brien", `O\'Brien`},
		{`back\slash`, `back\\slash`},
		{`say "hi"`, `say \"hi\"`},
		{"a\nb\rc\td\be\ff", `a\nb\rc\td\be\ff`},
		{`\'`, `\\\'`},
		{"' OR Name != '", `\' OR Name != \'`},
		{"50%_off", "50%_off"}, // LIKE wildcards are left alone
		{"Ünïcödé 日本", "Ünïcödé 日本"},
	}
	for _, tt := range tests {
		if got := EscapeSOQL(tt.in); got != tt.want {
			t.Errorf("EscapeSOQL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := QuoteSOQL("O'Brien"); got != `'O\'Brien'` {
		t.Errorf("QuoteSOQL = %q", got)
	}
}

// readLiteral is a tiny SOQL tokenizer for a single-quoted string literal at
// the start of s: it returns the decoded value and the index just past the
// closing quote.
func readLiteral(s string) (string, int, error) {
	if s == "" || s[0] != '\'' {
		return "", 0, errors.New("no opening quote")
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\'':
			return b.String(), i + 1, nil
		case '\\':
			i++
			if i == len(s) {
				return "", 0, errors.New("dangling backslash")
			}
			dec, ok := map[byte]byte{'n': '\n', 'r': '\r', 't': '\t', 'b': '\b', 'f': '\f', '"': '"', '\'': '\'', '\\': '\\'}[s[i]]
			if !ok {
				return "", 0, errors.New("unknown escape \\" + string(s[i]))
			}
			b.WriteByte(dec)
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, errors.New("unterminated literal")
}

func FuzzEscapeSOQL(f *testing.F) {
	for _, seed := range []string{"", "plain", "O'Brien", `\`, `\'`, `'\''`, "' OR Id != null OR Name = '",
		"a\nb\rc\td\be\ff", `"quoted"`, "\\\\'", "日本語", "\x00\xff", "trailing\\"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lit := QuoteSOQL(s)
		query := "SELECT Id FROM User WHERE Name = " + lit + " AND IsActive = true"
		got, end, err := readLiteral(query[len("SELECT Id FROM User WHERE Name = "):])
		if err != nil {
			t.Fatalf("QuoteSOQL(%q) = %s does not tokenize: %v", s, lit, err)
		}
		if end != len(lit) {
			t.Fatalf("literal for %q closes at %d, want %d (the final quote)", s, end, len(lit))
		}
		if got != s {
			t.Fatalf("round trip of %q gave %q", s, got)
		}
		if strings.ContainsAny(EscapeSOQL(s), "\n\r\t\b\f") {
			t.Fatalf("EscapeSOQL(%q) left a raw control character", s)
		}
	})
}
