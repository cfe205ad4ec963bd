package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// Installs are polled every few milliseconds here (providerFactories); the
// fakes finish them in InstallDuration of emulated time, which follows the
// wall clock unless a test moves it (pkgClock).

const (
	npAddr = "northpass_salesforce_package.np"
	dcAddr = "northpass_salesforce_package.dc"
	// pkgQuickInstall keeps installs short in wall-clock time.
	pkgQuickInstall = 60 * time.Millisecond
)

var pkgImportIgnore = []string{"installation_key", "installation_key_wo_version", "timeouts", "uninstall_on_destroy", "approve_remote_sites"}

func newPackageOrg(t *testing.T, installDuration time.Duration) *fakeOrg {
	t.Helper()
	skipOnRealOrg(t)
	return newFakeOrg(t, sffake.Options{InstallDuration: installDuration})
}

func pkgVersion(t *testing.T, org *fakeOrg, namespace, versionName string) sffake.PackageVersion {
	t.Helper()
	v, ok := org.CatalogVersion(namespace, versionName)
	if !ok {
		t.Fatalf("the fake's catalog has no %s %s", namespace, versionName)
	}
	return v
}

// pkgConfig is one northpass_salesforce_package block; extra lines go inside.
func pkgConfig(name, versionID string, extra ...string) string {
	return fmt.Sprintf(`
resource "northpass_salesforce_package" %q {
  version_id = %q
%s
}
`, name, versionID, strings.Join(extra, "\n"))
}

// pkgInstallRequests returns the install requests posted for a version.
func pkgInstallRequests(org *fakeOrg, versionID string) []sffake.InstallRequestState {
	var out []sffake.InstallRequestState
	for _, r := range org.InstallRequests() {
		if r.VersionID == versionID {
			out = append(out, r)
		}
	}
	return out
}

func expectPkgInstallRequests(org *fakeOrg, v sffake.PackageVersion, statuses ...string) error {
	reqs := pkgInstallRequests(org, v.VersionID)
	got := make([]string, len(reqs))
	for i, r := range reqs {
		got[i] = r.Status
	}
	if strings.Join(got, ",") != strings.Join(statuses, ",") {
		return fmt.Errorf("install requests for %s %s: statuses %v, want %v (%+v)", v.Name, v.VersionName, got, statuses, reqs)
	}
	return nil
}

func expectNoInstallRequests(org *fakeOrg) error {
	if reqs := org.InstallRequests(); len(reqs) != 0 {
		return fmt.Errorf("%d install requests, want none: %+v", len(reqs), reqs)
	}
	return nil
}

// expectPkgInstalled checks the fake's Installed Packages: namespace →
// version name, "" meaning not installed.
func expectPkgInstalled(org *fakeOrg, want map[string]string) error {
	have := map[string]string{}
	for _, p := range org.InstalledPackages() {
		have[p.Namespace] = p.VersionName
	}
	for ns, v := range want {
		if have[ns] != v {
			return fmt.Errorf("installed %s: %q, want %q (installed: %v)", ns, have[ns], v, have)
		}
	}
	return nil
}

// pkgState checks the computed attributes against the fake's catalog entry.
func pkgState(addr string, v sffake.PackageVersion) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(v.PackageID)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("package_id"), knownvalue.StringExact(v.PackageID)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("version_id"), knownvalue.StringExact(v.VersionID)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("namespace"), knownvalue.StringExact(v.Namespace)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(v.Name)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("version_name"), knownvalue.StringExact(v.VersionName)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("version_number"), knownvalue.StringExact(v.Number())),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("generation"), knownvalue.StringExact(fakeGeneration(v))),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("remote_site_settings"), stringsExact(remoteSiteURLs(v)...)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("csp_trusted_sites"), stringsExact(v.CSPTrustedSites...)),
	}
}

// fakeGeneration is the generation the provider must report for a version
// of the fake's catalog, from the fake's own notion of it.
func fakeGeneration(v sffake.PackageVersion) string {
	if v.SecondGeneration() {
		return "2GP"
	}
	return "1GP"
}

func remoteSiteURLs(v sffake.PackageVersion) []string {
	var out []string
	for _, r := range v.RemoteSites {
		out = append(out, r.URL)
	}
	return out
}

