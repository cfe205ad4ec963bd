package sfapi

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestGetPackageVersion(t *testing.T) {
	pkgID := sfID("033", 7)
	o := newOrg(t)
	o.handle("GET "+toolingQuery, func(w http.ResponseWriter, _ *http.Request, s seen) {
		q := s.Query.Get("q")
		switch {
		case strings.Contains(q, "FROM SubscriberPackageVersion "):
			writeJSON(w, 200, queryResult(withAttrs("SubscriberPackageVersion", map[string]any{
				"Id": versionID, "SubscriberPackageId": pkgID, "Name": "Spring 2026", "MajorVersion": 2, "MinorVersion": 1,
				"PatchVersion": 0, "BuildNumber": 3, "InstallValidationStatus": "NO_ERRORS_DETECTED", "IsManaged": true,
				"Package2ContainerOptions": nil,
				// The shapes of the Tooling reference's
				// SubscriberPackageRemoteSiteSettings and
				// SubscriberPackageCspTrustedSites.
				"RemoteSiteSettings": map[string]any{"settings": []any{
					map[string]any{"secure": true, "url": "https://api.northpass.com"},
					map[string]any{"secure": false, "url": "http://legacy.example.com"},
				}},
				"CspTrustedSites": map[string]any{"settings": []any{map[string]any{"endpointUrl": "https://app.northpass.com"}}},
			})))
		case strings.Contains(q, "FROM SubscriberPackage "):
			writeJSON(w, 200, queryResult(withAttrs("SubscriberPackage", map[string]any{"Id": pkgID, "Name": "Northpass", "NamespacePrefix": "acme"})))
		default:
			writeRaw(w, 400, `[{"errorCode":"MALFORMED_QUERY","message":"unexpected"}]`)
		}
	})
	c := newTestClient(t, o)
	v, err := c.GetPackageVersion(t.Context(), versionID, `k'ey\`)
	if err != nil {
		t.Fatal(err)
	}
	want := &PackageVersion{VersionID: versionID, PackageID: pkgID, Namespace: "acme", Name: "Northpass", VersionName: "Spring 2026",
		Major: 2, Minor: 1, Patch: 0, Build: 3, InstallValidationStatus: "NO_ERRORS_DETECTED", IsManaged: true,
		RemoteSiteSettings: []RemoteSiteSetting{{URL: "https://api.northpass.com", Secure: true}, {URL: "http://legacy.example.com"}},
		CSPTrustedSites:    []string{"https://app.northpass.com"},
	}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("got  %+v\nwant %+v", v, want)
	}
	wantSOQL := []string{
		"SELECT Id, SubscriberPackageId, Name, MajorVersion, MinorVersion, PatchVersion, BuildNumber, InstallValidationStatus, IsManaged, " +
			"Package2ContainerOptions, RemoteSiteSettings, CspTrustedSites FROM SubscriberPackageVersion WHERE Id='" + versionID + `' AND InstallationKey='k\'ey\\'`,
		"SELECT Id, Name, NamespacePrefix FROM SubscriberPackage WHERE Id='" + pkgID + "'",
	}
	if got := soqlOf(o, toolingQuery); !reflect.DeepEqual(got, wantSOQL) {
		t.Errorf("soql\n got %q\nwant %q", got, wantSOQL)
	}
	if v.Number() != (PackageVersionNumber{2, 1, 0, 3}) {
		t.Errorf("Number = %v", v.Number())
	}
	if g := v.Generation(); g != FirstGeneration {
		t.Errorf("Generation = %s with null Package2ContainerOptions, want 1GP", g)
	}
	if got, want := v.ExternalSites(), []string{"https://api.northpass.com", "http://legacy.example.com", "https://app.northpass.com"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ExternalSites = %q, want %q", got, want)
	}
}

// Package2ContainerOptions decides the generation: Managed or Unlocked is a
// second-generation package, which alone the uninstall request can remove.
func TestPackageGeneration(t *testing.T) {
	for _, tc := range []struct {
		options string
		want    PackageGeneration
	}{{"", FirstGeneration}, {"Managed", SecondGeneration}, {"Unlocked", SecondGeneration}} {
		v := PackageVersion{ContainerOptions: tc.options}
		p := InstalledPackage{ContainerOptions: tc.options}
		if v.Generation() != tc.want || p.Generation() != tc.want {
			t.Errorf("%q: %s / %s, want %s", tc.options, v.Generation(), p.Generation(), tc.want)
		}
		if UninstallableByAPI(tc.want) != (tc.want == SecondGeneration) {
			t.Errorf("%s: UninstallableByAPI = %v", tc.want, UninstallableByAPI(tc.want))
		}
	}
	if v := (PackageVersion{}); v.ExternalSites() != nil {
		t.Errorf("a version without sites: %q", v.ExternalSites())
	}
}

func TestGetPackageVersionNotFound(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+toolingQuery, func(w http.ResponseWriter, _ *http.Request, _ seen) { writeJSON(w, 200, queryResult()) })
	c := newTestClient(t, o)
	v, err := c.GetPackageVersion(t.Context(), versionID, "")
	if v != nil || !IsNotFound(err) || !strings.Contains(err.Error(), versionID) || !strings.Contains(err.Error(), "installation key") {
		t.Errorf("got %v, %v", v, err)
	}
	if q := soqlOf(o, toolingQuery); len(q) != 1 || strings.Contains(q[0], "InstallationKey") {
		t.Errorf("soql = %q", q)
	}
}

func TestCompareVersions(t *testing.T) {
	v := func(a, b, c, d int) PackageVersionNumber { return PackageVersionNumber{a, b, c, d} }
	for _, tc := range []struct {
		a, b PackageVersionNumber
		want int
	}{
		{v(2, 1, 0, 3), v(2, 1, 0, 3), 0},
		{v(2, 0, 9, 9), v(2, 1, 0, 0), -1},
		{v(2, 1, 0, 4), v(2, 1, 0, 3), 1},
		{v(10, 0, 0, 0), v(9, 9, 9, 9), 1},
		{v(1, 2, 3, 4), v(1, 2, 4, 0), -1},
	} {
		if got := CompareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareVersions(%v, %v) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := CompareVersions(tc.b, tc.a); got != -tc.want {
			t.Errorf("CompareVersions(%v, %v) = %d, want %d", tc.b, tc.a, got, -tc.want)
		}
	}
	inst := InstalledPackage{Major: 2, Minor: 1, Patch: 0, Build: 3}
	if inst.Number() != v(2, 1, 0, 3) || inst.Number().String() != inst.VersionNumber() {
		t.Errorf("InstalledPackage.Number = %v", inst.Number())
	}
}
