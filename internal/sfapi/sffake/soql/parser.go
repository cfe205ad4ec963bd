// Package soql parses and evaluates the subset of SOQL that the in-memory
// Salesforce fake answers:
//
//	SELECT <paths> | COUNT() FROM <Object>
//	  [WHERE <condition>]
//	  [ORDER BY <path> [ASC|DESC] [NULLS FIRST|LAST], …]
//	  [LIMIT n] [OFFSET n]
//
// The aim is fidelity. A query the fake accepts should also work against
// Salesforce, and a query Salesforce rejects should fail here with the same
// kind of error. Some consequences:
//
//   - Salesforce does not let AND and OR share a level without parentheses
//     ("a AND b OR c" fails with "unexpected token: 'OR'"). NOT applies to
//     one condition and cannot follow AND or OR unparenthesized
//     ("a AND NOT b" fails; "a AND (NOT b)" works). The parser uses the same
//     grammar, so every accepted tree is unambiguous and no precedence
//     rule is ever applied silently.
//   - Bind variables (:x) exist only in Apex, and the REST API rejects them with
//     "Bind variables only allowed in Apex code".
//   - \% and \_ are legal only inside LIKE patterns.
//
// Valid SOQL outside the subset (GROUP BY, subqueries, aggregate functions,
// WITH, FOR UPDATE, relative date ranges such as LAST_N_DAYS:n, …) is
// rejected with MALFORMED_QUERY and a message saying the fake does not
// support it, so a failing test points at the fake rather than at the query.
//
// Checking field and object names is left to the caller, which knows the
// schema. Query.Paths lists every path the query references.
package soql

import (
	"strconv"
	"strings"
)

// Query is a parsed SELECT statement.
type Query struct {
	Object    string // as written
	Fields    []Path // SELECT list in order (empty when CountOnly)
	CountOnly bool   // SELECT COUNT(): the result is a count only
	Where     Expr   // nil when absent
	OrderBy   []Order
	Limit     int // -1 when absent
	Offset    int
}

// Path is a field reference as written, split on dots, e.g.
// {"SubscriberPackage", "NamespacePrefix"}. Salesforce names are
// case-insensitive, so resolving a path to a canonical field is the
// store's job.
type Path []string

// String returns the dotted form.
func (p Path) String() string { return strings.Join(p, ".") }

// EqualFold reports whether two paths name the same field, ignoring case
// as Salesforce does.
func (p Path) EqualFold(o Path) bool {
	if len(p) != len(o) {
		return false
	}
	for i := range p {
		if !strings.EqualFold(p[i], o[i]) {
			return false
		}
	}
	return true
}

// Order is one ORDER BY item. NullsLast is already resolved: Salesforce
// puts nulls first for ASC and last for DESC unless NULLS FIRST or
// NULLS LAST says otherwise.
type Order struct {
	Path      Path
	Desc      bool
	NullsLast bool
}

// Expr is a WHERE condition: *And, *Or, *Not or *Comparison. The node types
// are exported so the store can inspect a filter, for example to enforce
// Salesforce's "SubscriberPackage can only be queried by Id" rule.
type Expr interface {
	String() string
	eval(ctx *evalContext, r Record) (bool, error)
	walkPaths(fn func(Path))
}

// And holds two or more conditions joined by AND.
type And struct{ Terms []Expr }

// Or holds two or more conditions joined by OR.
type Or struct{ Terms []Expr }

// Not negates a single condition.
type Not struct{ X Expr }

// Op is a comparison operator. <> is normalized to !=.
type Op string

// Comparison operators.
const (
	OpEq    Op = "="
	OpNe    Op = "!="
	OpLt    Op = "<"
	OpLe    Op = "<="
	OpGt    Op = ">"
	OpGe    Op = ">="
	OpLike  Op = "LIKE"
	OpIn    Op = "IN"
	OpNotIn Op = "NOT IN"
)

