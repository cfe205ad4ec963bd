package sfapi

import (
	"net/http"
	"reflect"
	"testing"
)

func TestPermissionSetFilterSOQL(t *testing.T) {
	const head = "SELECT Id, Name, Label, NamespacePrefix, IsOwnedByProfile, PermissionsModifyAllData FROM PermissionSet WHERE IsOwnedByProfile=false"
	for _, tc := range []struct {
		f    PermissionSetFilter
		want string
	}{
		{PermissionSetFilter{}, head},
		{PermissionSetFilter{Label: "O'Brien's \"Set\""}, head + ` AND Label='O\'Brien\'s \"Set\"'`},
		{PermissionSetFilter{Label: "Northpass Standard User", Namespace: "acme"}, head + " AND Label='Northpass Standard User' AND NamespacePrefix='acme'"},
		{PermissionSetFilter{Name: `x\y`, NamespaceSet: true}, head + ` AND Name='x\\y' AND NamespacePrefix=null`},
		{PermissionSetFilter{Namespace: "acme", NamespaceSet: true}, head + " AND NamespacePrefix='acme'"},
	} {
		if got := permissionSetsSOQL(tc.f); got != tc.want {
			t.Errorf("%+v:\n got %s\nwant %s", tc.f, got, tc.want)
		}
	}
}

func TestFindPermissionSets(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+restQuery, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 200, queryResult(
			withAttrs("PermissionSet", map[string]any{"Id": sfID("0PS", 2), "Name": "Z_Set", "Label": "O'Brien", "NamespacePrefix": "acme", "IsOwnedByProfile": false, "PermissionsModifyAllData": false}),
			withAttrs("PermissionSet", map[string]any{"Id": sfID("0PS", 1), "Name": "A_Set", "Label": "O'Brien", "NamespacePrefix": nil, "IsOwnedByProfile": false, "PermissionsModifyAllData": true}),
			// A server ignoring the filter must not leak a profile's own set.
			withAttrs("PermissionSet", map[string]any{"Id": sfID("0PS", 3), "Name": "X00e", "Label": "O'Brien", "NamespacePrefix": nil, "IsOwnedByProfile": true}),
		))
	})
	c := newTestClient(t, o)
	got, err := c.FindPermissionSets(t.Context(), PermissionSetFilter{Label: "O'Brien"})
	if err != nil {
		t.Fatal(err)
	}
	want := []PermissionSet{
		{ID: sfID("0PS", 1), Name: "A_Set", Label: "O'Brien", ModifyAllData: true},
		{ID: sfID("0PS", 2), Name: "Z_Set", Label: "O'Brien", Namespace: "acme"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if q := soqlOf(o, restQuery); len(q) != 1 || q[0] != permissionSetsSOQL(PermissionSetFilter{Label: "O'Brien"}) {
		t.Errorf("soql = %q", q)
	}
}

func TestGetPermissionSet(t *testing.T) {
	o := newOrg(t)
	psID := sfID("0PS", 1)
	o.handle("GET "+restQuery, func(w http.ResponseWriter, _ *http.Request, s seen) {
		if s.Query.Get("q") == "SELECT Id, Name, Label, NamespacePrefix, IsOwnedByProfile, PermissionsModifyAllData FROM PermissionSet WHERE Id='"+psID+"'" {
			writeJSON(w, 200, queryResult(withAttrs("PermissionSet", map[string]any{"Id": psID, "Name": "Northpass_Standard_User", "Label": "Northpass Standard User", "NamespacePrefix": "acme"})))
			return
		}
		writeJSON(w, 200, queryResult())
	})
	c := newTestClient(t, o)
	ps, err := c.GetPermissionSet(t.Context(), psID)
	if err != nil || *ps != (PermissionSet{ID: psID, Name: "Northpass_Standard_User", Label: "Northpass Standard User", Namespace: "acme"}) {
		t.Fatalf("got %+v, %v", ps, err)
	}
	if ps, err := c.GetPermissionSet(t.Context(), sfID("0PS", 9)); ps != nil || !IsNotFound(err) {
		t.Errorf("missing: %v, %v", ps, err)
	}
	if _, err := c.GetPermissionSet(t.Context(), "0PS' OR Id!='"); err == nil {
		t.Error("accepted a malformed id")
	}
}
