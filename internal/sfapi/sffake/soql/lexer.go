package soql

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

type tokenKind int

const (
	tokEOF tokenKind = iota
	// tokIdent covers names and keywords alike. SOQL keywords depend on
	// context (Order is an object, Name a field, ORDER BY a clause), so
	// the parser decides what each word means.
	tokIdent
	tokString   // '…'
	tokNumber   // 42, -1.5
	tokDate     // 2025-11-20
	tokDateTime // 2025-11-20T00:00:00Z
	tokOp       // = != <> < <= > >=
	tokComma
	tokDot
	tokLParen
	tokRParen
	tokColon // only ever the start of a bind variable, which REST rejects
)

type token struct {
	kind tokenKind
	text string // source text exactly as written, used in messages
	pos  int    // byte offset in the query

	// For tokString: the decoded value, and the byte offsets in str of
	// any % or _ written as \% or \_. Those escapes are only legal in LIKE
	// patterns, where they mean a literal % or _ rather than a wildcard.
	// The lexer does not know the context, so it records them and the parser decides.
	str         string
	escapedWild []int

	num  float64   // tokNumber
	time time.Time // tokDate (midnight UTC) and tokDateTime
}

// display is how Salesforce names a token in "unexpected token: '…'".
func (t token) display() string {
	if t.kind == tokEOF {
		return "<EOF>"
	}
	return t.text
}

type lexer struct {
	src string
	pos int
}

// lex splits the whole query up front. Queries are short, and the parser
// needs two tokens of lookahead (COUNT ( ), ORDER BY, NOT IN).
func lex(src string) ([]token, error) {
	l := &lexer{src: src}
	var toks []token
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		if t.kind == tokEOF {
			return toks, nil
		}
	}
}

// lexError reports a character-level problem. It uses the
// "line R:C …" form that Salesforce's lexer errors carry.
func (l *lexer) lexError(pos int, msg string) *Error {
	row, col := position(l.src, pos)
	return errAt(l.src, pos, CodeMalformedQuery, "line %d:%d %s", row, col, msg)
}

func (l *lexer) next() (token, error) {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		l.pos++
	}
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tokEOF, pos: start}, nil
	}
	c := l.src[start]
	switch {
	case isLetter(c):
		for l.pos < len(l.src) && (isLetter(l.src[l.pos]) || isDigit(l.src[l.pos]) || l.src[l.pos] == '_') {
			l.pos++
		}
		return token{kind: tokIdent, text: l.src[start:l.pos], pos: start}, nil
	case isDigit(c):
		// Four digits and a dash can only start a date. A number is never followed by '-'.
		if start+5 <= len(l.src) && allDigits(l.src[start:start+4]) && l.src[start+4] == '-' {
			return l.lexDate(start)
		}
		return l.lexNumber(start)
	case (c == '-' || c == '+') && start+1 < len(l.src) && isDigit(l.src[start+1]):
		// SOQL has no arithmetic, so a sign before a digit always belongs to the number.
		return l.lexNumber(start)
	case c == '\'':
		return l.lexString(start)
	}

	l.pos++
	simple := func(k tokenKind) (token, error) {
		return token{kind: k, text: l.src[start:l.pos], pos: start}, nil
	}
	switch c {
	case ',':
		return simple(tokComma)
	case '.':
		return simple(tokDot)
	case '(':
		return simple(tokLParen)
	case ')':
		return simple(tokRParen)
	case ':':
		return simple(tokColon)
	case '=':
		return simple(tokOp)
	case '!':
		if l.peekByte() == '=' {
			l.pos++
			return simple(tokOp)
		}
	case '<':
		if b := l.peekByte(); b == '=' || b == '>' {
			l.pos++
		}
		return simple(tokOp)
	case '>':
		if l.peekByte() == '=' {
			l.pos++
		}
		return simple(tokOp)
	}
	// Also reached for double quotes: SOQL only has single-quoted strings.
	r, _ := utf8.DecodeRuneInString(l.src[start:])
	return token{}, l.lexError(start, "no viable alternative at character '"+string(r)+"'")
}

func (l *lexer) peekByte() byte {
	if l.pos < len(l.src) {
		return l.src[l.pos]
	}
	return 0
}