func stringsExact(vals ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(vals))
	for i, v := range vals {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

// toolingQueriesOf counts the Tooling queries whose SOQL mentions object.
func toolingQueriesOf(org *fakeOrg, object string) int {
	n := 0
	for _, r := range requestsTo(org, "/tooling/query") {
		if strings.Contains(r.RawQuery, "q=") && strings.Contains(strings.ReplaceAll(r.RawQuery, "+", " "), "FROM "+object) {
			n++
		}
	}
	return n
}

// Northpass 2.0 (seeded) is upgraded to 2.1 and the Data Connector is
// installed, both "for admins only"; imports by 04t id and by namespace
// match; destroy leaves both installed.
func TestAccSalesforcePackage_upgradeInstallImport(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	np21 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.1")
	dc := pkgVersion(t, org, sffake.ConnectorNamespace, "1.0")
	cfg := org.jwtProvider() + pkgConfig("np", np21.VersionID) + pkgConfig("dc", dc.VersionID)
	checks := append(pkgState(npAddr, np21), pkgState(dcAddr, dc)...)
	checks = append(checks,
		statecheck.ExpectKnownValue(npAddr, tfjsonpath.New("security_type"), knownvalue.StringExact("AdminsOnly")),
		statecheck.ExpectKnownValue(npAddr, tfjsonpath.New("uninstall_on_destroy"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue(npAddr, tfjsonpath.New("installation_key"), knownvalue.Null()),
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy: func(*terraform.State) error {
			return expectPkgInstalled(org, map[string]string{sffake.NorthpassNamespace: "2.1", sffake.ConnectorNamespace: "1.0"})
		},
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(npAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(dcAddr, plancheck.ResourceActionCreate),
					// The plan already knows what will be installed.
					plancheck.ExpectKnownValue(npAddr, tfjsonpath.New("version_number"), knownvalue.StringExact(np21.Number())),
					plancheck.ExpectKnownValue(npAddr, tfjsonpath.New("id"), knownvalue.StringExact(np21.PackageID)),
				}},
				ConfigStateChecks: append([]statecheck.StateCheck{fakeCheck(func(*terraform.State) error {
					for _, v := range []sffake.PackageVersion{np21, dc} {
						if err := expectPkgInstallRequests(org, v, "SUCCESS"); err != nil {
							return err
						}
						// Install for Admins Only is SecurityType None.
						if st := pkgInstallRequests(org, v.VersionID)[0].SecurityType; st != "None" {
							return fmt.Errorf("%s installed with SecurityType %q, want None", v.Name, st)
						}
					}
					return expectPkgInstalled(org, map[string]string{sffake.NorthpassNamespace: "2.1", sffake.ConnectorNamespace: "1.0"})
				})}, checks...),
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				ResourceName:            npAddr,
				ImportState:             true,
				ImportStateId:           np21.VersionID,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: pkgImportIgnore,
			},
			{
				ResourceName:            dcAddr,
				ImportState:             true,
				ImportStateId:           sffake.ConnectorNamespace,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: pkgImportIgnore,
			},
			{
				Config: cfg,
				Check: func(*terraform.State) error {
					// Neither plans nor imports posted anything.
					if n := len(org.InstallRequests()); n != 2 {
						return fmt.Errorf("%d install requests, want 2", n)
					}
					return nil
				},
			},
		},
	})
}

// A version that is already installed is adopted without an install
// request; a later version is then an in-place upgrade.
func TestAccSalesforcePackage_adoptThenUpgradeInPlace(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	np20 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.0")
	np21 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config:            org.jwtProvider() + pkgConfig("np", np20.VersionID),
				ConfigStateChecks: append([]statecheck.StateCheck{fakeCheck(func(*terraform.State) error { return expectNoInstallRequests(org) })}, pkgState(npAddr, np20)...),
			},
			{
				Config: org.jwtProvider() + pkgConfig("np", np21.VersionID),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(npAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(npAddr, tfjsonpath.New("version_name"), knownvalue.StringExact("2.1")),
				}},
				// id stays the package's id across the upgrade.
				ConfigStateChecks: append([]statecheck.StateCheck{fakeCheck(func(*terraform.State) error {
					if err := expectPkgInstallRequests(org, np21, "SUCCESS"); err != nil {
						return err
					}
					return expectPkgInstalled(org, map[string]string{sffake.NorthpassNamespace: "2.1"})
				})}, pkgState(npAddr, np21)...),
			},
		},
	})
}

