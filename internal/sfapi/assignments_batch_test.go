package sfapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

const collectionsPath = "/services/data/v65.0/composite/sobjects"

// In the scripted org, user n already holds the permission set when n%10 ==
// 3 (with no expiration), and user n is refused when n%100 == 7.
func batchOrg(t *testing.T) (*org, *[]int) {
	o := newOrg(t)
	var mu sync.Mutex
	sizes := &[]int{}
	userN := func(id string) int {
		var n int
		for _, ch := range id[3:15] {
			n = n*10 + int(ch-'0')
		}
		return n
	}
	o.handle("POST "+collectionsPath, func(w http.ResponseWriter, _ *http.Request, s seen) {
		var body struct {
			AllOrNone *bool            `json:"allOrNone"`
			Records   []map[string]any `json:"records"`
		}
		if err := json.Unmarshal([]byte(s.Body), &body); err != nil || body.AllOrNone == nil || *body.AllOrNone {
			writeRaw(w, 400, `[{"errorCode":"JSON_PARSER_ERROR","message":"want allOrNone=false"}]`)
			return
		}
		mu.Lock()
		*sizes = append(*sizes, len(body.Records))
		mu.Unlock()
		out := make([]map[string]any, len(body.Records))
		for i, r := range body.Records {
			n := userN(r["AssigneeId"].(string))
			switch {
			case r["attributes"].(map[string]any)["type"] != "PermissionSetAssignment" || r["PermissionSetId"] != psID:
				out[i] = map[string]any{"success": false, "errors": []any{map[string]any{"statusCode": "INVALID_TYPE", "message": "bad record"}}}
			case n%100 == 7:
				out[i] = map[string]any{"id": nil, "success": false, "errors": []any{map[string]any{"statusCode": "INVALID_CROSS_REFERENCE_KEY",
					"message": "invalid cross reference id", "fields": []any{"AssigneeId"}}}}
			case n%10 == 3:
				out[i] = map[string]any{"id": nil, "success": false, "errors": []any{map[string]any{"statusCode": "DUPLICATE_VALUE",
					"message": "Duplicate PermissionSetAssignment.", "fields": []any{"AssigneeId", "PermissionSetId"}}}}
			default:
				out[i] = map[string]any{"id": sfID("0Pa", n), "success": true, "errors": []any{}}
			}
		}
		writeJSON(w, 200, out)
	})
	o.handle("GET "+restQuery, func(w http.ResponseWriter, _ *http.Request, s seen) {
		q := s.Query.Get("q")
		var recs []map[string]any
		for _, u := range soqlLiterals(t, q, "AssigneeId") {
			if n := userN(u); n%10 == 3 {
				// Salesforce answers with 18-character ids whatever was sent.
				recs = append(recs, psaRecord(sfID("0Pa", 10000+n), psID, sfID("005", n), "", nil))
			}
		}
		writeJSON(w, 200, queryResult(recs...))
	})
	o.handle("PATCH "+psaPath+"/"+sfID("0Pa", 10003), func(w http.ResponseWriter, _ *http.Request, _ seen) { w.WriteHeader(204) })
	return o, sizes
}

func TestCreatePermissionSetAssignmentsChunksAndAdopts(t *testing.T) {
	o, sizes := batchOrg(t)
	c := newTestClient(t, o)
	exp := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	as := make([]NewAssignment, 450)
	for i := range as {
		as[i] = NewAssignment{PermissionSetID: psID, AssigneeID: sfID("005", i)}
	}
	as[3].ExpirationDate = &exp                // adopted with no expiration: one PATCH
	as[13].AssigneeID = as[13].AssigneeID[:15] // matched to the 18-character id returned

	got, err := c.CreatePermissionSetAssignments(t.Context(), as)
	if !reflect.DeepEqual(*sizes, []int{200, 200, 50}) {
		t.Errorf("collection calls = %v, want 200/200/50", *sizes)
	}
	// Failures: 7, 107, 207, 307, 407.
	var be *BatchError
	if !errors.As(err, &be) || len(be.Failures) != 5 {
		t.Fatalf("err = %v", err)
	}
	if f := be.Failures[1]; f != (BatchFailure{Key: sfID("005", 107), Code: "INVALID_CROSS_REFERENCE_KEY", Message: "invalid cross reference id"}) {
		t.Errorf("failure = %+v", f)
	}
	if !strings.Contains(err.Error(), sfID("005", 407)) {
		t.Errorf("message = %q", err)
	}
	if len(got) != 445 {
		t.Fatalf("returned %d assignments, want 445", len(got))
	}
	for i, a := range got[:5] { // input order: 0, 1, 2, 3 (adopted), 4
		wantID := sfID("0Pa", i)
		if i == 3 {
			wantID = sfID("0Pa", 10003)
		}
		if a.ID != wantID || a.AssigneeID != sfID("005", i) {
			t.Errorf("got[%d] = %+v", i, a)
		}
	}
	if a := got[12]; a.ID != sfID("0Pa", 10013) || a.AssigneeID != sfID("005", 13) {
		t.Errorf("adopted with a 15-character id: %+v", a)
	}
	if !sameTime(got[3].ExpirationDate, &exp) {
		t.Errorf("adopted expiration = %v", got[3].ExpirationDate)
	}
	queries := soqlOf(o, restQuery)
	if len(queries) != 3 {
		t.Fatalf("follow-up queries = %d, want one per collection call: %q", len(queries), queries)
	}
	if l := soqlLiterals(t, queries[0], "AssigneeId"); len(l) != 20 || l[0] != sfID("005", 3) || l[19] != sfID("005", 193) {
		t.Errorf("first lookup asked for %d users: %v", len(l), l)
	}
	if !strings.Contains(queries[0], "PermissionSetId IN ('"+psID+"')") {
		t.Errorf("lookup = %s", queries[0])
	}
	if p := bodiesOf(t, o, http.MethodPatch, psaPath+"/"+sfID("0Pa", 10003)); !reflect.DeepEqual(p, []map[string]any{{"ExpirationDate": "2027-01-01T00:00:00.000Z"}}) {
		t.Errorf("patches = %v", p)
	}
}

