package sfapi

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// SecurityType is PackageInstallRequest.SecurityType: who gets access to
// the package's components.
type SecurityType string

const (
	// SecurityAdminsOnly is the guide's "Install for Admins Only" (and the
	// sf CLI's default, --security-type AdminsOnly).
	SecurityAdminsOnly SecurityType = "None"
	// SecurityAllUsers is "Install for All Users".
	SecurityAllUsers SecurityType = "Full"
)

// Install statuses of a PackageInstallRequest.
const (
	InstallStatusInProgress = "IN_PROGRESS"
	InstallStatusSuccess    = "SUCCESS"
	InstallStatusError      = "ERROR"
	InstallStatusUnknown    = "UNKNOWN" // still running, as far as the sf CLI is concerned
)

// InstallOptions are the fields of a PackageInstallRequest we send.
type InstallOptions struct {
	VersionID              string       // SubscriberPackageVersion id, 04t…
	SecurityType           SecurityType // default SecurityAdminsOnly
	InstallationKey        string       // sent as Password, only when set
	NameConflictResolution string       // "Block" (default) or "RenameMetadata"
	// EnableRss approves the version's Remote Site Settings and CSP Trusted
	// Sites, as the admin does on the install page; without it they arrive
	// inactive. The sf CLI sets it only after the user accepts the sites.
	EnableRss bool
}

// InstallRequest is the state of one PackageInstallRequest (0Hf…).
type InstallRequest struct {
	ID        string
	Status    string // IN_PROGRESS, SUCCESS, ERROR or UNKNOWN
	VersionID string
	Errors    []string
}

// InstallError is an install that Salesforce finished with Status ERROR.
type InstallError struct {
	RequestID string
	Messages  []string
}

func (e *InstallError) Error() string {
	msg := "Salesforce gave no reason"
	if len(e.Messages) > 0 {
		msg = strings.Join(e.Messages, "; ")
	}
	return fmt.Sprintf("package install request %s failed: %s", e.RequestID, msg)
}

func securityType(s SecurityType) (SecurityType, error) {
	switch {
	case s == "":
		return SecurityAdminsOnly, nil
	// The API takes any case (CumulusCI sends NONE); send the documented form.
	case strings.EqualFold(string(s), string(SecurityAdminsOnly)):
		return SecurityAdminsOnly, nil
	case strings.EqualFold(string(s), string(SecurityAllUsers)):
		return SecurityAllUsers, nil
	}
	return "", fmt.Errorf("invalid security type %q: use %q (install for admins only) or %q (install for all users)", s, SecurityAdminsOnly, SecurityAllUsers)
}

// StartPackageInstall creates a PackageInstallRequest and returns its id.
// It is a single POST: the client never repeats a POST that may have been
// processed, because a second request would start a second install.
func (c *Client) StartPackageInstall(ctx context.Context, o InstallOptions) (string, error) {
	if err := checkID("package version id", o.VersionID, "04t"); err != nil {
		return "", err
	}
	st, err := securityType(o.SecurityType)
	if err != nil {
		return "", err
	}
	ncr := o.NameConflictResolution
	if ncr == "" {
		ncr = "Block"
	}
	body := map[string]any{
		"SubscriberPackageVersionKey": o.VersionID,
		"SecurityType":                string(st),
		"NameConflictResolution":      ncr,
		// Sent either way, as the sf CLI does (its default is false).
		"EnableRss": o.EnableRss,
	}
	if o.InstallationKey != "" {
		body["Password"] = o.InstallationKey
	}
	id, err := c.Tooling().Create(ctx, "PackageInstallRequest", body)
	if err != nil {
		return "", fmt.Errorf("start install of package version %s: %w", o.VersionID, err)
	}
	return id, nil
}

type installRecord struct {
	ID                          string          `json:"Id"`
	Status                      string          `json:"Status"`
	SubscriberPackageVersionKey string          `json:"SubscriberPackageVersionKey"`
	Errors                      json.RawMessage `json:"Errors"`
}

