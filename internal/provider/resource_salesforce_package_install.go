package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// packageInstallPoll paces the wait for package install and uninstall
// requests: 2 s, doubling to at most 30 s, like `sf package install --wait`.
// It is the default of providerOptions.packagePoll, which tests shorten.
var packageInstallPoll = sfapi.PollPolicy{Initial: 2 * time.Second, Max: 30 * time.Second}

// pendingRequestKey is the private-state key of a request that was still
// running when apply or destroy stopped waiting for it.
const pendingRequestKey = "pending_request"

// pendingRequest is a Salesforce request left running by an earlier apply.
// The next apply waits for it instead of posting a second one.
type pendingRequest struct {
	Kind      string `json:"kind"` // "install" or "uninstall"
	RequestID string `json:"request_id"`
	VersionID string `json:"version_id"`
}

const (
	pendingInstall   = "install"
	pendingUninstall = "uninstall"
)

func readPendingRequest(ctx context.Context, p privateGetter) *pendingRequest {
	return readPrivateJSON(ctx, p, pendingRequestKey, func(pr *pendingRequest) bool { return pr.RequestID != "" })
}

// writePendingRequest records pr, or clears the key when pr is nil.
func writePendingRequest(ctx context.Context, p privateSetter, pr *pendingRequest) diag.Diagnostics {
	if isNilPointer(p) {
		return nil
	}
	return p.SetKey(ctx, pendingRequestKey, encodePrivateJSON(pr))
}

// versionLabel names a package version for messages: "Northpass 2.1 (04t…)".
func versionLabel(v *sfapi.PackageVersion) string {
	name := v.Name
	if name == "" {
		name = "package"
	}
	return fmt.Sprintf("%s %s (%s, %s)", name, v.VersionName, v.Number(), v.VersionID)
}

// lookupPackageVersion reads a version by its 04t id. A protected version may
// only be visible with its installation key, so the key is tried when the
// plain lookup finds nothing; it is not sent otherwise.
func lookupPackageVersion(ctx context.Context, client *sfapi.Client, versionID, key string) (*sfapi.PackageVersion, error) {
	pv, err := client.GetPackageVersion(ctx, versionID, "")
	if err == nil || key == "" || !sfapi.IsNotFound(err) {
		return pv, err
	}
	return client.GetPackageVersion(ctx, versionID, key)
}

// installRun is one attempt to get a version installed: it waits for a
// request already running for that version, or posts exactly one.
type installRun struct {
	client   *sfapi.Client
	version  *sfapi.PackageVersion
	security sfapi.SecurityType
	key      string
	pending  *pendingRequest // from private state, may be nil
	// enableRss approves the version's remote sites (EnableRss).
	enableRss bool
	poll      sfapi.PollPolicy // providerOptions.packagePoll

	requestID string // the request waited for, once known
	posted    bool   // whether this run posted it
}

// run returns nil once Salesforce reports SUCCESS. On a deadline it returns
// a *sfapi.WaitError naming the request, which keeps running in Salesforce.
func (r *installRun) run(ctx context.Context) error {
	vid := r.version.VersionID
	if r.requestID = r.resumable(ctx); r.requestID != "" {
		return r.wait(ctx)
	}
	// The write's value is the request id to wait for; "" when a request
	// whose answer was lost has already finished the install.
	_, err := httpkit.SendWrite(ctx, httpkit.Write[string]{
		Send: func(ctx context.Context) (string, error) {
			id, err := r.client.StartPackageInstall(ctx, sfapi.InstallOptions{
				VersionID: vid, SecurityType: r.security, InstallationKey: r.key, EnableRss: r.enableRss,
			})
			if err == nil {
				r.requestID, r.posted = id, true
				tflog.Info(ctx, "Posted a PackageInstallRequest", map[string]any{
					"request_id": id, "version_id": vid, "package": r.version.Name, "version": r.version.VersionName,
					"security_type": string(r.security), "enable_rss": r.enableRss,
				})
			}
			return id, err
		},
		// The request may have reached Salesforce and started an install:
		// look for it before posting a second one.
		Lost: func(attempt int, err error) {
			tflog.Warn(ctx, "The answer to the install request was lost; looking for the install it may have started",
				map[string]any{"version_id": vid, "attempt": attempt, "error": err.Error()})
		},
		Find: func(ctx context.Context) (string, bool, error) {
			found, installed, err := r.findPosted(ctx)
			switch {
			case err != nil:
				return "", false, err
			case installed:
				tflog.Info(ctx, "The lost install request already finished: the version is installed", map[string]any{"version_id": vid})
				return "", true, nil
			case found != "":
				tflog.Info(ctx, "The lost install request is running; waiting for it", map[string]any{"request_id": found})
				r.requestID, r.posted = found, true
				return found, true, nil
			}
			return "", false, nil
		},
		Done: func(ctx context.Context, id string) error {
			if id == "" {
				return nil // found installed
			}
			return r.wait(ctx)
		},
	})
	return err
}