// Comparison is "<path> <op> <value>", or "<path> [NOT] IN (<values>)".
// Get Comparisons from Parse rather than building them: a LIKE
// comparison carries a compiled pattern that only the parser fills in.
type Comparison struct {
	Path   Path
	Op     Op
	Values []Literal // exactly one, except for IN and NOT IN

	like []likeElem // compiled pattern for OpLike
}

// Kind is the type of a literal.
type Kind int

// Literal kinds.
const (
	KindString       Kind = iota + 1
	KindNumber            // Value is float64
	KindBool              // Value is bool
	KindNull              // Value is nil
	KindDate              // Value is time.Time at midnight UTC
	KindDateTime          // Value is time.Time, with the offset as written
	KindRelativeDate      // Value is "TODAY", "YESTERDAY" or "TOMORROW", resolved when evaluated
)

// Literal is a constant in a WHERE clause.
//
// For strings, Value is the decoded text. In a LIKE pattern, \% and \_ decode
// to plain % and _, so Value alone cannot tell a wildcard from a literal
// character there; Text can, and Comparison keeps the compiled pattern.
type Literal struct {
	Kind  Kind
	Value any
	Text  string // source text, quotes and escapes included
}

func (l Literal) String() string { return l.Text }

func (e *And) String() string { return joinTerms(e.Terms, " AND ") }
func (e *Or) String() string  { return joinTerms(e.Terms, " OR ") }
func (e *Not) String() string { return "NOT " + groupString(e.X) }

func (e *Comparison) String() string {
	if e.Op == OpIn || e.Op == OpNotIn {
		vals := make([]string, len(e.Values))
		for i, v := range e.Values {
			vals[i] = v.Text
		}
		return e.Path.String() + " " + string(e.Op) + " (" + strings.Join(vals, ", ") + ")"
	}
	return e.Path.String() + " " + string(e.Op) + " " + e.Values[0].Text
}

// groupString parenthesizes every nested condition except a plain comparison.
// SOQL itself needs those parentheses (for "a AND (NOT b)" as well as for
// mixing AND and OR), so the printed form is always valid SOQL.
func groupString(e Expr) string {
	if _, ok := e.(*Comparison); ok {
		return e.String()
	}
	return "(" + e.String() + ")"
}

func joinTerms(terms []Expr, sep string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = groupString(t)
	}
	return strings.Join(parts, sep)
}

func (e *And) walkPaths(fn func(Path)) {
	for _, t := range e.Terms {
		t.walkPaths(fn)
	}
}

func (e *Or) walkPaths(fn func(Path)) {
	for _, t := range e.Terms {
		t.walkPaths(fn)
	}
}

func (e *Not) walkPaths(fn func(Path))        { e.X.walkPaths(fn) }
func (e *Comparison) walkPaths(fn func(Path)) { fn(e.Path) }