// A 15-character version id is kept as written: no diff against the
// 18-character id Salesforce reports.
func TestAccSalesforcePackage_shortVersionID(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	dc := pkgVersion(t, org, sffake.ConnectorNamespace, "1.0")
	cfg := org.jwtProvider() + pkgConfig("dc", dc.VersionID[:15])
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dcAddr, tfjsonpath.New("version_id"), knownvalue.StringExact(dc.VersionID[:15])),
					statecheck.ExpectKnownValue(dcAddr, tfjsonpath.New("version_name"), knownvalue.StringExact("1.0")),
				},
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

// An uninstall in Setup makes the next plan install the package again.
func TestAccSalesforcePackage_driftUninstalled(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	dc := pkgVersion(t, org, sffake.ConnectorNamespace, "1.0")
	cfg := org.jwtProvider() + pkgConfig("dc", dc.VersionID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig:          func() { mustDo(t, org.Uninstall(sffake.ConnectorNamespace)) },
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(dcAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: append([]statecheck.StateCheck{fakeCheck(func(*terraform.State) error {
					if err := expectPkgInstallRequests(org, dc, "SUCCESS", "SUCCESS"); err != nil {
						return err
					}
					return expectPkgInstalled(org, map[string]string{sffake.ConnectorNamespace: "1.0"})
				})}, pkgState(dcAddr, dc)...),
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

// The installed version changed behind Terraform's back: the plan shows the
// installed version in state and an update back to the configured one.
func TestAccSalesforcePackage_driftOtherVersionInstalled(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	np20 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.0")
	np21 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.1")
	cfg := org.jwtProvider() + pkgConfig("np", np21.VersionID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() { mustDo(t, org.SetInstalledVersion(np20.VersionID)) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(npAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(npAddr, tfjsonpath.New("version_id"), knownvalue.StringExact(np21.VersionID)),
				}},
				ConfigStateChecks: append([]statecheck.StateCheck{fakeCheck(func(*terraform.State) error {
					return expectPkgInstallRequests(org, np21, "SUCCESS", "SUCCESS")
				})}, pkgState(npAddr, np21)...),
			},
		},
	})
}

// An upgrade in Setup beyond the configured version cannot be undone:
// the plan says so and names the installed version; configuring that
// version adopts it.
func TestAccSalesforcePackage_outOfBandUpgrade(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	np20 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.0")
	np21 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{Config: org.jwtProvider() + pkgConfig("np", np20.VersionID)},
			{
				PreConfig: func() { mustDo(t, org.SetInstalledVersion(np21.VersionID)) },
				Config:    org.jwtProvider() + pkgConfig("np", np20.VersionID),
				PlanOnly:  true,
				ExpectError: errorLike("Salesforce cannot downgrade a package", "later version installed",
					"Northpass 2.1 ("+np21.Number()+", "+np21.VersionID+")", "Set version_id to "+np21.VersionID),
			},
			{
				Config: org.jwtProvider() + pkgConfig("np", np21.VersionID),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: append([]statecheck.StateCheck{fakeCheck(func(*terraform.State) error { return expectNoInstallRequests(org) })}, pkgState(npAddr, np21)...),
			},
		},
	})
}

// Asking for an earlier version is refused at plan time, before anything
// is posted.
func TestAccSalesforcePackage_downgradeRefused(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	np20 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.0")
	np21 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{Config: org.jwtProvider() + pkgConfig("np", np21.VersionID)},
			{
				Config:      org.jwtProvider() + pkgConfig("np", np20.VersionID),
				PlanOnly:    true,
				ExpectError: errorLike("Salesforce cannot downgrade a package", "Northpass 2.0", "2.1 ("+np21.Number()),
			},
			{
				// Nothing was posted for 2.0, and 2.1 is still installed.
				Config: org.jwtProvider() + pkgConfig("np", np21.VersionID),
				Check: func(*terraform.State) error {
					if err := expectPkgInstallRequests(org, np20); err != nil {
						return err
					}
					return expectPkgInstalled(org, map[string]string{sffake.NorthpassNamespace: "2.1"})
				},
			},
		},
	})
}

