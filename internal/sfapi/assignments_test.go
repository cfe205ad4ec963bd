package sfapi

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

const psaPath = "/services/data/v65.0/sobjects/PermissionSetAssignment"

var (
	psID  = sfID("0PS", 1)
	userA = sfID("005", 1)
	psaA  = sfID("0Pa", 1)
)

func psaRecord(id, ps, user, username string, exp any) map[string]any {
	return withAttrs("PermissionSetAssignment", map[string]any{
		"Id": id, "PermissionSetId": ps, "AssigneeId": user, "ExpirationDate": exp,
		"Assignee": map[string]any{"attributes": map[string]any{"type": "User"}, "Username": username},
	})
}

func TestListPermissionSetAssignments(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+restQuery, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 200, queryResult(
			psaRecord(psaA, psID, userA, "ann@example.com", "2026-03-01T12:30:00.000+0000"),
			psaRecord(sfID("0Pa", 2), psID, sfID("005", 2), "bob@example.com", nil),
		))
	})
	c := newTestClient(t, o)
	got, err := c.ListPermissionSetAssignments(t.Context(), psID)
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Date(2026, 3, 1, 12, 30, 0, 0, time.UTC)
	if len(got) != 2 || got[0].AssigneeUsername != "ann@example.com" || got[0].ExpirationDate == nil || !got[0].ExpirationDate.Equal(exp) ||
		got[1].ExpirationDate != nil || got[1].AssigneeID != sfID("005", 2) || got[1].PermissionSetID != psID {
		t.Errorf("got %+v", got)
	}
	want := "SELECT Id, AssigneeId, Assignee.Username, PermissionSetId, ExpirationDate FROM PermissionSetAssignment WHERE PermissionSetId='" +
		psID + "' AND PermissionSet.IsOwnedByProfile=false"
	if q := soqlOf(o, restQuery); !reflect.DeepEqual(q, []string{want}) {
		t.Errorf("soql = %q", q)
	}
}

func TestGetAndFindPermissionSetAssignment(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+restQuery, func(w http.ResponseWriter, _ *http.Request, s seen) {
		if strings.Contains(s.Query.Get("q"), "'"+psaA+"'") || strings.Contains(s.Query.Get("q"), "AssigneeId='"+userA+"'") {
			writeJSON(w, 200, queryResult(psaRecord(psaA, psID, userA, "ann@example.com", nil)))
			return
		}
		writeJSON(w, 200, queryResult())
	})
	c := newTestClient(t, o)
	ctx := t.Context()
	if a, err := c.GetPermissionSetAssignment(ctx, psaA); err != nil || a.ID != psaA || a.AssigneeUsername != "ann@example.com" {
		t.Errorf("get = %+v, %v", a, err)
	}
	if a, err := c.GetPermissionSetAssignment(ctx, sfID("0Pa", 9)); a != nil || !IsNotFound(err) {
		t.Errorf("get missing = %+v, %v", a, err)
	}
	if a, err := c.FindPermissionSetAssignment(ctx, psID, userA); err != nil || a == nil || a.ID != psaA {
		t.Errorf("find = %+v, %v", a, err)
	}
	if a, err := c.FindPermissionSetAssignment(ctx, psID, sfID("005", 9)); a != nil || err != nil {
		t.Errorf("find none = %+v, %v", a, err)
	}
	q := soqlOf(o, restQuery)
	if len(q) != 4 || q[2] != "SELECT Id, AssigneeId, Assignee.Username, PermissionSetId, ExpirationDate FROM PermissionSetAssignment WHERE PermissionSetId='"+
		psID+"' AND AssigneeId='"+userA+"'" {
		t.Errorf("soql = %q", q)
	}
}

func TestCreatePermissionSetAssignment(t *testing.T) {
	o := newOrg(t)
	o.handle("POST "+psaPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 201, map[string]any{"id": psaA, "success": true, "errors": []any{}})
	})
	c := newTestClient(t, o)
	exp := time.Date(2026, 6, 30, 23, 59, 59, 0, time.FixedZone("CEST", 2*3600))
	a, adopted, err := c.CreatePermissionSetAssignment(t.Context(), psID, userA, &exp)
	if err != nil || adopted || a.ID != psaA || a.AssigneeID != userA || a.PermissionSetID != psID || a.ExpirationDate != &exp {
		t.Fatalf("create = %+v, %v, %v", a, adopted, err)
	}
	want := map[string]any{"AssigneeId": userA, "PermissionSetId": psID, "ExpirationDate": "2026-06-30T21:59:59.000Z"}
	if b := bodiesOf(t, o, http.MethodPost, psaPath); !reflect.DeepEqual(b, []map[string]any{want}) {
		t.Errorf("body = %v", b)
	}
	if n := len(o.rec.all()); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