// Paths returns every path the query references, in SELECT, WHERE and
// ORDER BY order. Each path appears once, compared case-insensitively, and
// keeps the spelling of its first use. The store checks these against its
// schema to report INVALID_FIELD the way Salesforce does.
func (q *Query) Paths() []Path {
	var out []Path
	seen := map[string]bool{}
	add := func(p Path) {
		k := strings.ToLower(p.String())
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	for _, p := range q.Fields {
		add(p)
	}
	if q.Where != nil {
		q.Where.walkPaths(add)
	}
	for _, o := range q.OrderBy {
		add(o.Path)
	}
	return out
}

// Parse parses one SOQL query. Errors are always *Error.
func Parse(s string) (*Query, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{src: s, toks: toks}
	q, perr := p.parseQuery()
	if perr != nil {
		return nil, perr // returned explicitly so a nil *Error never becomes a non-nil error
	}
	return q, nil
}

// reserved words cannot be field or object names (Salesforce's list, plus the boolean literals).
var reserved = map[string]bool{
	"AND": true, "ASC": true, "DESC": true, "EXCLUDES": true, "FIRST": true,
	"FROM": true, "GROUP": true, "HAVING": true, "IN": true, "INCLUDES": true,
	"LAST": true, "LIKE": true, "LIMIT": true, "NOT": true, "NULL": true,
	"NULLS": true, "OR": true, "SELECT": true, "WHERE": true, "WITH": true,
	"TRUE": true, "FALSE": true,
}

// unsupportedClauses are keywords that start valid SOQL clauses this fake does not implement.
var unsupportedClauses = map[string]string{
	"WITH":   "WITH",
	"GROUP":  "GROUP BY",
	"HAVING": "HAVING",
	"FOR":    "FOR VIEW/REFERENCE/UPDATE",
	"UPDATE": "UPDATE TRACKING/VIEWSTAT",
	"USING":  "USING SCOPE",
	"ALL":    "ALL ROWS",
	"TYPEOF": "TYPEOF",
}

// relativeDates are Salesforce's date literals other than TODAY, YESTERDAY
// and TOMORROW. They are recognized only so that the error says what is missing.
var relativeDates = map[string]bool{
	"LAST_WEEK": true, "THIS_WEEK": true, "NEXT_WEEK": true,
	"LAST_MONTH": true, "THIS_MONTH": true, "NEXT_MONTH": true,
	"LAST_90_DAYS": true, "NEXT_90_DAYS": true,
	"THIS_QUARTER": true, "LAST_QUARTER": true, "NEXT_QUARTER": true,
	"THIS_YEAR": true, "LAST_YEAR": true, "NEXT_YEAR": true,
	"THIS_FISCAL_QUARTER": true, "LAST_FISCAL_QUARTER": true, "NEXT_FISCAL_QUARTER": true,
	"THIS_FISCAL_YEAR": true, "LAST_FISCAL_YEAR": true, "NEXT_FISCAL_YEAR": true,
}

// maxOffset is Salesforce's OFFSET limit.
const maxOffset = 2000

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) peek() token { return p.peekAt(0) }

func (p *parser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1] // EOF
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func isKw(t token, kw string) bool { return t.kind == tokIdent && strings.EqualFold(t.text, kw) }

func (p *parser) acceptKw(kw string) bool {
	if isKw(p.peek(), kw) {
		p.i++
		return true
	}
	return false
}

// isName reports whether t can be a field, relationship or object name.
func isName(t token) bool { return t.kind == tokIdent && !reserved[strings.ToUpper(t.text)] }

// isCall reports whether the next tokens look like name(…). Salesforce has
// functions (toLabel, FORMAT, CALENDAR_YEAR, …), and the fake has none.
func (p *parser) isCall() bool { return isName(p.peek()) && p.peekAt(1).kind == tokLParen }

func (p *parser) unexpected(t token) *Error {
	if t.kind == tokColon {
		return errAt(p.src, t.pos, CodeMalformedQuery, "Bind variables only allowed in Apex code")
	}
	return errAt(p.src, t.pos, CodeMalformedQuery, "unexpected token: '%s'", t.display())
}

func (p *parser) unsupported(t token, what string) *Error {
	return errAt(p.src, t.pos, CodeMalformedQuery, "%s", unsupportedMessage(what))
}