// A version of another package replaces the resource (the old package is
// only forgotten, as uninstall_on_destroy is false).
func TestAccSalesforcePackage_otherPackageReplaces(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	np20 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.0")
	dc := pkgVersion(t, org, sffake.ConnectorNamespace, "1.0")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{Config: org.jwtProvider() + pkgConfig("np", dc.VersionID)},
			{
				Config: org.jwtProvider() + pkgConfig("np", np20.VersionID),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(npAddr, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: append([]statecheck.StateCheck{fakeCheck(func(*terraform.State) error {
					return expectPkgInstalled(org, map[string]string{sffake.NorthpassNamespace: "2.0", sffake.ConnectorNamespace: "1.0"})
				})}, pkgState(npAddr, np20)...),
			},
		},
	})
}

// stateLacks fails when the state, as JSON, contains secret anywhere.
type stateLacks struct{ secret string }

func (s stateLacks) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	raw, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if strings.Contains(string(raw), s.secret) {
		resp.Error = fmt.Errorf("the state contains the installation key")
	}
}

// The key-protected test package: a wrong key fails with Salesforce's
// message; the right one installs. The key never reaches the state or
// the fake's request log.
func TestAccSalesforcePackage_installationKey(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	kp := pkgVersion(t, org, sffake.KeyProtectedNamespace, "1.0")
	const wrongKey = "not-the-key-4711"
	withKey := func(key string, version int) string {
		return org.jwtProvider() + pkgConfig("kp", kp.VersionID,
			fmt.Sprintf("  installation_key = %q\n  installation_key_wo_version = %d", key, version))
	}
	keyInLog := func() error {
		for _, r := range org.Kit().Requests() {
			for _, k := range []string{sffake.KeyProtectedInstallationKey, wrongKey} {
				if strings.Contains(r.Body, k) || strings.Contains(r.RawQuery, k) || strings.Contains(r.Path, k) {
					return fmt.Errorf("the fake's request log shows an installation key: %+v", r)
				}
			}
		}
		return nil
	}
	addr := "northpass_salesforce_package.kp"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config:      org.jwtProvider() + pkgConfig("kp", kp.VersionID, fmt.Sprintf("  installation_key = %q", wrongKey)),
				ExpectError: errorLike("Attribute", "installation_key_wo_version", "must be specified"),
			},
			{
				Config: withKey(wrongKey, 1),
				ExpectError: errorLike("Salesforce could not install the package", "Key Protected Test Package 1.0",
					"Salesforce says:", "The installation key is missing or incorrect"),
			},
			{
				Config: withKey(sffake.KeyProtectedInstallationKey, 2),
				ConfigStateChecks: append([]statecheck.StateCheck{fakeCheck(func(*terraform.State) error {
					if err := expectPkgInstallRequests(org, kp, "ERROR", "SUCCESS"); err != nil {
						return err
					}
					return keyInLog()
				})}, append(pkgState(addr, kp),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("installation_key"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("installation_key_wo_version"), knownvalue.Int64Exact(2)),
					stateLacks{sffake.KeyProtectedInstallationKey},
				)...),
			},
			{
				Config: withKey(sffake.KeyProtectedInstallationKey, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				// A new key version alone is recorded; nothing is installed.
				Config: withKey(sffake.KeyProtectedInstallationKey, 3),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(func(*terraform.State) error {
						if err := expectPkgInstallRequests(org, kp, "ERROR", "SUCCESS"); err != nil {
							return err
						}
						return keyInLog()
					}),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("installation_key_wo_version"), knownvalue.Int64Exact(3)),
					stateLacks{sffake.KeyProtectedInstallationKey},
				},
			},
		},
	})
}

// An install that Salesforce ends with ERROR (here: the package is being
// uninstalled in Setup) is an error listing Salesforce's messages; the state
// keeps the version still installed.
func TestAccSalesforcePackage_installErrorListsMessages(t *testing.T) {
	org := newPackageOrg(t, time.Hour)
	np20 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.0")
	np21 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.1")
	startUninstall := func() { mustDo(t, org.StartSetupUninstall(sffake.NorthpassNamespace)) }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{Config: org.jwtProvider() + pkgConfig("np", np20.VersionID)},
			{
				PreConfig: startUninstall,
				Config:    org.jwtProvider() + pkgConfig("np", np21.VersionID),
				ExpectError: errorLike("Salesforce could not install the package", "Northpass 2.1", "ended with ERROR",
					"Salesforce says:", "UNINSTALL_IN_PROGRESS: Northpass is being uninstalled"),
			},
			{
				// The state still records 2.0, which is still installed.
				Config:   org.jwtProvider() + pkgConfig("np", np20.VersionID),
				PlanOnly: true,
			},
		},
	})
	mustDo(t, expectPkgInstallRequests(org, np21, "ERROR"))
}

