package soql

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// paths builds []Path from dotted strings, to keep the tables short.
func paths(ss ...string) []Path {
	out := make([]Path, len(ss))
	for i, s := range ss {
		out[i] = Path(strings.Split(s, "."))
	}
	return out
}

func mustParse(t *testing.T, s string) *Query {
	t.Helper()
	q, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return q
}

func whereString(q *Query) string {
	if q.Where == nil {
		return ""
	}
	return q.Where.String()
}

func TestParse(t *testing.T) {
	tests := []struct {
		name      string
		soql      string
		object    string
		fields    []Path
		countOnly bool
		where     string // Expr.String(), "" for none
		orderBy   []Order
		limit     int
		offset    int
	}{
		{
			name: "reference §1 InstalledSubscriberPackage",
			soql: "SELECT Id, SubscriberPackageId, SubscriberPackage.NamespacePrefix, SubscriberPackage.Name, " +
				"SubscriberPackageVersion.Id, SubscriberPackageVersion.Name, SubscriberPackageVersion.MajorVersion, " +
				"SubscriberPackageVersion.MinorVersion, SubscriberPackageVersion.PatchVersion, " +
				"SubscriberPackageVersion.BuildNumber FROM InstalledSubscriberPackage ORDER BY SubscriberPackageId",
			object: "InstalledSubscriberPackage",
			fields: paths("Id", "SubscriberPackageId", "SubscriberPackage.NamespacePrefix", "SubscriberPackage.Name",
				"SubscriberPackageVersion.Id", "SubscriberPackageVersion.Name", "SubscriberPackageVersion.MajorVersion",
				"SubscriberPackageVersion.MinorVersion", "SubscriberPackageVersion.PatchVersion",
				"SubscriberPackageVersion.BuildNumber"),
			orderBy: []Order{{Path: Path{"SubscriberPackageId"}}},
			limit:   -1,
		},
		{
			name: "reference §7 step 1, LIKE on a relationship",
			soql: "SELECT Id, SubscriberPackage.NamespacePrefix, SubscriberPackageVersion.Id FROM InstalledSubscriberPackage " +
				"WHERE SubscriberPackage.Name LIKE 'Northpass%'",
			object: "InstalledSubscriberPackage",
			fields: paths("Id", "SubscriberPackage.NamespacePrefix", "SubscriberPackageVersion.Id"),
			where:  "SubscriberPackage.Name LIKE 'Northpass%'",
			limit:  -1,
		},
		{
			name:   "reference §2 CumulusCI install polling",
			soql:   "SELECT Errors, Status FROM PackageInstallRequest WHERE Id='0Hf000000000001AAA'",
			object: "PackageInstallRequest",
			fields: paths("Errors", "Status"),
			where:  "Id = '0Hf000000000001AAA'",
			limit:  -1,
		},
		{
			name:   "reference §2 uninstall errors, non-ASCII in a string",
			soql:   "SELECT Message FROM PackageVersionUninstallRequestError WHERE ParentRequest.Id='06y…'",
			object: "PackageVersionUninstallRequestError",
			fields: paths("Message"),
			where:  "ParentRequest.Id = '06y…'",
			limit:  -1,
		},
		{
			name:   "reference §3 find assignments",
			soql:   "SELECT Id, AssigneeId, Assignee.Username, ExpirationDate FROM PermissionSetAssignment WHERE PermissionSetId='0PS…'",
			object: "PermissionSetAssignment",
			fields: paths("Id", "AssigneeId", "Assignee.Username", "ExpirationDate"),
			where:  "PermissionSetId = '0PS…'",
			limit:  -1,
		},
		{
			name: "reference §3 filter through the relationship",
			soql: "SELECT Id, AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.Name='X' AND " +
				"PermissionSet.NamespacePrefix='ns' AND PermissionSet.IsOwnedByProfile=false",
			object: "PermissionSetAssignment",
			fields: paths("Id", "AssigneeId"),
			where:  "PermissionSet.Name = 'X' AND PermissionSet.NamespacePrefix = 'ns' AND PermissionSet.IsOwnedByProfile = false",
			limit:  -1,
		},
		{
			name:   "reference §4 Layout",
			soql:   "SELECT Id, Name, TableEnumOrId FROM Layout WHERE TableEnumOrId='Contact'",
			object: "Layout",
			fields: paths("Id", "Name", "TableEnumOrId"),
			where:  "TableEnumOrId = 'Contact'",
			limit:  -1,
		},
		{
			name:   "reference §7 step 2 with the bind replaced by a literal",
			soql:   "SELECT Id, Name, NamespacePrefix FROM PermissionSet WHERE NamespacePrefix='ns' AND Label='Northpass Standard User'",
			object: "PermissionSet",
			fields: paths("Id", "Name", "NamespacePrefix"),
			where:  "NamespacePrefix = 'ns' AND Label = 'Northpass Standard User'",
			limit:  -1,
		},
		{
			name:   "reference §8 admin check, bind replaced",
			soql:   "SELECT Profile.Name, Profile.PermissionsModifyAllData, Profile.PermissionsViewAllData FROM User WHERE Id='005000000000001AAA'",
			object: "User",
			fields: paths("Profile.Name", "Profile.PermissionsModifyAllData", "Profile.PermissionsViewAllData"),
			where:  "Id = '005000000000001AAA'",
			limit:  -1,
		},
		{
			name:   "reference §8 permission-set check, bind replaced",
			soql:   "SELECT Id FROM PermissionSetAssignment WHERE AssigneeId='005000000000001AAA' AND PermissionSet.PermissionsModifyAllData=true LIMIT 1",
			object: "PermissionSetAssignment",
			fields: paths("Id"),
			where:  "AssigneeId = '005000000000001AAA' AND PermissionSet.PermissionsModifyAllData = true",
			limit:  1,
		},
		{
			name:      "COUNT()",
			soql:      "SELECT COUNT() FROM PermissionSetAssignment WHERE AssigneeId = '005x'",
			object:    "PermissionSetAssignment",
			countOnly: true,
			where:     "AssigneeId = '005x'",
			limit:     -1,
		},
		{
			name:      "count() lower case with LIMIT",
			soql:      "select count ( ) from User limit 10",
			object:    "User",
			countOnly: true,
			limit:     10,
		},
		{
			name:   "keywords and names in any case, spelling kept",
			soql:   "select id, PROFILE.name from user where USERNAME = 'a' order by NAME desc nulls first limit 5 offset 10",
			object: "user",
			fields: paths("id", "PROFILE.name"),
			where:  "USERNAME = 'a'",
			orderBy: []Order{
				{Path: Path{"NAME"}, Desc: true, NullsLast: false},
			},
			limit:  5,
			offset: 10,
		},
		{
			name:   "ORDER BY defaults and explicit NULLS",
			soql:   "SELECT Id FROM Account ORDER BY Name, CreatedDate DESC, Owner.Name ASC NULLS LAST, Industry DESC NULLS FIRST",
			object: "Account",
			fields: paths("Id"),
			orderBy: []Order{
				{Path: Path{"Name"}},
				{Path: Path{"CreatedDate"}, Desc: true, NullsLast: true},
				{Path: Path{"Owner", "Name"}, NullsLast: true},
				{Path: Path{"Industry"}, Desc: true},
			},
			limit: -1,
		},
		{
			name:   "object and relationship named like keywords",
			soql:   "SELECT Id, Order.OrderNumber FROM Order ORDER BY Order.OrderNumber",
			object: "Order",
			fields: paths("Id", "Order.OrderNumber"),
			orderBy: []Order{
				{Path: Path{"Order", "OrderNumber"}},
			},
			limit: -1,
		},
		{
			name:   "every comparison operator, <> normalized",
			soql:   "SELECT Id FROM X WHERE a = 1 AND b != 2 AND c <> 3 AND d < 4 AND e <= 5 AND f > 6 AND g >= 7",
			object: "X",
			fields: paths("Id"),
			where:  "a = 1 AND b != 2 AND c != 3 AND d < 4 AND e <= 5 AND f > 6 AND g >= 7",
			limit:  -1,
		},
		{
			name:   "operators without spaces",
			soql:   "SELECT Id FROM X WHERE a>=1 AND b<>'x' AND c<=-2.5",
			object: "X",
			fields: paths("Id"),
			where:  "a >= 1 AND b != 'x' AND c <= -2.5",
			limit:  -1,
		},
		{
			name:   "IN and NOT IN",
			soql:   "SELECT Id FROM User WHERE Id IN ('a', 'b') AND Name NOT IN ('c',null) AND n in (1,2.5,-3)",
			object: "User",
			fields: paths("Id"),
			where:  "Id IN ('a', 'b') AND Name NOT IN ('c', null) AND n IN (1, 2.5, -3)",
			limit:  -1,
		},
		{
			name:   "literals",
			soql:   "SELECT Id FROM X WHERE a = null OR b = TRUE OR c = false OR d = 2025-11-20 OR e = 2025-11-20T00:00:00Z OR f > 2025-11-20T00:00:00.000+0000 OR g < 2025-11-20T10:30:00-08:00 OR h = TODAY OR i = yesterday",
			object: "X",
			fields: paths("Id"),
			where:  "a = null OR b = TRUE OR c = false OR d = 2025-11-20 OR e = 2025-11-20T00:00:00Z OR f > 2025-11-20T00:00:00.000+0000 OR g < 2025-11-20T10:30:00-08:00 OR h = TODAY OR i = yesterday",
			limit:  -1,
		},
		{
			name:   "whitespace of every kind",
			soql:   "SELECT\n\tId ,Name\r\nFROM  User\nWHERE\tName='x'",
			object: "User",
			fields: paths("Id", "Name"),
			where:  "Name = 'x'",
			limit:  -1,
		},
		{
			name:   "LIMIT 0 and OFFSET 2000 are allowed",
			soql:   "SELECT Id FROM User LIMIT 0 OFFSET 2000",
			object: "User",
			fields: paths("Id"),
			limit:  0,
			offset: 2000,
		},
		{
			name:   "OFFSET without LIMIT",
			soql:   "SELECT Id FROM User OFFSET 3",
			object: "User",
			fields: paths("Id"),
			limit:  -1,
			offset: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := mustParse(t, tt.soql)
			if q.Object != tt.object {
				t.Errorf("Object = %q, want %q", q.Object, tt.object)
			}
			if !reflect.DeepEqual(q.Fields, tt.fields) {
				t.Errorf("Fields = %q, want %q", q.Fields, tt.fields)
			}
			if q.CountOnly != tt.countOnly {
				t.Errorf("CountOnly = %v, want %v", q.CountOnly, tt.countOnly)
			}
			if got := whereString(q); got != tt.where {
				t.Errorf("Where = %q\nwant    %q", got, tt.where)
			}
			if !reflect.DeepEqual(q.OrderBy, tt.orderBy) {
				t.Errorf("OrderBy = %+v, want %+v", q.OrderBy, tt.orderBy)
			}
			if q.Limit != tt.limit || q.Offset != tt.offset {
				t.Errorf("Limit, Offset = %d, %d, want %d, %d", q.Limit, q.Offset, tt.limit, tt.offset)
			}
			// The printed WHERE is valid SOQL and parses to the same tree.
			if q.Where != nil {
				q2 := mustParse(t, "SELECT Id FROM X WHERE "+q.Where.String())
				if q2.Where.String() != q.Where.String() {
					t.Errorf("reparse: %q != %q", q2.Where.String(), q.Where.String())
				}
			}
		})
	}
}

