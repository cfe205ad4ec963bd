package sffake

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Every field of every object cites the reference page its properties come
// from (add panics on a field without one; this proves the pages are
// Salesforce's).
func TestFieldTableCitesReferences(t *testing.T) {
	for _, o := range schema.order {
		for _, f := range o.Fields {
			if !strings.HasPrefix(f.Ref, "https://developer.salesforce.com/docs/") {
				t.Errorf("%s.%s cites %q, not a Salesforce reference page", o.Name, f.Name, f.Ref)
			}
		}
	}
}

func TestFieldPropsRefusesUnknownWords(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a misspelt property must stop the program")
		}
	}()
	field("X", tString, "Create, Filtr", refContact)
}

// A WHERE on a field whose page lacks Filter is refused as Salesforce
// refuses it: 400 INVALID_FIELD with the query's context lines.
func TestWhereOnFieldWithoutFilter(t *testing.T) {
	_, c := newOrg(t, Options{})
	cases := []struct{ api, soql, field, col string }{
		{"tooling", "SELECT Id FROM PackageInstallRequest WHERE Status IN ('IN_PROGRESS', 'UNKNOWN')", "Status", "Column:44"},
		{"tooling", "SELECT Id FROM SubscriberPackageVersionUninstallRequest WHERE Status = 'Queued'", "Status", "Column:63"},
		{"tooling", "SELECT Id FROM Layout WHERE Id != null AND FullName = 'Contact-Contact Layout'", "FullName", ""},
		// Through a relationship Salesforce names the relationship.
		{"tooling", "SELECT Id FROM InstalledSubscriberPackage WHERE SubscriberPackage.NamespacePrefix = 'northpass'", "SubscriberPackage", ""},
		{"rest", "SELECT Id FROM PermissionSetAssignment WHERE AssigneeId != null OR PermissionSet.PermissionsModifyAllData = true", "", ""},
	}
	for _, tc := range cases {
		r := c.query(tc.soql)
		if tc.api == "tooling" {
			r = c.tooling(tc.soql)
		}
		if tc.field == "" {
			mustStatus(t, r, http.StatusOK) // every field filterable
			continue
		}
		e := wantError(t, r, http.StatusBadRequest, "INVALID_FIELD", "\nfield '"+tc.field+"' can not be filtered in query call")
		if msg := e["message"].(string); !strings.HasPrefix(msg, "\n"+tc.soql+"\n") || !strings.Contains(msg, "ERROR at Row:1:"+tc.col) {
			t.Errorf("%s: message %q lacks the query's context lines", tc.soql, msg)
		}
	}
	// Selecting and sorting by them is fine.
	mustStatus(t, c.tooling("SELECT Id, Status FROM PackageInstallRequest WHERE SubscriberPackageVersionKey = '04t000000000001' ORDER BY CreatedDate DESC"), http.StatusOK)
}

