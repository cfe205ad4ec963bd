package sffake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const installedPackagesQuery = "SELECT Id, SubscriberPackageId, SubscriberPackage.NamespacePrefix, SubscriberPackage.Name, " +
	"SubscriberPackageVersion.Id, SubscriberPackageVersion.Name, SubscriberPackageVersion.MajorVersion, " +
	"SubscriberPackageVersion.MinorVersion, SubscriberPackageVersion.PatchVersion, SubscriberPackageVersion.BuildNumber " +
	"FROM InstalledSubscriberPackage ORDER BY SubscriberPackageId"

// TestInstalledPackagesQuery runs the reference §1 query and checks the
// response has the real shape: Tooling QueryResult fields, attributes on
// every record and nested object, numbers as JSON numbers.
func TestInstalledPackagesQuery(t *testing.T) {
	s, c := newOrg(t, Options{})
	res := c.tooling(installedPackagesQuery)
	mustStatus(t, res, http.StatusOK)
	var qr struct {
		Size           int              `json:"size"`
		TotalSize      int              `json:"totalSize"`
		Done           bool             `json:"done"`
		QueryLocator   *string          `json:"queryLocator"`
		EntityTypeName string           `json:"entityTypeName"`
		Records        []map[string]any `json:"records"`
	}
	res.json(t, &qr)
	if qr.Size != 1 || qr.TotalSize != 1 || !qr.Done || qr.QueryLocator != nil || qr.EntityTypeName != "InstalledSubscriberPackage" {
		t.Fatalf("query result header: %s", res.body)
	}
	var raw map[string]json.RawMessage
	res.json(t, &raw)
	if _, ok := raw["queryLocator"]; !ok {
		t.Fatal("queryLocator must be present (null)")
	}
	rec := qr.Records[0]
	np, _ := s.CatalogVersion(NorthpassNamespace, "2.0")
	attrs := rec["attributes"].(map[string]any)
	if attrs["type"] != "InstalledSubscriberPackage" || attrs["url"] != "/services/data/v65.0/tooling/sobjects/InstalledSubscriberPackage/"+rec["Id"].(string) {
		t.Fatalf("attributes: %v", attrs)
	}
	if !strings.HasPrefix(rec["Id"].(string), "0A3") || len(rec["Id"].(string)) != 18 || rec["SubscriberPackageId"] != np.PackageID {
		t.Fatalf("ids: %v", rec)
	}
	sp := rec["SubscriberPackage"].(map[string]any)
	if sp["NamespacePrefix"] != "northpass" || sp["Name"] != "Northpass" || sp["attributes"].(map[string]any)["type"] != "SubscriberPackage" {
		t.Fatalf("SubscriberPackage: %v", sp)
	}
	spv := rec["SubscriberPackageVersion"].(map[string]any)
	if spv["Id"] != np.VersionID || spv["Name"] != "2.0" || spv["MajorVersion"] != 2.0 || spv["MinorVersion"] != 0.0 || spv["BuildNumber"] != float64(np.Build) {
		t.Fatalf("SubscriberPackageVersion: %v", spv)
	}
	if !strings.Contains(string(res.body), `"MajorVersion":2,`) {
		t.Fatalf("version numbers must be JSON integers: %s", res.body)
	}
	// "attributes" comes first, then the fields in selected order.
	if !strings.HasPrefix(string(res.body), `{"size":1,"totalSize":1,"done":true`) || !strings.Contains(string(res.body), `"records":[{"attributes":{"type":"InstalledSubscriberPackage"`) {
		t.Fatalf("key order: %s", res.body)
	}
	// The REST API does not know Tooling objects.
	wantError(t, c.query(installedPackagesQuery), http.StatusBadRequest, "INVALID_TYPE", "sObject type 'InstalledSubscriberPackage' is not supported")
}

