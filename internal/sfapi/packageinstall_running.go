package sfapi

import (
	"context"
	"fmt"
	"strings"
)

// runningInstallsSOQL finds the install requests Salesforce is still working
// on. The version is compared by the caller, which copes with 15- and
// 18-character ids alike.
const runningInstallsSOQL = "SELECT Id, Status, SubscriberPackageVersionKey FROM PackageInstallRequest " +
	"WHERE Status IN ('IN_PROGRESS', 'UNKNOWN') ORDER BY CreatedDate DESC"

// RunningPackageInstalls lists the PackageInstallRequests that have not
// finished yet (IN_PROGRESS or UNKNOWN), newest first. A caller that lost
// track of its own request (a timed-out create, a crash) finds it here and
// waits for it instead of starting a second install of the same version.
func (c *Client) RunningPackageInstalls(ctx context.Context) ([]InstallRequest, error) {
	recs, err := ToolingQueryAll[installRecord](ctx, c, runningInstallsSOQL)
	if err != nil {
		return nil, fmt.Errorf("list running package install requests: %w", err)
	}
	out := make([]InstallRequest, 0, len(recs))
	for _, r := range recs {
		out = append(out, InstallRequest{ID: r.ID, Status: strings.ToUpper(r.Status), VersionID: r.SubscriberPackageVersionKey})
	}
	return out, nil
}

// runningUninstallsSOQL finds the uninstall requests Salesforce has not
// finished yet.
const runningUninstallsSOQL = "SELECT Id, Status, SubscriberPackageVersionId FROM SubscriberPackageVersionUninstallRequest " +
	"WHERE Status IN ('Queued', 'InProgress') ORDER BY CreatedDate DESC"

// UninstallRequest is one SubscriberPackageVersionUninstallRequest.
type UninstallRequest struct {
	ID, Status, VersionID string
}

// RunningPackageUninstalls lists the uninstall requests that have not
// finished yet, newest first. A destroy whose uninstall POST lost its answer
// finds its request here instead of posting a second one, which Salesforce
// would refuse while the first runs.
func (c *Client) RunningPackageUninstalls(ctx context.Context) ([]UninstallRequest, error) {
	type record struct {
		ID                         string `json:"Id"`
		Status                     string `json:"Status"`
		SubscriberPackageVersionID string `json:"SubscriberPackageVersionId"`
	}
	recs, err := ToolingQueryAll[record](ctx, c, runningUninstallsSOQL)
	if err != nil {
		return nil, fmt.Errorf("list running package uninstall requests: %w", err)
	}
	out := make([]UninstallRequest, 0, len(recs))
	for _, r := range recs {
		out = append(out, UninstallRequest{ID: r.ID, Status: r.Status, VersionID: r.SubscriberPackageVersionID})
	}
	return out, nil
}
