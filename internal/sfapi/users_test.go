package sfapi

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func userRec(id, username string, profileMAD bool) map[string]any {
	return withAttrs("User", map[string]any{
		"Id": id, "Username": username, "Email": username, "Name": "N " + username, "ProfileId": sfID("00e", 1), "IsActive": true,
		"Profile": map[string]any{"attributes": map[string]any{"type": "Profile"}, "Name": "Standard User", "PermissionsModifyAllData": profileMAD},
	})
}

// usersOrg knows every username that does not start with "ghost"; it
// answers with the username upper-cased, as a case-insensitive match would.
func usersOrg(t *testing.T) *org {
	o := newOrg(t)
	o.handle("GET "+restQuery, func(w http.ResponseWriter, _ *http.Request, s seen) {
		var recs []map[string]any
		for i, u := range soqlLiterals(t, s.Query.Get("q"), "Username") {
			if !strings.HasPrefix(u, "ghost") {
				recs = append(recs, userRec(sfID("005", i), strings.ToUpper(u), false))
			}
		}
		writeJSON(w, 200, queryResult(recs...))
	})
	return o
}

func TestFindUsersByUsernameBatches(t *testing.T) {
	o := usersOrg(t)
	c := newTestClient(t, o)
	var names []string
	for i := range 450 {
		names = append(names, fmt.Sprintf("user%d@example.com", i))
	}
	names = append(names, "ghost@example.com", "USER1@example.com", "", "o'neil@example.com")
	got, err := c.FindUsersByUsername(t.Context(), names)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 451 {
		t.Errorf("found %d users, want 451", len(got))
	}
	if u, ok := got["user449@example.com"]; !ok || u.Username != "USER449@EXAMPLE.COM" || u.ProfileName != "Standard User" || !u.IsActive {
		t.Errorf("user449 = %+v, %v", u, ok)
	}
	if _, ok := got["ghost@example.com"]; ok {
		t.Error("unknown user present")
	}
	if _, ok := got["o'neil@example.com"]; !ok {
		t.Error("quoted username missing")
	}
	qs := soqlOf(o, restQuery)
	var counts []int
	for _, q := range qs {
		counts = append(counts, len(soqlLiterals(t, q, "Username")))
		if !strings.HasPrefix(q, "SELECT Id, Username, Email, Name, ProfileId, Profile.Name, Profile.PermissionsModifyAllData, IsActive FROM User WHERE Username IN (") {
			t.Errorf("query = %.120s…", q)
		}
	}
	// 452 distinct names (USER1 is user1): 200 + 200 + 52.
	if !reflect.DeepEqual(counts, []int{200, 200, 52}) {
		t.Errorf("names per query = %v", counts)
	}
	if !strings.Contains(qs[2], `'o\'neil@example.com'`) {
		t.Error("username not escaped")
	}
}

func TestFindUsersByUsernameCharCap(t *testing.T) {
	o := usersOrg(t)
	c := newTestClient(t, o)
	var names []string
	for i := range 450 {
		names = append(names, fmt.Sprintf("%s.%03d@example.com", strings.Repeat("long", 15), i)) // 76 characters
	}
	got, err := c.FindUsersByUsername(t.Context(), names)
	if err != nil || len(got) != 450 {
		t.Fatalf("found %d, %v", len(got), err)
	}
	qs := soqlOf(o, restQuery)
	total := 0
	for _, q := range qs {
		n := len(soqlLiterals(t, q, "Username"))
		total += n
		if len(q) > 8000 || n > 200 {
			t.Errorf("query of %d characters with %d names", len(q), n)
		}
	}
	// About 79 characters per name: 8,000 characters hold under 100 of them.
	if total != 450 || len(qs) < 5 {
		t.Errorf("%d names over %d queries", total, len(qs))
	}
	if none, err := c.FindUsersByUsername(t.Context(), nil); err != nil || len(none) != 0 || len(soqlOf(o, restQuery)) != len(qs) {
		t.Errorf("no names: %v, %v", none, err)
	}
}

