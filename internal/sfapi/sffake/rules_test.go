package sffake

import (
	"bytes"
	"net/http"
	"testing"
)

const psaPath = v + "/sobjects/PermissionSetAssignment"

// An org where no admin enabled assignment expiration dates (the
// default) refuses them, through REST and sObject Collections alike, and
// accepts them once the setting is on.
func TestAssignmentExpirationNeedsOrgSetting(t *testing.T) {
	s, c := newOrg(t, Options{})
	jane := userID(t, s, "jane.doe@acme.example")
	john := userID(t, s, "john.smith@acme.example")
	nps := permissionSetID(t, s, "Northpass_Standard_User")
	exp := "2030-01-02T03:04:05.000+0000"

	res := c.do(http.MethodPost, psaPath, map[string]any{"AssigneeId": jane, "PermissionSetId": nps, "ExpirationDate": exp})
	e := wantError(t, res, http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION", "User Management Settings")
	if f, _ := e["fields"].([]any); len(f) != 1 || f[0] != "ExpirationDate" {
		t.Errorf("fields = %v", e["fields"])
	}
	coll := c.do(http.MethodPost, v+"/composite/sobjects", map[string]any{"allOrNone": false, "records": []any{
		map[string]any{"attributes": map[string]any{"type": "PermissionSetAssignment"}, "AssigneeId": john, "PermissionSetId": nps, "ExpirationDate": exp},
	}})
	mustStatus(t, coll, http.StatusOK)
	if r := coll.array(t); len(r) != 1 || r[0]["success"] != false || !bytes.Contains(coll.body, []byte("FIELD_INTEGRITY_EXCEPTION")) {
		t.Fatalf("collection insert: %s", coll.body)
	}

	// Without an expiration it works; setting one later is refused too,
	// clearing one is not.
	res = c.do(http.MethodPost, psaPath, map[string]any{"AssigneeId": jane, "PermissionSetId": nps})
	mustStatus(t, res, http.StatusCreated)
	psa := res.object(t)["id"].(string)
	wantError(t, c.do(http.MethodPatch, psaPath+"/"+psa, map[string]any{"ExpirationDate": exp}), http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION", "User Management Settings")
	mustStatus(t, c.do(http.MethodPatch, psaPath+"/"+psa, map[string]any{"ExpirationDate": nil}), http.StatusNoContent)

	// The admin turns the setting on (here through the admin interface).
	adm := c.do(http.MethodPost, "/__admin/settings", map[string]any{"assignment_expiration_dates": true})
	mustStatus(t, adm, http.StatusNoContent)
	mustStatus(t, c.do(http.MethodPatch, psaPath+"/"+psa, map[string]any{"ExpirationDate": exp}), http.StatusNoContent)
	if got := c.get(psaPath + "/" + psa).object(t)["ExpirationDate"]; got != exp {
		t.Errorf("ExpirationDate = %v", got)
	}
	res = c.do(http.MethodPost, psaPath, map[string]any{"AssigneeId": john, "PermissionSetId": nps, "ExpirationDate": exp})
	mustStatus(t, res, http.StatusCreated)
}

// A permission set granting Assign Permission Sets or Manage Users can't
// have expiring assignments, even with the setting on.
func TestAssignmentExpirationRefusedForAdminPermissionSets(t *testing.T) {
	s, c := newOrg(t, Options{AssignmentExpirationDates: true})
	jane := userID(t, s, "jane.doe@acme.example")
	for _, perm := range []string{"PermissionsAssignPermissionSets", "PermissionsManageUsers"} {
		ps, err := s.Insert("PermissionSet", map[string]any{"Name": "Delegated_" + perm[11:], "Label": "Delegated " + perm[11:], perm: true})
		if err != nil {
			t.Fatal(err)
		}
		res := c.do(http.MethodPost, psaPath, map[string]any{"AssigneeId": jane, "PermissionSetId": ps, "ExpirationDate": "2030-01-02T03:04:05.000Z"})
		wantError(t, res, http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION", "can't have an expiration date")
		mustStatus(t, c.do(http.MethodPost, psaPath, map[string]any{"AssigneeId": jane, "PermissionSetId": ps}), http.StatusCreated)
	}
}
