package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// expectEnableRss checks the EnableRss of every install request posted for
// a version, as the fake recorded them.
func expectEnableRss(org *fakeOrg, v sffake.PackageVersion, want bool) error {
	reqs := pkgInstallRequests(org, v.VersionID)
	if len(reqs) == 0 {
		return fmt.Errorf("no install request for %s %s", v.Name, v.VersionName)
	}
	for _, r := range reqs {
		if r.EnableRss != want {
			return fmt.Errorf("install request %s for %s %s has EnableRss %v, want %v", r.ID, v.Name, v.VersionName, r.EnableRss, want)
		}
	}
	return nil
}

// approve_remote_sites = true approves the sites a version brings: the
// install request carries EnableRss, the state lists the sites, and an
// import reads them back.
func TestAccSalesforcePackage_approveRemoteSites(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	np21 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.1")
	if len(np21.RemoteSites) == 0 || len(np21.CSPTrustedSites) == 0 {
		t.Fatal("the fake's Northpass 2.1 must bring remote sites")
	}
	cfg := org.jwtProvider() + pkgConfig("np", np21.VersionID, "  approve_remote_sites = true")
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []tfresource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// The plan already knows what the version brings.
					plancheck.ExpectKnownValue(npAddr, tfjsonpath.New("remote_site_settings"), stringsExact(sffake.NorthpassRemoteSite)),
					plancheck.ExpectKnownValue(npAddr, tfjsonpath.New("generation"), knownvalue.StringExact("1GP")),
				}},
				ConfigStateChecks: append([]statecheck.StateCheck{fakeCheck(func(*terraform.State) error { return expectEnableRss(org, np21, true) })}, append(pkgState(npAddr, np21),
					statecheck.ExpectKnownValue(npAddr, tfjsonpath.New("remote_site_settings"), stringsExact(sffake.NorthpassRemoteSite)),
					statecheck.ExpectKnownValue(npAddr, tfjsonpath.New("csp_trusted_sites"), stringsExact(sffake.NorthpassCSPTrustedSite)),
					statecheck.ExpectKnownValue(npAddr, tfjsonpath.New("approve_remote_sites"), knownvalue.Bool(true)),
				)...),
			},
			{
				ResourceName:            npAddr,
				ImportState:             true,
				ImportStateId:           sffake.NorthpassNamespace,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: pkgImportIgnore,
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					if len(s) != 1 || s[0].Attributes["remote_site_settings.0"] != sffake.NorthpassRemoteSite ||
						s[0].Attributes["csp_trusted_sites.0"] != sffake.NorthpassCSPTrustedSite || s[0].Attributes["generation"] != "1GP" {
						return fmt.Errorf("imported: %v", s[0].Attributes)
					}
					if v, ok := s[0].Attributes["approve_remote_sites"]; ok && v != "" {
						return fmt.Errorf("import recorded approve_remote_sites = %q; Salesforce does not report it", v)
					}
					return nil
				},
			},
			{
				// Changing the approval later installs nothing.
				Config: org.jwtProvider() + pkgConfig("np", np21.VersionID, "  approve_remote_sites = false"),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(npAddr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					if n := len(org.InstallRequests()); n != 1 {
						return fmt.Errorf("%d install requests, want the first one only", n)
					}
					return nil
				},
			},
		},
	})
}

// Without approve_remote_sites the sites are not approved (EnableRss false);
// approving a version that brings no sites sends no EnableRss either, as
// `sf package install` does.
func TestAccSalesforcePackage_remoteSitesNotApproved(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	np21 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.1")
	dc := pkgVersion(t, org, sffake.ConnectorNamespace, "1.0")
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []tfresource.TestStep{{
			Config: org.jwtProvider() + pkgConfig("np", np21.VersionID) + pkgConfig("dc", dc.VersionID, "  approve_remote_sites = true"),
			ConfigStateChecks: append([]statecheck.StateCheck{fakeCheck(func(*terraform.State) error {
				if err := expectEnableRss(org, np21, false); err != nil {
					return err
				}
				return expectEnableRss(org, dc, false)
			})}, append(pkgState(npAddr, np21),
				statecheck.ExpectKnownValue(dcAddr, tfjsonpath.New("remote_site_settings"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue(dcAddr, tfjsonpath.New("generation"), knownvalue.StringExact("2GP")),
			)...),
		}},
	})
}