func TestParseLiteralValues(t *testing.T) {
	q := mustParse(t, "SELECT Id FROM X WHERE a = null OR b = TRUE OR c = -12.5 OR d = 2025-11-20 OR "+
		"e = 2025-11-20T10:30:00.123+0100 OR f = 2025-11-20T10:30:00-08:00 OR g = Tomorrow OR h = 42")
	or, ok := q.Where.(*Or)
	if !ok {
		t.Fatalf("Where is %T, want *Or", q.Where)
	}
	want := []Literal{
		{Kind: KindNull, Value: nil, Text: "null"},
		{Kind: KindBool, Value: true, Text: "TRUE"},
		{Kind: KindNumber, Value: -12.5, Text: "-12.5"},
		{Kind: KindDate, Value: time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC), Text: "2025-11-20"},
		{Kind: KindDateTime, Value: time.Date(2025, 11, 20, 9, 30, 0, 123e6, time.UTC), Text: "2025-11-20T10:30:00.123+0100"},
		{Kind: KindDateTime, Value: time.Date(2025, 11, 20, 18, 30, 0, 0, time.UTC), Text: "2025-11-20T10:30:00-08:00"},
		{Kind: KindRelativeDate, Value: "TOMORROW", Text: "Tomorrow"},
		{Kind: KindNumber, Value: 42.0, Text: "42"},
	}
	if len(or.Terms) != len(want) {
		t.Fatalf("%d terms, want %d", len(or.Terms), len(want))
	}
	for i, term := range or.Terms {
		got := term.(*Comparison).Values[0]
		w := want[i]
		if got.Kind != w.Kind || got.Text != w.Text {
			t.Errorf("term %d: got %+v, want %+v", i, got, w)
			continue
		}
		if wt, ok := w.Value.(time.Time); ok {
			if gt, ok := got.Value.(time.Time); !ok || !gt.Equal(wt) {
				t.Errorf("term %d: time %v, want %v", i, got.Value, wt)
			}
		} else if got.Value != w.Value {
			t.Errorf("term %d: value %#v, want %#v", i, got.Value, w.Value)
		}
	}
}

