package sffake

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func psaRecord(assignee, ps string) map[string]any {
	return map[string]any{"attributes": map[string]any{"type": "PermissionSetAssignment"}, "AssigneeId": assignee, "PermissionSetId": ps}
}

type saveRes struct {
	ID      string `json:"id"`
	Success bool   `json:"success"`
	Created *bool  `json:"created"`
	Errors  []struct {
		StatusCode string   `json:"statusCode"`
		Message    string   `json:"message"`
		Fields     []string `json:"fields"`
	} `json:"errors"`
}

func saveResults(t *testing.T, r response) []saveRes {
	t.Helper()
	mustStatus(t, r, http.StatusOK)
	var out []saveRes
	r.json(t, &out)
	return out
}

func TestCollectionsCreateAndDelete(t *testing.T) {
	s, c := newOrg(t, Options{})
	nps := permissionSetID(t, s, "Northpass_Standard_User")
	jane, john := userID(t, s, "jane.doe@acme.example"), userID(t, s, "john.smith@acme.example")
	res := saveResults(t, c.do(http.MethodPost, v+"/composite/sobjects", map[string]any{
		"allOrNone": false, "records": []any{psaRecord(jane, nps), psaRecord(jane, nps), psaRecord(john, nps)},
	}))
	if len(res) != 3 || !res[0].Success || res[1].Success || !res[2].Success {
		t.Fatalf("partial success: %+v", res)
	}
	if res[1].Errors[0].StatusCode != "DUPLICATE_VALUE" || res[1].ID != "" {
		t.Fatalf("per-record error uses statusCode: %+v", res[1])
	}
	if !strings.HasPrefix(res[0].ID, "0Pa") || len(res[0].ID) != 18 {
		t.Fatalf("id: %s", res[0].ID)
	}
	del := saveResults(t, c.do(http.MethodDelete, v+"/composite/sobjects?allOrNone=false&ids="+res[0].ID+","+res[2].ID+","+res[0].ID, nil))
	if !del[0].Success || !del[1].Success || del[2].Success || del[2].Errors[0].StatusCode != "ENTITY_IS_DELETED" {
		t.Fatalf("delete results: %+v", del)
	}
	if n := len(records(t, c.query("SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = '"+nps+"'"))); n != 0 {
		t.Fatalf("%d assignments left", n)
	}
	if s.Kit().Count("POST composite/sobjects") != 1 || s.Kit().Count("DELETE composite/sobjects") != 1 {
		t.Fatalf("counters: %v", s.Kit().Counters())
	}
}

func TestCollectionsAllOrNoneRollback(t *testing.T) {
	s, c := newOrg(t, Options{})
	nps := permissionSetID(t, s, "Northpass_Standard_User")
	jane, john := userID(t, s, "jane.doe@acme.example"), userID(t, s, "john.smith@acme.example")
	res := saveResults(t, c.do(http.MethodPost, v+"/composite/sobjects", map[string]any{
		"allOrNone": true, "records": []any{psaRecord(jane, nps), psaRecord(john, "0PSak000000zzzz")},
	}))
	if res[0].Success || res[0].Errors[0].StatusCode != "ALL_OR_NONE_OPERATION_ROLLED_BACK" || res[0].ID != "" {
		t.Fatalf("first record must be rolled back: %+v", res[0])
	}
	if res[1].Success || res[1].Errors[0].StatusCode != "INVALID_CROSS_REFERENCE_KEY" {
		t.Fatalf("second record's own error: %+v", res[1])
	}
	if n := len(records(t, c.query("SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = '"+nps+"'"))); n != 0 {
		t.Fatalf("rollback left %d assignments", n)
	}
	// The same batch without the bad record commits; a later allOrNone
	// delete with one bad id leaves it in place.
	ok := saveResults(t, c.do(http.MethodPost, v+"/composite/sobjects", map[string]any{"allOrNone": true, "records": []any{psaRecord(jane, nps)}}))
	if !ok[0].Success {
		t.Fatalf("%+v", ok)
	}
	del := saveResults(t, c.do(http.MethodDelete, v+"/composite/sobjects?allOrNone=true&ids="+ok[0].ID+",0Paak000000zzzz", nil))
	if del[0].Success || del[0].Errors[0].StatusCode != "ALL_OR_NONE_OPERATION_ROLLED_BACK" {
		t.Fatalf("delete rollback: %+v", del)
	}
	if n := len(records(t, c.query("SELECT Id FROM PermissionSetAssignment WHERE Id = '"+ok[0].ID+"'"))); n != 1 {
		t.Fatal("rolled-back delete removed the record")
	}
}