func TestUserHasModifyAllData(t *testing.T) {
	admin, viaPS, plain := sfID("005", 1), sfID("005", 2), sfID("005", 3)
	o := newOrg(t)
	o.handle("GET "+restQuery, func(w http.ResponseWriter, _ *http.Request, s seen) {
		q := s.Query.Get("q")
		switch {
		case strings.Contains(q, "FROM User WHERE Id='"+admin+"'"):
			writeJSON(w, 200, queryResult(userRec(admin, "admin@example.com", true)))
		case strings.Contains(q, "FROM User WHERE Id="):
			writeJSON(w, 200, queryResult(userRec(q[len(q)-19:len(q)-1], "x@example.com", false)))
		case strings.Contains(q, "AssigneeId='"+viaPS+"'"):
			writeJSON(w, 200, queryResult(withAttrs("PermissionSetAssignment", map[string]any{"Id": sfID("0Pa", 1)})))
		default:
			writeJSON(w, 200, queryResult())
		}
	})
	// One query per check without the read cache; readcache_test.go has
	// the batched form.
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok", DisableReadCache: true})
	ctx := t.Context()
	for _, tc := range []struct {
		id      string
		want    bool
		queries int
	}{{admin, true, 1}, {viaPS, true, 2}, {plain, false, 2}} {
		before := len(soqlOf(o, restQuery))
		got, err := c.UserHasModifyAllData(ctx, tc.id)
		if err != nil || got != tc.want {
			t.Errorf("%s: %v, %v; want %v", tc.id, got, err, tc.want)
		}
		if n := len(soqlOf(o, restQuery)) - before; n != tc.queries {
			t.Errorf("%s: %d queries, want %d", tc.id, n, tc.queries)
		}
	}
	want := "SELECT Id FROM PermissionSetAssignment WHERE AssigneeId='" + viaPS + "' AND PermissionSet.PermissionsModifyAllData=true LIMIT 1"
	if q := soqlOf(o, restQuery); q[2] != want {
		t.Errorf("permission set query = %s", q[2])
	}
}

func TestGetUser(t *testing.T) {
	o := newOrg(t)
	id := sfID("005", 1)
	o.handle("GET "+restQuery, func(w http.ResponseWriter, _ *http.Request, s seen) {
		if strings.HasSuffix(s.Query.Get("q"), "WHERE Id='"+id+"'") {
			writeJSON(w, 200, queryResult(userRec(id, "ann@example.com", true)))
			return
		}
		writeJSON(w, 200, queryResult())
	})
	c := newTestClient(t, o)
	u, err := c.GetUser(t.Context(), id)
	want := User{ID: id, Username: "ann@example.com", Email: "ann@example.com", Name: "N ann@example.com", ProfileID: sfID("00e", 1),
		ProfileName: "Standard User", IsActive: true, ProfileModifyAllData: true}
	if err != nil || *u != want {
		t.Errorf("got %+v, %v", u, err)
	}
	if u, err := c.GetUser(t.Context(), sfID("005", 2)); u != nil || !IsNotFound(err) {
		t.Errorf("missing: %v, %v", u, err)
	}
}

func TestGetOrg(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+restQuery, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 200, queryResult(withAttrs("Organization", map[string]any{"Id": sfID("00D", 1), "Name": "Acme", "IsSandbox": true, "OrganizationType": "Enterprise Edition"})))
	})
	c := newTestClient(t, o)
	got, err := c.GetOrg(t.Context())
	if err != nil || *got != (Org{ID: sfID("00D", 1), Name: "Acme", IsSandbox: true, OrganizationType: "Enterprise Edition"}) {
		t.Errorf("got %+v, %v", got, err)
	}
	if q := soqlOf(o, restQuery); !reflect.DeepEqual(q, []string{"SELECT Id, Name, IsSandbox, OrganizationType FROM Organization LIMIT 1"}) {
		t.Errorf("soql = %q", q)
	}
}
