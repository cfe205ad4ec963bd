package soql

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// rec is a test record: dotted paths mapped to values, looked up without
// regard to case, as the real store does. A path that is not a key is
// unknown (ok=false). To model a null parent, add the path with a nil value.
type rec map[string]any

func (m rec) Resolve(p Path) (any, bool) {
	for k, v := range m {
		if Path(splitDots(k)).EqualFold(p) {
			return v, true
		}
	}
	return nil, false
}

func splitDots(s string) []string { return paths(s)[0] }

func records(rs ...rec) []Record {
	out := make([]Record, len(rs))
	for i, r := range rs {
		out[i] = r
	}
	return out
}

func ids(rs []Record) []string {
	out := []string{}
	for _, r := range rs {
		v, _ := r.Resolve(Path{"Id"})
		out = append(out, v.(string))
	}
	return out
}

var (
	t20    = time.Date(2025, 11, 20, 10, 0, 0, 0, time.UTC)
	alice  = rec{"Id": "u1", "Username": "alice@example.com", "Name": "Alice", "Age": 30, "Score": 4.5, "IsActive": true, "CreatedDate": t20, "Profile.Name": "System Administrator", "Manager.Name": nil, "Title": nil}
	bob    = rec{"Id": "u2", "Username": "bob@example.com", "Name": "bob", "Age": int64(41), "Score": float32(2), "IsActive": false, "CreatedDate": "2025-11-19T23:30:00.000+0000", "Profile.Name": "Standard User", "Manager.Name": "Alice", "Title": "Engineer"}
	carol  = rec{"Id": "u3", "Username": "carol_x%@example.com", "Name": "Carol", "Age": nil, "Score": json.Number("7"), "IsActive": nil, "CreatedDate": "2025-11-21", "Profile.Name": "Standard User", "Manager.Name": "Bob", "Title": "100% Manager"}
	people = []rec{alice, bob, carol}
)