func TestCollectionsLimits(t *testing.T) {
	s, c := newOrg(t, Options{})
	nps := permissionSetID(t, s, "Northpass_Standard_User")
	recs := make([]any, 201)
	for i := range recs {
		recs[i] = psaRecord(userID(t, s, "jane.doe@acme.example"), nps)
	}
	wantError(t, c.do(http.MethodPost, v+"/composite/sobjects", map[string]any{"allOrNone": true, "records": recs}), http.StatusBadRequest, "EXCEEDED_ID_LIMIT", "200")
	ids := make([]string, 201)
	for i := range ids {
		ids[i] = "0Paak000000zzzz"
	}
	wantError(t, c.do(http.MethodDelete, v+"/composite/sobjects?ids="+strings.Join(ids, ","), nil), http.StatusBadRequest, "EXCEEDED_ID_LIMIT", "")
	wantError(t, c.do(http.MethodPost, v+"/composite/sobjects", map[string]any{"records": []any{}}), http.StatusBadRequest, "REQUIRED_FIELD_MISSING", "At least 1 record is required")
	// Setup and non-setup objects can't share a call.
	mixed := saveResults(t, c.do(http.MethodPost, v+"/composite/sobjects", map[string]any{"records": []any{
		psaRecord(userID(t, s, "john.smith@acme.example"), nps),
		map[string]any{"attributes": map[string]any{"type": "Contact"}, "LastName": "Mixed"},
	}}))
	if !mixed[0].Success || mixed[1].Errors[0].StatusCode != "MIXED_DML_OPERATION" {
		t.Fatalf("mixed DML: %+v", mixed)
	}
	// 200 is fine.
	contacts := make([]any, 200)
	for i := range contacts {
		contacts[i] = map[string]any{"attributes": map[string]any{"type": "Contact"}, "LastName": fmt.Sprintf("Bulk %d", i)}
	}
	res := saveResults(t, c.do(http.MethodPost, v+"/composite/sobjects", map[string]any{"allOrNone": true, "records": contacts}))
	if len(res) != 200 || !res[199].Success {
		t.Fatalf("200 records: %d", len(res))
	}
}

func enrollment(ext, contact string, progress float64) map[string]any {
	return map[string]any{
		"attributes":                        map[string]any{"type": "northpass__Enrollment__c"},
		"northpass__External_Id__c":         ext,
		"northpass__Contact__c":             contact,
		"northpass__Course_Name__c":         "Onboarding",
		"northpass__Progress_Percentage__c": progress,
		"northpass__Enrollment_Date__c":     "2025-11-21T10:00:00.000+0000",
	}
}