// uninstall_on_destroy = true on a first-generation package is refused at
// plan time, on that argument, whether the package is to be installed or
// already is; nothing is installed or uninstalled.
func TestAccSalesforcePackage_uninstallOnDestroyFirstGeneration(t *testing.T) {
	org := newPackageOrg(t, pkgQuickInstall)
	np20 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.0")
	np21 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.1")
	refused := errorLike("The API cannot uninstall a first-generation package", "uninstall_on_destroy = true",
		"Northpass", "first-generation (1GP)", "Set uninstall_on_destroy = false", "Setup → Installed Packages")
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []tfresource.TestStep{
			{
				Config:      org.jwtProvider() + pkgConfig("np", np21.VersionID, "  uninstall_on_destroy = true"),
				PlanOnly:    true,
				ExpectError: refused,
			},
			{Config: org.jwtProvider() + pkgConfig("np", np20.VersionID)},
			{
				// Installed already: the state's generation decides.
				Config:      org.jwtProvider() + pkgConfig("np", np20.VersionID, "  uninstall_on_destroy = true"),
				ExpectError: refused,
			},
		},
	})
	mustDo(t, expectNoInstallRequests(org))
	for _, r := range requestsTo(org, "/tooling/sobjects/SubscriberPackageVersionUninstallRequest") {
		if r.Method == http.MethodPost {
			t.Fatal("an uninstall request was posted for a first-generation package")
		}
	}
	mustDo(t, expectPkgInstalled(org, map[string]string{sffake.NorthpassNamespace: "2.0"}))
}

// pkgPlanRequest builds the ModifyPlan request of a create (no state) or of
// a destroy (no plan) for the package resource.
type pkgPlanValues map[string]tftypes.Value

func pkgPlanRequest(t *testing.T, r *salesforcePackageResource, config, state pkgPlanValues) resource.ModifyPlanRequest {
	t.Helper()
	ctx := context.Background()
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	object := func(vals pkgPlanValues, unknownComputed bool) tftypes.Value {
		all := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			all[name] = tftypes.NewValue(at, nil)
			if a, ok := sr.Schema.Attributes[name]; ok && unknownComputed && a.IsComputed() {
				all[name] = tftypes.NewValue(at, tftypes.UnknownValue)
			}
		}
		for k, v := range vals {
			all[k] = v
		}
		return tftypes.NewValue(typ, all)
	}
	req := resource.ModifyPlanRequest{
		Config: tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)},
		Plan:   tfsdk.Plan{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)},
		State:  tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)},
	}
	if config != nil {
		req.Config.Raw = object(config, false)
		planned := pkgPlanValues{
			"security_type":        tftypes.NewValue(tftypes.String, securityAdminsOnly),
			"uninstall_on_destroy": tftypes.NewValue(tftypes.Bool, false),
		}
		for k, v := range config {
			planned[k] = v
		}
		req.Plan.Raw = object(planned, true)
	}
	if state != nil {
		req.State.Raw = object(state, false)
	}
	return req
}

func runPkgModifyPlan(t *testing.T, r *salesforcePackageResource, req resource.ModifyPlanRequest) diag.Diagnostics {
	t.Helper()
	resp := resource.ModifyPlanResponse{Plan: req.Plan}
	r.ModifyPlan(context.Background(), req, &resp)
	return resp.Diagnostics
}

