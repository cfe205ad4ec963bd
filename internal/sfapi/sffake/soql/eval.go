package soql

import (
	"cmp"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Record is one row as the store sees it.
//
// Resolve looks up a path case-insensitively. It returns a string, a
// number (any Go integer or float type, or json.Number), a bool, a
// time.Time or nil. Dates and datetimes may also come back as strings in
// Salesforce's wire format. ok is false when the path does not exist: an
// INVALID_FIELD the store should catch first through Query.Paths. A null
// parent on a relationship path is (nil, true), not an unknown path.
type Record interface {
	Resolve(p Path) (v any, ok bool)
}

// now is the clock used for TODAY, YESTERDAY and TOMORROW. Tests replace it.
var now = time.Now

type evalContext struct {
	object string
	today  time.Time // midnight UTC
}

// Match reports whether r satisfies the WHERE clause (true when there is
// none). Errors are *Error: INVALID_FIELD for an unknown path, and
// INVALID_QUERY_FILTER_OPERATOR when a literal's type does not fit the value.
func (q *Query) Match(r Record) (bool, error) {
	if q.Where == nil {
		return true, nil
	}
	ctx := &evalContext{object: q.Object, today: dateOf(now())}
	ok, err := q.Where.eval(ctx, r)
	if err != nil {
		return false, err
	}
	return ok, nil
}

// Less orders records by ORDER BY. With no ORDER BY no record is less than
// another, so a stable sort keeps the input order. Nulls go first for ASC
// and last for DESC unless NULLS FIRST or LAST says otherwise. Strings
// compare case-insensitively. An unknown path sorts like null.
func (q *Query) Less(a, b Record) bool { return q.compare(a, b) < 0 }

func (q *Query) compare(a, b Record) int {
	for _, o := range q.OrderBy {
		va, _ := a.Resolve(o.Path)
		vb, _ := b.Resolve(o.Path)
		va, vb = normalize(va), normalize(vb)
		var c int
		switch {
		case va == nil && vb == nil:
		case va == nil, vb == nil:
			// Nulls are placed by NullsLast alone. DESC does not flip them.
			c = -1
			if o.NullsLast {
				c = 1
			}
			if vb == nil {
				c = -c
			}
		default:
			c = compareValues(va, vb)
			if o.Desc {
				c = -c
			}
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// Execute applies the query to rs. It filters with Match, stable-sorts with
// Less, then applies OFFSET and LIMIT. It does not project fields; that is the
// store's job. For COUNT() queries the count is len(result), with LIMIT
// capping it as Salesforce does.
func Execute(q *Query, rs []Record) ([]Record, error) {
	out := make([]Record, 0, len(rs))
	for _, r := range rs {
		// Less cannot report errors, so ORDER BY paths are checked here.
		for _, o := range q.OrderBy {
			if _, ok := r.Resolve(o.Path); !ok {
				return nil, invalidField(q.Object, o.Path)
			}
		}
		ok, err := q.Match(r)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, r)
		}
	}
	if len(q.OrderBy) > 0 {
		slices.SortStableFunc(out, q.compare)
	}
	out = out[min(q.Offset, len(out)):]
	if q.Limit >= 0 && q.Limit < len(out) {
		out = out[:q.Limit]
	}
	return out, nil
}

func (e *And) eval(ctx *evalContext, r Record) (bool, error) {
	for _, t := range e.Terms {
		if ok, err := t.eval(ctx, r); err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func (e *Or) eval(ctx *evalContext, r Record) (bool, error) {
	for _, t := range e.Terms {
		if ok, err := t.eval(ctx, r); err != nil || ok {
			return ok && err == nil, err
		}
	}
	return false, nil
}

func (e *Not) eval(ctx *evalContext, r Record) (bool, error) {
	ok, err := e.X.eval(ctx, r)
	return !ok && err == nil, err
}

// eval uses SOQL's two-valued logic. Nulls are ordinary values: "x = null"
// matches nulls and "x != 'a'" matches them too. Ordering operators
// (< <= > >=) are false when either side is null.
func (c *Comparison) eval(ctx *evalContext, r Record) (bool, error) {
	v, ok := r.Resolve(c.Path)
	if !ok {
		return false, invalidField(ctx.object, c.Path)
	}
	v = normalize(v)
	switch c.Op {
	case OpLike:
		if v == nil {
			return false, nil
		}
		s, ok := v.(string)
		if !ok {
			return false, filterTypeError(c.Path, v)
		}
		return likeMatch(c.like, s), nil
	case OpIn, OpNotIn:
		for _, lit := range c.Values {
			eq, err := ctx.equal(c.Path, v, lit)
			if err != nil {
				return false, err
			}
			if eq {
				return c.Op == OpIn, nil
			}
		}
		return c.Op == OpNotIn, nil
	case OpEq, OpNe:
		eq, err := ctx.equal(c.Path, v, c.Values[0])
		if err != nil {
			return false, err
		}
		return eq == (c.Op == OpEq), nil
	}
	n, ok, err := ctx.order(c.Path, v, c.Values[0])
	if err != nil || !ok {
		return false, err
	}
	switch c.Op {
	case OpLt:
		return n < 0, nil
	case OpLe:
		return n <= 0, nil
	case OpGt:
		return n > 0, nil
	default: // OpGe
		return n >= 0, nil
	}
}

func (ctx *evalContext) equal(path Path, v any, lit Literal) (bool, error) {
	switch lit.Kind {
	case KindNull:
		// Salesforce: a checkbox is never null. "= null" matches false.
		if b, ok := v.(bool); ok {
			return !b, nil
		}
		return v == nil, nil
	case KindBool:
		want := lit.boolValue()
		if v == nil {
			return !want, nil // and a missing checkbox value reads as false
		}
		b, ok := v.(bool)
		if !ok {
			return false, filterTypeError(path, v)
		}
		return b == want, nil
	case KindString:
		if v == nil {
			return false, nil
		}
		s, ok := v.(string)
		if !ok {
			return false, filterTypeError(path, v)
		}
		return equalFold(s, lit.stringValue()), nil
	case KindNumber:
		if v == nil {
			return false, nil
		}
		f, ok := v.(float64)
		if !ok {
			return false, filterTypeError(path, v)
		}
		return f == lit.numberValue(), nil
	}
	n, ok, err := ctx.compareTime(path, v, lit)
	return ok && n == 0, err
}

// order compares v with lit for < <= > >=. ok is false when
// either side is null.
func (ctx *evalContext) order(path Path, v any, lit Literal) (n int, ok bool, err error) {
	if v == nil || lit.Kind == KindNull {
		return 0, false, nil
	}
	switch lit.Kind {
	case KindString:
		s, ok := v.(string)
		if !ok {
			return 0, false, filterTypeError(path, v)
		}
		return compareFold(s, lit.stringValue()), true, nil
	case KindNumber:
		f, ok := v.(float64)
		if !ok {
			return 0, false, filterTypeError(path, v)
		}
		return cmp.Compare(f, lit.numberValue()), true, nil
	case KindBool:
		return 0, false, nil // rejected by the parser. Kept here for safety.
	}
	return ctx.compareTime(path, v, lit)
}

// compareTime compares a date or datetime value with a date-like literal.
// A date literal compares on the UTC calendar date, so a datetime
// field "= 2025-11-20" matches the whole day. A datetime literal compares
// instants, and a date-only value counts as midnight UTC.
func (ctx *evalContext) compareTime(path Path, v any, lit Literal) (int, bool, error) {
	if v == nil {
		return 0, false, nil
	}
	t, ok := asTime(v)
	if !ok {
		return 0, false, filterTypeError(path, v)
	}
	switch lit.Kind {
	case KindDateTime:
		return t.Compare(lit.timeValue()), true, nil
	case KindRelativeDate:
		d := ctx.today
		switch lit.Value {
		case "YESTERDAY":
			d = d.AddDate(0, 0, -1)
		case "TOMORROW":
			d = d.AddDate(0, 0, 1)
		}
		return dateOf(t).Compare(d), true, nil
	default: // KindDate
		return dateOf(t).Compare(lit.timeValue()), true, nil
	}
}

// Typed views of Literal.Value. The parser guarantees the type for each
// Kind, so the zero value on a mismatch is never seen in practice.
func (l Literal) stringValue() string  { s, _ := l.Value.(string); return s }
func (l Literal) numberValue() float64 { f, _ := l.Value.(float64); return f }
func (l Literal) boolValue() bool      { b, _ := l.Value.(bool); return b }
func (l Literal) timeValue() time.Time { t, _ := l.Value.(time.Time); return t }

// asTime accepts a time.Time or a string in one of the forms Salesforce
// sends: 2025-11-20, or RFC 3339 with Z, ±hh:mm or ±hhmm.
func asTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		if t, err := time.Parse(dateLayout, x); err == nil {
			return t, true
		}
		for _, layout := range dateTimeLayouts {
			if t, err := time.Parse(layout, x); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

func dateOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// normalize maps every Go number type to float64, so that comparisons only
// deal with string, float64, bool, time.Time and nil.
func normalize(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int8:
		return float64(x)
	case int16:
		return float64(x)
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case uint:
		return float64(x)
	case uint8:
		return float64(x)
	case uint16:
		return float64(x)
	case uint32:
		return float64(x)
	case uint64:
		return float64(x)
	case float32:
		return float64(x)
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return f
		}
		return string(x)
	}
	return v
}

// compareValues orders two non-null values for ORDER BY. Values of
// different types, which a well-typed store never produces, fall back to
// a fixed order so the sort stays deterministic.
func compareValues(a, b any) int {
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			// Datetimes sent as strings may differ in offset or precision.
			// Compare them as instants when both parse.
			if tx, ok := asTime(x); ok {
				if ty, ok := asTime(y); ok {
					return tx.Compare(ty)
				}
			}
			return compareFold(x, y)
		}
		if y, ok := b.(time.Time); ok {
			if tx, ok := asTime(x); ok {
				return tx.Compare(y)
			}
		}
	case float64:
		if y, ok := b.(float64); ok {
			return cmp.Compare(x, y)
		}
	case bool:
		if y, ok := b.(bool); ok {
			return cmp.Compare(boolRank(x), boolRank(y))
		}
	case time.Time:
		if ty, ok := asTime(b); ok {
			return x.Compare(ty)
		}
	}
	return cmp.Compare(typeRank(a), typeRank(b))
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func typeRank(v any) int {
	switch v.(type) {
	case bool:
		return 0
	case float64:
		return 1
	case time.Time:
		return 2
	case string:
		return 3
	}
	return 4
}

// compareFold approximates Salesforce's case-insensitive collation for < > and ORDER BY.
func compareFold(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }

// equalFold is strings.EqualFold, except that bytes which are not valid UTF-8
// must match exactly. strings.EqualFold reads every invalid byte as U+FFFD,
// which would make "\xff" equal "\xfe".
func equalFold(a, b string) bool {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra == utf8.RuneError && na == 1 || rb == utf8.RuneError && nb == 1 {
			if a[:na] != b[:nb] {
				return false
			}
		} else if ra != rb && !strings.EqualFold(a[:na], b[:nb]) {
			return false
		}
		a, b = a[na:], b[nb:]
	}
	return a == "" && b == ""
}

// units yields each character of s with its byte offset. A byte that is not
// valid UTF-8 counts as one character, so that LIKE's _ always consumes something.
func units(s string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for off := 0; off < len(s); {
			_, n := utf8.DecodeRuneInString(s[off:])
			if !yield(off, s[off:off+n]) {
				return
			}
			off += n
		}
	}
}

