package sffake

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake/soql"
)

// cursor holds the rest of a query result under its locator, as Salesforce
// does: the client follows nextRecordsUrl (…/query/01g…-2000) for the next
// batch. Rows are projected when the query runs, so later pages show the
// data as it was then.
type cursor struct {
	rows    []*jsonObject
	tooling bool
	entity  string
	ver     string
}

const maxCursors = 200

func (s *Server) handleQuery(c *reqCtx) resp {
	if c.r.Method != http.MethodGet {
		return fail(errMethod(c.r.Method, "GET", "HEAD"))
	}
	if len(c.segs) > 1 {
		return s.nextPage(c, c.segs[1])
	}
	q := c.query.Get("q")
	if strings.TrimSpace(q) == "" {
		return fail(newErr(http.StatusBadRequest, "MALFORMED_QUERY", "A query string has to be specified"))
	}
	res, err := s.runQuery(c, q)
	if err != nil {
		return fail(err)
	}
	return ok(res)
}

// runQuery parses, validates against the schema, evaluates and projects a
// query, returning the first batch. Callers hold s.mu.
func (s *Server) runQuery(c *reqCtx, q string) (*jsonObject, *APIError) {
	pq, err := soql.Parse(q)
	if err != nil {
		return nil, soqlError(q, err)
	}
	obj := s.objectFor(pq.Object, c.api)
	if obj == nil {
		return nil, positioned(q, "FROM "+pq.Object, len("FROM "), newErr(http.StatusBadRequest, "INVALID_TYPE",
			"sObject type '%s' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.", pq.Object))
	}
	for _, p := range pq.Paths() {
		if e := s.checkPath(obj, p, c.ver); e != nil {
			return nil, positioned(q, p.String(), 0, e)
		}
	}
	if e := checkFilterable(q, obj, pq.Where); e != nil {
		return nil, e
	}
	if e := idFilterRequired(obj, pq); e != nil {
		return nil, e
	}
	normalizeIDLiterals(obj, pq.Where)
	recs := s.live(obj)
	in := make([]soql.Record, len(recs))
	for i, r := range recs {
		in[i] = sfRecord{s: s, rec: r}
	}
	s.keyProbe = installationKeyProbe(pq.Where)
	out, err := soql.Execute(pq, in)
	s.keyProbe = nil
	if err != nil {
		return nil, soqlError(q, err)
	}
	if pq.CountOnly {
		return s.queryResult(c, obj.Name, nil, len(out), ""), nil
	}
	if len(out) > 1 {
		for _, p := range pq.Fields {
			if f := obj.field(p[0]); len(p) == 1 && f != nil && f.SingleRow {
				return nil, newErr(http.StatusBadRequest, "MALFORMED_QUERY",
					"When retrieving results with Metadata or FullName fields, the query qualifications must specify no more than one row for retrieval. Result size: %d", len(out))
			}
		}
	}
	rows := make([]*jsonObject, len(out))
	for i, r := range out {
		sr, _ := r.(sfRecord) // Execute returns the records it was given
		rows[i] = s.project(sr.rec, pq.Fields, c.ver, c.tooling)
	}
	size := s.pageSize(c)
	if len(rows) <= size {
		return s.queryResult(c, obj.Name, rows, len(rows), ""), nil
	}
	loc := s.newID("01g")
	s.cursors[loc] = &cursor{rows: rows, tooling: c.tooling, entity: obj.Name, ver: c.ver}
	s.cursorOrder = append(s.cursorOrder, loc)
	if len(s.cursorOrder) > maxCursors {
		delete(s.cursors, s.cursorOrder[0])
		s.cursorOrder = s.cursorOrder[1:]
	}
	return s.queryResult(c, obj.Name, rows[:size], len(rows), loc), nil
}

// pageSize is Options.PageSize, lowered by a Sforce-Query-Options batchSize
// (200–2000) when the client asks for smaller batches.
func (s *Server) pageSize(c *reqCtx) int {
	size := s.opts.PageSize
	for _, part := range strings.Split(c.r.Header.Get("Sforce-Query-Options"), ",") {
		k, v, found := strings.Cut(strings.TrimSpace(part), "=")
		if found && strings.EqualFold(k, "batchSize") {
			if n, err := strconv.Atoi(v); err == nil && n >= 200 && n <= 2000 && n < size {
				size = n
			}
		}
	}
	return size
}

// queryResult builds the first batch's QueryResult; loc is set when more
// batches follow.
func (s *Server) queryResult(c *reqCtx, entity string, rows []*jsonObject, total int, loc string) *jsonObject {
	return s.batch(c.tooling, entity, rows, total, loc, c.ver, len(rows))
}