// lexNumber reads [+-]digits[.digits]. SOQL has no exponent form.
func (l *lexer) lexNumber(start int) (token, error) {
	i := start
	if l.src[i] == '-' || l.src[i] == '+' {
		i++
	}
	for i < len(l.src) && isDigit(l.src[i]) {
		i++
	}
	if i+1 < len(l.src) && l.src[i] == '.' && isDigit(l.src[i+1]) {
		i++
		for i < len(l.src) && isDigit(l.src[i]) {
			i++
		}
	}
	l.pos = i
	text := l.src[start:i]
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return token{}, errAt(l.src, start, CodeMalformedQuery, "invalid number: '%s'", text)
	}
	return token{kind: tokNumber, text: text, pos: start, num: f}, nil
}

// dateTimeLayouts are the zoned forms SOQL accepts: Z, ±hh:mm and Salesforce's
// own ±hhmm (as in 2025-11-20T00:00:00.000+0000). time.Parse accepts
// fractional seconds after the seconds field even though the layouts do
// not show them.
var dateTimeLayouts = []string{
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05Z0700",
}

const dateLayout = "2006-01-02"

func (l *lexer) lexDate(start int) (token, error) {
	i := start
	for i < len(l.src) && isDateByte(l.src[i]) {
		i++
	}
	l.pos = i
	text := l.src[start:i]
	if len(text) == len(dateLayout) {
		if t, err := time.Parse(dateLayout, text); err == nil {
			return token{kind: tokDate, text: text, pos: start, time: t}, nil
		}
	} else if len(text) > len(dateLayout) && text[len(dateLayout)] == 'T' {
		for _, layout := range dateTimeLayouts {
			if t, err := time.Parse(layout, text); err == nil {
				return token{kind: tokDateTime, text: text, pos: start, time: t}, nil
			}
		}
	}
	// SOQL requires a time zone on datetimes, so 2025-11-20T00:00:00 ends up here too.
	return token{}, errAt(l.src, start, CodeMalformedQuery,
		"invalid date or dateTime literal: '%s' (use YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with Z or ±hh:mm)", text)
}

// lexString reads a single-quoted literal byte by byte, so that bytes which
// are not valid UTF-8 pass through unchanged.
func (l *lexer) lexString(start int) (token, error) {
	var b strings.Builder
	var wild []int
	i := start + 1
	for i < len(l.src) {
		c := l.src[i]
		if c == '\'' {
			l.pos = i + 1
			return token{kind: tokString, text: l.src[start:l.pos], pos: start, str: b.String(), escapedWild: wild}, nil
		}
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(l.src) {
			break // a trailing backslash escapes nothing, so the string is still open
		}
		// The escapes Salesforce documents. Upper-case letters are allowed too.
		switch e := l.src[i+1]; e {
		case 'n', 'N':
			b.WriteByte('\n')
		case 'r', 'R':
			b.WriteByte('\r')
		case 't', 'T':
			b.WriteByte('\t')
		case 'b', 'B':
			b.WriteByte('\b')
		case 'f', 'F':
			b.WriteByte('\f')
		case '\\', '\'', '"':
			b.WriteByte(e)
		case '%', '_':
			wild = append(wild, b.Len())
			b.WriteByte(e)
		case 'u':
			if i+6 <= len(l.src) && allHex(l.src[i+2:i+6]) {
				v, _ := strconv.ParseUint(l.src[i+2:i+6], 16, 32)
				b.WriteRune(rune(v))
				i += 6
				continue
			}
			return token{}, l.badEscape(start, i)
		default:
			return token{}, l.badEscape(start, i)
		}
		i += 2
	}
	return token{}, l.lexError(len(l.src), "mismatched character '<EOF>' expecting '''")
}

// badEscape reports an escape Salesforce does not define, such as \q.
// The message quotes the whole literal (as far as it goes) and the bad sequence.
func (l *lexer) badEscape(start, backslash int) *Error {
	end := len(l.src)
	for j := start + 1; j < len(l.src); j++ {
		if l.src[j] == '\\' {
			j++
			continue
		}
		if l.src[j] == '\'' {
			end = j
			break
		}
	}
	_, n := utf8.DecodeRuneInString(l.src[backslash+1:])
	seq := l.src[backslash : backslash+1+n]
	return errAt(l.src, backslash, CodeMalformedQuery,
		"Invalid string literal '%s'. Illegal character sequence '%s' in string literal.", l.src[start+1:end], seq)
}

func isSpace(c byte) bool  { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isDateByte(c byte) bool {
	return isDigit(c) || c == '-' || c == ':' || c == '.' || c == '+' || c == 'T' || c == 'Z'
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