// wait polls r.requestID until the install ends.
func (r *installRun) wait(ctx context.Context) error {
	vid := r.version.VersionID
	policy := r.poll
	policy.Progress = func(attempt int, status string) {
		tflog.Info(ctx, "Waiting for the package install", map[string]any{
			"request_id": r.requestID, "version_id": vid, "package": r.version.Name, "version": r.version.VersionName,
			"attempt": attempt, "status": status,
		})
	}
	_, err := r.client.WaitPackageInstall(ctx, r.requestID, policy)
	return err
}

// resumable finds a request for this version that is still running: the one
// an earlier apply recorded, or one Salesforce lists as running (an earlier
// apply that timed out during create, or someone installing in Setup).
func (r *installRun) resumable(ctx context.Context) string {
	vid := r.version.VersionID
	if p := r.pending; p != nil && p.Kind == pendingInstall && samePackageRecordID(p.VersionID, vid) {
		req, err := r.client.GetPackageInstall(ctx, p.RequestID)
		switch {
		case err != nil:
			tflog.Warn(ctx, "Cannot read the install request an earlier apply left running; looking for running installs instead",
				map[string]any{"request_id": p.RequestID, "error": err.Error()})
		case req.Status == sfapi.InstallStatusError:
			// It failed while nobody watched; this apply tries again.
			tflog.Info(ctx, "The install request an earlier apply left running ended with ERROR; posting a new one",
				map[string]any{"request_id": p.RequestID, "errors": strings.Join(req.Errors, "; ")})
			return ""
		default:
			tflog.Info(ctx, "Resuming the install request an earlier apply left running",
				map[string]any{"request_id": p.RequestID, "status": req.Status})
			return p.RequestID
		}
	}
	running, err := r.client.RunningPackageInstalls(ctx, vid)
	if err != nil {
		tflog.Warn(ctx, "Cannot list running package installs; posting a new request (Salesforce refuses a second "+
			"concurrent install of the same package)", map[string]any{"error": err.Error()})
		return ""
	}
	for _, req := range running {
		if samePackageRecordID(req.VersionID, vid) {
			tflog.Info(ctx, "An install of this version is already running; waiting for it instead of posting another",
				map[string]any{"request_id": req.ID, "status": req.Status})
			return req.ID
		}
	}
	return ""
}

// findPosted looks for what an install request whose answer was lost may
// have done: an install of this version still running (its id), or this
// version already installed. Neither means Salesforce never processed it.
func (r *installRun) findPosted(ctx context.Context) (requestID string, installed bool, err error) {
	running, err := r.client.RunningPackageInstalls(ctx, r.version.VersionID)
	if err != nil {
		return "", false, err
	}
	for _, req := range running {
		if samePackageRecordID(req.VersionID, r.version.VersionID) {
			return req.ID, false, nil
		}
	}
	pkgs, err := r.client.ListInstalledPackages(sfapi.WithFreshReads(ctx))
	if err != nil {
		return "", false, err
	}
	p := findInstalledByPackage(pkgs, r.version.PackageID)
	return "", p != nil && samePackageRecordID(p.VersionID, r.version.VersionID), nil
}

// addInstallError turns a failed run into a diagnostic that says what
// failed, on which version, and what to do.
func addInstallError(diags *diag.Diagnostics, err error, r *installRun, action string, timeout time.Duration) {
	label := versionLabel(r.version)
	var ie *sfapi.InstallError
	var we *sfapi.WaitError
	switch {
	case errors.As(err, &ie):
		msgs := ie.Messages
		if len(msgs) == 0 {
			msgs = []string{"Salesforce gave no reason."}
		}
		diags.AddError("Salesforce could not install the package",
			fmt.Sprintf("Installing %s failed: install request %s ended with ERROR. Salesforce says:\n  - %s\n\n"+
				"Fix the cause (the installation key, a running uninstall, a newer installed version, …) and apply again; "+
				"the next apply posts a new install request.", label, ie.RequestID, strings.Join(msgs, "\n  - ")))
	case errors.As(err, &we):
		reason := fmt.Sprintf("the %s timeout (%s) ran out", action, timeout)
		if errors.Is(we.Err, context.Canceled) {
			reason = "apply was interrupted"
		}
		last := we.LastStatus
		if last == "" {
			last = "not yet known"
		}
		diags.AddError("Package install still running",
			fmt.Sprintf("Salesforce is still installing %s: install request %s (last status %s) had not finished when %s. "+
				"The install keeps running in Salesforce (Setup → Installed Packages shows it when done).\n\n"+
				"Run terraform apply again, with a longer timeouts.%s if needed: it waits for request %s instead of "+
				"posting a second install of this version.", label, we.RequestID, last, reason, action, we.RequestID))
	case r.posted || r.requestID != "":
		diags.AddError("Cannot follow the package install",
			fmt.Sprintf("Install request %s for %s was posted, but reading its status failed: %s\n\nThe install may "+
				"still be running in Salesforce; the next apply waits for it instead of posting another.",
				r.requestID, label, salesforceErrorDetail(err)))
	default:
		diags.AddError("Cannot start the package install",
			fmt.Sprintf("Posting the install request for %s failed: %s\n\nIf the request reached Salesforce "+
				"anyway, the next apply finds it running and waits for it instead of posting another.",
				label, salesforceErrorDetail(err)))
	}
}
