package sffake

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

type installRequest struct {
	ID                          string `json:"Id"`
	Status                      string `json:"Status"`
	SubscriberPackageVersionKey string `json:"SubscriberPackageVersionKey"`
	SecurityType                string `json:"SecurityType"`
	Errors                      *struct {
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	} `json:"Errors"`
}

func postInstall(t *testing.T, c *client, body map[string]any) string {
	t.Helper()
	res := c.do(http.MethodPost, v+"/tooling/sobjects/PackageInstallRequest", body)
	mustStatus(t, res, http.StatusCreated)
	m := res.object(t)
	id, _ := m["id"].(string)
	if m["success"] != true || !strings.HasPrefix(id, "0Hf") {
		t.Fatalf("create: %s", res.body)
	}
	return id
}

func getInstall(t *testing.T, c *client, id string) installRequest {
	t.Helper()
	res := c.get(v + "/tooling/sobjects/PackageInstallRequest/" + id)
	mustStatus(t, res, http.StatusOK)
	if strings.Contains(string(res.body), "Password") {
		t.Fatalf("Password in a response: %s", res.body)
	}
	var ir installRequest
	res.json(t, &ir)
	return ir
}

func TestInstallLifecycle(t *testing.T) {
	s, c := newOrg(t, Options{InstallDuration: time.Minute})
	v21, _ := s.CatalogVersion(NorthpassNamespace, "2.1")
	id := postInstall(t, c, map[string]any{"SubscriberPackageVersionKey": v21.VersionID, "SecurityType": "none", "NameConflictResolution": "Block"})
	ir := getInstall(t, c, id)
	if ir.Status != "IN_PROGRESS" || ir.SecurityType != "None" || ir.Errors != nil || ir.SubscriberPackageVersionKey != v21.VersionID {
		t.Fatalf("just posted: %+v", ir)
	}
	s.AdvanceClock(59 * time.Second)
	if ir := getInstall(t, c, id); ir.Status != "IN_PROGRESS" {
		t.Fatalf("before the duration: %s", ir.Status)
	}
	if got := s.InstalledPackages(); len(got) != 1 || got[0].VersionName != "2.0" {
		t.Fatalf("installed too early: %+v", got)
	}
	s.AdvanceClock(time.Second)
	if ir := getInstall(t, c, id); ir.Status != "SUCCESS" {
		t.Fatalf("after the duration: %s", ir.Status)
	}
	if got := s.InstalledPackages(); len(got) != 1 || got[0].VersionID != v21.VersionID {
		t.Fatalf("installed: %+v", got)
	}
	recs := records(t, c.tooling(installedPackagesQuery))
	if recs[0]["SubscriberPackageVersion"].(map[string]any)["Name"] != "2.1" {
		t.Fatalf("InstalledSubscriberPackage after upgrade: %v", recs)
	}
	// The CumulusCI-style polling query.
	polled := records(t, c.tooling("SELECT Errors, Status FROM PackageInstallRequest WHERE Id = '"+id+"'"))
	if len(polled) != 1 || polled[0]["Status"] != "SUCCESS" || polled[0]["Errors"] != nil {
		t.Fatalf("query: %v", polled)
	}
	// Installing the earlier version is refused.
	v20, _ := s.CatalogVersion(NorthpassNamespace, "2.0")
	down := postInstall(t, c, map[string]any{"SubscriberPackageVersionKey": v20.VersionID, "SecurityType": "NONE"})
	ir = getInstall(t, c, down)
	if ir.Status != "ERROR" || ir.Errors == nil || !strings.Contains(ir.Errors.Errors[0].Message, "CANNOT_INSTALL_EARLIER_VERSION") {
		t.Fatalf("downgrade: %+v", ir)
	}
	// Unknown versions fail with a message.
	unknown := postInstall(t, c, map[string]any{"SubscriberPackageVersionKey": "04tak000000zzzz"})
	if ir := getInstall(t, c, unknown); ir.Status != "ERROR" || ir.Errors == nil {
		t.Fatalf("unknown version: %+v", ir)
	}
	reqs := s.InstallRequests()
	if len(reqs) != 3 || reqs[0].Status != "SUCCESS" || reqs[0].VersionName != "2.1" || reqs[1].Status != "ERROR" || reqs[0].CompletedAt.IsZero() {
		t.Fatalf("InstallRequests: %+v", reqs)
	}
	wantError(t, c.do(http.MethodPost, v+"/tooling/sobjects/PackageInstallRequest", map[string]any{"SubscriberPackageVersionKey": v21.VersionID, "SecurityType": "everyone"}),
		http.StatusBadRequest, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "")
	wantError(t, c.do(http.MethodPost, v+"/tooling/sobjects/PackageInstallRequest", map[string]any{"SecurityType": "None"}),
		http.StatusBadRequest, "REQUIRED_FIELD_MISSING", "SubscriberPackageVersionKey")
	if s.Kit().Count("POST tooling/sobjects/PackageInstallRequest") != 5 {
		t.Fatalf("counters: %v", s.Kit().Counters())
	}
}

