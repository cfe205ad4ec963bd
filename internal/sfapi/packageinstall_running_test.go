package sfapi

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// The recovery queries filter on the version only: Status is not
// filterable on either object, so which requests still run is decided here.
func TestRunningPackageInstalls(t *testing.T) {
	o := newOrg(t)
	o.handle("GET /services/data/v65.0/tooling/query", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 200, queryResult(
			withAttrs("PackageInstallRequest", map[string]any{"Id": pirID, "Status": "IN_PROGRESS", "SubscriberPackageVersionKey": versionID}),
			withAttrs("PackageInstallRequest", map[string]any{"Id": sfID("0Hf", 2), "Status": "SUCCESS", "SubscriberPackageVersionKey": versionID}),
			withAttrs("PackageInstallRequest", map[string]any{"Id": sfID("0Hf", 3), "Status": "unknown", "SubscriberPackageVersionKey": versionID[:15]}),
			withAttrs("PackageInstallRequest", map[string]any{"Id": sfID("0Hf", 4), "Status": "ERROR", "SubscriberPackageVersionKey": versionID}),
		))
	})
	c := newTestClient(t, o)
	got, err := c.RunningPackageInstalls(t.Context(), versionID)
	if err != nil {
		t.Fatal(err)
	}
	want := []InstallRequest{
		{ID: pirID, Status: InstallStatusInProgress, VersionID: versionID},
		{ID: sfID("0Hf", 3), Status: InstallStatusUnknown, VersionID: versionID[:15]},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	q := soqlOf(o, "/services/data/v65.0/tooling/query")
	wantQ := "SELECT Id, Status, SubscriberPackageVersionKey FROM PackageInstallRequest WHERE SubscriberPackageVersionKey IN ('" +
		versionID + "','" + versionID[:15] + "') ORDER BY CreatedDate DESC"
	if len(q) != 1 || q[0] != wantQ {
		t.Errorf("queries = %q\nwant %q", q, wantQ)
	}
}

func TestRunningPackageInstallsShortID(t *testing.T) {
	q, err := runningInstallsSOQL(versionID[:15])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(q, "IN ('"+versionID[:15]+"','"+versionID+"')") {
		t.Errorf("a 15-character id must also be looked up in its 18-character form: %s", q)
	}
	if _, err := runningInstallsSOQL("0Hf000000000001"); err == nil {
		t.Error("an install request id is not a package version id")
	}
}

func TestRunningPackageUninstalls(t *testing.T) {
	o := newOrg(t)
	o.handle("GET /services/data/v65.0/tooling/query", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 200, queryResult(
			withAttrs("SubscriberPackageVersionUninstallRequest", map[string]any{"Id": sfID("06y", 1), "Status": "Queued", "SubscriberPackageVersionId": versionID}),
			withAttrs("SubscriberPackageVersionUninstallRequest", map[string]any{"Id": sfID("06y", 2), "Status": "Error", "SubscriberPackageVersionId": versionID}),
			withAttrs("SubscriberPackageVersionUninstallRequest", map[string]any{"Id": sfID("06y", 3), "Status": "InProgress", "SubscriberPackageVersionId": versionID}),
			withAttrs("SubscriberPackageVersionUninstallRequest", map[string]any{"Id": sfID("06y", 4), "Status": "Success", "SubscriberPackageVersionId": versionID}),
		))
	})
	c := newTestClient(t, o)
	got, err := c.RunningPackageUninstalls(t.Context(), versionID)
	if err != nil {
		t.Fatal(err)
	}
	want := []UninstallRequest{
		{ID: sfID("06y", 1), Status: UninstallStatusQueued, VersionID: versionID},
		{ID: sfID("06y", 3), Status: UninstallStatusInProgress, VersionID: versionID},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	q := soqlOf(o, "/services/data/v65.0/tooling/query")
	wantQ := "SELECT Id, Status, SubscriberPackageVersionId FROM SubscriberPackageVersionUninstallRequest WHERE SubscriberPackageVersionId='" +
		versionID + "' ORDER BY CreatedDate DESC"
	if len(q) != 1 || q[0] != wantQ {
		t.Errorf("queries = %q\nwant %q", q, wantQ)
	}
}
