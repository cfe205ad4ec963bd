package sfapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestSObjectCRUD(t *testing.T) {
	o := newOrg(t)
	base := "/services/data/v65.0/sobjects/PermissionSetAssignment"
	o.handle("GET "+base+"/0Pa1", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 200, `{"attributes":{"type":"PermissionSetAssignment"},"Id":"0Pa1","AssigneeId":"005a"}`)
	})
	o.handle("POST "+base, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 201, `{"id":"0Pa2","success":true,"errors":[]}`)
	})
	o.handle("DELETE "+base+"/0Pa1", func(w http.ResponseWriter, _ *http.Request, _ seen) { w.WriteHeader(204) })
	o.handle("DELETE "+base+"/0Pa9", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 404, `[{"errorCode":"ENTITY_IS_DELETED","message":"entity is deleted","fields":[]}]`)
	})
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	ctx := context.Background()
	s := c.SObjects()

	var got struct{ Id, AssigneeId string }
	if err := s.Get(ctx, "PermissionSetAssignment", "0Pa1", []string{"Id", "AssigneeId"}, &got); err != nil || got.AssigneeId != "005a" {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if q := o.rec.all()[0].Query.Get("fields"); q != "Id,AssigneeId" {
		t.Errorf("fields = %q", q)
	}
	id, err := s.Create(ctx, "PermissionSetAssignment", map[string]string{"AssigneeId": "005a", "PermissionSetId": "0PSa"})
	if err != nil || id != "0Pa2" {
		t.Fatalf("Create = %q, %v", id, err)
	}
	if err := s.Delete(ctx, "PermissionSetAssignment", "0Pa1"); err != nil {
		t.Fatal(err)
	}
	err = s.Delete(ctx, "PermissionSetAssignment", "0Pa9")
	if !IsNotFound(err) || !strings.Contains(err.Error(), "DELETE "+base+"/0Pa9") {
		t.Errorf("second delete err = %v", err)
	}
	if err := s.Delete(ctx, "PermissionSetAssignment", ".."); err == nil {
		t.Error("accepted id \"..\"")
	}
	if got := len(o.rec.all()); got != 4 {
		t.Errorf("requests = %d, want 4", got)
	}
}

func TestCreateDuplicate(t *testing.T) {
	o := newOrg(t)
	o.handle("POST /services/data/v65.0/sobjects/PermissionSetAssignment", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 400, `[{"message":"Duplicate PermissionSetAssignment.  Assignee: 005ak000005hvjJ; Permission Set: 0PSak00000M9uBB","errorCode":"DUPLICATE_VALUE","fields":["AssigneeId","PermissionSetId"]}]`)
	})
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	_, err := c.SObjects().Create(context.Background(), "PermissionSetAssignment", map[string]string{})
	var ae *APIError
	if !HasErrorCode(err, "DUPLICATE_VALUE") || !errors.As(err, &ae) || !reflect.DeepEqual(ae.Fields, []string{"AssigneeId", "PermissionSetId"}) {
		t.Errorf("err = %v", err)
	}
}

func TestToolingAndDescribe(t *testing.T) {
	o := newOrg(t)
	o.handle("GET /services/data/v65.0/sobjects/Contact/describe", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 200, `{"name":"Contact","label":"Contact","labelPlural":"Contacts","keyPrefix":"003","custom":false,
		 "fields":[{"name":"Id","label":"Contact ID","type":"id","externalId":false,"unique":false,"referenceTo":[],"relationshipName":null},
		           {"name":"ns__Ext__c","label":"Ext","type":"string","externalId":true,"unique":true,"idLookup":true,"referenceTo":[],"relationshipName":null},
		           {"name":"AccountId","label":"Account ID","type":"reference","referenceTo":["Account"],"relationshipName":"Account"}],
		 "childRelationships":[{"childSObject":"ns__Enrollment__c","field":"ns__Contact__c","relationshipName":"ns__Enrollments__r","cascadeDelete":false}]}`)
	})
	o.handle("GET /services/data/v65.0/tooling/sobjects/Layout/00h1", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 200, `{"Id":"00h1","FullName":"Contact-Contact Layout"}`)
	})
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	d, err := c.SObjects().Describe(context.Background(), "Contact")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "Contact" || d.LabelPlural != "Contacts" || d.KeyPrefix != "003" || len(d.Fields) != 3 {
		t.Errorf("describe = %+v", d)
	}
	if f := d.Field("ns__ext__c"); f == nil || !f.ExternalID || !f.Unique || !f.IDLookup {
		t.Errorf("external id field = %+v", f)
	}
	if f := d.Field("AccountId"); f == nil || !reflect.DeepEqual(f.ReferenceTo, []string{"Account"}) || f.RelationshipName != "Account" {
		t.Errorf("reference field = %+v", f)
	}
	want := ChildRelationship{ChildSObject: "ns__Enrollment__c", Field: "ns__Contact__c", RelationshipName: "ns__Enrollments__r"}
	if len(d.ChildRelationships) != 1 || d.ChildRelationships[0] != want {
		t.Errorf("children = %+v", d.ChildRelationships)
	}
	var layout map[string]string
	if err := c.Tooling().Get(context.Background(), "Layout", "00h1", nil, &layout); err != nil || layout["FullName"] != "Contact-Contact Layout" {
		t.Errorf("tooling get = %v, %v", layout, err)
	}
}