// SOQL refuses to guess how AND, OR and NOT group: mixing AND and OR
// needs parentheses, and NOT covers exactly one condition. So the
// precedence tests check that each accepted form builds the tree its
// parentheses say, and that the ambiguous forms are rejected as on Salesforce.
func TestParsePrecedence(t *testing.T) {
	tests := []struct {
		soql string
		want string // Expr.String(), which parenthesizes every nested group
	}{
		{"a = 1 AND b = 2 AND c = 3", "a = 1 AND b = 2 AND c = 3"},
		{"a = 1 OR b = 2 OR c = 3", "a = 1 OR b = 2 OR c = 3"},
		{"(a = 1 AND b = 2) OR c = 3", "(a = 1 AND b = 2) OR c = 3"},
		{"a = 1 AND (b = 2 OR c = 3)", "a = 1 AND (b = 2 OR c = 3)"},
		{"NOT a = 1", "NOT a = 1"},
		{"NOT (a = 1 OR b = 2)", "NOT (a = 1 OR b = 2)"},
		{"(NOT a = 1) AND b = 2", "(NOT a = 1) AND b = 2"},
		{"a = 1 AND (NOT b = 2)", "a = 1 AND (NOT b = 2)"},
		{"((a = 1))", "a = 1"},
		{"(a = 1 OR (b = 2 AND (c = 3 OR d = 4)))", "a = 1 OR (b = 2 AND (c = 3 OR d = 4))"},
	}
	for _, tt := range tests {
		t.Run(tt.soql, func(t *testing.T) {
			q := mustParse(t, "SELECT Id FROM X WHERE "+tt.soql)
			if got := q.Where.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}

	// Tree shape, not only the printed form: NOT binds to one condition.
	q := mustParse(t, "SELECT Id FROM X WHERE (NOT a = 1) AND b = 2")
	and, ok := q.Where.(*And)
	if !ok || len(and.Terms) != 2 {
		t.Fatalf("Where = %#v, want And of 2", q.Where)
	}
	if _, ok := and.Terms[0].(*Not); !ok {
		t.Errorf("first term is %T, want *Not", and.Terms[0])
	}
	if _, ok := and.Terms[1].(*Comparison); !ok {
		t.Errorf("second term is %T, want *Comparison", and.Terms[1])
	}

	rejected := map[string]string{
		"a = 1 AND b = 2 OR c = 3":     "unexpected token: 'OR'",
		"a = 1 OR b = 2 AND c = 3":     "unexpected token: 'AND'",
		"(a = 1 AND b = 2 OR c = 3)":   "unexpected token: 'OR'",
		"a = 1 AND NOT b = 2":          "unexpected token: 'NOT'",
		"NOT a = 1 AND b = 2":          "unexpected token: 'AND'",
		"NOT NOT a = 1":                "unexpected token: 'NOT'",
		"a = 1 AND NOT (b = 2)":        "unexpected token: 'NOT'",
		"Name NOT LIKE 'x%'":           "unexpected token: 'LIKE'",
		"(a = 1":                       "unexpected token: '<EOF>'",
		"a = 1)":                       "unexpected token: ')'",
		"a = 1 AND":                    "unexpected token: '<EOF>'",
		"a = 1 AND b = 2 AND OR c = 3": "unexpected token: 'OR'",
	}
	for where, msg := range rejected {
		t.Run("rejects "+where, func(t *testing.T) {
			_, err := Parse("SELECT Id FROM X WHERE " + where)
			_ = assertError(t, err, CodeMalformedQuery, msg)
		})
	}
}

func TestParseEscapes(t *testing.T) {
	tests := []struct {
		literal string // as written between the quotes
		want    string
	}{
		{`plain`, "plain"},
		{``, ""},
		{`Bob\'s BBQ`, "Bob's BBQ"},
		{`back\\slash`, `back\slash`},
		{`dq\"x`, `dq"x`},
		{`a\nb\rc\td\be\ff`, "a\nb\rc\td\be\ff"},
		{`A\NB\RC\TD\BE\FF`, "A\nB\rC\tD\bE\fF"},
		{`caf\u00e9 \u00C9`, "café É"},
		{`%_ are plain outside escapes`, "%_ are plain outside escapes"},
		{`ends with backslash\\`, `ends with backslash\`},
		{"raw\nnewline and tab\t", "raw\nnewline and tab\t"},
		{"héllo 世界", "héllo 世界"},
	}
	for _, tt := range tests {
		t.Run(tt.literal, func(t *testing.T) {
			q := mustParse(t, "SELECT Id FROM User WHERE Username = '"+tt.literal+"'")
			c := q.Where.(*Comparison)
			if got := c.Values[0].Value.(string); got != tt.want {
				t.Errorf("decoded %q, want %q", got, tt.want)
			}
			if c.Values[0].Text != "'"+tt.literal+"'" {
				t.Errorf("Text = %q", c.Values[0].Text)
			}
		})
	}
}

func assertError(t *testing.T, err error, code, msgPart string) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s containing %q", code, msgPart)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is %T, want *Error", err, err)
	}
	if e.Code != code || !strings.Contains(e.Message, msgPart) {
		t.Fatalf("got %s: %q\nwant %s containing %q", e.Code, e.Message, code, msgPart)
	}
	return e
}

func TestParseErrors(t *testing.T) {
	const mq = CodeMalformedQuery
	tests := []struct {
		name, soql, code, msg string
	}{
		{"empty", "", mq, "unexpected token: '<EOF>'"},
		{"not a select", "DELETE FROM User", mq, "unexpected token: 'DELETE'"},
		{"unterminated string", "SELECT Id FROM User WHERE Username = 'abc", mq, "mismatched character '<EOF>' expecting '''"},
		{"string ending in a lone backslash", `SELECT Id FROM User WHERE Username = 'abc\`, mq, "mismatched character '<EOF>'"},
		{"string ending in an escaped quote", `SELECT Id FROM User WHERE Username = 'abc\'`, mq, "mismatched character '<EOF>'"},
		{"bad escape", `SELECT Id FROM User WHERE Username = 'a\qb'`, mq, `Invalid string literal 'a\qb'. Illegal character sequence '\q' in string literal.`},
		{"bad unicode escape", `SELECT Id FROM User WHERE Username = '\u12'`, mq, `Illegal character sequence '\u'`},
		{"upper-case \\U is not an escape", `SELECT Id FROM User WHERE Username = '\U00e9'`, mq, `Illegal character sequence '\U'`},
		{"\\% outside LIKE", `SELECT Id FROM User WHERE Username = '100\%'`, mq, `Illegal character sequence '\%'`},
		{"\\_ inside IN", `SELECT Id FROM User WHERE Username IN ('a\_b')`, mq, `Illegal character sequence '\_'`},
		{"double-quoted string", `SELECT Id FROM User WHERE Username = "x"`, mq, `no viable alternative at character '"'`},
		{"stray character", "SELECT Id FROM User WHERE Id = 'a' # comment", mq, "no viable alternative at character '#'"},
		{"lone bang", "SELECT Id FROM User WHERE Id ! 'a'", mq, "no viable alternative at character '!'"},
		{"missing FROM", "SELECT Id User", mq, "unexpected token: 'User'"},
		{"missing FROM at end", "SELECT Id, Name", mq, "unexpected token: '<EOF>'"},
		{"empty select list", "SELECT FROM User", mq, "unexpected token: 'FROM'"},
		{"trailing comma in select", "SELECT Id, FROM User", mq, "unexpected token: 'FROM'"},
		{"missing object", "SELECT Id FROM", mq, "unexpected token: '<EOF>'"},
		{"reserved object", "SELECT Id FROM Where", mq, "unexpected token: 'Where'"},
		{"dangling dot", "SELECT Profile. FROM User", mq, "unexpected token: 'FROM'"},
		{"trailing garbage", "SELECT Id FROM User LIMIT 1 foo", mq, "unexpected token: 'foo'"},
		{"trailing garbage after where", "SELECT Id FROM User WHERE Id = 'a' 'b'", mq, "unexpected token: ''b''"},
		{"clause order", "SELECT Id FROM User LIMIT 1 WHERE Id = 'a'", mq, "unexpected token: 'WHERE'"},
		{"OFFSET before LIMIT", "SELECT Id FROM User OFFSET 1 LIMIT 1", mq, "unexpected token: 'LIMIT'"},
		{"ORDER without BY", "SELECT Id FROM User ORDER Name", mq, "unexpected token: 'ORDER'"},
		{"bad NULLS", "SELECT Id FROM User ORDER BY Name NULLS MIDDLE", mq, "unexpected token: 'MIDDLE'"},
		{"empty WHERE", "SELECT Id FROM User WHERE", mq, "unexpected token: '<EOF>'"},
		{"missing operator", "SELECT Id FROM User WHERE Id 'a'", mq, "unexpected token: ''a''"},
		{"missing value", "SELECT Id FROM User WHERE Id =", mq, "unexpected token: '<EOF>'"},
		{"name as value", "SELECT Id FROM User WHERE Id = Name", mq, "unexpected token: 'Name'"},
		{"empty IN list", "SELECT Id FROM User WHERE Id IN ()", mq, "unexpected token: ')'"},
		{"unclosed IN list", "SELECT Id FROM User WHERE Id IN ('a' 'b')", mq, "unexpected token: ''b''"},
		{"bind variable", "SELECT Profile.Name, Profile.PermissionsModifyAllData, Profile.PermissionsViewAllData FROM User WHERE Id=:userId", mq, "Bind variables only allowed in Apex code"},
		{"bind variable §7", "SELECT Id, Name, NamespacePrefix FROM PermissionSet WHERE NamespacePrefix=:ns AND Label='Northpass Standard User'", mq, "Bind variables only allowed in Apex code"},
		{"bind variable §8 second query", "SELECT Id FROM PermissionSetAssignment WHERE AssigneeId=:userId AND PermissionSet.PermissionsModifyAllData=true LIMIT 1", mq, "Bind variables only allowed in Apex code"},
		{"bind list", "SELECT Id FROM User WHERE Id IN :ids", mq, "Bind variables only allowed in Apex code"},
		{"bare name as list", "SELECT Id FROM User WHERE Id IN ids", mq, "Bind variables only allowed in Apex code"},
		{"bind in list", "SELECT Id FROM User WHERE Id IN ('a', :b)", mq, "Bind variables only allowed in Apex code"},
		{"bind limit", "SELECT Id FROM User LIMIT :n", mq, "Bind variables only allowed in Apex code"},
		{"negative LIMIT", "SELECT Id FROM User LIMIT -1", mq, "unexpected token: '-1'"},
		{"fractional LIMIT", "SELECT Id FROM User LIMIT 1.5", mq, "unexpected token: '1.5'"},
		{"word LIMIT", "SELECT Id FROM User LIMIT ten", mq, "unexpected token: 'ten'"},
		{"huge LIMIT", "SELECT Id FROM User LIMIT 99999999999999999999999", CodeNumberOutsideValidRange, "number out of range"},
		{"OFFSET above 2000", "SELECT Id FROM User OFFSET 2001", CodeNumberOutsideValidRange, "Maximum SOQL offset allowed is 2000"},
		{"duplicate field", "SELECT Id, Name, id FROM User", mq, "duplicate field selected: id"},
		{"COUNT() with fields", "SELECT COUNT(), Id FROM User", mq, "unexpected token: ','"},
		{"bad month", "SELECT Id FROM User WHERE CreatedDate > 2025-13-01", mq, "invalid date or dateTime literal: '2025-13-01'"},
		{"datetime without zone", "SELECT Id FROM User WHERE CreatedDate > 2025-11-20T00:00:00", mq, "invalid date or dateTime literal"},
		{"short date", "SELECT Id FROM User WHERE CreatedDate > 2025-1", mq, "invalid date or dateTime literal: '2025-1'"},
		{"LIKE needs a string", "SELECT Id FROM User WHERE Name LIKE 5", CodeInvalidQueryFilterOperator, "must be of type string and should be enclosed in quotes"},
		{"LIKE null", "SELECT Id FROM User WHERE Name LIKE null", CodeInvalidQueryFilterOperator, "must be of type string"},
		{"ordering a boolean", "SELECT Id FROM User WHERE IsActive > true", CodeInvalidQueryFilterOperator, "invalid operator on boolean value: '>'"},

		// Valid SOQL outside the subset: MALFORMED_QUERY, and the message says why.
		{"GROUP BY", "SELECT Name FROM Account GROUP BY Name", mq, "does not support GROUP BY"},
		{"WITH", "SELECT Id FROM Account WITH SECURITY_ENFORCED", mq, "does not support WITH"},
		{"FOR UPDATE", "SELECT Id FROM Account LIMIT 1 FOR UPDATE", mq, "does not support FOR VIEW/REFERENCE/UPDATE"},
		{"USING SCOPE", "SELECT Id FROM Account USING SCOPE mine", mq, "does not support USING SCOPE"},
		{"ALL ROWS", "SELECT Id FROM Account ALL ROWS", mq, "does not support ALL ROWS"},
		{"alias", "SELECT Id FROM User u", mq, "does not support object aliases"},
		{"aggregate", "SELECT COUNT(Id) FROM User", mq, "does not support aggregate functions such as COUNT(field)"},
		{"select function", "SELECT toLabel(Status) FROM Lead", mq, "does not support functions in SELECT (toLabel)"},
		{"subquery", "SELECT Id, (SELECT Id FROM Contacts) FROM Account", mq, "does not support relationship subqueries"},
		{"TYPEOF", "SELECT TYPEOF What WHEN Account THEN Name END FROM Event", mq, "does not support TYPEOF"},
		{"semi-join", "SELECT Id FROM User WHERE Id IN (SELECT AssigneeId FROM PermissionSetAssignment)", mq, "semi-join subqueries"},
		{"where function", "SELECT Id FROM Opportunity WHERE CALENDAR_YEAR(CloseDate) = 2025", mq, "does not support functions in WHERE (CALENDAR_YEAR)"},
		{"order function", "SELECT Id FROM Account ORDER BY MAX(Name)", mq, "does not support functions in ORDER BY (MAX)"},
		{"INCLUDES", "SELECT Id FROM X WHERE Multi__c INCLUDES ('a')", mq, "does not support INCLUDES and EXCLUDES"},
		{"relative date range", "SELECT Id FROM Account WHERE CreatedDate = THIS_MONTH", mq, "does not support the date literal THIS_MONTH"},
		{"relative date with n", "SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:30", mq, "does not support the date literal LAST_N_DAYS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.soql)
			if q != nil {
				t.Errorf("got a query along with the error")
			}
			_ = assertError(t, err, tt.code, tt.msg)
		})
	}
}

func TestErrorPosition(t *testing.T) {
	_, err := Parse("SELECT Id\nFROM User\nWHERE Name = 'é' AND Id = 'a' OR Id = 'b'")
	e := assertError(t, err, CodeMalformedQuery, "unexpected token: 'OR'")
	if e.Row != 3 || e.Column != 31 {
		t.Errorf("position Row:%d Column:%d, want Row:3 Column:31", e.Row, e.Column)
	}
	if got := e.Error(); got != "MALFORMED_QUERY: unexpected token: 'OR'" {
		t.Errorf("Error() = %q", got)
	}

	_, err = Parse("SELECT Id FROM User WHERE Name = 'abc")
	e = assertError(t, err, CodeMalformedQuery, "line 1:38 mismatched character '<EOF>'")
	if e.Row != 1 || e.Column != 38 {
		t.Errorf("position Row:%d Column:%d, want Row:1 Column:38", e.Row, e.Column)
	}
}

func TestPaths(t *testing.T) {
	q := mustParse(t, "SELECT Id, Assignee.Username, ExpirationDate FROM PermissionSetAssignment "+
		"WHERE (PermissionSet.Name = 'X' OR assignee.username LIKE 'a%') AND (NOT ExpiresOn__c < 2025-01-01) "+
		"ORDER BY ExpirationDate DESC, Assignee.Profile.Name")
	want := paths("Id", "Assignee.Username", "ExpirationDate", "PermissionSet.Name", "ExpiresOn__c", "Assignee.Profile.Name")
	if got := q.Paths(); !reflect.DeepEqual(got, want) {
		t.Errorf("Paths() = %q\nwant      %q", got, want)
	}

	q = mustParse(t, "SELECT COUNT() FROM User")
	if got := q.Paths(); len(got) != 0 {
		t.Errorf("Paths() = %q, want none", got)
	}
}

func TestPathHelpers(t *testing.T) {
	p := Path{"Assignee", "Profile", "Name"}
	if p.String() != "Assignee.Profile.Name" {
		t.Errorf("String() = %q", p.String())
	}
	if !p.EqualFold(Path{"assignee", "PROFILE", "name"}) || p.EqualFold(Path{"Assignee", "Profile"}) ||
		p.EqualFold(Path{"Assignee", "Profile", "Id"}) {
		t.Error("EqualFold is wrong")
	}
}