// installTimeoutError is the message of a create or update whose timeout ran
// out while Salesforce was still installing.
var installTimeoutError = regexp.MustCompile(`(?s)Package install still running.*install\s+request\s+0Hf[0-9A-Za-z]{15}\s+\(last\s+status\s+IN_PROGRESS\).*waits\s+for\s+request\s+0Hf`)

// A create that times out leaves the install running; the next apply finds
// it through Salesforce's running installs and waits for it.
func TestAccSalesforcePackage_createTimeoutResumes(t *testing.T) {
	org := newPackageOrg(t, time.Hour)
	clock := &pkgClock{org: org, step: 10 * time.Minute}
	dc := pkgVersion(t, org, sffake.ConnectorNamespace, "1.0")
	cfg := func(timeout string) string {
		return org.jwtProvider() + pkgConfig("dc", dc.VersionID, fmt.Sprintf("  timeouts {\n    create = %q\n  }", timeout))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(clock.option),
		Steps: []resource.TestStep{
			{
				Config:      cfg("300ms"),
				ExpectError: installTimeoutError,
			},
			{
				PreConfig: func() {
					if err := expectPkgInstallRequests(org, dc, "IN_PROGRESS"); err != nil {
						t.Fatal(err)
					}
					org.Kit().Reset()
					clock.start()
				},
				Config: cfg("10m"),
				ConfigStateChecks: append([]statecheck.StateCheck{fakeCheck(func(*terraform.State) error {
					if err := expectPkgInstallRequests(org, dc, "SUCCESS"); err != nil {
						return err
					}
					if n := toolingQueriesOf(org, "PackageInstallRequest"); n == 0 {
						return fmt.Errorf("the running installs were never listed")
					}
					return expectPkgInstalled(org, map[string]string{sffake.ConnectorNamespace: "1.0"})
				})}, pkgState(dcAddr, dc)...),
			},
		},
	})
}

// An upgrade that times out records its request in private state; the next
// apply polls that request (without listing running installs) and posts
// nothing.
func TestAccSalesforcePackage_updateTimeoutResumes(t *testing.T) {
	org := newPackageOrg(t, time.Hour)
	clock := &pkgClock{org: org, step: 10 * time.Minute}
	np20 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.0")
	np21 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.1")
	cfg := func(v sffake.PackageVersion, timeout string) string {
		return org.jwtProvider() + pkgConfig("np", v.VersionID, fmt.Sprintf("  timeouts {\n    update = %q\n  }", timeout))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(clock.option),
		Steps: []resource.TestStep{
			{Config: cfg(np20, "300ms")},
			{
				Config:      cfg(np21, "300ms"),
				ExpectError: installTimeoutError,
			},
			{
				PreConfig: func() {
					if err := expectPkgInstallRequests(org, np21, "IN_PROGRESS"); err != nil {
						t.Fatal(err)
					}
					org.Kit().Reset()
					clock.start()
				},
				Config: cfg(np21, "10m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(npAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: append([]statecheck.StateCheck{fakeCheck(func(*terraform.State) error {
					if err := expectPkgInstallRequests(org, np21, "SUCCESS"); err != nil {
						return err
					}
					if n := toolingQueriesOf(org, "PackageInstallRequest"); n != 0 {
						return fmt.Errorf("running installs listed %d times; the recorded request should have been used", n)
					}
					return expectPkgInstalled(org, map[string]string{sffake.NorthpassNamespace: "2.1"})
				})}, pkgState(npAddr, np21)...),
			},
		},
	})
}