func TestCollectionsChunking(t *testing.T) {
	o := newOrg(t)
	var sizes []int
	o.handle("POST /services/data/v65.0/composite/sobjects", func(w http.ResponseWriter, _ *http.Request, s seen) {
		var body struct {
			AllOrNone bool             `json:"allOrNone"`
			Records   []map[string]any `json:"records"`
		}
		if err := json.Unmarshal([]byte(s.Body), &body); err != nil || !body.AllOrNone {
			writeRaw(w, 400, `[{"errorCode":"JSON_PARSER_ERROR","message":"bad"}]`)
			return
		}
		sizes = append(sizes, len(body.Records))
		out := make([]map[string]any, len(body.Records))
		for i, r := range body.Records {
			if r["attributes"].(map[string]any)["type"] != "PermissionSetAssignment" {
				writeRaw(w, 400, `[{"errorCode":"INVALID_TYPE","message":"no type"}]`)
				return
			}
			out[i] = map[string]any{"id": fmt.Sprintf("0Pa-%v", r["AssigneeId"]), "success": true, "errors": []any{}}
		}
		writeJSON(w, 200, out)
	})
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	recs := make([]map[string]any, 450)
	for i := range recs {
		recs[i] = map[string]any{"AssigneeId": i, "PermissionSetId": "0PSx"}
	}
	res, err := c.CreateCollection(context.Background(), "PermissionSetAssignment", recs, true)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sizes, []int{200, 200, 50}) {
		t.Errorf("chunk sizes = %v", sizes)
	}
	if len(res) != 450 || res[0].ID != "0Pa-0" || res[449].ID != "0Pa-449" {
		t.Errorf("results: %d, first %+v, last %+v", len(res), res[0], res[len(res)-1])
	}
	if _, ok := recs[0]["attributes"]; ok {
		t.Error("caller's record was modified")
	}
	if none, err := c.CreateCollection(context.Background(), "PermissionSetAssignment", nil, true); err != nil || len(none) != 0 || len(sizes) != 3 {
		t.Errorf("empty create: %v, %v, calls %d", none, err, len(sizes))
	}
}

func TestDeleteAndUpsertCollections(t *testing.T) {
	o := newOrg(t)
	o.handle("DELETE /services/data/v65.0/composite/sobjects", func(w http.ResponseWriter, _ *http.Request, s seen) {
		ids := strings.Split(s.Query.Get("ids"), ",")
		out := []map[string]any{}
		for _, id := range ids {
			if id == "0Pa9" {
				out = append(out, map[string]any{"id": id, "success": false, "errors": []any{map[string]any{"statusCode": "ENTITY_IS_DELETED", "message": "entity is deleted", "fields": []any{}}}})
				continue
			}
			out = append(out, map[string]any{"id": id, "success": true, "errors": []any{}})
		}
		writeJSON(w, 200, out)
	})
	o.handle("PATCH /services/data/v65.0/composite/sobjects/ns__Enrollment__c/ns__External_Id__c", func(w http.ResponseWriter, _ *http.Request, s seen) {
		writeRaw(w, 200, `[{"id":"a01x","success":true,"errors":[],"created":true},{"id":"a01y","success":true,"errors":[],"created":false}]`)
	})
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	ctx := context.Background()

	res, err := c.DeleteCollection(ctx, []string{"0Pa1", "0Pa9"}, false)
	if err != nil || len(res) != 2 || !res[0].Success || res[1].Success || !IsNotFound(res[1].Err()) {
		t.Fatalf("delete = %+v, %v", res, err)
	}
	q := o.rec.all()[0].Query
	if q.Get("ids") != "0Pa1,0Pa9" || q.Get("allOrNone") != "false" {
		t.Errorf("delete query = %v", q)
	}
	if _, err := c.DeleteCollection(ctx, []string{"a,b"}, false); err == nil {
		t.Error("accepted an id with a comma")
	}

	up, err := c.UpsertCollection(ctx, "ns__Enrollment__c", "ns__External_Id__c",
		[]map[string]any{{"ns__External_Id__c": "e1"}, {"ns__External_Id__c": "e2"}}, false)
	if err != nil || len(up) != 2 || !up[0].Created || up[1].Created || up[1].ID != "a01y" {
		t.Fatalf("upsert = %+v, %v", up, err)
	}
	body := o.rec.all()[1].Body
	if !strings.Contains(body, `"allOrNone":false`) || !strings.Contains(body, `"attributes":{"type":"ns__Enrollment__c"}`) {
		t.Errorf("upsert body = %s", body)
	}
}

func TestCollectionStopsOnChunkError(t *testing.T) {
	o := newOrg(t)
	calls := 0
	o.handle("POST /services/data/v65.0/composite/sobjects", func(w http.ResponseWriter, _ *http.Request, s seen) {
		calls++
		if calls == 2 {
			writeRaw(w, 400, `[{"errorCode":"INVALID_FIELD","message":"No such column 'Bogus__c'"}]`)
			return
		}
		out := make([]map[string]any, 200)
		for i := range out {
			out[i] = map[string]any{"id": "x", "success": true, "errors": []any{}}
		}
		writeJSON(w, 200, out)
	})
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	recs := make([]map[string]any, 500)
	for i := range recs {
		recs[i] = map[string]any{}
	}
	res, err := c.CreateCollection(context.Background(), "Contact", recs, true)
	if !HasErrorCode(err, "INVALID_FIELD") || !strings.Contains(err.Error(), "records 201-400 of 500") {
		t.Errorf("err = %v", err)
	}
	if len(res) != 200 || calls != 2 {
		t.Errorf("results = %d, calls = %d; want the first chunk's 200 results and no third call", len(res), calls)
	}
}