func TestInstallBringsComponents(t *testing.T) {
	s, c := newOrg(t, Options{InstallDuration: time.Second})
	if err := s.Uninstall(NorthpassNamespace); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Lookup("PermissionSet", "Name", "Northpass_Standard_User"); ok {
		t.Fatal("permission set survived uninstall")
	}
	v21, _ := s.CatalogVersion(NorthpassNamespace, "2.1")
	id := postInstall(t, c, map[string]any{"SubscriberPackageVersionKey": v21.VersionID, "SecurityType": "None"})
	s.AdvanceClock(time.Second)
	if getInstall(t, c, id).Status != "SUCCESS" {
		t.Fatal("not installed")
	}
	ps := records(t, c.query("SELECT Id, Name, NamespacePrefix FROM PermissionSet WHERE NamespacePrefix = 'northpass' AND Label = 'Northpass Standard User'"))
	if len(ps) != 1 || ps[0]["Name"] != "Northpass_Standard_User" {
		t.Fatalf("package permission set: %v", ps)
	}
	mustStatus(t, c.get(v+"/sobjects/northpass__Enrollment__c/describe"), http.StatusOK)
}

func TestKeyProtectedPackage(t *testing.T) {
	s, c := newOrg(t, Options{InstallDuration: time.Second})
	kp, ok := s.CatalogVersion(KeyProtectedNamespace, "1.0")
	if !ok {
		t.Fatal("no key-protected package in the catalog")
	}
	wrong := postInstall(t, c, map[string]any{"SubscriberPackageVersionKey": kp.VersionID, "Password": "guess"})
	if ir := getInstall(t, c, wrong); ir.Status != "ERROR" || !strings.Contains(ir.Errors.Errors[0].Message, "installation key") {
		t.Fatalf("wrong key: %+v", ir)
	}
	missing := postInstall(t, c, map[string]any{"SubscriberPackageVersionKey": kp.VersionID})
	if ir := getInstall(t, c, missing); ir.Status != "ERROR" {
		t.Fatalf("missing key: %+v", ir)
	}
	right := postInstall(t, c, map[string]any{"SubscriberPackageVersionKey": kp.VersionID, "Password": KeyProtectedInstallationKey})
	s.AdvanceClock(time.Second)
	if ir := getInstall(t, c, right); ir.Status != "SUCCESS" {
		t.Fatalf("right key: %+v", ir)
	}
	// The connector needs no key.
	dc, _ := s.CatalogVersion(ConnectorNamespace, "1.0")
	conn := postInstall(t, c, map[string]any{"SubscriberPackageVersionKey": dc.VersionID})
	s.AdvanceClock(time.Second)
	if ir := getInstall(t, c, conn); ir.Status != "SUCCESS" {
		t.Fatalf("connector: %+v", ir)
	}
	if n := len(s.InstalledPackages()); n != 3 {
		t.Fatalf("installed: %d", n)
	}
	// The pre-flight query with the key matches; with a wrong one it doesn't.
	q := "SELECT Id, InstallValidationStatus, InstallationKey FROM SubscriberPackageVersion WHERE Id = '" + kp.VersionID + "' AND InstallationKey = '%s'"
	if recs := records(t, c.tooling(strings.Replace(q, "%s", KeyProtectedInstallationKey, 1))); len(recs) != 1 || recs[0]["InstallationKey"] != nil {
		t.Fatalf("pre-flight with the key: %v", recs)
	}
	if recs := records(t, c.tooling(strings.Replace(q, "%s", "guess", 1))); len(recs) != 0 {
		t.Fatalf("pre-flight with a wrong key: %v", recs)
	}
	v20, _ := s.CatalogVersion(NorthpassNamespace, "2.0")
	if err := s.SetInstalledVersion(mustVersion(t, s, "2.1")); err != nil {
		t.Fatal(err)
	}
	status := records(t, c.tooling("SELECT InstallValidationStatus FROM SubscriberPackageVersion WHERE Id = '"+v20.VersionID+"'"))
	if status[0]["InstallValidationStatus"] != "CANNOT_INSTALL_EARLIER_VERSION" {
		t.Fatalf("validation status: %v", status)
	}
}

func mustVersion(t *testing.T, s *Server, name string) string {
	t.Helper()
	pv, ok := s.CatalogVersion(NorthpassNamespace, name)
	if !ok {
		t.Fatalf("no Northpass %s", name)
	}
	return pv.VersionID
}