func TestRelationshipQuery(t *testing.T) {
	s, c := newOrg(t, Options{})
	jane := userID(t, s, "jane.doe@acme.example")
	if _, err := s.Insert("PermissionSetAssignment", map[string]any{"AssigneeId": jane, "PermissionSetId": permissionSetID(t, s, "Sales_Ops")}); err != nil {
		t.Fatal(err)
	}
	recs := records(t, c.query("SELECT Id, assignee.username, Assignee.Profile.Name, PermissionSet.Label FROM PermissionSetAssignment "+
		"WHERE PermissionSet.IsOwnedByProfile = false AND AssigneeId = '"+jane[:15]+"'"))
	if len(recs) != 1 {
		t.Fatalf("want the one non-profile assignment, got %v", recs)
	}
	a := recs[0]["Assignee"].(map[string]any)
	if a["Username"] != "jane.doe@acme.example" {
		t.Fatalf("canonical key spelling and value: %v", a)
	}
	if a["attributes"].(map[string]any)["type"] != "User" {
		t.Fatalf("nested attributes: %v", a)
	}
	if p := a["Profile"].(map[string]any); p["Name"] != "Standard User" || p["attributes"].(map[string]any)["type"] != "Profile" {
		t.Fatalf("two-level path: %v", p)
	}
	// Admin check from the reference §8.
	admin := records(t, c.query("SELECT Profile.Name, Profile.PermissionsModifyAllData, Profile.PermissionsViewAllData FROM User WHERE Username = 'ADMIN@acme.example'"))
	if len(admin) != 1 || admin[0]["Profile"].(map[string]any)["PermissionsModifyAllData"] != true {
		t.Fatalf("admin check: %v", admin)
	}
	integ := records(t, c.query("SELECT Id FROM PermissionSetAssignment WHERE Assignee.Username = '"+DefaultIntegrationUsername+"' AND PermissionSet.PermissionsModifyAllData = true LIMIT 1"))
	if len(integ) != 0 {
		t.Fatalf("integration user must not be an admin: %v", integ)
	}
	// A null lookup projects as null, not as a missing key.
	ps := records(t, c.query("SELECT Name, Profile.Name FROM PermissionSet WHERE Name = 'Sales_Ops'"))
	if v, ok := ps[0]["Profile"]; !ok || v != nil {
		t.Fatalf("null lookup: %v", ps[0])
	}
	count := c.query("SELECT COUNT() FROM User WHERE IsActive = true AND IsDeleted = false")
	mustStatus(t, count, http.StatusOK)
	var cr struct {
		TotalSize int   `json:"totalSize"`
		Records   []any `json:"records"`
	}
	count.json(t, &cr)
	if cr.TotalSize != 4 || len(cr.Records) != 0 {
		t.Fatalf("COUNT(): %s", count.body)
	}
}

func TestQueryErrors(t *testing.T) {
	_, c := newOrg(t, Options{})
	e := wantError(t, c.query("SELECT Id, Foo FROM Contact"), http.StatusBadRequest, "INVALID_FIELD", "No such column 'Foo' on entity 'Contact'")
	if !strings.Contains(e["message"].(string), "ERROR at Row:1:Column:12") {
		t.Errorf("position: %q", e["message"])
	}
	wantError(t, c.query("SELECT Id FROM Contact WHERE Owner.Nope = 'x'"), http.StatusBadRequest, "INVALID_FIELD", "No such column 'Nope' on entity 'User'")
	wantError(t, c.query("SELECT Nobody.Name FROM Contact"), http.StatusBadRequest, "INVALID_FIELD", "Didn't understand relationship 'Nobody'")
	wantError(t, c.query("SELECT Id FROM Accout"), http.StatusBadRequest, "INVALID_TYPE", "sObject type 'Accout' is not supported.")
	wantError(t, c.query("SELECT Id FROM"), http.StatusBadRequest, "MALFORMED_QUERY", "")
	wantError(t, c.query("SELEC Id FROM User"), http.StatusBadRequest, "MALFORMED_QUERY", "")
	wantError(t, c.get(v+"/query"), http.StatusBadRequest, "MALFORMED_QUERY", "A query string has to be specified")
	wantError(t, c.tooling("SELECT Id, Password FROM PackageInstallRequest"), http.StatusBadRequest, "INVALID_FIELD", "No such column 'Password'")
	// Catalog objects need an Id filter on a real org.
	wantError(t, c.tooling("SELECT Id, Name FROM SubscriberPackage"), http.StatusBadRequest, "MALFORMED_QUERY", "Id")
	wantError(t, c.get(v+"/query/01gbogus-2"), http.StatusBadRequest, "INVALID_QUERY_LOCATOR", "")
}

