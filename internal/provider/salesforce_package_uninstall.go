package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// startUninstall posts the uninstall request for the installed version. When
// the answer is lost (5xx, a broken connection) the request may exist all the
// same, and posting again would be refused while it runs: look for it, or for
// the package already gone (done), before posting again.
func startUninstall(ctx context.Context, client *sfapi.Client, installed *sfapi.InstalledPackage) (requestID string, done bool, err error) {
	for attempt := 1; ; attempt++ {
		requestID, err = client.StartPackageUninstall(ctx, installed.VersionID)
		if err == nil {
			tflog.Info(ctx, "Posted a package uninstall request", map[string]any{"request_id": requestID, "version_id": installed.VersionID})
			return requestID, false, nil
		}
		if !outcomeUnknown(err) || attempt == maxCreateAttempts {
			return "", false, err
		}
		tflog.Warn(ctx, "The uninstall request's answer was lost; looking for it before posting again", map[string]any{"version_id": installed.VersionID})
		running, lerr := client.RunningPackageUninstalls(ctx, installed.VersionID)
		if lerr != nil {
			return "", false, err
		}
		for _, r := range running {
			if samePackageRecordID(r.VersionID, installed.VersionID) {
				tflog.Info(ctx, "Found the uninstall request the lost answer was for", map[string]any{"request_id": r.ID})
				return r.ID, false, nil
			}
		}
		pkgs, lerr := client.ListInstalledPackages(sfapi.WithFreshReads(ctx))
		if lerr != nil {
			return "", false, err
		}
		if findInstalledByPackage(pkgs, installed.PackageID) == nil {
			return "", true, nil // it ran and finished
		}
	}
}