// A 503 on a status poll is retried by the client; there is still exactly
// one install POST.
func TestAccSalesforcePackage_transientPollFailure(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	dc := pkgVersion(t, org, sffake.ConnectorNamespace, "1.0")
	org.Kit().AddRule(fakekit.Rule{Method: http.MethodGet, PathContains: "/tooling/sobjects/PackageInstallRequest/",
		Sequence: []fakekit.Fault{fakekit.Fault503, fakekit.FaultConnectionReset}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + pkgConfig("dc", dc.VersionID),
			ConfigStateChecks: append([]statecheck.StateCheck{fakeCheck(func(*terraform.State) error {
				var posts, faulted int
				for _, r := range requestsTo(org, "/tooling/sobjects/PackageInstallRequest") {
					if r.Method == http.MethodPost {
						posts++
					}
					if r.Method == http.MethodGet && r.Fault != "" && r.Fault != fakekit.FaultNone {
						faulted++
					}
				}
				if posts != 1 || faulted != 2 {
					return fmt.Errorf("%d install POSTs and %d faulted polls, want 1 and 2", posts, faulted)
				}
				return expectPkgInstallRequests(org, dc, "SUCCESS")
			})}, pkgState(dcAddr, dc)...),
		}},
	})
}

// uninstall_on_destroy = true uninstalls the package on destroy.
func TestAccSalesforcePackage_uninstallOnDestroy(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	dc := pkgVersion(t, org, sffake.ConnectorNamespace, "1.0")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy: func(*terraform.State) error {
			if err := expectPkgInstalled(org, map[string]string{sffake.ConnectorNamespace: "", sffake.NorthpassNamespace: "2.0"}); err != nil {
				return err
			}
			var posts int
			for _, r := range requestsTo(org, "/tooling/sobjects/SubscriberPackageVersionUninstallRequest") {
				if r.Method == http.MethodPost {
					posts++
				}
			}
			if posts != 1 {
				return fmt.Errorf("%d uninstall requests, want 1", posts)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + pkgConfig("dc", dc.VersionID, "  uninstall_on_destroy = true"),
			Check: func(*terraform.State) error {
				return expectPkgInstalled(org, map[string]string{sffake.ConnectorNamespace: "1.0"})
			},
		}},
	})
}

// version_id is checked at plan time: the wrong kind of id, and a 04t id
// Salesforce does not know.
func TestAccSalesforcePackage_badVersionID(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config:      org.jwtProvider() + pkgConfig("np", "0PS000000000001"),
				PlanOnly:    true,
				ExpectError: errorLike("Invalid Salesforce id", `version_id = "0PS000000000001"`, "permission set id (prefix 0PS)", "package version id (prefix 04t)"),
			},
			{
				Config:      org.jwtProvider() + pkgConfig("np", "04t000000000099"),
				PlanOnly:    true,
				ExpectError: errorLike("Package version not found", `version_id = "04t000000000099"`, "no package version 04t000000000099"),
			},
		},
	})
	mustDo(t, expectNoInstallRequests(org))
}

// Import by a namespace or version that is not installed says what is.
func TestAccSalesforcePackage_importNotInstalled(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	dc := pkgVersion(t, org, sffake.ConnectorNamespace, "1.0")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config:        org.jwtProvider() + pkgConfig("dc", dc.VersionID),
				ResourceName:  dcAddr,
				ImportState:   true,
				ImportStateId: sffake.ConnectorNamespace,
				ExpectError:   errorLike("Cannot import the package", `"gsnpdc"`, "Installed packages:", "Northpass (namespace northpass): version 2.0"),
			},
		},
	})
}

// One installed-packages query serves every Read and plan check of a
// client; a fresh read asks again, and an install request drops the answer.
func TestInstalledPackagesShareOneQuery(t *testing.T) {
	t.Parallel()
	org := newFakeOrg(t, sffake.Options{})
	client, err := sfapi.New(sfapi.Config{InstanceURL: org.URL(), AccessToken: org.IssueAccessToken(sffake.DefaultAdminUsername)})
	mustDo(t, err)
	done := make(chan error)
	for range 5 {
		go func() {
			pkgs, err := client.ListInstalledPackages(t.Context())
			if err == nil && len(pkgs) != 1 {
				err = fmt.Errorf("%d packages, want 1", len(pkgs))
			}
			done <- err
		}()
	}
	for range 5 {
		mustDo(t, <-done)
	}
	if n := toolingQueriesOf(org, "InstalledSubscriberPackage"); n != 1 {
		t.Fatalf("%d queries for 5 concurrent lists, want 1", n)
	}
	np21, _ := org.CatalogVersion(sffake.NorthpassNamespace, "2.1")
	mustDo(t, org.SetInstalledVersion(np21.VersionID))
	pkgs, err := client.ListInstalledPackages(sfapi.WithFreshReads(t.Context()))
	mustDo(t, err)
	if len(pkgs) != 1 || pkgs[0].VersionName != "2.1" {
		t.Fatalf("after a fresh read: %+v", pkgs)
	}
	pkgs, err = client.ListInstalledPackages(t.Context())
	mustDo(t, err)
	if n := toolingQueriesOf(org, "InstalledSubscriberPackage"); n != 2 || pkgs[0].VersionName != "2.1" {
		t.Fatalf("%d queries, version %s; want 2 and the fresh 2.1", n, pkgs[0].VersionName)
	}
	dc, _ := org.CatalogVersion(sffake.ConnectorNamespace, "1.0")
	_, err = client.StartPackageInstall(t.Context(), sfapi.InstallOptions{VersionID: dc.VersionID, SecurityType: sfapi.SecurityAdminsOnly})
	mustDo(t, err)
	_, err = client.ListInstalledPackages(t.Context())
	mustDo(t, err)
	if n := toolingQueriesOf(org, "InstalledSubscriberPackage"); n != 3 {
		t.Fatalf("%d queries after an install request, want 3", n)
	}
}