// batch is one QueryResult: nextRecordsUrl points at nextOffset while loc
// is set. Tooling results also carry size, queryLocator and entityTypeName.
func (s *Server) batch(tooling bool, entity string, rows []*jsonObject, total int, loc, ver string, nextOffset int) *jsonObject {
	if rows == nil {
		rows = []*jsonObject{}
	}
	done := loc == ""
	next := ""
	if !done {
		api := ""
		if tooling {
			api = "/tooling"
		}
		next = fmt.Sprintf("/services/data/v%s%s/query/%s-%d", ver, api, loc, nextOffset)
	}
	o := newObject()
	if tooling {
		o.set("size", total)
	}
	o.set("totalSize", total)
	o.set("done", done)
	if !done {
		o.set("nextRecordsUrl", next)
	}
	if tooling {
		if done {
			o.set("queryLocator", nil)
		} else {
			o.set("queryLocator", next[strings.LastIndex(next, "/")+1:])
		}
		o.set("entityTypeName", entity)
	}
	o.set("records", rows)
	return o
}

func (s *Server) nextPage(c *reqCtx, token string) resp {
	invalid := newErr(http.StatusBadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator")
	i := strings.LastIndexByte(token, '-')
	if i < 0 {
		return fail(invalid)
	}
	cur := s.cursors[token[:i]]
	offset, err := strconv.Atoi(token[i+1:])
	if cur == nil || err != nil || offset < 0 || offset > len(cur.rows) || cur.tooling != c.tooling {
		return fail(invalid)
	}
	end := min(offset+s.pageSize(c), len(cur.rows))
	loc := ""
	if end < len(cur.rows) {
		loc = token[:i]
	}
	return ok(s.batch(cur.tooling, cur.entity, cur.rows[offset:end], len(cur.rows), loc, cur.ver, end))
}

// checkPath validates a field path against the schema, with Salesforce's
// messages for an unknown relationship and an unknown column.
//
// A field newer than the request's API version is as unknown as a
// misspelt one: each field's page says "Available in API version N.0 and
// later", and describe at an older version does not list it.
func (s *Server) checkPath(obj *objectDef, p soql.Path, ver string) *APIError {
	cur := obj
	for i, seg := range p {
		if i == len(p)-1 {
			f := cur.field(seg)
			if f == nil || f.WriteOnly || f.newerThan(ver) {
				return newErr(http.StatusBadRequest, "INVALID_FIELD",
					"No such column '%s' on entity '%s'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.", seg, cur.Name)
			}
			return nil
		}
		rel := cur.relationship(seg)
		var target *objectDef
		if rel != nil {
			target = schema.object(rel.ReferenceTo)
		}
		if target == nil || !s.visible(target) {
			return newErr(http.StatusBadRequest, "INVALID_FIELD",
				"Didn't understand relationship '%s' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.", seg)
		}
		cur = target
	}
	return nil
}

// checkFilterable refuses a WHERE on a field whose reference page does not
// list the Filter property ("Can be used as filter criteria in a SOQL query
// FROM or WHERE clause", API Field Properties:
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/access_for_fields.htm).
// Salesforce answers 400 INVALID_FIELD "field 'X' can not be filtered in
// query call" with the query's context lines; through a relationship it
// names the relationship ("field 'SubscriberPackage' can not be filtered",
// reported for InstalledSubscriberPackage in public agent notes).
func checkFilterable(q string, obj *objectDef, where soql.Expr) *APIError {
	var bad soql.Path
	walkComparisons(where, func(c *soql.Comparison) {
		if f := pathField(obj, c.Path); bad == nil && f != nil && !f.Filterable {
			bad = c.Path
		}
	})
	if bad == nil {
		return nil
	}
	name := bad[len(bad)-1]
	if len(bad) > 1 {
		name = bad[len(bad)-2]
	}
	return positionedIn(q, "WHERE", bad.String(), newErr(http.StatusBadRequest, "INVALID_FIELD",
		"field '%s' can not be filtered in query call", name).withFields(name))
}

func walkComparisons(e soql.Expr, fn func(*soql.Comparison)) {
	switch x := e.(type) {
	case *soql.And:
		for _, t := range x.Terms {
			walkComparisons(t, fn)
		}
	case *soql.Or:
		for _, t := range x.Terms {
			walkComparisons(t, fn)
		}
	case *soql.Not:
		walkComparisons(x.X, fn)
	case *soql.Comparison:
		fn(x)
	}
}