// likeMatch is the classic wildcard matcher: advance greedily, and on a
// mismatch backtrack to the most recent % and let it absorb one more
// character. It runs in O(len(pattern)·len(s)) at worst, with no recursion.
func likeMatch(pattern []likeElem, s string) bool {
	var subject []string
	for _, u := range units(s) {
		subject = append(subject, u)
	}
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(subject) {
		if pi < len(pattern) {
			switch e := pattern[pi]; {
			case e.kind == likeAny:
				starP, starS = pi, si
				pi++
				continue
			case e.kind == likeOne || equalFold(e.text, subject[si]):
				pi++
				si++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		starS++
		pi, si = starP+1, starS
	}
	for pi < len(pattern) && pattern[pi].kind == likeAny {
		pi++
	}
	return pi == len(pattern)
}

func invalidField(object string, p Path) *Error {
	if len(p) > 1 {
		return &Error{Code: CodeInvalidField, Message: fmt.Sprintf(
			"Didn't understand relationship '%s' in field path. If you are attempting to use a custom relationship, "+
				"be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the "+
				"describe call for the appropriate names.", p[0])}
	}
	return &Error{Code: CodeInvalidField, Message: fmt.Sprintf(
		"No such column '%s' on entity '%s'. If you are attempting to use a custom field, be sure to append the "+
			"'__c' after the custom field name. Please reference your WSDL or the describe call for the "+
			"appropriate names.", p, object)}
}

// filterTypeError is Salesforce's complaint when a literal does not fit the
// field's type. The field's type is inferred from the value the record holds.
func filterTypeError(path Path, v any) *Error {
	var typ string
	switch v.(type) {
	case string:
		return &Error{Code: CodeInvalidQueryFilterOperator, Message: fmt.Sprintf(
			"value of filter criterion for field '%s' must be of type string and should be enclosed in quotes", path)}
	case float64:
		typ = "double"
	case bool:
		typ = "boolean"
	case time.Time:
		typ = "dateTime"
	default:
		typ = fmt.Sprintf("%T", v)
	}
	return &Error{Code: CodeInvalidQueryFilterOperator, Message: fmt.Sprintf(
		"value of filter criterion for field '%s' must be of type %s and should not be enclosed in quotes", path, typ)}
}