// The documented example works as written: both packages for admins only,
// the postcondition and the check pass.
func TestAccSalesforcePackage_example(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	np21 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.1")
	dc := pkgVersion(t, org, sffake.ConnectorNamespace, "1.0")
	example, err := os.ReadFile("../../examples/resources/northpass_salesforce_package/resource.tf")
	mustDo(t, err)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + string(example),
			ConfigVariables: config.Variables{
				"northpass_version_id":      config.StringVariable(np21.VersionID),
				"data_connector_version_id": config.StringVariable(dc.VersionID),
			},
			ConfigStateChecks: append([]statecheck.StateCheck{fakeCheck(func(*terraform.State) error {
				for _, r := range org.InstallRequests() {
					if r.SecurityType != "None" {
						return fmt.Errorf("install request %s with SecurityType %q, want None", r.ID, r.SecurityType)
					}
				}
				// The example approves Northpass 2.1's sites; the Data
				// Connector brings none, so nothing is approved for it.
				if err := expectEnableRss(org, np21, true); err != nil {
					return err
				}
				if err := expectEnableRss(org, dc, false); err != nil {
					return err
				}
				return expectPkgInstalled(org, map[string]string{sffake.NorthpassNamespace: "2.1", sffake.ConnectorNamespace: "1.0"})
			})}, append(pkgState("northpass_salesforce_package.northpass", np21),
				pkgState("northpass_salesforce_package.data_connector", dc)...)...),
		}},
	})
}

// A destroy that times out while Salesforce is uninstalling says so; the
// next destroy waits for the same uninstall request instead of posting
// another.
func TestAccSalesforcePackage_uninstallTimeoutResumes(t *testing.T) {
	org := newPackageOrg(t, time.Hour)
	clock := &pkgClock{org: org, step: 10 * time.Minute}
	dc := pkgVersion(t, org, sffake.ConnectorNamespace, "1.0")
	mustDo(t, org.SetInstalledVersion(dc.VersionID))
	cfg := org.jwtProvider() + pkgConfig("dc", dc.VersionID, "  uninstall_on_destroy = true\n  timeouts {\n    delete = \"300ms\"\n  }")
	uninstallPosts := func() int {
		n := 0
		for _, r := range requestsTo(org, "/tooling/sobjects/SubscriberPackageVersionUninstallRequest") {
			if r.Method == http.MethodPost {
				n++
			}
		}
		return n
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(clock.option),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				Config:  cfg,
				Destroy: true,
				ExpectError: regexp.MustCompile(`(?s)Package uninstall still running.*uninstall\s+request\s+06y[0-9A-Za-z]{15}.*` +
					`waits\s+for\s+request\s+06y`),
			},
			{
				PreConfig: func() {
					if err := expectPkgInstalled(org, map[string]string{sffake.ConnectorNamespace: "1.0"}); err != nil {
						t.Fatal(err)
					}
					clock.start()
				},
				Config:  cfg,
				Destroy: true,
			},
		},
	})
	mustDo(t, expectPkgInstalled(org, map[string]string{sffake.ConnectorNamespace: "", sffake.NorthpassNamespace: "2.0"}))
	if n := uninstallPosts(); n != 1 {
		t.Fatalf("%d uninstall requests posted, want 1", n)
	}
}