// TestPaging walks nextRecordsUrl across several batches on both APIs.
func TestPaging(t *testing.T) {
	s, c := newOrg(t, Options{PageSize: 2, ExtraUsers: 3})
	walk := func(first response, tooling bool, minPages int) []map[string]any {
		t.Helper()
		var all []map[string]any
		res := first
		pages := 0
		for {
			mustStatus(t, res, http.StatusOK)
			var qr struct {
				TotalSize      int              `json:"totalSize"`
				Done           bool             `json:"done"`
				NextRecordsURL string           `json:"nextRecordsUrl"`
				QueryLocator   *string          `json:"queryLocator"`
				Records        []map[string]any `json:"records"`
			}
			res.json(t, &qr)
			pages++
			if len(qr.Records) > 2 {
				t.Fatalf("batch larger than PageSize: %d", len(qr.Records))
			}
			all = append(all, qr.Records...)
			if qr.Done {
				if qr.NextRecordsURL != "" {
					t.Fatalf("done with nextRecordsUrl: %s", res.body)
				}
				break
			}
			wantPrefix := v + "/query/01g"
			if tooling {
				wantPrefix = v + "/tooling/query/01g"
				if qr.QueryLocator == nil {
					t.Fatalf("tooling page without queryLocator: %s", res.body)
				}
			}
			if !strings.HasPrefix(qr.NextRecordsURL, wantPrefix) {
				t.Fatalf("nextRecordsUrl %q, want prefix %q", qr.NextRecordsURL, wantPrefix)
			}
			if qr.TotalSize != 0 && pages > qr.TotalSize {
				t.Fatal("paging does not end")
			}
			res = c.get(qr.NextRecordsURL)
		}
		if pages < minPages {
			t.Fatalf("only %d pages", pages)
		}
		return all
	}
	users := walk(c.query("SELECT Id, Username FROM User ORDER BY Username"), false, 4)
	if len(users) != 8 {
		t.Fatalf("users across pages: %d", len(users))
	}
	for i := 1; i < len(users); i++ {
		if strings.ToLower(users[i-1]["Username"].(string)) > strings.ToLower(users[i]["Username"].(string)) {
			t.Fatal("order lost across pages")
		}
	}
	// Tooling: the catalog's versions, one query per id.
	var ids []string
	for _, pv := range s.Catalog() {
		ids = append(ids, "'"+pv.VersionID+"'")
	}
	versions := walk(c.tooling("SELECT Id, Name, SubscriberPackage.Name FROM SubscriberPackageVersion WHERE Id IN ("+strings.Join(ids, ",")+")"), true, 2)
	if len(versions) != 4 || versions[3]["SubscriberPackage"].(map[string]any)["Name"] != "Key Protected Test Package" {
		t.Fatalf("versions across pages: %v", versions)
	}
	entities := walk(c.tooling("SELECT QualifiedApiName FROM EntityDefinition ORDER BY QualifiedApiName"), true, 3)
	if len(entities) < 6 {
		t.Fatalf("entity definitions: %d", len(entities))
	}
}

func TestLayoutQueryRestrictions(t *testing.T) {
	_, c := newOrg(t, Options{})
	recs := records(t, c.tooling("SELECT Id, Name, TableEnumOrId FROM Layout WHERE TableEnumOrId = 'Contact'"))
	if len(recs) != 2 {
		t.Fatalf("Contact layouts: %v", recs)
	}
	wantError(t, c.tooling("SELECT Id, Metadata FROM Layout WHERE TableEnumOrId = 'Contact'"), http.StatusBadRequest, "MALFORMED_QUERY", "no more than one row")
	one := records(t, c.tooling(fmt.Sprintf("SELECT Id, FullName, Metadata FROM Layout WHERE Id = '%s'", recs[0]["Id"])))
	if one[0]["FullName"] != "Contact-Contact Layout" || one[0]["Metadata"] == nil {
		t.Fatalf("single-row Metadata: %v", one[0])
	}
}

func TestEntityDefinition(t *testing.T) {
	s, c := newOrg(t, Options{})
	recs := records(t, c.tooling("SELECT QualifiedApiName, Label, NamespacePrefix FROM EntityDefinition WHERE Label = 'Enrollment'"))
	if len(recs) != 1 || recs[0]["QualifiedApiName"] != "northpass__Enrollment__c" || recs[0]["NamespacePrefix"] != "northpass" {
		t.Fatalf("EntityDefinition: %v", recs)
	}
	if err := s.Uninstall(NorthpassNamespace); err != nil {
		t.Fatal(err)
	}
	if recs := records(t, c.tooling("SELECT QualifiedApiName FROM EntityDefinition WHERE Label = 'Enrollment'")); len(recs) != 0 {
		t.Fatalf("object gone with the package: %v", recs)
	}
	wantError(t, c.query("SELECT Id FROM northpass__Enrollment__c"), http.StatusBadRequest, "INVALID_TYPE", "")
}

// A batch holds at most 2,000 records, whatever PageSize asks: Salesforce's
// default and maximum batch size.
func TestPageSizeCappedAtSalesforceMaximum(t *testing.T) {
	_, c := newOrg(t, Options{PageSize: 5000, ExtraUsers: 2500})
	res := c.query("SELECT Id FROM User")
	mustStatus(t, res, http.StatusOK)
	var qr struct {
		TotalSize int              `json:"totalSize"`
		Done      bool             `json:"done"`
		Records   []map[string]any `json:"records"`
	}
	res.json(t, &qr)
	if qr.TotalSize <= 2500 || len(qr.Records) != 2000 || qr.Done {
		t.Fatalf("first batch: %d of %d records, done=%t; want 2000 and more to come", len(qr.Records), qr.TotalSize, qr.Done)
	}
}