func TestMatch(t *testing.T) {
	// TODAY is 2025-11-20 during this test.
	defer func(f func() time.Time) { now = f }(now)
	now = func() time.Time { return time.Date(2025, 11, 20, 23, 59, 0, 0, time.FixedZone("x", 3600)) } // 22:59 UTC

	tests := []struct {
		where string
		want  []string // ids of the matching people
	}{
		// Strings: = != IN ignore case.
		{"Username = 'ALICE@example.com'", []string{"u1"}},
		{"Username != 'alice@EXAMPLE.com'", []string{"u2", "u3"}},
		{"Username <> 'alice@example.com'", []string{"u2", "u3"}},
		{"Name IN ('ALICE', 'Bob')", []string{"u1", "u2"}},
		{"Name NOT IN ('alice')", []string{"u2", "u3"}},
		{"Name > 'B'", []string{"u2", "u3"}}, // bob and Carol, ignoring case
		{"Name <= 'bob'", []string{"u1", "u2"}},

		// Nulls, in SOQL's two-valued logic.
		{"Title = null", []string{"u1"}},
		{"Title != null", []string{"u2", "u3"}},
		{"Title != 'Engineer'", []string{"u1", "u3"}}, // null is "not Engineer"
		{"Title NOT IN ('Engineer')", []string{"u1", "u3"}},
		{"Title IN ('Engineer', null)", []string{"u1", "u2"}},
		{"Age < 100", []string{"u1", "u2"}}, // carol's null Age is not < 100
		{"Age = null", []string{"u3"}},
		{"Manager.Name = null", []string{"u1"}},
		{"Manager.Name = 'alice'", []string{"u2"}},
		{"Title > null", nil},

		// Numbers from every Go type, compared numerically.
		{"Age = 30", []string{"u1"}},
		{"Age = 30.0", []string{"u1"}},
		{"Age >= 30", []string{"u1", "u2"}},
		{"Age > 30.5", []string{"u2"}},
		{"Age IN (41, 99)", []string{"u2"}},
		{"Score > -1", []string{"u1", "u2", "u3"}},
		{"Score = 7", []string{"u3"}},
		{"Score < 4.5", []string{"u2"}},

		// Booleans. A null checkbox reads as false.
		{"IsActive = true", []string{"u1"}},
		{"IsActive = FALSE", []string{"u2", "u3"}},
		{"IsActive != true", []string{"u2", "u3"}},
		{"IsActive = null", []string{"u2", "u3"}},
		{"IsActive != null", []string{"u1"}},

		// Dates and datetimes, as time.Time or strings in Salesforce's formats.
		{"CreatedDate = 2025-11-20", []string{"u1"}},
		{"CreatedDate > 2025-11-19", []string{"u1", "u3"}},
		{"CreatedDate >= 2025-11-19", []string{"u1", "u2", "u3"}},
		{"CreatedDate < 2025-11-20T00:00:00Z", []string{"u2"}},
		{"CreatedDate = 2025-11-20T10:00:00Z", []string{"u1"}},
		{"CreatedDate = 2025-11-20T11:00:00+01:00", []string{"u1"}},
		{"CreatedDate = 2025-11-20T10:00:00.000+0000", []string{"u1"}},
		{"CreatedDate > 2025-11-19T23:00:00-01:00", []string{"u1", "u3"}}, // that is midnight UTC on the 20th
		{"CreatedDate IN (2025-11-21, 2025-11-19)", []string{"u2", "u3"}},
		{"CreatedDate = TODAY", []string{"u1"}},
		{"CreatedDate = YESTERDAY", []string{"u2"}},
		{"CreatedDate = TOMORROW", []string{"u3"}},
		{"CreatedDate > YESTERDAY", []string{"u1", "u3"}},

		// LIKE: case-insensitive, % and _ wildcards, \% and \_ literal.
		{"Username LIKE 'a%'", []string{"u1"}},
		{"Username LIKE '%@EXAMPLE.COM'", []string{"u1", "u2", "u3"}},
		{"Name LIKE '_o_'", []string{"u2"}},
		{"Name LIKE '%'", []string{"u1", "u2", "u3"}},
		{"Name LIKE ''", nil},
		{"Name LIKE 'Carol'", []string{"u3"}},
		{"Name LIKE 'Caro'", nil},
		{"Name LIKE '%%o%%'", []string{"u2", "u3"}},
		{`Username LIKE 'carol\_x\%@%'`, []string{"u3"}},
		{`Username LIKE 'carol\_%'`, []string{"u3"}},
		{`Username LIKE 'alice\_%'`, nil},
		{`Username LIKE '%\%%'`, []string{"u3"}},
		{"Username LIKE '%\\%@%'", []string{"u3"}},
		{"Title LIKE '100% M%'", []string{"u3"}},
		{"Title LIKE '%'", []string{"u2", "u3"}}, // null never matches LIKE
		{`Name LIKE 'b\\%'`, nil},                // an escaped backslash, then the wildcard

		// Logic.
		{"Name = 'alice' AND Age = 30", []string{"u1"}},
		{"Name = 'alice' AND Age = 41", nil},
		{"Name = 'alice' OR Age = 41", []string{"u1", "u2"}},
		{"NOT Name = 'alice'", []string{"u2", "u3"}},
		{"NOT (Name = 'alice' OR Name = 'bob')", []string{"u3"}},
		{"NOT Name LIKE 'a%'", []string{"u2", "u3"}},
		{"(Name = 'alice' AND Age = 41) OR Name = 'carol'", []string{"u3"}},
		{"Name = 'alice' AND (Age = 41 OR Name = 'carol')", nil},
		{"(Name = 'bob' AND (NOT IsActive = true)) OR (Profile.Name = 'System Administrator' AND Age > 1)", []string{"u1", "u2"}},
	}
	for _, tt := range tests {
		t.Run(tt.where, func(t *testing.T) {
			q := mustParse(t, "SELECT Id FROM User WHERE "+tt.where)
			var got []string
			for _, p := range people {
				ok, err := q.Match(p)
				if err != nil {
					t.Fatalf("Match(%v): %v", p["Id"], err)
				}
				if ok {
					got = append(got, p["Id"].(string))
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("matched %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMatchNoWhere(t *testing.T) {
	q := mustParse(t, "SELECT Id FROM User")
	if ok, err := q.Match(rec{}); !ok || err != nil {
		t.Errorf("Match = %v, %v; want true, nil", ok, err)
	}
}

func TestMatchErrors(t *testing.T) {
	tests := []struct {
		where string
		r     rec
		code  string
		msg   string
	}{
		{"Nope = 'x'", alice, CodeInvalidField, "No such column 'Nope' on entity 'User'"},
		{"Nope.Name = 'x'", alice, CodeInvalidField, "Didn't understand relationship 'Nope' in field path"},
		{"Name = 5", alice, CodeInvalidQueryFilterOperator, "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes"},
		{"Name > 5", alice, CodeInvalidQueryFilterOperator, "must be of type string"},
		{"Name IN (5)", alice, CodeInvalidQueryFilterOperator, "must be of type string"},
		{"Name = true", alice, CodeInvalidQueryFilterOperator, "must be of type string"},
		{"Name = 2025-11-20", alice, CodeInvalidQueryFilterOperator, "must be of type string"},
		{"Age = '30'", alice, CodeInvalidQueryFilterOperator, "field 'Age' must be of type double and should not be enclosed in quotes"},
		{"Age LIKE '3%'", alice, CodeInvalidQueryFilterOperator, "must be of type double"},
		{"IsActive = 'true'", alice, CodeInvalidQueryFilterOperator, "must be of type boolean"},
		{"CreatedDate = 'x'", alice, CodeInvalidQueryFilterOperator, "must be of type dateTime"},
		{"CreatedDate > 5", alice, CodeInvalidQueryFilterOperator, "must be of type dateTime"},
		{"Age = 2025-11-20", alice, CodeInvalidQueryFilterOperator, "must be of type double"},
		// AND stops at the first false term, as Salesforce would not care either.
		{"Name = 'x' AND Age = 'oops'", alice, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.where, func(t *testing.T) {
			q := mustParse(t, "SELECT Id FROM User WHERE "+tt.where)
			ok, err := q.Match(tt.r)
			if tt.code == "" {
				if err != nil || ok {
					t.Fatalf("Match = %v, %v; want false, nil", ok, err)
				}
				return
			}
			if ok {
				t.Errorf("Match returned true with an error")
			}
			_ = assertError(t, err, tt.code, tt.msg)
		})
	}
}

// equalFold must not treat different invalid bytes as the same character,
// which strings.EqualFold does (both decode to U+FFFD).
func TestEqualFold(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"", "", true},
		{"abc", "ABC", true},
		{"straße", "STRASSE", false}, // simple folding only, like strings.EqualFold
		{"Ωmega", "ωMEGA", true},
		{"k", "\u212a", true}, // Kelvin sign folds to k
		{"\xff", "\xfe", false},
		{"\xff", "\xff", true},
		{"a\xffB", "A\xffb", true},
		{"\xff", "\uFFFD", false},
		{"ab", "a", false},
	}
	for _, tt := range tests {
		if got := equalFold(tt.a, tt.b); got != tt.want {
			t.Errorf("equalFold(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestLikeMatch(t *testing.T) {
	tests := []struct {
		pattern string // SOQL literal body
		s       string
		want    bool
	}{
		{"abc", "ABC", true},
		{"a_c", "abc", true},
		{"a_c", "ac", false},
		{"a_c", "aéc", true}, // _ is one character, not one byte
		{"a%c", "ac", true},
		{"a%c", "abbbbc", true},
		{"a%c", "abbbbcd", false},
		{"%a%b%c%", "xxaxxbxxcxx", true},
		{"%a%b%c%", "xxcxxbxxaxx", false},
		{"%%%", "", true},
		{"_%", "", false},
		{`\%`, "%", true},
		{`\%`, "x", false},
		{`\_`, "_", true},
		{`\_`, "x", false},
		{`50\%%`, "50% off", true},
		{`50\%%`, "500 off", false},
		{`\\%`, `\anything`, true},
		{"%aaa%aab", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", true},
		{"%aaa%aac", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", false},
		{"a\xffb", "A\xffB", true},
		{"a_b", "a\xffb", true},
	}
	for _, tt := range tests {
		q := mustParse(t, "SELECT Id FROM X WHERE v LIKE '"+tt.pattern+"'")
		got, err := q.Match(rec{"v": tt.s})
		if err != nil {
			t.Fatalf("%q LIKE %q: %v", tt.s, tt.pattern, err)
		}
		if got != tt.want {
			t.Errorf("%q LIKE '%s' = %v, want %v", tt.s, tt.pattern, got, tt.want)
		}
	}
}

func TestExecuteOrderBy(t *testing.T) {
	rs := records(
		rec{"Id": "1", "Name": "banana", "Rank": 2, "Team": "b"},
		rec{"Id": "2", "Name": nil, "Rank": 1, "Team": "a"},
		rec{"Id": "3", "Name": "Apple", "Rank": nil, "Team": "b"},
		rec{"Id": "4", "Name": "cherry", "Rank": 3, "Team": "a"},
		rec{"Id": "5", "Name": "apple", "Rank": 2, "Team": nil},
	)
	tests := []struct {
		orderBy string
		want    []string
	}{
		{"", []string{"1", "2", "3", "4", "5"}},                            // no ORDER BY keeps input order
		{"Name", []string{"2", "3", "5", "1", "4"}},                        // nulls first; Apple/apple tie keeps input order
		{"Name ASC", []string{"2", "3", "5", "1", "4"}},                    // same
		{"Name ASC NULLS LAST", []string{"3", "5", "1", "4", "2"}},         // nulls moved
		{"Name DESC", []string{"4", "1", "3", "5", "2"}},                   // nulls last for DESC; ties still stable
		{"Name DESC NULLS FIRST", []string{"2", "4", "1", "3", "5"}},       // nulls moved
		{"Rank", []string{"3", "2", "1", "5", "4"}},                        // numbers of mixed Go types
		{"Rank DESC", []string{"4", "1", "5", "2", "3"}},                   // stable within Rank 2
		{"Team, Rank DESC", []string{"5", "4", "2", "1", "3"}},             // second key breaks ties
		{"team DESC NULLS FIRST, name", []string{"5", "3", "1", "2", "4"}}, // case-insensitive paths
	}
	for _, tt := range tests {
		t.Run(tt.orderBy, func(t *testing.T) {
			soql := "SELECT Id FROM X"
			if tt.orderBy != "" {
				soql += " ORDER BY " + tt.orderBy
			}
			q := mustParse(t, soql)
			got, err := Execute(q, rs)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(got), tt.want) {
				t.Errorf("order %q, want %q", ids(got), tt.want)
			}
		})
	}
}

func TestLessValueKinds(t *testing.T) {
	q := mustParse(t, "SELECT Id FROM X ORDER BY v")
	less := func(a, b any) bool { return q.Less(rec{"v": a}, rec{"v": b}) }
	d1 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		a, b any
		want bool
	}{
		{nil, "a", true},
		{"a", nil, false},
		{nil, nil, false},
		{"a", "B", true},
		{"B", "a", false},
		{"a", "A", false},
		{false, true, true},
		{true, false, false},
		{1, 2.5, true},
		{uint8(3), int64(2), false},
		{d1, d1.Add(time.Second), true},
		{"2025-01-01T01:00:00+02:00", "2025-01-01T00:00:00Z", true}, // strings that are datetimes compare as instants
		{"2025-01-01T00:00:00.000+0000", d1.Add(time.Hour), true},
		{d1, "2024-12-31", false},
		{json.Number("10"), 9, false},
	}
	for _, tt := range tests {
		if got := less(tt.a, tt.b); got != tt.want {
			t.Errorf("Less(%#v, %#v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	// With no ORDER BY nothing is less.
	if mustParse(t, "SELECT Id FROM X").Less(rec{"v": 1}, rec{"v": 2}) {
		t.Error("Less without ORDER BY returned true")
	}
}

func TestExecuteLimitOffset(t *testing.T) {
	var rs []Record
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		rs = append(rs, rec{"Id": id, "Keep": id != "c"})
	}
	tests := []struct {
		clause string
		want   []string
	}{
		{"", []string{"a", "b", "d", "e"}},
		{"LIMIT 2", []string{"a", "b"}},
		{"LIMIT 0", []string{}},
		{"LIMIT 100", []string{"a", "b", "d", "e"}},
		{"OFFSET 1", []string{"b", "d", "e"}},
		{"LIMIT 2 OFFSET 1", []string{"b", "d"}},
		{"LIMIT 2 OFFSET 3", []string{"e"}},
		{"OFFSET 4", []string{}},
		{"OFFSET 2000", []string{}},
		{"ORDER BY Id DESC LIMIT 2 OFFSET 1", []string{"d", "b"}}, // sort, then offset, then limit
	}
	for _, tt := range tests {
		t.Run(tt.clause, func(t *testing.T) {
			q := mustParse(t, "SELECT Id FROM X WHERE Keep = true "+tt.clause)
			got, err := Execute(q, rs)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(got), tt.want) {
				t.Errorf("got %q, want %q", ids(got), tt.want)
			}
		})
	}
}

func TestExecuteCount(t *testing.T) {
	q := mustParse(t, "SELECT COUNT() FROM User WHERE Profile.Name = 'standard user'")
	got, err := Execute(q, records(people...))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Errorf("count = %d, want 2", len(got))
	}
	q = mustParse(t, "SELECT COUNT() FROM User LIMIT 1")
	if got, _ := Execute(q, records(people...)); len(got) != 1 {
		t.Errorf("count with LIMIT 1 = %d, want 1", len(got))
	}
}

func TestExecuteErrors(t *testing.T) {
	q := mustParse(t, "SELECT Id FROM User WHERE Age > 'x'")
	_, err := Execute(q, records(people...))
	_ = assertError(t, err, CodeInvalidQueryFilterOperator, "field 'Age' must be of type double")

	q = mustParse(t, "SELECT Id FROM User ORDER BY Missing")
	_, err = Execute(q, records(people...))
	_ = assertError(t, err, CodeInvalidField, "No such column 'Missing' on entity 'User'")

	// No records, no evaluation, no error: schema checks belong to the store.
	if got, err := Execute(q, nil); err != nil || len(got) != 0 {
		t.Errorf("Execute on nothing = %v, %v", got, err)
	}
}