func TestUninstallRequest(t *testing.T) {
	s, c := newOrg(t, Options{InstallDuration: 30 * time.Second})
	dc, _ := s.CatalogVersion(ConnectorNamespace, "1.0")
	if !dc.SecondGeneration() {
		t.Fatal("the seeded Data Connector must be second-generation")
	}
	if err := s.SetInstalledVersion(dc.VersionID); err != nil {
		t.Fatal(err)
	}
	res := c.do(http.MethodPost, v+"/tooling/sobjects/SubscriberPackageVersionUninstallRequest", map[string]any{"SubscriberPackageVersionId": dc.VersionID})
	mustStatus(t, res, http.StatusCreated)
	id := res.object(t)["id"].(string)
	if !strings.HasPrefix(id, "06y") {
		t.Fatalf("id %s", id)
	}
	status := func() string {
		return c.get(v + "/tooling/sobjects/SubscriberPackageVersionUninstallRequest/" + id).object(t)["Status"].(string)
	}
	if st := status(); st != "Queued" {
		t.Fatalf("status %s", st)
	}
	s.AdvanceClock(5 * time.Second)
	if st := status(); st != "InProgress" {
		t.Fatalf("status %s", st)
	}
	s.AdvanceClock(5 * time.Second)
	if st := status(); st != "Success" {
		t.Fatalf("status %s", st)
	}
	for _, p := range s.InstalledPackages() {
		if p.Namespace == ConnectorNamespace {
			t.Fatal("package still installed")
		}
	}
	// Uninstalling what isn't installed fails, with an error record.
	res = c.do(http.MethodPost, v+"/tooling/sobjects/SubscriberPackageVersionUninstallRequest", map[string]any{"SubscriberPackageVersionId": dc.VersionID})
	bad := res.object(t)["id"].(string)
	if st := c.get(v + "/tooling/sobjects/SubscriberPackageVersionUninstallRequest/" + bad).object(t)["Status"]; st != "Error" {
		t.Fatalf("status %v", st)
	}
	msgs := records(t, c.tooling("SELECT Message FROM PackageVersionUninstallRequestError WHERE ParentRequest.Id = '"+bad+"'"))
	if len(msgs) != 1 || !strings.Contains(msgs[0]["Message"].(string), "not installed") {
		t.Fatalf("error records: %v", msgs)
	}
}

// The uninstall request removes second-generation package versions only;
// the seeded Northpass package is first-generation, so the request is
// refused and the package, its permission set and their assignments stay.
func TestUninstallRequestRefusesFirstGeneration(t *testing.T) {
	s, c := newOrg(t, Options{InstallDuration: 30 * time.Second})
	jane := userID(t, s, "jane.doe@acme.example")
	if _, err := s.Insert("PermissionSetAssignment", map[string]any{"AssigneeId": jane, "PermissionSetId": permissionSetID(t, s, "Northpass_Standard_User")}); err != nil {
		t.Fatal(err)
	}
	v20 := mustVersion(t, s, "2.0")
	res := c.do(http.MethodPost, v+"/tooling/sobjects/SubscriberPackageVersionUninstallRequest", map[string]any{"SubscriberPackageVersionId": v20})
	mustStatus(t, res, http.StatusBadRequest)
	if body := string(res.body); !strings.Contains(body, "FIELD_INTEGRITY_EXCEPTION") || !strings.Contains(body, "first-generation") ||
		!strings.Contains(body, "Setup") {
		t.Fatalf("refusal: %s", body)
	}
	if n := len(records(t, c.tooling("SELECT Id FROM SubscriberPackageVersionUninstallRequest"))); n != 0 {
		t.Fatalf("%d uninstall requests stored after a refusal", n)
	}
	s.AdvanceClock(time.Minute)
	if got := s.InstalledPackages(); len(got) != 1 || got[0].VersionName != "2.0" {
		t.Fatalf("installed: %+v", got)
	}
	// Uninstalling in Setup works, in the background, and takes the
	// package's assignments along; installs wait until it is done.
	if err := s.StartSetupUninstall(NorthpassNamespace); err != nil {
		t.Fatal(err)
	}
	if err := s.StartSetupUninstall(NorthpassNamespace); err == nil {
		t.Fatal("a second Setup uninstall while one runs")
	}
	np21, _ := s.CatalogVersion(NorthpassNamespace, "2.1")
	ir := getInstall(t, c, postInstall(t, c, map[string]any{"SubscriberPackageVersionKey": np21.VersionID}))
	if ir.Status != "ERROR" || ir.Errors == nil || !strings.Contains(ir.Errors.Errors[0].Message, "UNINSTALL_IN_PROGRESS") {
		t.Fatalf("install during a Setup uninstall: %+v", ir)
	}
	if got := s.InstalledPackages(); len(got) != 1 {
		t.Fatalf("uninstalled at once: %+v", got)
	}
	s.AdvanceClock(10 * time.Second)
	if got := s.InstalledPackages(); len(got) != 0 {
		t.Fatalf("still installed after the uninstall's time: %+v", got)
	}
	if n := len(records(t, c.query("SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '"+jane+"'"))); n != 1 {
		t.Fatalf("package assignments must go with the package (left %d)", n)
	}
}

