package sffake

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestVersions(t *testing.T) {
	_, c := newOrg(t, Options{})
	c.token = "" // no authentication needed
	res := c.get("/services/data/")
	mustStatus(t, res, http.StatusOK)
	got := res.array(t)
	if len(got) != 5 || got[0]["version"] != "62.0" || got[0]["label"] != "Winter '25" || got[4]["version"] != "66.0" ||
		got[4]["label"] != "Spring '26" || got[3]["url"] != "/services/data/v65.0" {
		t.Fatalf("versions: %s", res.body)
	}
	if res.header.Get("Sforce-Limit-Info") != "" {
		t.Fatal("the versions list does not report API usage")
	}
	s2, c2 := newOrg(t, Options{APIVersions: []string{"58.0", "59.0"}})
	_ = s2
	got = c2.get("/services/data").array(t)
	if len(got) != 2 || got[0]["label"] != "Summer '23" {
		t.Fatalf("custom versions: %v", got)
	}
	wantError(t, c2.get(v+"/limits"), http.StatusNotFound, "NOT_FOUND", "")
}

func TestLimitsAndUsageHeader(t *testing.T) {
	s, c := newOrg(t, Options{})
	usage := func(r response) int {
		t.Helper()
		m := regexp.MustCompile(`^api-usage=(\d+)/15000$`).FindStringSubmatch(r.header.Get("Sforce-Limit-Info"))
		if m == nil {
			t.Fatalf("Sforce-Limit-Info = %q", r.header.Get("Sforce-Limit-Info"))
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	first := c.get(v + "/limits")
	mustStatus(t, first, http.StatusOK)
	n1 := usage(first)
	var lim struct {
		DailyApiRequests struct{ Max, Remaining int }
	}
	first.json(t, &lim)
	if lim.DailyApiRequests.Max != 15000 || lim.DailyApiRequests.Remaining != 15000-n1 {
		t.Fatalf("limits: %s", first.body)
	}
	q := c.query("SELECT Id FROM User")
	if usage(q) != n1+1 {
		t.Fatal("usage must grow by one per call")
	}
	// Errors are counted too, and carry the header.
	bad := c.query("SELECT Nope FROM User")
	if usage(bad) != n1+2 {
		t.Fatal("failed calls count")
	}
	second := c.get(v + "/limits")
	second.json(t, &lim)
	if lim.DailyApiRequests.Remaining != 15000-(n1+3) {
		t.Fatalf("Remaining did not decrease: %s", second.body)
	}
	if got := s.Kit().Count("GET limits"); got != 2 {
		t.Fatalf("counter GET limits = %d (%v)", got, s.Kit().Counters())
	}
	if s.Kit().Count("GET query") != 2 || s.Kit().BillableCalls() != 4 {
		t.Fatalf("counters: %v billable %d", s.Kit().Counters(), s.Kit().BillableCalls())
	}
	wantError(t, c.get("/services/data/v99.0/limits"), http.StatusNotFound, "NOT_FOUND", "")
}

func TestSObjectCRUD(t *testing.T) {
	s, c := newOrg(t, Options{})
	res := c.do(http.MethodPost, v+"/sobjects/Contact", map[string]any{"FirstName": "Kim", "LastName": "Park", "Email": "kim@example.com"})
	mustStatus(t, res, http.StatusCreated)
	body := res.object(t)
	id, _ := body["id"].(string)
	if body["success"] != true || len(id) != 18 || !strings.HasPrefix(id, "003") || fmt.Sprint(body["errors"]) != "[]" {
		t.Fatalf("create: %s", res.body)
	}
	// 15-character ids work as input.
	got := c.get(v + "/sobjects/Contact/" + id[:15])
	mustStatus(t, got, http.StatusOK)
	rec := got.object(t)
	if rec["Name"] != "Kim Park" || rec["Id"] != id || rec["attributes"].(map[string]any)["url"] != v+"/sobjects/Contact/"+id {
		t.Fatalf("get: %s", got.body)
	}
	mustStatus(t, c.do(http.MethodPatch, v+"/sobjects/Contact/"+id, map[string]any{"Title": "Trainer"}), http.StatusNoContent)
	if r, _ := s.Lookup("Contact", "Id", id); r["Title"] != "Trainer" {
		t.Fatalf("update not stored: %v", r)
	}
	only := c.get(v + "/sobjects/Contact/" + id + "?fields=Title,Email").object(t)
	if len(only) != 3 || only["Title"] != "Trainer" {
		t.Fatalf("?fields=: %v", only)
	}
	wantError(t, c.do(http.MethodPatch, v+"/sobjects/Contact/"+id, map[string]any{"Nope": 1}), http.StatusBadRequest, "INVALID_FIELD", "No such column 'Nope' on sobject of type Contact")
	wantError(t, c.do(http.MethodPatch, v+"/sobjects/Contact/"+id, map[string]any{"Name": "x"}), http.StatusBadRequest, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: Name")
	e := wantError(t, c.do(http.MethodPost, v+"/sobjects/Contact", map[string]any{"FirstName": "No"}), http.StatusBadRequest, "REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]")
	if fmt.Sprint(e["fields"]) != "[LastName]" {
		t.Fatalf("fields: %v", e)
	}
	wantError(t, c.do(http.MethodPost, v+"/sobjects/Contact", "{not json"), http.StatusBadRequest, "JSON_PARSER_ERROR", "")
	mustStatus(t, c.do(http.MethodDelete, v+"/sobjects/Contact/"+id, nil), http.StatusNoContent)
	wantError(t, c.do(http.MethodDelete, v+"/sobjects/Contact/"+id, nil), http.StatusNotFound, "ENTITY_IS_DELETED", "entity is deleted")
	wantError(t, c.get(v+"/sobjects/Contact/"+id), http.StatusNotFound, "NOT_FOUND", "")
	wantError(t, c.get(v+"/sobjects/Contact/003ak0000099999"), http.StatusNotFound, "NOT_FOUND", "")
	wantError(t, c.get(v+"/sobjects/Nope/"+id), http.StatusNotFound, "NOT_FOUND", "")
	// Tooling objects are not on the REST sobjects resource and vice versa.
	wantError(t, c.get(v+"/sobjects/Layout/describe"), http.StatusNotFound, "NOT_FOUND", "")
	wantError(t, c.get(v+"/tooling/sobjects/Contact/describe"), http.StatusNotFound, "NOT_FOUND", "")
	// Counter names are version-independent and templated.
	if s.Kit().Count("GET sobjects/Contact/{id}") != 4 || s.Kit().Count("POST sobjects/Contact") != 3 {
		t.Fatalf("counters: %v", s.Kit().Counters())
	}
}

func TestExternalIDUpsert(t *testing.T) {
	s, c := newOrg(t, Options{})
	contact, _ := s.Lookup("Contact", "Email", "jane.learner@example.com")
	path := v + "/sobjects/northpass__Enrollment__c/northpass__External_Id__c/np-1"
	res := c.do(http.MethodPatch, path, map[string]any{"northpass__Course_Name__c": "Onboarding", "northpass__Contact__c": contact["Id"], "northpass__Progress_Percentage__c": 50})
	mustStatus(t, res, http.StatusCreated)
	if res.object(t)["created"] != true {
		t.Fatalf("%s", res.body)
	}
	res = c.do(http.MethodPatch, path, map[string]any{"northpass__Progress_Percentage__c": 100})
	mustStatus(t, res, http.StatusOK)
	if res.object(t)["created"] != false {
		t.Fatalf("%s", res.body)
	}
	got := c.get(path).object(t)
	if got["northpass__Progress_Percentage__c"] != 100.0 || got["northpass__Course_Name__c"] != "Onboarding" || got["Name"] != got["Id"] {
		t.Fatalf("upserted: %v", got)
	}
	wantError(t, c.get(v+"/sobjects/northpass__Enrollment__c/northpass__Course_Name__c/x"), http.StatusNotFound, "NOT_FOUND", "external ID field")
}

func TestPermissionSetAssignmentRules(t *testing.T) {
	s, c := newOrg(t, Options{AssignmentExpirationDates: true})
	jane := userID(t, s, "jane.doe@acme.example")
	nps := permissionSetID(t, s, "Northpass_Standard_User")
	res := c.do(http.MethodPost, v+"/sobjects/PermissionSetAssignment", map[string]any{"AssigneeId": jane, "PermissionSetId": nps})
	mustStatus(t, res, http.StatusCreated)
	psa := res.object(t)["id"].(string)
	dup := c.do(http.MethodPost, v+"/sobjects/PermissionSetAssignment", map[string]any{"AssigneeId": jane[:15], "PermissionSetId": nps})
	want := fmt.Sprintf(`[{"message":"Duplicate PermissionSetAssignment.  Assignee: %s; Permission Set: %s","errorCode":"DUPLICATE_VALUE","fields":["AssigneeId","PermissionSetId"]}]`, jane[:15], nps[:15])
	mustStatus(t, dup, http.StatusBadRequest)
	if strings.TrimSpace(string(dup.body)) != want {
		t.Fatalf("duplicate body\n got %s\nwant %s", dup.body, want)
	}
	// ExpirationDate is updatable; the assignee is not.
	mustStatus(t, c.do(http.MethodPatch, v+"/sobjects/PermissionSetAssignment/"+psa, map[string]any{"ExpirationDate": "2030-01-02T03:04:05.000+0000"}), http.StatusNoContent)
	got := c.get(v + "/sobjects/PermissionSetAssignment/" + psa).object(t)
	if got["ExpirationDate"] != "2030-01-02T03:04:05.000+0000" {
		t.Fatalf("ExpirationDate: %v", got["ExpirationDate"])
	}
	wantError(t, c.do(http.MethodPatch, v+"/sobjects/PermissionSetAssignment/"+psa, map[string]any{"AssigneeId": jane}), http.StatusBadRequest, "INVALID_FIELD_FOR_INSERT_UPDATE", "AssigneeId")
	// Profile-owned assignments can't be deleted.
	owned := records(t, c.query("SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '"+jane+"' AND PermissionSet.IsOwnedByProfile = true"))
	if len(owned) != 1 {
		t.Fatalf("profile-owned assignment: %v", owned)
	}
	wantError(t, c.do(http.MethodDelete, v+"/sobjects/PermissionSetAssignment/"+owned[0]["Id"].(string), nil), http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION", "associated with a profile")
	// Bad references.
	wantError(t, c.do(http.MethodPost, v+"/sobjects/PermissionSetAssignment", map[string]any{"AssigneeId": "005ak000000zzzz", "PermissionSetId": nps}), http.StatusBadRequest, "INVALID_CROSS_REFERENCE_KEY", "")
	wantError(t, c.do(http.MethodPost, v+"/sobjects/PermissionSetAssignment", map[string]any{"AssigneeId": nps, "PermissionSetId": nps}), http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION", "id value of incorrect type")
	mustStatus(t, c.do(http.MethodDelete, v+"/sobjects/PermissionSetAssignment/"+psa, nil), http.StatusNoContent)
	wantError(t, c.do(http.MethodDelete, v+"/sobjects/PermissionSetAssignment/"+psa, nil), http.StatusNotFound, "ENTITY_IS_DELETED", "")
	// The packaged permission set is read-only.
	wantError(t, c.do(http.MethodPatch, v+"/sobjects/PermissionSet/"+nps, map[string]any{"Label": "x"}), http.StatusBadRequest, "CANNOT_MODIFY_MANAGED_OBJECT", "")
}

func TestDescribe(t *testing.T) {
	s, c := newOrg(t, Options{})
	enrollmentRel := func() []map[string]any {
		t.Helper()
		res := c.get(v + "/sobjects/Contact/describe")
		mustStatus(t, res, http.StatusOK)
		var d struct {
			Name               string           `json:"name"`
			KeyPrefix          string           `json:"keyPrefix"`
			Fields             []map[string]any `json:"fields"`
			ChildRelationships []map[string]any `json:"childRelationships"`
		}
		res.json(t, &d)
		if d.Name != "Contact" || d.KeyPrefix != "003" || len(d.Fields) < 5 {
			t.Fatalf("describe: %s", res.body)
		}
		var out []map[string]any
		for _, cr := range d.ChildRelationships {
			if cr["childSObject"] == "northpass__Enrollment__c" {
				out = append(out, cr)
			}
			if cr["childSObject"] == "PermissionSetAssignment" {
				t.Fatalf("Contact has no assignments: %v", cr)
			}
		}
		return out
	}
	rel := enrollmentRel()
	if len(rel) != 1 || rel[0]["field"] != "northpass__Contact__c" || rel[0]["relationshipName"] != "northpass__Enrollments__r" {
		t.Fatalf("child relationship while installed: %v", rel)
	}
	res := c.get(v + "/sobjects/northpass__Enrollment__c/describe")
	mustStatus(t, res, http.StatusOK)
	d := res.object(t)
	if d["label"] != "Enrollment" || d["labelPlural"] != "Enrollments" || d["custom"] != true {
		t.Fatalf("enrollment describe: %v", d)
	}
	fields := map[string]map[string]any{}
	for _, f := range d["fields"].([]any) {
		fm := f.(map[string]any)
		fields[fm["name"].(string)] = fm
	}
	ext := fields["northpass__External_Id__c"]
	if ext["externalId"] != true || ext["unique"] != true || ext["label"] != "External id" {
		t.Fatalf("external id field: %v", ext)
	}
	lookup := fields["northpass__Contact__c"]
	if lookup["type"] != "reference" || fmt.Sprint(lookup["referenceTo"]) != "[Contact]" || lookup["relationshipName"] != "northpass__Contact__r" || lookup["label"] != "Contact" {
		t.Fatalf("lookup field: %v", lookup)
	}
	if fields["northpass__Enrollment_Date__c"]["type"] != "datetime" || fields["northpass__Progress_Percentage__c"]["type"] != "double" {
		t.Fatal("field types")
	}
	user := c.get(v + "/sobjects/User/describe").object(t)
	if !strings.Contains(fmt.Sprint(user["childRelationships"]), "relationshipName:PermissionSetAssignments") {
		t.Fatalf("User's child relationships: %v", user["childRelationships"])
	}
	if err := s.Uninstall(NorthpassNamespace); err != nil {
		t.Fatal(err)
	}
	if rel := enrollmentRel(); len(rel) != 0 {
		t.Fatalf("child relationship after uninstall: %v", rel)
	}
	wantError(t, c.get(v+"/sobjects/northpass__Enrollment__c/describe"), http.StatusNotFound, "NOT_FOUND", "")
	global := c.get(v + "/sobjects").object(t)
	if !strings.Contains(fmt.Sprint(global["sobjects"]), "name:Contact") || strings.Contains(fmt.Sprint(global["sobjects"]), "Enrollment") {
		t.Fatalf("describeGlobal: %v", global)
	}
}