// installErrors reads Errors, documented as {"errors":[{"message":…}]};
// a plain string is accepted as one message rather than failing the poll.
func installErrors(raw json.RawMessage) []string {
	var wrapped struct {
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(raw, &wrapped) == nil {
		var out []string
		for _, e := range wrapped.Errors {
			if e.Message != "" {
				out = append(out, e.Message)
			}
		}
		return out
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && s != "" {
		return []string{s}
	}
	return nil
}

// GetPackageInstall reads the PackageInstallRequest's current state.
func (c *Client) GetPackageInstall(ctx context.Context, requestID string) (*InstallRequest, error) {
	if err := checkID("package install request id", requestID, ""); err != nil {
		return nil, err
	}
	var rec installRecord
	if err := c.Tooling().Get(ctx, "PackageInstallRequest", requestID, nil, &rec); err != nil {
		return nil, fmt.Errorf("read package install request %s: %w", requestID, err)
	}
	r := &InstallRequest{ID: rec.ID, Status: strings.ToUpper(rec.Status), VersionID: rec.SubscriberPackageVersionKey, Errors: installErrors(rec.Errors)}
	if r.ID == "" {
		r.ID = requestID
	}
	if r.Status == InstallStatusSuccess || r.Status == InstallStatusError {
		c.packagesChanged() // the install added layouts and permission sets, or may have
	}
	return r, nil
}

// WaitPackageInstall polls until the install ends. SUCCESS returns the
// request; ERROR returns it with an *InstallError; a done context returns
// the last state seen with a *WaitError naming the request, so the caller
// can resume instead of starting a second install.
func (c *Client) WaitPackageInstall(ctx context.Context, requestID string, p PollPolicy) (*InstallRequest, error) {
	var last *InstallRequest
	err := poll(ctx, p, "package install", requestID, func() (string, bool, error) {
		r, err := c.GetPackageInstall(ctx, requestID)
		if err != nil {
			return "", false, err
		}
		last = r
		return r.Status, r.Status == InstallStatusSuccess || r.Status == InstallStatusError, nil
	})
	if err != nil {
		return last, err
	}
	if last.Status == InstallStatusError {
		return last, &InstallError{RequestID: requestID, Messages: last.Errors}
	}
	return last, nil
}

// Uninstall statuses of a SubscriberPackageVersionUninstallRequest.
const (
	UninstallStatusQueued     = "Queued"
	UninstallStatusInProgress = "InProgress"
	UninstallStatusSuccess    = "Success"
	UninstallStatusError      = "Error"
)

// UninstallError is an uninstall that Salesforce finished with Status Error.
type UninstallError struct {
	RequestID string
	Messages  []string
}

func (e *UninstallError) Error() string {
	msg := "Salesforce gave no reason"
	if len(e.Messages) > 0 {
		msg = strings.Join(e.Messages, "; ")
	}
	return fmt.Sprintf("package uninstall request %s failed: %s", e.RequestID, msg)
}

// StartPackageUninstall creates a SubscriberPackageVersionUninstallRequest
// (06y…) for the installed version. Like an install, it is one POST.
func (c *Client) StartPackageUninstall(ctx context.Context, versionID string) (string, error) {
	if err := checkID("package version id", versionID, "04t"); err != nil {
		return "", err
	}
	id, err := c.Tooling().Create(ctx, "SubscriberPackageVersionUninstallRequest", map[string]any{"SubscriberPackageVersionId": versionID})
	if err != nil {
		return "", fmt.Errorf("start uninstall of package version %s: %w", versionID, err)
	}
	return id, nil
}

// WaitPackageUninstall polls until the uninstall ends. On Error it returns
// an *UninstallError with the messages of PackageVersionUninstallRequestError.
func (c *Client) WaitPackageUninstall(ctx context.Context, requestID string, p PollPolicy) error {
	if err := checkID("package uninstall request id", requestID, ""); err != nil {
		return err
	}
	var status string
	err := poll(ctx, p, "package uninstall", requestID, func() (string, bool, error) {
		var rec struct {
			Status string `json:"Status"`
		}
		if err := c.Tooling().Get(ctx, "SubscriberPackageVersionUninstallRequest", requestID, nil, &rec); err != nil {
			return "", false, err
		}
		status = rec.Status
		done := strings.EqualFold(status, UninstallStatusSuccess) || strings.EqualFold(status, UninstallStatusError)
		if done {
			c.packagesChanged()
		}
		return status, done, nil
	})
	if err != nil || !strings.EqualFold(status, UninstallStatusError) {
		return err
	}
	soql := "SELECT Message FROM PackageVersionUninstallRequestError WHERE ParentRequest.Id=" + QuoteSOQL(requestID)
	recs, qerr := ToolingQueryAll[struct {
		Message string `json:"Message"`
	}](ctx, c, soql)
	ue := &UninstallError{RequestID: requestID}
	if qerr != nil {
		// The failure itself is the news; say why its details are missing.
		ue.Messages = []string{"the error details could not be read: " + qerr.Error()}
		return ue
	}
	for _, r := range recs {
		ue.Messages = append(ue.Messages, r.Message)
	}
	return ue
}