// positionedIn is positioned for the first needle after the keyword after
// (a field named both in SELECT and in WHERE points at WHERE's).
func positionedIn(q, after, needle string, e *APIError) *APIError {
	lower := strings.ToLower(q)
	k := strings.Index(lower, strings.ToLower(after))
	if k < 0 {
		return positioned(q, needle, 0, e)
	}
	i := strings.Index(lower[k:], strings.ToLower(needle))
	if i < 0 {
		return positioned(q, needle, 0, e)
	}
	i += k
	before := q[:i]
	row := 1 + strings.Count(before, "\n")
	if j := strings.LastIndexByte(before, '\n'); j >= 0 {
		before = before[j+1:]
	}
	e.Message = errorContext(q, row, 1+utf8.RuneCountInString(before)) + e.Message
	return e
}

// idFilterRequired enforces the Tooling restriction on the catalog objects:
// SubscriberPackage and SubscriberPackageVersion can only be queried
// directly with an Id in the WHERE clause.
func idFilterRequired(obj *objectDef, q *soql.Query) *APIError {
	if obj.Name != objSubscriberPackage && obj.Name != objSPV {
		return nil
	}
	if hasIDFilter(q.Where) {
		return nil
	}
	return newErr(http.StatusBadRequest, "MALFORMED_QUERY",
		"Implementation restriction: %s can only be queried with a filter on Id (WHERE Id = '%s…')", obj.Name, obj.KeyPrefix)
}

func hasIDFilter(e soql.Expr) bool {
	switch x := e.(type) {
	case *soql.Comparison:
		return len(x.Path) == 1 && strings.EqualFold(x.Path[0], "Id") && (x.Op == soql.OpEq || x.Op == soql.OpIn)
	case *soql.And:
		for _, t := range x.Terms {
			if hasIDFilter(t) {
				return true
			}
		}
	}
	return false
}

// soqlError renders a parser/evaluator error with Salesforce's context lines:
// the query line, a caret, and "ERROR at Row:r:Column:c".
func soqlError(q string, err error) *APIError {
	var se *soql.Error
	if !errors.As(err, &se) {
		return newErr(http.StatusBadRequest, "MALFORMED_QUERY", "%v", err)
	}
	e := newErr(http.StatusBadRequest, se.Code, "%s", se.Message)
	if se.Row > 0 {
		e.Message = errorContext(q, se.Row, se.Column) + se.Message
	}
	return e
}

func errorContext(q string, row, col int) string {
	lines := strings.Split(q, "\n")
	line := ""
	if row-1 < len(lines) {
		line = lines[row-1]
	}
	return fmt.Sprintf("\n%s\n%s^\nERROR at Row:%d:Column:%d\n", line, strings.Repeat(" ", max(col-1, 0)), row, col)
}

// positioned adds the context lines for an error about the text needle
// (a path or "FROM X"); skip moves the caret past a leading keyword.
func positioned(q, needle string, skip int, e *APIError) *APIError {
	i := strings.Index(strings.ToLower(q), strings.ToLower(needle))
	if i < 0 {
		return e
	}
	i += skip
	before := q[:i]
	row := 1 + strings.Count(before, "\n")
	if j := strings.LastIndexByte(before, '\n'); j >= 0 {
		before = before[j+1:]
	}
	e.Message = errorContext(q, row, 1+utf8.RuneCountInString(before)) + e.Message
	return e
}

// normalizeIDLiterals rewrites 15-character id literals compared with id
// and lookup fields to their 18-character form: Salesforce accepts either
// in a WHERE clause, and the store keeps 18.
func normalizeIDLiterals(obj *objectDef, e soql.Expr) {
	switch x := e.(type) {
	case *soql.And:
		for _, t := range x.Terms {
			normalizeIDLiterals(obj, t)
		}
	case *soql.Or:
		for _, t := range x.Terms {
			normalizeIDLiterals(obj, t)
		}
	case *soql.Not:
		normalizeIDLiterals(obj, x.X)
	case *soql.Comparison:
		f := pathField(obj, x.Path)
		if f == nil || (f.Type != tID && f.Type != tRef) {
			return
		}
		for i, lit := range x.Values {
			if str, ok := lit.Value.(string); ok && lit.Kind == soql.KindString {
				if id, ok := normalizeID(str); ok {
					x.Values[i].Value = id
				}
			}
		}
	}
}

// pathField is the field a validated path ends at.
func pathField(obj *objectDef, p soql.Path) *fieldDef {
	cur := obj
	for i, seg := range p {
		if i == len(p)-1 {
			return cur.field(seg)
		}
		rel := cur.relationship(seg)
		if rel == nil {
			return nil
		}
		if cur = schema.object(rel.ReferenceTo); cur == nil {
			return nil
		}
	}
	return nil
}
