package sfapi

import (
	"net/http"
	"reflect"
	"testing"
)

func TestRunningPackageInstalls(t *testing.T) {
	o := newOrg(t)
	o.handle("GET /services/data/v65.0/tooling/query", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 200, queryResult(
			withAttrs("PackageInstallRequest", map[string]any{"Id": pirID, "Status": "IN_PROGRESS", "SubscriberPackageVersionKey": versionID}),
			withAttrs("PackageInstallRequest", map[string]any{"Id": sfID("0Hf", 2), "Status": "unknown", "SubscriberPackageVersionKey": sfID("04t", 2)}),
		))
	})
	c := newTestClient(t, o)
	got, err := c.RunningPackageInstalls(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := []InstallRequest{
		{ID: pirID, Status: InstallStatusInProgress, VersionID: versionID},
		{ID: sfID("0Hf", 2), Status: InstallStatusUnknown, VersionID: sfID("04t", 2)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if q := soqlOf(o, "/services/data/v65.0/tooling/query"); len(q) != 1 || q[0] != runningInstallsSOQL {
		t.Errorf("queries = %q", q)
	}
}