func (p *parser) parseQuery() (*Query, *Error) {
	q := &Query{Limit: -1}
	if !p.acceptKw("SELECT") {
		return nil, p.unexpected(p.peek())
	}
	if err := p.parseSelectList(q); err != nil {
		return nil, err
	}
	if !p.acceptKw("FROM") {
		return nil, p.unexpected(p.peek())
	}
	obj := p.next()
	if !isName(obj) {
		return nil, p.unexpected(obj)
	}
	q.Object = obj.text
	afterObject := p.i

	if p.acceptKw("WHERE") {
		w, err := p.parseLogical()
		if err != nil {
			return nil, err
		}
		q.Where = w
	}
	if isKw(p.peek(), "ORDER") && isKw(p.peekAt(1), "BY") {
		p.i += 2
		if err := p.parseOrderBy(q); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("LIMIT") {
		n, err := p.parseCount()
		if err != nil {
			return nil, err
		}
		q.Limit = n
	}
	if t := p.peek(); p.acceptKw("OFFSET") {
		n, err := p.parseCount()
		if err != nil {
			return nil, err
		}
		if n > maxOffset {
			return nil, errAt(p.src, t.pos, CodeNumberOutsideValidRange, "Maximum SOQL offset allowed is %d", maxOffset)
		}
		q.Offset = n
	}

	if t := p.peek(); t.kind != tokEOF {
		if t.kind == tokIdent {
			if what, ok := unsupportedClauses[strings.ToUpper(t.text)]; ok {
				return nil, p.unsupported(t, what)
			}
			// "FROM User u": an alias, which is valid SOQL.
			if p.i == afterObject && isName(t) && !isKw(t, "ORDER") && !isKw(t, "OFFSET") {
				return nil, p.unsupported(t, "object aliases")
			}
		}
		return nil, p.unexpected(t) // trailing garbage, or AND/OR mixed without parentheses
	}

	// Salesforce rejects a field selected twice (spellings compared case-insensitively).
	// The error code is unconfirmed; MALFORMED_QUERY is the closest match.
	seen := map[string]bool{}
	for _, f := range q.Fields {
		k := strings.ToLower(f.String())
		if seen[k] {
			return nil, &Error{Code: CodeMalformedQuery, Message: "duplicate field selected: " + f.String()}
		}
		seen[k] = true
	}
	return q, nil
}

func (p *parser) parseSelectList(q *Query) *Error {
	if t := p.peek(); isKw(t, "COUNT") && p.peekAt(1).kind == tokLParen {
		if p.peekAt(2).kind != tokRParen {
			return p.unsupported(t, "aggregate functions such as COUNT(field)")
		}
		p.i += 3
		q.CountOnly = true
		// COUNT() must stand alone. A following comma is an error.
		if c := p.peek(); c.kind == tokComma {
			return p.unexpected(c)
		}
		return nil
	}
	for {
		t := p.peek()
		switch {
		case t.kind == tokLParen:
			return p.unsupported(t, "relationship subqueries")
		case isKw(t, "TYPEOF"):
			return p.unsupported(t, "TYPEOF")
		case p.isCall():
			return p.unsupported(t, "functions in SELECT ("+t.text+")")
		}
		path, err := p.parsePath()
		if err != nil {
			return err
		}
		q.Fields = append(q.Fields, path)
		if p.peek().kind != tokComma {
			return nil
		}
		p.next()
	}
}

func (p *parser) parsePath() (Path, *Error) {
	t := p.next()
	if !isName(t) {
		return nil, p.unexpected(t)
	}
	path := Path{t.text}
	for p.peek().kind == tokDot {
		p.next()
		t = p.next()
		if !isName(t) {
			return nil, p.unexpected(t)
		}
		path = append(path, t.text)
	}
	return path, nil
}

// parseLogical follows Salesforce's grammar: either NOT followed by one
// condition, or conditions joined by a single kind of connective. Putting
// the other connective at the same level is left for the caller to reject
// as an unexpected token, as Salesforce does.
func (p *parser) parseLogical() (Expr, *Error) {
	if p.acceptKw("NOT") {
		x, err := p.parseCondition()
		if err != nil {
			return nil, err
		}
		return &Not{X: x}, nil
	}
	first, err := p.parseCondition()
	if err != nil {
		return nil, err
	}
	var conn string
	switch {
	case isKw(p.peek(), "AND"):
		conn = "AND"
	case isKw(p.peek(), "OR"):
		conn = "OR"
	default:
		return first, nil
	}
	terms := []Expr{first}
	for p.acceptKw(conn) {
		x, err := p.parseCondition()
		if err != nil {
			return nil, err
		}
		terms = append(terms, x)
	}
	if conn == "AND" {
		return &And{Terms: terms}, nil
	}
	return &Or{Terms: terms}, nil
}

func (p *parser) parseCondition() (Expr, *Error) {
	if p.peek().kind != tokLParen {
		return p.parseComparison()
	}
	p.next()
	e, err := p.parseLogical()
	if err != nil {
		return nil, err
	}
	if t := p.next(); t.kind != tokRParen {
		return nil, p.unexpected(t)
	}
	return e, nil
}

func (p *parser) parseComparison() (Expr, *Error) {
	if t := p.peek(); p.isCall() {
		return nil, p.unsupported(t, "functions in WHERE ("+t.text+")")
	}
	path, err := p.parsePath()
	if err != nil {
		return nil, err
	}
	c := &Comparison{Path: path}
	opTok := p.next()
	switch {
	case opTok.kind == tokOp:
		c.Op = Op(opTok.text)
		if c.Op == "<>" {
			c.Op = OpNe
		}
	case isKw(opTok, "LIKE"):
		c.Op = OpLike
	case isKw(opTok, "IN"):
		c.Op = OpIn
	case isKw(opTok, "NOT") && isKw(p.peek(), "IN"):
		p.next()
		c.Op = OpNotIn
	case isKw(opTok, "NOT"):
		return nil, p.unexpected(p.peek()) // only NOT IN exists: "x NOT LIKE" is invalid
	case isKw(opTok, "INCLUDES"), isKw(opTok, "EXCLUDES"):
		return nil, p.unsupported(opTok, "INCLUDES and EXCLUDES")
	default:
		return nil, p.unexpected(opTok)
	}

	if c.Op == OpIn || c.Op == OpNotIn {
		return c, p.parseValueList(c)
	}

	litTok := p.peek()
	lit, err := p.parseValue()
	if err != nil {
		return nil, err
	}
	c.Values = []Literal{lit}
	switch {
	case c.Op == OpLike:
		if lit.Kind != KindString {
			return nil, errAt(p.src, litTok.pos, CodeInvalidQueryFilterOperator,
				"value of filter criterion for field '%s' must be of type string and should be enclosed in quotes", path)
		}
		c.like = compileLike(litTok.str, litTok.escapedWild)
	case lit.Kind == KindBool && c.Op != OpEq && c.Op != OpNe:
		return nil, errAt(p.src, opTok.pos, CodeInvalidQueryFilterOperator,
			"invalid operator on boolean value: '%s' (only = and != compare booleans)", opTok.text)
	default:
		if err := p.checkNoWildEscapes(litTok); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (p *parser) parseValueList(c *Comparison) *Error {
	lp := p.next()
	if lp.kind == tokIdent {
		// "Id IN ids": a bare name where a list belongs is the REST
		// rejection of an Apex binding. Salesforce reports it the same way.
		return errAt(p.src, lp.pos, CodeMalformedQuery, "Bind variables only allowed in Apex code")
	}
	if lp.kind != tokLParen {
		return p.unexpected(lp)
	}
	if t := p.peek(); isKw(t, "SELECT") {
		return p.unsupported(t, "semi-join subqueries (IN (SELECT …))")
	}
	for {
		litTok := p.peek()
		lit, err := p.parseValue()
		if err != nil {
			return err
		}
		if err := p.checkNoWildEscapes(litTok); err != nil {
			return err
		}
		c.Values = append(c.Values, lit)
		t := p.next()
		if t.kind == tokRParen {
			return nil
		}
		if t.kind != tokComma {
			return p.unexpected(t)
		}
	}
}

// checkNoWildEscapes rejects \% and \_ outside LIKE, as Salesforce does.
func (p *parser) checkNoWildEscapes(t token) *Error {
	if t.kind != tokString || len(t.escapedWild) == 0 {
		return nil
	}
	seq := `\` + t.str[t.escapedWild[0]:t.escapedWild[0]+1]
	return errAt(p.src, t.pos, CodeMalformedQuery,
		"Invalid string literal '%s'. Illegal character sequence '%s' in string literal.", t.text[1:len(t.text)-1], seq)
}

func (p *parser) parseValue() (Literal, *Error) {
	t := p.next()
	switch t.kind {
	case tokString:
		return Literal{Kind: KindString, Value: t.str, Text: t.text}, nil
	case tokNumber:
		return Literal{Kind: KindNumber, Value: t.num, Text: t.text}, nil
	case tokDate:
		return Literal{Kind: KindDate, Value: t.time, Text: t.text}, nil
	case tokDateTime:
		return Literal{Kind: KindDateTime, Value: t.time, Text: t.text}, nil
	case tokIdent:
		switch u := strings.ToUpper(t.text); {
		case u == "NULL":
			return Literal{Kind: KindNull, Text: t.text}, nil
		case u == "TRUE" || u == "FALSE":
			return Literal{Kind: KindBool, Value: u == "TRUE", Text: t.text}, nil
		case u == "TODAY" || u == "YESTERDAY" || u == "TOMORROW":
			return Literal{Kind: KindRelativeDate, Value: u, Text: t.text}, nil
		case relativeDates[u] || strings.HasPrefix(u, "LAST_N_") || strings.HasPrefix(u, "NEXT_N_") ||
			strings.HasPrefix(u, "N_") && strings.HasSuffix(u, "_AGO"):
			return Literal{}, p.unsupported(t, "the date literal "+u)
		}
	}
	return Literal{}, p.unexpected(t)
}

func (p *parser) parseOrderBy(q *Query) *Error {
	for {
		if t := p.peek(); p.isCall() {
			return p.unsupported(t, "functions in ORDER BY ("+t.text+")")
		}
		path, err := p.parsePath()
		if err != nil {
			return err
		}
		o := Order{Path: path}
		if !p.acceptKw("ASC") && p.acceptKw("DESC") {
			o.Desc = true
		}
		o.NullsLast = o.Desc
		if p.acceptKw("NULLS") {
			switch {
			case p.acceptKw("FIRST"):
				o.NullsLast = false
			case p.acceptKw("LAST"):
				o.NullsLast = true
			default:
				return p.unexpected(p.peek())
			}
		}
		q.OrderBy = append(q.OrderBy, o)
		if p.peek().kind != tokComma {
			return nil
		}
		p.next()
	}
}

// parseCount reads the non-negative integer after LIMIT or OFFSET.
func (p *parser) parseCount() (int, *Error) {
	t := p.next()
	if t.kind != tokNumber || !allDigits(t.text) {
		return 0, p.unexpected(t)
	}
	n, err := strconv.Atoi(t.text)
	if err != nil {
		return 0, errAt(p.src, t.pos, CodeNumberOutsideValidRange, "number out of range: '%s'", t.text)
	}
	return n, nil
}

// likeElem is one element of a compiled LIKE pattern.
type likeElem struct {
	kind likeKind
	text string // likeLiteral: one character (or one byte that is not valid UTF-8)
}

type likeKind int

const (
	likeLiteral likeKind = iota
	likeOne              // _
	likeAny              // %
)

// compileLike turns a decoded pattern into elements. Characters written as
// \% or \_ (offsets in escaped) are literals; bare % and _ are wildcards.
func compileLike(s string, escaped []int) []likeElem {
	isEscaped := map[int]bool{}
	for _, off := range escaped {
		isEscaped[off] = true
	}
	var out []likeElem
	for off, unit := range units(s) {
		switch {
		case unit == "%" && !isEscaped[off]:
			if len(out) == 0 || out[len(out)-1].kind != likeAny { // %% is the same as %
				out = append(out, likeElem{kind: likeAny})
			}
		case unit == "_" && !isEscaped[off]:
			out = append(out, likeElem{kind: likeOne})
		default:
			out = append(out, likeElem{kind: likeLiteral, text: unit})
		}
	}
	return out
}
