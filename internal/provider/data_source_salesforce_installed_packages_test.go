package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

const installedPackagesConfig = `
data "northpass_salesforce_installed_packages" "all" {}
`

const allPackages = "data.northpass_salesforce_installed_packages.all"

func northpassPackage(name, versionName string) knownvalue.Check {
	return knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"name":         knownvalue.StringExact(name),
		"version_name": knownvalue.StringExact(versionName),
		"version_id":   knownvalue.StringRegexp(regexp.MustCompile(`^04t[0-9A-Za-z]{15}$`)),
		"package_id":   knownvalue.StringRegexp(regexp.MustCompile(`^033[0-9A-Za-z]{15}$`)),
	})
}

// packageOfGeneration is northpassPackage with its generation (1GP or 2GP).
func packageOfGeneration(name, versionName, generation string) knownvalue.Check {
	return knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"name":         knownvalue.StringExact(name),
		"version_name": knownvalue.StringExact(versionName),
		"generation":   knownvalue.StringExact(generation),
	})
}

// Real-org smoke test: the query works and returns well-formed rows.
func TestAccInstalledPackages_basic(t *testing.T) {
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(allPackages, tfjsonpath.New("packages"), knownvalue.ListExact([]knownvalue.Check{
			northpassPackage("Northpass", "2.0"),
		})),
		statecheck.ExpectKnownValue(allPackages, tfjsonpath.New("packages").AtSliceIndex(0).AtMapKey("namespace"), knownvalue.StringExact(sffake.NorthpassNamespace)),
		statecheck.ExpectKnownValue(allPackages, tfjsonpath.New("packages").AtSliceIndex(0).AtMapKey("major"), knownvalue.Int64Exact(2)),
		statecheck.ExpectKnownValue(allPackages, tfjsonpath.New("packages").AtSliceIndex(0).AtMapKey("minor"), knownvalue.Int64Exact(0)),
		statecheck.ExpectKnownValue(allPackages, tfjsonpath.New("packages").AtSliceIndex(0).AtMapKey("version_number"), knownvalue.StringRegexp(regexp.MustCompile(`^2\.0\.\d+\.\d+$`))),
	}
	if realOrg() {
		checks = []statecheck.StateCheck{statecheck.ExpectKnownValue(allPackages, tfjsonpath.New("packages"), knownvalue.NotNull())}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config:            salesforceProvider(t) + installedPackagesConfig,
			ConfigStateChecks: checks,
		}},
	})
}

// An upgrade made in Setup shows up in the next plan.
func TestAccInstalledPackages_seesOutOfBandChange(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	v21, ok := org.CatalogVersion(sffake.NorthpassNamespace, "2.1")
	if !ok {
		t.Fatal("the fake's catalog has no Northpass 2.1")
	}
	dc, ok := org.CatalogVersion(sffake.ConnectorNamespace, "1.0")
	if !ok {
		t.Fatal("the fake's catalog has no Data Connector 1.0")
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: org.jwtProvider() + installedPackagesConfig,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(allPackages, tfjsonpath.New("packages"), knownvalue.ListSizeExact(1)),
				},
			},
			{
				PreConfig: func() {
					mustDo(t, org.SetInstalledVersion(v21.VersionID))
					mustDo(t, org.SetInstalledVersion(dc.VersionID))
				},
				Config: org.jwtProvider() + installedPackagesConfig,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(allPackages, tfjsonpath.New("packages"), knownvalue.SetExact([]knownvalue.Check{
						packageOfGeneration("Northpass", "2.1", fakeGeneration(v21)),
						packageOfGeneration("Gainsight Northpass Data Connector", "1.0", fakeGeneration(dc)),
					})),
				},
			},
		},
	})
}

// Page size 1 forces two nextRecordsUrl follow-ups for three packages.
func TestAccInstalledPackages_paging(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{PageSize: 1})
	for _, p := range org.Catalog() {
		if p.VersionName == "1.0" {
			mustDo(t, org.SetInstalledVersion(p.VersionID))
		}
	}
	if n := len(org.InstalledPackages()); n != 3 {
		t.Fatalf("setup: %d packages installed, want 3", n)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			PreConfig: func() { org.Kit().Reset() },
			Config:    org.jwtProvider() + installedPackagesConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				fakeCheck(func(*terraform.State) error {
					return expectPagedQueries(org, 3)
				}),
				statecheck.ExpectKnownValue(allPackages, tfjsonpath.New("packages"), knownvalue.ListSizeExact(3)),
			},
		}},
	})
}

// A 503 and a REQUEST_LIMIT_EXCEEDED on the query are retried; the read succeeds.
func TestAccInstalledPackages_retriesTransientFailures(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	org.Kit().AddRule(fakekit.Rule{PathContains: "/tooling/query", Sequence: []fakekit.Fault{fakekit.Fault503, fakekit.FaultRequestLimit}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + installedPackagesConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				fakeCheck(func(*terraform.State) error {
					return expectStatusesInOrder(org, "/tooling/query", 503, 403, 200)
				}),
				statecheck.ExpectKnownValue(allPackages, tfjsonpath.New("packages"), knownvalue.ListSizeExact(1)),
			},
		}},
	})
}

// An expired session is renewed once, and the query repeated.
func TestAccInstalledPackages_reauthenticatesExpiredSession(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	org.Kit().AddRule(fakekit.Rule{PathContains: "/tooling/query", Sequence: []fakekit.Fault{fakekit.FaultExpiredSession}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + installedPackagesConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				fakeCheck(func(*terraform.State) error {
					return expectReauthentication(org)
				}),
				statecheck.ExpectKnownValue(allPackages, tfjsonpath.New("packages"), knownvalue.ListSizeExact(1)),
			},
		}},
	})
}

func TestAccInstalledPackages_salesforceNotConfigured(t *testing.T) {
	skipOnRealOrg(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(withVars(map[string]string{"SALESFORCE_CLIENT_ID": "", "SALESFORCE_INSTANCE_URL": ""})),
		Steps: []resource.TestStep{{
			Config:      `provider "northpass" { api_key = "np-key" }` + installedPackagesConfig,
			ExpectError: errorLike("Salesforce is not configured", "SALESFORCE_CLIENT_ID"),
		}},
	})
}
