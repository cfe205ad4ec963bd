package sfapi

import (
	"testing"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// fakeClient is a client of the in-memory org, which refuses what a real
// org refuses (a WHERE on a field without Filter, among others).
func fakeClient(t *testing.T, org *sffake.Server) *Client {
	t.Helper()
	return mustNew(t, Config{InstanceURL: org.URL(), AccessToken: org.IssueAccessToken(sffake.DefaultAdminUsername), RetryMax: -1})
}

// A running install is found again against an org that refuses a filter on
// PackageInstallRequest.Status, and once it has finished it is no longer
// listed.
func TestRunningPackageInstallsAgainstFake(t *testing.T) {
	org := sffake.NewTestServer(t, sffake.Options{InstallDuration: time.Minute})
	v, ok := org.CatalogVersion(sffake.NorthpassNamespace, "2.1")
	if !ok {
		t.Fatal("no Northpass 2.1 in the fake's catalog")
	}
	c := fakeClient(t, org)
	id, err := c.StartPackageInstall(t.Context(), InstallOptions{VersionID: v.VersionID})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.RunningPackageInstalls(t.Context(), v.VersionID[:15])
	if err != nil {
		t.Fatalf("the recovery query is refused: %v", err)
	}
	if len(got) != 1 || !sameID(got[0].ID, id) || got[0].Status != InstallStatusInProgress {
		t.Fatalf("running installs = %+v, want the request %s IN_PROGRESS", got, id)
	}
	other, err := c.RunningPackageInstalls(t.Context(), sffakeOtherVersion(t, org, v.VersionID))
	if err != nil || len(other) != 0 {
		t.Errorf("another version's running installs = %+v, %v; want none", other, err)
	}
	org.AdvanceClock(2 * time.Minute)
	if got, err := c.RunningPackageInstalls(t.Context(), v.VersionID); err != nil || len(got) != 0 {
		t.Errorf("after the install finished: %+v, %v; want none", got, err)
	}
}

// The same for an uninstall whose answer was lost.
func TestRunningPackageUninstallsAgainstFake(t *testing.T) {
	org := sffake.NewTestServer(t, sffake.Options{InstallDuration: 3 * time.Minute})
	// The Data Connector: an uninstall request takes second-generation versions only.
	v, _ := org.CatalogVersion(sffake.ConnectorNamespace, "1.0")
	if err := org.SetInstalledVersion(v.VersionID); err != nil {
		t.Fatal(err)
	}
	c := fakeClient(t, org)
	id, err := c.StartPackageUninstall(t.Context(), v.VersionID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.RunningPackageUninstalls(t.Context(), v.VersionID)
	if err != nil {
		t.Fatalf("the recovery query is refused: %v", err)
	}
	if len(got) != 1 || !sameID(got[0].ID, id) {
		t.Fatalf("running uninstalls = %+v, want the request %s", got, id)
	}
	org.AdvanceClock(5 * time.Minute)
	if got, err := c.RunningPackageUninstalls(t.Context(), v.VersionID); err != nil || len(got) != 0 {
		t.Errorf("after the uninstall finished: %+v, %v; want none", got, err)
	}
}

func sameID(a, b string) bool {
	a18, err1 := ID18(a)
	b18, err2 := ID18(b)
	return err1 == nil && err2 == nil && a18 == b18
}

// sffakeOtherVersion is a catalog version other than id.
func sffakeOtherVersion(t *testing.T, org *sffake.Server, id string) string {
	t.Helper()
	for _, v := range org.Catalog() {
		if !sameID(v.VersionID, id) {
			return v.VersionID
		}
	}
	t.Fatal("the fake's catalog has a single version")
	return ""
}
