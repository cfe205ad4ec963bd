package sfapi

import (
	"context"
	"fmt"
	"strings"
)

// The Tooling reference lists Status without the Filter property on both
// PackageInstallRequest and SubscriberPackageVersionUninstallRequest: a real
// org answers a WHERE on it with 400 INVALID_FIELD. The recovery queries
// therefore filter on the version, which both pages mark Filter, and keep the
// unfinished requests in Go.
// (tooling_api_objects_packageinstallrequest.htm,
// tooling_api_objects_subscriberpackageversionuninstallrequest.htm)

// runningInstallsSOQL lists the install requests of one package version,
// newest first. SubscriberPackageVersionKey is a string field, compared as
// text, so the query names both forms of the id.
func runningInstallsSOQL(versionID string) (string, error) {
	if err := checkID("package version id", versionID, "04t"); err != nil {
		return "", err
	}
	forms := []string{versionID}
	if long, err := ID18(versionID); err == nil && long != versionID {
		forms = append(forms, long)
	}
	if len(versionID) == 18 {
		forms = append(forms, versionID[:15])
	}
	return "SELECT Id, Status, SubscriberPackageVersionKey FROM PackageInstallRequest " +
		"WHERE SubscriberPackageVersionKey IN " + quoteList(forms) + " ORDER BY CreatedDate DESC", nil
}

// installRunning reports whether Salesforce is still working on an install
// request: IN_PROGRESS, or UNKNOWN, which the sf CLI also keeps waiting on.
func installRunning(status string) bool {
	s := strings.ToUpper(status)
	return s == InstallStatusInProgress || s == InstallStatusUnknown
}

// RunningPackageInstalls lists the PackageInstallRequests of the version that
// have not finished yet (IN_PROGRESS or UNKNOWN), newest first. A caller that
// lost track of its own request (a timed-out create, a crash) finds it here
// and waits for it instead of starting a second install of the same version.
func (c *Client) RunningPackageInstalls(ctx context.Context, versionID string) ([]InstallRequest, error) {
	soql, err := runningInstallsSOQL(versionID)
	if err != nil {
		return nil, fmt.Errorf("list running install requests: %w", err)
	}
	recs, err := ToolingQueryAll[installRecord](ctx, c, soql)
	if err != nil {
		return nil, fmt.Errorf("list running install requests of package version %s: %w", versionID, err)
	}
	var out []InstallRequest
	for _, r := range recs {
		if installRunning(r.Status) {
			out = append(out, InstallRequest{ID: r.ID, Status: strings.ToUpper(r.Status), VersionID: r.SubscriberPackageVersionKey})
		}
	}
	return out, nil
}

// runningUninstallsSOQL lists the uninstall requests of one package version,
// newest first. SubscriberPackageVersionId is an ID field, so the org matches
// either form of the id.
func runningUninstallsSOQL(versionID string) (string, error) {
	if err := checkID("package version id", versionID, "04t"); err != nil {
		return "", err
	}
	return "SELECT Id, Status, SubscriberPackageVersionId FROM SubscriberPackageVersionUninstallRequest " +
		"WHERE SubscriberPackageVersionId=" + QuoteSOQL(versionID) + " ORDER BY CreatedDate DESC", nil
}

// uninstallRunning reports whether an uninstall request has not finished:
// Queued or InProgress.
func uninstallRunning(status string) bool {
	return strings.EqualFold(status, UninstallStatusQueued) || strings.EqualFold(status, UninstallStatusInProgress)
}

// UninstallRequest is one SubscriberPackageVersionUninstallRequest.
type UninstallRequest struct {
	ID, Status, VersionID string
}

// RunningPackageUninstalls lists the uninstall requests of the version that
// have not finished yet, newest first. A destroy whose uninstall POST lost
// its answer finds its request here instead of posting a second one, which
// Salesforce would refuse while the first runs.
func (c *Client) RunningPackageUninstalls(ctx context.Context, versionID string) ([]UninstallRequest, error) {
	type record struct {
		ID                         string `json:"Id"`
		Status                     string `json:"Status"`
		SubscriberPackageVersionID string `json:"SubscriberPackageVersionId"`
	}
	soql, err := runningUninstallsSOQL(versionID)
	if err != nil {
		return nil, fmt.Errorf("list running uninstall requests: %w", err)
	}
	recs, err := ToolingQueryAll[record](ctx, c, soql)
	if err != nil {
		return nil, fmt.Errorf("list running uninstall requests of package version %s: %w", versionID, err)
	}
	var out []UninstallRequest
	for _, r := range recs {
		if uninstallRunning(r.Status) {
			out = append(out, UninstallRequest{ID: r.ID, Status: r.Status, VersionID: r.SubscriberPackageVersionID})
		}
	}
	return out, nil
}