func TestCreatePermissionSetAssignmentsCallError(t *testing.T) {
	o := newOrg(t)
	calls := 0
	o.handle("POST "+collectionsPath, func(w http.ResponseWriter, _ *http.Request, s seen) {
		calls++
		if calls == 2 {
			writeRaw(w, 400, `[{"errorCode":"INVALID_FIELD","message":"No such column"}]`)
			return
		}
		out := make([]map[string]any, 200)
		for i := range out {
			out[i] = map[string]any{"id": sfID("0Pa", i), "success": true, "errors": []any{}}
		}
		writeJSON(w, 200, out)
	})
	c := newTestClient(t, o)
	as := make([]NewAssignment, 450)
	for i := range as {
		as[i] = NewAssignment{PermissionSetID: psID, AssigneeID: sfID("005", i)}
	}
	got, err := c.CreatePermissionSetAssignments(t.Context(), as)
	if !HasErrorCode(err, "INVALID_FIELD") || len(got) != 200 || calls != 2 {
		t.Errorf("got %d, calls %d, err %v", len(got), calls, err)
	}
	if _, err := c.CreatePermissionSetAssignments(t.Context(), []NewAssignment{{PermissionSetID: psID, AssigneeID: "bob"}}); err == nil || calls != 2 {
		t.Errorf("invalid id: %v (calls %d)", err, calls)
	}
}

func TestDeletePermissionSetAssignments(t *testing.T) {
	o := newOrg(t)
	var chunks [][]string
	o.handle("DELETE "+collectionsPath, func(w http.ResponseWriter, _ *http.Request, s seen) {
		if s.Query.Get("allOrNone") != "false" {
			writeRaw(w, 400, `[{"errorCode":"INVALID_QUERY","message":"want allOrNone=false"}]`)
			return
		}
		ids := strings.Split(s.Query.Get("ids"), ",")
		chunks = append(chunks, ids)
		out := make([]map[string]any, len(ids))
		for i, id := range ids {
			switch id {
			case sfID("0Pa", 5), sfID("0Pa", 205):
				out[i] = map[string]any{"id": id, "success": false, "errors": []any{map[string]any{"statusCode": "ENTITY_IS_DELETED", "message": "entity is deleted", "fields": []any{}}}}
			case sfID("0Pa", 9):
				out[i] = map[string]any{"id": id, "success": false, "errors": []any{map[string]any{"statusCode": "INSUFFICIENT_ACCESS_OR_READONLY", "message": "insufficient access", "fields": []any{}}}}
			default:
				out[i] = map[string]any{"id": id, "success": true, "errors": []any{}}
			}
		}
		writeJSON(w, 200, out)
	})
	c := newTestClient(t, o)
	ids := make([]string, 250)
	for i := range ids {
		ids[i] = sfID("0Pa", i)
	}
	err := c.DeletePermissionSetAssignments(t.Context(), ids)
	var be *BatchError
	if !errors.As(err, &be) || !reflect.DeepEqual(be.Failures, []BatchFailure{{Key: sfID("0Pa", 9), Code: "INSUFFICIENT_ACCESS_OR_READONLY", Message: "insufficient access"}}) {
		t.Errorf("err = %v", err)
	}
	if len(chunks) != 2 || len(chunks[0]) != 200 || len(chunks[1]) != 50 {
		t.Errorf("chunks = %d", len(chunks))
	}
	if err := c.DeletePermissionSetAssignments(t.Context(), []string{sfID("0Pa", 5)}); err != nil {
		t.Errorf("already deleted: %v", err)
	}
}

func TestBatchErrorMessage(t *testing.T) {
	var fs []BatchFailure
	for i := range 12 {
		fs = append(fs, BatchFailure{Key: sfID("005", i), Code: "X", Message: "m"})
	}
	msg := (&BatchError{Failures: fs}).Error()
	if !strings.HasPrefix(msg, "12 record(s) failed: ") || !strings.Contains(msg, "and 2 more") || strings.Contains(msg, sfID("005", 10)) {
		t.Errorf("message = %q", msg)
	}
}