// The real duplicate response: the assignment already exists (made by hand,
// or by our own POST whose response was lost), so it is adopted.
func TestCreatePermissionSetAssignmentAdoptsDuplicate(t *testing.T) {
	for _, tc := range []struct {
		name      string
		existing  any
		want      *time.Time
		wantPatch []map[string]any
	}{
		{"same expiration", nil, nil, nil},
		{"expiration set", nil, ptrTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), []map[string]any{{"ExpirationDate": "2026-01-02T03:04:05.000Z"}}},
		{"expiration cleared", "2026-01-02T03:04:05.000+0000", nil, []map[string]any{{"ExpirationDate": nil}}},
		{"same instant", "2026-01-02T03:04:05.000+0000", ptrTime(time.Date(2026, 1, 2, 4, 4, 5, 0, time.FixedZone("", 3600))), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := newOrg(t)
			o.handle("POST "+psaPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
				writeRaw(w, 400, `[{"message":"Duplicate PermissionSetAssignment.  Assignee: 005000000000000; Permission Set: 0PS000000000000","errorCode":"DUPLICATE_VALUE","fields":["AssigneeId","PermissionSetId"]}]`)
			})
			o.handle("GET "+restQuery, func(w http.ResponseWriter, _ *http.Request, _ seen) {
				writeJSON(w, 200, queryResult(psaRecord(psaA, psID, userA, "ann@example.com", tc.existing)))
			})
			o.handle("PATCH "+psaPath+"/"+psaA, func(w http.ResponseWriter, _ *http.Request, _ seen) { w.WriteHeader(204) })
			c := newTestClient(t, o)
			a, adopted, err := c.CreatePermissionSetAssignment(t.Context(), psID, userA, tc.want)
			if err != nil || !adopted || a.ID != psaA || a.AssigneeUsername != "ann@example.com" || !sameTime(a.ExpirationDate, tc.want) {
				t.Fatalf("create = %+v, %v, %v", a, adopted, err)
			}
			if n, q := o.rec.count(http.MethodPost, psaPath), soqlOf(o, restQuery); n != 1 || len(q) != 1 {
				t.Errorf("POSTs = %d, queries = %q; want one create then one lookup", n, q)
			}
			if p := bodiesOf(t, o, http.MethodPatch, psaPath+"/"+psaA); !reflect.DeepEqual(p, tc.wantPatch) {
				t.Errorf("patches = %v, want %v", p, tc.wantPatch)
			}
		})
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

func TestCreatePermissionSetAssignmentOtherError(t *testing.T) {
	o := newOrg(t)
	o.handle("POST "+psaPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 400, `[{"message":"insufficient access rights on cross-reference id","errorCode":"INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY","fields":[]}]`)
	})
	c := newTestClient(t, o)
	_, _, err := c.CreatePermissionSetAssignment(t.Context(), psID, userA, nil)
	if !HasErrorCode(err, "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY") || !strings.Contains(err.Error(), userA) {
		t.Errorf("err = %v", err)
	}
	if len(soqlOf(o, restQuery)) != 0 {
		t.Error("looked up an assignment after a non-duplicate error")
	}
}

func TestSetExpirationAndDelete(t *testing.T) {
	o := newOrg(t)
	o.handle("PATCH "+psaPath+"/"+psaA, func(w http.ResponseWriter, _ *http.Request, _ seen) { w.WriteHeader(204) })
	o.handle("DELETE "+psaPath+"/"+psaA, func(w http.ResponseWriter, _ *http.Request, _ seen) { w.WriteHeader(204) })
	o.handle("DELETE "+psaPath+"/"+sfID("0Pa", 2), func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 404, `[{"errorCode":"ENTITY_IS_DELETED","message":"entity is deleted","fields":[]}]`)
	})
	o.handle("DELETE "+psaPath+"/"+sfID("0Pa", 3), func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 403, `[{"errorCode":"INSUFFICIENT_ACCESS_OR_READONLY","message":"no"}]`)
	})
	c := newTestClient(t, o)
	ctx := t.Context()
	if err := c.SetPermissionSetAssignmentExpiration(ctx, psaA, nil); err != nil {
		t.Fatal(err)
	}
	var raw string
	for _, s := range o.rec.all() {
		if s.Method == http.MethodPatch {
			raw = s.Body
		}
	}
	if raw != `{"ExpirationDate":null}` {
		t.Errorf("clear body = %s", raw)
	}
	if err := c.DeletePermissionSetAssignment(ctx, psaA); err != nil {
		t.Error(err)
	}
	if err := c.DeletePermissionSetAssignment(ctx, sfID("0Pa", 2)); err != nil {
		t.Errorf("already deleted: %v", err)
	}
	if err := c.DeletePermissionSetAssignment(ctx, sfID("0Pa", 3)); !HasErrorCode(err, "INSUFFICIENT_ACCESS_OR_READONLY") {
		t.Errorf("forbidden: %v", err)
	}
	if err := c.DeletePermissionSetAssignment(ctx, sfID("0Pa", 4)); err != nil { // the org's 404 NOT_FOUND
		t.Errorf("never existed: %v", err)
	}
}