// A plan that installs a version bringing sites warns, on
// approve_remote_sites, when that argument is unset, as the install page
// asks the admin to approve them; set either way, or for a version without
// sites, it says nothing.
func TestSalesforcePackagePlan_warnsAboutRemoteSites(t *testing.T) {
	t.Parallel()
	org := newPackageOrg(t, pkgQuickInstall)
	r := &salesforcePackageResource{data: &providerData{salesforce: testSalesforceClient(t, org)}}
	np21 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.1")
	dc := pkgVersion(t, org, sffake.ConnectorNamespace, "1.0")
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	boolean := func(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }
	for _, tc := range []struct {
		name   string
		config pkgPlanValues
		warn   bool
	}{
		{"sites, unset", pkgPlanValues{"version_id": str(np21.VersionID)}, true},
		{"sites, approved", pkgPlanValues{"version_id": str(np21.VersionID), "approve_remote_sites": boolean(true)}, false},
		{"sites, declined", pkgPlanValues{"version_id": str(np21.VersionID), "approve_remote_sites": boolean(false)}, false},
		{"no sites, unset", pkgPlanValues{"version_id": str(dc.VersionID)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := runPkgModifyPlan(t, r, pkgPlanRequest(t, r, tc.config, nil))
			if diags.HasError() {
				t.Fatalf("errors: %v", diags)
			}
			w := diags.Warnings()
			if !tc.warn {
				if len(w) != 0 {
					t.Fatalf("warnings %v, want none", w)
				}
				return
			}
			if len(w) != 1 {
				t.Fatalf("warnings %v, want one", w)
			}
			wp, ok := w[0].(diag.DiagnosticWithPath)
			if !ok || !wp.Path().Equal(path.Root("approve_remote_sites")) {
				t.Errorf("warning not on approve_remote_sites: %v", w[0])
			}
			for _, want := range []string{"Northpass 2.1", sffake.NorthpassRemoteSite, sffake.NorthpassCSPTrustedSite, "approve_remote_sites = true", "inactive"} {
				if !strings.Contains(w[0].Detail(), want) {
					t.Errorf("warning lacks %q:\n%s", want, w[0].Detail())
				}
			}
		})
	}
}

// Destroying a first-generation package with uninstall_on_destroy = true
// (state written before the plan-time check) is refused when the destroy is
// planned, on that argument; a second-generation one plans its uninstall.
func TestSalesforcePackagePlan_refusesDestroyUninstallOfFirstGeneration(t *testing.T) {
	t.Parallel()
	r := &salesforcePackageResource{}
	state := func(generation string) pkgPlanValues {
		return pkgPlanValues{
			"name": tftypes.NewValue(tftypes.String, "Northpass"), "package_id": tftypes.NewValue(tftypes.String, "033ak000000000NAAQ"),
			"uninstall_on_destroy": tftypes.NewValue(tftypes.Bool, true), "generation": tftypes.NewValue(tftypes.String, generation),
		}
	}
	diags := runPkgModifyPlan(t, r, pkgPlanRequest(t, r, nil, state("1GP")))
	if len(diags.Errors()) != 1 {
		t.Fatalf("diagnostics %v, want one error", diags)
	}
	e, ok := diags.Errors()[0].(diag.DiagnosticWithPath)
	if !ok || !e.Path().Equal(path.Root("uninstall_on_destroy")) || !strings.Contains(e.Detail(), "Setup → Installed Packages") {
		t.Errorf("error %v", diags.Errors()[0])
	}
	if diags := runPkgModifyPlan(t, r, pkgPlanRequest(t, r, nil, state("2GP"))); diags.HasError() {
		t.Errorf("2GP destroy refused: %v", diags)
	}
}

// A destroy that reaches Delete for a first-generation package with
// uninstall_on_destroy = true (state written before the plan-time check)
// posts nothing and says to uninstall in Setup.
func TestSalesforcePackageDelete_firstGenerationPostsNothing(t *testing.T) {
	t.Parallel()
	org := newPackageOrg(t, pkgQuickInstall)
	np20 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.0")
	r := &salesforcePackageResource{data: &providerData{salesforce: testSalesforceClient(t, org)}}
	req := pkgPlanRequest(t, r, nil, pkgPlanValues{
		"package_id": tftypes.NewValue(tftypes.String, np20.PackageID), "version_id": tftypes.NewValue(tftypes.String, np20.VersionID),
		"uninstall_on_destroy": tftypes.NewValue(tftypes.Bool, true),
	})
	resp := resource.DeleteResponse{State: req.State}
	r.Delete(context.Background(), resource.DeleteRequest{State: req.State}, &resp)
	if len(resp.Diagnostics.Errors()) != 1 || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), "Nothing was posted") {
		t.Fatalf("diagnostics %v", resp.Diagnostics)
	}
	for _, rq := range requestsTo(org, "/tooling/sobjects/SubscriberPackageVersionUninstallRequest") {
		if rq.Method == http.MethodPost {
			t.Fatal("an uninstall request was posted for a first-generation package")
		}
	}
	mustDo(t, expectPkgInstalled(org, map[string]string{sffake.NorthpassNamespace: "2.0"}))
}