// A version's generation and remote sites are on the wire as the Tooling
// reference shows them: Package2ContainerOptions null for 1GP, the two
// complexvalue fields as {"settings":[…]} or null.
func TestPackageVersionGenerationAndSites(t *testing.T) {
	s, c := newOrg(t, Options{})
	np21, _ := s.CatalogVersion(NorthpassNamespace, "2.1")
	dc, _ := s.CatalogVersion(ConnectorNamespace, "1.0")
	get := func(id string) map[string]any {
		recs := records(t, c.tooling("SELECT Id, IsManaged, Package2ContainerOptions, RemoteSiteSettings, CspTrustedSites FROM SubscriberPackageVersion WHERE Id = '"+id+"'"))
		if len(recs) != 1 {
			t.Fatalf("%d rows for %s", len(recs), id)
		}
		return recs[0]
	}
	r := get(np21.VersionID)
	if r["Package2ContainerOptions"] != nil || r["IsManaged"] != true {
		t.Fatalf("Northpass 2.1: %v", r)
	}
	rss, _ := r["RemoteSiteSettings"].(map[string]any)
	settings, _ := rss["settings"].([]any)
	if len(settings) != 1 || settings[0].(map[string]any)["url"] != NorthpassRemoteSite || settings[0].(map[string]any)["secure"] != true {
		t.Fatalf("RemoteSiteSettings: %v", r["RemoteSiteSettings"])
	}
	csp, _ := r["CspTrustedSites"].(map[string]any)
	settings, _ = csp["settings"].([]any)
	if len(settings) != 1 || settings[0].(map[string]any)["endpointUrl"] != NorthpassCSPTrustedSite {
		t.Fatalf("CspTrustedSites: %v", r["CspTrustedSites"])
	}
	r = get(dc.VersionID)
	if r["Package2ContainerOptions"] != "Managed" || r["RemoteSiteSettings"] != nil || r["CspTrustedSites"] != nil {
		t.Fatalf("Data Connector 1.0: %v", r)
	}
	// The installed list carries the generation too, as the sf CLI reads it.
	recs := records(t, c.tooling("SELECT SubscriberPackageVersion.IsManaged, SubscriberPackageVersion.Package2ContainerOptions FROM InstalledSubscriberPackage"))
	if len(recs) != 1 {
		t.Fatalf("installed: %v", recs)
	}
	if spv, _ := recs[0]["SubscriberPackageVersion"].(map[string]any); spv["IsManaged"] != true || spv["Package2ContainerOptions"] != nil {
		t.Fatalf("installed Northpass: %v", recs[0])
	}
}

// EnableRss is recorded on the install request as posted.
func TestInstallRecordsEnableRss(t *testing.T) {
	s, c := newOrg(t, Options{InstallDuration: time.Second})
	np21, _ := s.CatalogVersion(NorthpassNamespace, "2.1")
	dc, _ := s.CatalogVersion(ConnectorNamespace, "1.0")
	postInstall(t, c, map[string]any{"SubscriberPackageVersionKey": np21.VersionID, "EnableRss": true})
	postInstall(t, c, map[string]any{"SubscriberPackageVersionKey": dc.VersionID})
	reqs := s.InstallRequests()
	if len(reqs) != 2 || !reqs[0].EnableRss || reqs[1].EnableRss {
		t.Fatalf("install requests: %+v", reqs)
	}
}

func TestSetInstalledVersionAndUninstall(t *testing.T) {
	s, _ := newOrg(t, Options{})
	if err := s.SetInstalledVersion(mustVersion(t, s, "2.1")); err != nil {
		t.Fatal(err)
	}
	if got := s.InstalledPackages(); got[0].VersionName != "2.1" {
		t.Fatalf("%+v", got)
	}
	if err := s.SetInstalledVersion(mustVersion(t, s, "2.0")); err != nil {
		t.Fatal(err)
	}
	if got := s.InstalledPackages(); got[0].VersionName != "2.0" {
		t.Fatalf("downgrade behind Terraform's back: %+v", got)
	}
	if err := s.SetInstalledVersion("04tak000000zzzz"); err == nil {
		t.Fatal("unknown version accepted")
	}
	if err := s.Uninstall(ConnectorNamespace); err == nil {
		t.Fatal("uninstalling what isn't installed must fail")
	}
	if len(s.Catalog()) != 4 {
		t.Fatalf("catalog: %+v", s.Catalog())
	}
}
