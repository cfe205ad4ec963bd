package provider

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake/soql"
)

// The Salesforce client builds SOQL from what users write: permission set
// labels, usernames, layout names. Whatever the string, the query must find
// exactly the record holding that string, not a decoy one character away,
// and the fake's own SOQL parser must see the query's intended structure
// with the string as one literal: a quote, a backslash or "' OR Name != '"
// can never add a condition.
//
// It lives here rather than in internal/sfapi because the client's tests do
// not use the fake (each side writes the wire format on its own).
func FuzzSuite_SOQLFromUserStrings(f *testing.F) {
	for _, s := range []string{
		"Northpass Standard User", "jane.doe@acme.example", "Contact Layout",
		"Bob's BBQ", `back\slash`, `\'`, `'\`, `"quoted"`, `it''s`, `\\'`,
		"' OR Name != '", "x' OR IsOwnedByProfile = true OR Label = 'x",
		"a'); DELETE FROM User; --", "100%_match", `\%\_`, "%", "_",
		"line\nbreak", "tab\there", "Ünïcödé 世界", "emoji 🚀", "(", ")", ",", "=",
		"null", "NULL", "true", "TODAY", "2025-11-20", "2025-11-20T00:00:00Z", "42", "-1.5e3",
		"SELECT Id FROM User", " AND ", "Label", "'", `\`,
		"İstanbul", "\u212Aelvin", "Straße", "ǅ", "ﬀ", // case folding that changes length or script
	} {
		f.Add(s)
	}
	org := &fakeOrg{Server: sffake.NewTestServer(f, sffake.Options{})}
	token := org.IssueAccessToken(sffake.DefaultAdminUsername)
	profile, ok := org.Lookup("Profile", "Name", "Standard User")
	if !ok {
		f.Fatal("the fake has no Standard User profile")
	}
	newClient := func(t testing.TB) *sfapi.Client {
		// A new client each time: its read cache must not answer for the
		// fake.
		c, err := sfapi.New(sfapi.Config{InstanceURL: org.URL(), AccessToken: token, RetryMax: -1})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// The queries a layout look-up sends for a plain name: a name, whatever
	// it is, must not change them (the client matches names itself).
	org.Kit().Reset()
	if _, err := resolveLayout(context.Background(), newClient(f), rlContactLayout); err != nil {
		f.Fatal(err)
	}
	layoutQueries := strings.Join(soqlQueries(org, ""), "\n")
	var n int
	f.Fuzz(func(t *testing.T, s string) {
		// Salesforce text is UTF-8 without NULs; the API trims nothing, but
		// the client trims usernames as pasted values often need.
		if s == "" || !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Skip("not text Salesforce stores")
		}
		n++
		client := newClient(t)
		decoy := oneCharOff(s)
		ctx := context.Background()

		t.Run("permission set label", func(t *testing.T) {
			skipIfTaken(t, org, "PermissionSet", "Label", s, decoy)
			want := insertOrSkip(t, org, "PermissionSet", map[string]any{"Name": fmt.Sprintf("Fuzz_%d_A", n), "Label": s})
			insertOrSkip(t, org, "PermissionSet", map[string]any{"Name": fmt.Sprintf("Fuzz_%d_B", n), "Label": decoy})
			org.Kit().Reset()
			got, err := client.FindPermissionSets(ctx, sfapi.PermissionSetFilter{Label: s})
			if err != nil {
				t.Fatalf("FindPermissionSets(%q): %v", s, err)
			}
			if len(got) != 1 || !sameRecordID(got[0].ID, want) {
				t.Fatalf("FindPermissionSets(%q) = %+v, want only %s (decoy %q)", s, got, want, decoy)
			}
			expectOneStringComparison(t, org, "PermissionSet", "Label", s, 2, false)
		})

		t.Run("username", func(t *testing.T) {
			// Salesforce wants an @ inside; the rest is the fuzzer's.
			s := s
			if at := strings.IndexByte(s, '@'); at <= 0 || at == len(s)-1 {
				s += "@fuzz.example"
			}
			decoy := oneCharOff(s)
			if strings.TrimSpace(s) != s {
				t.Skip("the client trims usernames")
			}
			skipIfTaken(t, org, "User", "Username", s, decoy)
			user := func(username, last string) map[string]any {
				return map[string]any{"Username": username, "LastName": last, "Email": "fuzz@acme.example",
					"ProfileId": profile["Id"], "IsActive": true}
			}
			want := insertOrSkip(t, org, "User", user(s, "Fuzz"))
			insertOrSkip(t, org, "User", user(decoy, "Decoy"))
			org.Kit().Reset()
			got, err := client.FindUsersByUsername(ctx, []string{s})
			if err != nil {
				t.Fatalf("FindUsersByUsername(%q): %v", s, err)
			}
			u, ok := got[strings.ToLower(s)]
			if len(got) != 1 || !ok || !sameRecordID(u.ID, want) {
				t.Fatalf("FindUsersByUsername(%q) = %+v, want only %s (decoy %q)", s, got, want, decoy)
			}
			// Usernames may be sent in lower case: they are case-insensitive.
			expectOneStringComparison(t, org, "User", "Username", s, 1, true)
		})

		t.Run("layout name", func(t *testing.T) {
			skipIfTaken(t, org, "Layout", "Name", s, decoy)
			want := insertOrSkip(t, org, "Layout", map[string]any{"Name": s, "TableEnumOrId": "Contact",
				"FullName": "Contact-" + s, "EntityDefinitionId": "Contact"})
			insertOrSkip(t, org, "Layout", map[string]any{"Name": decoy, "TableEnumOrId": "Contact",
				"FullName": "Contact-" + decoy, "EntityDefinitionId": "Contact"})
			org.Kit().Reset()
			got, err := resolveLayout(ctx, client, sfapi.LayoutFullName("Contact", "", s))
			if err != nil {
				t.Fatalf("resolveLayout(%q): %v", s, err)
			}
			if !sameRecordID(got.ID, want) {
				t.Fatalf("resolveLayout(%q) = %s, want %s (decoy %q)", s, got.ID, want, decoy)
			}
			// The client matches the name itself: the queries are those
			// of any other name on the object.
			if got := strings.Join(soqlQueries(org, ""), "\n"); got != layoutQueries {
				t.Fatalf("the layout name changed the queries:\n%s\nwant\n%s", got, layoutQueries)
			}
		})
	})
}

// oneCharOff returns s with its last character changed to one that no
// case-insensitive comparison confuses with it.
func oneCharOff(s string) string {
	r, size := utf8.DecodeLastRuneInString(s)
	for _, c := range []rune{'x', 'y'} {
		if d := s[:len(s)-size] + string(c); !strings.EqualFold(d, s) {
			return d
		}
	}
	_ = r
	panic("unreachable: x and y cannot both fold to the same rune")
}

// skipIfTaken skips values the seeded org already holds: the look-up would
// rightly find that record too.
func skipIfTaken(t *testing.T, org *fakeOrg, sobject, field string, values ...string) {
	t.Helper()
	for _, v := range values {
		if _, taken := org.Lookup(sobject, field, v); taken {
			t.Skipf("the fake already has a %s with %s %q", sobject, field, v)
		}
	}
}

// insertOrSkip inserts a record and deletes it when the test ends. A value
// the fake refuses (too long for the field, say) skips the case: Salesforce
// could not hold it either.
func insertOrSkip(t *testing.T, org *fakeOrg, sobject string, fields map[string]any) string {
	t.Helper()
	id, err := org.Insert(sobject, fields)
	if err != nil {
		t.Skipf("the fake refuses %s %v: %v", sobject, fields, err)
	}
	t.Cleanup(func() { _ = org.Delete(sobject, id) })
	return id
}

// expectOneStringComparison parses every query sent for the object with the
// fake's parser: the WHERE clause has exactly `comparisons` comparisons,
// exactly one of them on field, with s as its one literal (in any case,
// with fold).
func expectOneStringComparison(t *testing.T, org *fakeOrg, object, field, s string, comparisons int, fold bool) {
	t.Helper()
	var sent []string
	for _, r := range org.Kit().Requests() {
		v, err := url.ParseQuery(r.RawQuery)
		if err != nil || v.Get("q") == "" {
			continue
		}
		sent = append(sent, v.Get("q"))
	}
	if len(sent) != 1 {
		t.Fatalf("%d queries sent, want 1: %q", len(sent), sent)
	}
	q, err := soql.Parse(sent[0])
	if err != nil {
		t.Fatalf("the fake cannot parse %q: %v", sent[0], err)
	}
	if !strings.EqualFold(q.Object, object) {
		t.Fatalf("query on %s, want %s: %s", q.Object, object, sent[0])
	}
	var all, onField []*soql.Comparison
	var walk func(e soql.Expr)
	walk = func(e soql.Expr) {
		switch x := e.(type) {
		case *soql.And:
			for _, term := range x.Terms {
				walk(term)
			}
		case *soql.Or:
			t.Fatalf("an OR in the query: %s", sent[0])
		case *soql.Not:
			t.Fatalf("a NOT in the query: %s", sent[0])
		case *soql.Comparison:
			all = append(all, x)
			if x.Path.EqualFold(soql.Path{field}) {
				onField = append(onField, x)
			}
		}
	}
	if q.Where == nil {
		t.Fatalf("no WHERE clause: %s", sent[0])
	}
	walk(q.Where)
	if len(all) != comparisons || len(onField) != 1 {
		t.Fatalf("%d comparisons, %d on %s; want %d and 1: %s", len(all), len(onField), field, comparisons, sent[0])
	}
	c := onField[0]
	if len(c.Values) != 1 {
		t.Fatalf("%s compares with %d values, want 1: %s", field, len(c.Values), sent[0])
	}
	lit, _ := c.Values[0].Value.(string)
	same := lit == s || fold && strings.EqualFold(lit, s)
	if (c.Op != soql.OpEq && c.Op != soql.OpIn) || c.Values[0].Kind != soql.KindString || !same {
		t.Fatalf("%s compares %s %v, want one string literal %q", field, c.Op, c.Values, s)
	}
}
