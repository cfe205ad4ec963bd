package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// startUninstall posts the uninstall request for the installed version. When
// the answer is lost (5xx, a broken connection) the request may exist all the
// same, and posting again would be refused while it runs: look for it, or for
// the package already gone (done), before posting again.
func startUninstall(ctx context.Context, client *sfapi.Client, installed *sfapi.InstalledPackage) (requestID string, done bool, err error) {
	// uninstallStarted is what a sent or lost request did: the request
	// to wait for, or the package already gone.
	type uninstallStarted struct {
		requestID string
		gone      bool
	}
	started, err := httpkit.SendWrite(ctx, httpkit.Write[uninstallStarted]{
		Send: func(ctx context.Context) (uninstallStarted, error) {
			id, err := client.StartPackageUninstall(ctx, installed.VersionID)
			if err == nil {
				tflog.Info(ctx, "Posted a package uninstall request", map[string]any{"request_id": id, "version_id": installed.VersionID})
			}
			return uninstallStarted{requestID: id}, err
		},
		Lost: func(int, error) {
			tflog.Warn(ctx, "The uninstall request's answer was lost; looking for it before posting again", map[string]any{"version_id": installed.VersionID})
		},
		Find: func(ctx context.Context) (uninstallStarted, bool, error) {
			running, err := client.RunningPackageUninstalls(ctx, installed.VersionID)
			if err != nil {
				return uninstallStarted{}, false, err
			}
			for _, r := range running {
				if samePackageRecordID(r.VersionID, installed.VersionID) {
					tflog.Info(ctx, "Found the uninstall request the lost answer was for", map[string]any{"request_id": r.ID})
					return uninstallStarted{requestID: r.ID}, true, nil
				}
			}
			pkgs, err := client.ListInstalledPackages(sfapi.WithFreshReads(ctx))
			if err != nil {
				return uninstallStarted{}, false, err
			}
			gone := findInstalledByPackage(pkgs, installed.PackageID) == nil // it ran and finished
			return uninstallStarted{gone: gone}, gone, nil
		},
	})
	if err != nil {
		return "", false, err
	}
	return started.requestID, started.gone, nil
}

// checkUninstallOnDestroy refuses uninstall_on_destroy = true on a package
// the API cannot uninstall: SubscriberPackageVersionUninstallRequest removes
// second-generation package versions only (Tooling API reference), and
// Salesforce's CLI sends first-generation packages to Setup. Refused at plan
// time rather than failing at destroy, after the rest of the destroy ran.
func checkUninstallOnDestroy(m *salesforcePackageModel, when string, diags *diag.Diagnostics) {
	if !m.UninstallOnDestroy.ValueBool() || m.Generation.IsNull() || m.Generation.IsUnknown() ||
		sfapi.UninstallableByAPI(sfapi.PackageGeneration(m.Generation.ValueString())) {
		return
	}
	name := m.Name.ValueString()
	if name == "" {
		name = "This package"
	}
	detail := fmt.Sprintf("%s (package %s) is a first-generation (%s) package. Salesforce's API uninstalls second-generation "+
		"packages only (SubscriberPackageVersionUninstallRequest), so destroy could not uninstall it.\n\n"+
		"Set uninstall_on_destroy = false: destroy then leaves the package installed and only removes it from "+
		"Terraform's state. To remove the package from the org, uninstall it in Setup → Installed Packages → Uninstall "+
		"(which deletes its data, such as the Enrollments).", name, m.PackageID.ValueString(), m.Generation.ValueString())
	if when == "destroy" {
		detail += " Set uninstall_on_destroy = false and apply before destroying."
	}
	diags.AddAttributeError(pathUninstallOnDestroy, "The API cannot uninstall a first-generation package", detail)
}

// addFirstGenerationUninstallError is the same refusal at destroy time, for
// state written before the plan-time check existed.
func addFirstGenerationUninstallError(diags *diag.Diagnostics, label string) {
	diags.AddAttributeError(pathUninstallOnDestroy, "The API cannot uninstall a first-generation package",
		fmt.Sprintf("%s is a first-generation (1GP) package; Salesforce's API uninstalls second-generation packages only. "+
			"Nothing was posted, and the package stays installed. Uninstall it in Setup → Installed Packages → Uninstall, "+
			"or set uninstall_on_destroy = false and apply, then destroy to only remove it from Terraform's state.", label))
}