func TestCollectionsUpsert(t *testing.T) {
	s, c := newOrg(t, Options{})
	contact, _ := s.Lookup("Contact", "Email", "sam.learner@example.com")
	cid := contact["Id"].(string)
	path := v + "/composite/sobjects/northpass__Enrollment__c/northpass__External_Id__c"
	first := saveResults(t, c.do(http.MethodPatch, path, map[string]any{"allOrNone": true, "records": []any{enrollment("e-1", cid, 10), enrollment("e-2", cid, 20)}}))
	for _, r := range first {
		if !r.Success || r.Created == nil || !*r.Created || !strings.HasPrefix(r.ID, "a0X") {
			t.Fatalf("first upsert: %+v", first)
		}
	}
	second := saveResults(t, c.do(http.MethodPatch, path, map[string]any{"allOrNone": false, "records": []any{enrollment("E-1", cid, 100), enrollment("e-3", cid, 0)}}))
	if second[0].ID != first[0].ID || *second[0].Created || !*second[1].Created {
		t.Fatalf("second upsert matches by external id (case-insensitively): %+v", second)
	}
	if len(s.Records("northpass__Enrollment__c")) != 3 {
		t.Fatal("three enrollments expected")
	}
	got, _ := s.Lookup("northpass__Enrollment__c", "northpass__External_Id__c", "e-1")
	if got["northpass__Progress_Percentage__c"] != 100.0 {
		t.Fatalf("update by upsert: %v", got)
	}
	dup := saveResults(t, c.do(http.MethodPatch, path, map[string]any{"allOrNone": false, "records": []any{enrollment("e-9", cid, 1), enrollment("e-9", cid, 2)}}))
	if dup[0].Success || dup[0].Errors[0].StatusCode != "DUPLICATE_EXTERNAL_ID" {
		t.Fatalf("duplicate external ids in one call: %+v", dup)
	}
	rolled := saveResults(t, c.do(http.MethodPatch, path, map[string]any{"allOrNone": true, "records": []any{enrollment("e-4", cid, 1), enrollment("e-5", "003ak000000zzzz", 2)}}))
	if rolled[0].Errors[0].StatusCode != "ALL_OR_NONE_OPERATION_ROLLED_BACK" {
		t.Fatalf("%+v", rolled)
	}
	if _, ok := s.Lookup("northpass__Enrollment__c", "northpass__External_Id__c", "e-4"); ok {
		t.Fatal("rolled-back upsert left a record")
	}
	wantError(t, c.do(http.MethodPatch, v+"/composite/sobjects/northpass__Enrollment__c/northpass__Course_Name__c", map[string]any{"records": []any{enrollment("x", cid, 1)}}),
		http.StatusBadRequest, "INVALID_FIELD", "is not an External ID")
	// Retrieve by ids.
	got2 := c.get(v + "/composite/sobjects/northpass__Enrollment__c?ids=" + first[0].ID + ",a0Xak000000zzzz&fields=northpass__External_Id__c")
	mustStatus(t, got2, http.StatusOK)
	var list []map[string]any
	got2.json(t, &list)
	if len(list) != 2 || list[0]["northpass__External_Id__c"] != "e-1" || list[1] != nil {
		t.Fatalf("retrieve: %s", got2.body)
	}
}

// PATCH /composite/sobjects updates by Id: at most 200 records, each with
// attributes.type and Id, allOrNone=false keeping the good ones.
func TestCollectionsUpdate(t *testing.T) {
	s, c := newOrg(t, Options{})
	s.SetAssignmentExpirationDates(true)
	nps := permissionSetID(t, s, "Northpass_Standard_User")
	jane, john := userID(t, s, "jane.doe@acme.example"), userID(t, s, "john.smith@acme.example")
	made := saveResults(t, c.do(http.MethodPost, v+"/composite/sobjects", map[string]any{"records": []any{psaRecord(jane, nps), psaRecord(john, nps)}}))
	exp := "2031-01-01T00:00:00.000+0000"
	upd := func(id string) map[string]any {
		return map[string]any{"attributes": map[string]any{"type": "PermissionSetAssignment"}, "Id": id, "ExpirationDate": exp}
	}
	untyped := map[string]any{"Id": made[1].ID, "ExpirationDate": exp}
	res := saveResults(t, c.do(http.MethodPatch, v+"/composite/sobjects", map[string]any{"allOrNone": false, "records": []any{
		upd(made[0].ID), untyped, map[string]any{"attributes": map[string]any{"type": "PermissionSetAssignment"}, "ExpirationDate": exp},
	}}))
	if len(res) != 3 || !res[0].Success || res[1].Success || res[1].Errors[0].StatusCode != "INVALID_TYPE" || res[2].Success || res[2].Errors[0].StatusCode != "MISSING_ARGUMENT" {
		t.Fatalf("results: %+v", res)
	}
	got := records(t, c.query("SELECT Id, ExpirationDate FROM PermissionSetAssignment WHERE PermissionSetId = '"+nps+"' AND ExpirationDate != null"))
	if len(got) != 1 || got[0]["Id"] != made[0].ID {
		t.Fatalf("updated: %+v", got)
	}
	recs := make([]any, 201)
	for i := range recs {
		recs[i] = upd(made[0].ID)
	}
	wantError(t, c.do(http.MethodPatch, v+"/composite/sobjects", map[string]any{"records": recs}), http.StatusBadRequest, "EXCEEDED_ID_LIMIT", "200")
}