// Writing a field without Create (insert) or Update (update) is refused
// with INVALID_FIELD_FOR_INSERT_UPDATE, naming the fields.
func TestWriteOfFieldWithoutCreateOrUpdate(t *testing.T) {
	s, c := newOrg(t, Options{AssignmentExpirationDates: true}) // ExpirationDate needs the org setting
	r := c.do(http.MethodPost, v+"/sobjects/Contact", map[string]any{"LastName": "Lovelace", "Name": "Ada Lovelace"})
	e := wantError(t, r, http.StatusBadRequest, "INVALID_FIELD_FOR_INSERT_UPDATE",
		"Unable to create/update fields: Name. Please check the security settings of this field and verify that it is read/write for your profile or permission set.")
	if f, _ := e["fields"].([]any); len(f) != 1 || f[0] != "Name" {
		t.Errorf("fields = %v, want [Name]", e["fields"])
	}
	r = c.do(http.MethodPost, v+"/tooling/sobjects/PackageInstallRequest", map[string]any{"SubscriberPackageVersionKey": "04t000000000001", "Status": "SUCCESS"})
	wantError(t, r, http.StatusBadRequest, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: Status.")

	// AssigneeId has Create but not Update.
	uid := userID(t, s, DefaultIntegrationUsername)
	psID := permissionSetID(t, s, "Northpass_Standard_User")
	id, err := s.Insert("PermissionSetAssignment", map[string]any{"AssigneeId": uid, "PermissionSetId": psID})
	if err != nil {
		t.Fatal(err)
	}
	r = c.do(http.MethodPatch, v+"/sobjects/PermissionSetAssignment/"+id, map[string]any{"AssigneeId": userID(t, s, DefaultAdminUsername)})
	wantError(t, r, http.StatusBadRequest, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: AssigneeId.")
	r = c.do(http.MethodPatch, v+"/sobjects/PermissionSetAssignment/"+id, map[string]any{"ExpirationDate": "2030-01-01T00:00:00.000+0000"})
	mustStatus(t, r, http.StatusNoContent)
}

// A date-time sent to a Date field does not deserialize; a date does.
func TestDateTimeIntoDateField(t *testing.T) {
	_, c := newOrg(t, Options{})
	body := `{"LastName":"Lovelace","Birthdate":"1815-12-10T00:00:00.000+0000"}`
	r := c.do(http.MethodPost, v+"/sobjects/Contact", body)
	e := wantError(t, r, http.StatusBadRequest, "JSON_PARSER_ERROR",
		"Cannot deserialize instance of date from VALUE_STRING value 1815-12-10T00:00:00.000+0000 or request may be missing a required field")
	if msg := e["message"].(string); !strings.HasSuffix(msg, " at [line:1, column:66]") {
		t.Errorf("message %q lacks the position of the value", msg)
	}
	if _, has := e["fields"]; has {
		t.Errorf("a JSON_PARSER_ERROR names no fields: %v", e)
	}
	r = c.do(http.MethodPost, v+"/sobjects/Contact", map[string]any{"LastName": "Lovelace", "Birthdate": "1815-12-10"})
	mustStatus(t, r, http.StatusCreated)
	var created struct{ ID string }
	r.json(t, &created)
	got := records(t, c.query("SELECT Birthdate FROM Contact WHERE Birthdate = 1815-12-10"))
	if len(got) != 1 || got[0]["Birthdate"] != "1815-12-10" {
		t.Errorf("Birthdate reads back as %v", got)
	}
	// A date-time field still takes a date-time.
	mustStatus(t, c.do(http.MethodPost, v+"/sobjects/PermissionSetAssignment", map[string]any{"ExpirationDate": "2030-01-01T00:00:00Z"}), http.StatusBadRequest)
}

// A field newer than the request's API version does not exist at that
// version: not in queries, not in writes, not in describe.
func TestFieldNewerThanRequestVersion(t *testing.T) {
	s, c := newOrg(t, Options{APIVersions: []string{"51.0", "56.0", "65.0"}})
	old := "/services/data/v56.0"
	r := c.get(old + "/query?q=" + url.QueryEscape("SELECT Id, IsRevoked FROM PermissionSetAssignment"))
	wantError(t, r, http.StatusBadRequest, "INVALID_FIELD", "No such column 'IsRevoked' on entity 'PermissionSetAssignment'.")
	mustStatus(t, c.query("SELECT Id, IsRevoked FROM PermissionSetAssignment"), http.StatusOK)

	uid := userID(t, s, DefaultIntegrationUsername)
	psID := permissionSetID(t, s, "Northpass_Standard_User")
	r = c.do(http.MethodPost, "/services/data/v51.0/sobjects/PermissionSetAssignment",
		map[string]any{"AssigneeId": uid, "PermissionSetId": psID, "ExpirationDate": "2030-01-01T00:00:00Z"})
	wantError(t, r, http.StatusBadRequest, "INVALID_FIELD", "No such column 'ExpirationDate' on sobject of type PermissionSetAssignment")

	var d struct {
		Fields []struct{ Name string } `json:"fields"`
	}
	c.get(old+"/sobjects/PermissionSetAssignment/describe").json(t, &d)
	for _, f := range d.Fields {
		if f.Name == "IsRevoked" {
			t.Error("describe at v56.0 lists IsRevoked (v57.0)")
		}
	}
}

// describe's flags are the table's.
func TestDescribeFlagsFromTable(t *testing.T) {
	_, c := newOrg(t, Options{})
	var d struct {
		Fields []map[string]any `json:"fields"`
	}
	c.get(v+"/tooling/sobjects/PackageInstallRequest/describe").json(t, &d)
	want := map[string]map[string]bool{
		"Status":                      {"filterable": false, "createable": false, "updateable": false, "nillable": true, "sortable": true},
		"SubscriberPackageVersionKey": {"filterable": true, "createable": true, "updateable": false, "nillable": false, "sortable": true},
		"EnableRss":                   {"filterable": true, "createable": true, "defaultedOnCreate": true, "nillable": false},
		"Errors":                      {"filterable": false, "createable": false, "nillable": true, "sortable": false},
		"CreatedDate":                 {"filterable": true, "createable": false, "nillable": false, "sortable": true},
	}
	seen := 0
	for _, f := range d.Fields {
		w, ok := want[f["name"].(string)]
		if !ok {
			continue
		}
		seen++
		for k, b := range w {
			if f[k] != b {
				t.Errorf("%s.%s = %v, want %v", f["name"], k, f[k], b)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("describe listed %d of the %d fields checked", seen, len(want))
	}
}

func TestFieldReference(t *testing.T) {
	if ref, ok := FieldReference("PermissionSetAssignment", []string{"PermissionSet", "IsOwnedByProfile"}); !ok || ref != refPermissionSet {
		t.Errorf("PermissionSet.IsOwnedByProfile → %q, %v", ref, ok)
	}
	if _, ok := FieldReference("Contact", []string{"NoSuchField"}); ok {
		t.Error("an unknown field has no reference")
	}
}
