package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// Shared by the permission set data source and the two assignment
// resources: expiration dates, permission set names, user checks.

// descExpirationDate is the guide's "with expiration" in schema words.
const descExpirationDate = "When the assignment expires and Salesforce removes it, as an RFC 3339 timestamp such as " +
	"`2026-12-31T23:59:59Z` (the guide's \"assign the Northpass Standard User permission set, with expiration\"). " +
	"Salesforce keeps millisecond precision. Changed in place, without removing the assignment. Needs `api_version` " +
	"52.0 or later and the org setting **Permission Set & Permission Set Group Assignments with Expiration Dates** " +
	"(Setup → User Management Settings); permission sets that grant Assign Permission Sets, Manage Profiles and " +
	"Permission Sets, or Manage Users cannot have expiring assignments."

// expirationDate validates an RFC 3339 timestamp.
func expirationDate() validator.String {
	return stringCheck{
		description: "must be an RFC 3339 timestamp, such as 2026-12-31T23:59:59Z",
		summary:     "Invalid expiration date",
		check: func(s string) string {
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				return fmt.Sprintf("%q is not an RFC 3339 timestamp: write it like 2026-12-31T23:59:59Z or 2026-12-31T23:59:59+01:00.", s)
			}
			return ""
		},
	}
}

// parseExpirationDate reads an already validated attribute; null is "never
// expires".
func parseExpirationDate(v types.String) (*time.Time, error) {
	if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v.ValueString())
	if err != nil {
		return nil, fmt.Errorf("expiration_date %q is not an RFC 3339 timestamp", v.ValueString())
	}
	return &t, nil
}

// expirationDateString is the form the provider writes into computed
// attributes: UTC, at the millisecond precision Salesforce keeps, so that
// what apply writes and what a later read returns are the same string.
func expirationDateString(t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Truncate(time.Millisecond).Format(time.RFC3339Nano))
}

// sameExpiration compares a configured value with what Salesforce holds, as
// instants: "2026-12-31T00:00:00+01:00" and "2026-12-30T23:00:00Z" are one.
func sameExpiration(configured types.String, remote *time.Time) bool {
	t, err := parseExpirationDate(configured)
	if err != nil {
		return false
	}
	if t == nil || remote == nil {
		return t == nil && remote == nil
	}
	return t.Truncate(time.Millisecond).Equal(remote.Truncate(time.Millisecond))
}

// keepExpiration returns the prior value when it still describes the
// remote one (keeping the user's spelling), else the remote value.
func keepExpiration(prior types.String, remote *time.Time) types.String {
	if !prior.IsUnknown() && sameExpiration(prior, remote) {
		return prior
	}
	return expirationDateString(remote)
}

// keepID returns the prior id when it names the same record as remote, so a
// 15-character id in the configuration does not show as a change.
func keepID(prior types.String, remote string) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && normalizeID(prior.ValueString()) == normalizeID(remote) {
		return prior
	}
	return types.StringValue(remote)
}

// requiresReplaceForOtherRecord replaces the resource when an id attribute
// names another record; writing the same id in its 15- or 18-character form
// is not a change worth a replacement, and neither is an id only known at
// apply (see requiresReplaceWhenChanged).
func requiresReplaceForOtherRecord() planmodifier.String {
	return requiresReplaceWhenChanged(func(plan, state string) bool { return normalizeID(plan) == normalizeID(state) })
}

// qualifiedPermissionSetName is the API name as Salesforce writes it in
// metadata: ns__Name for a packaged permission set.
func qualifiedPermissionSetName(ps sfapi.PermissionSet) string {
	if ps.Namespace != "" {
		return ps.Namespace + "__" + ps.Name
	}
	return ps.Name
}

// splitPermissionSetName splits "ns__Name". API names cannot contain two
// underscores in a row, so the first "__" is the namespace separator.
func splitPermissionSetName(s string) (namespace, name string) {
	if i := strings.Index(s, "__"); i > 0 {
		return s[:i], s[i+2:]
	}
	return "", s
}

// describePermissionSets lists permission sets one per line for errors.
func describePermissionSets(sets []sfapi.PermissionSet) string {
	return describeEach(sets, func(ps sfapi.PermissionSet) string {
		ns := ps.Namespace
		if ns == "" {
			ns = "none"
		}
		return fmt.Sprintf("%q: name %s, namespace %s, id %s", ps.Label, qualifiedPermissionSetName(ps), ns, ps.ID)
	})
}

// errPermissionSetLookup is a failed look-up worth showing as it is.
type errPermissionSetLookup struct{ summary, detail string }

func (e *errPermissionSetLookup) Error() string { return e.summary + ": " + e.detail }

// findPermissionSetByReference resolves what users write on import: an API
// name (ns__Name or Name) or, failing that, the label shown in Setup.
func findPermissionSetByReference(ctx context.Context, client *sfapi.Client, ref string) (*sfapi.PermissionSet, error) {
	ns, name := splitPermissionSetName(ref)
	f := sfapi.PermissionSetFilter{Name: name, Namespace: ns}
	sets, err := client.FindPermissionSets(ctx, f)
	if err != nil {
		return nil, err
	}
	if len(sets) == 0 && ns == "" {
		if sets, err = client.FindPermissionSets(ctx, sfapi.PermissionSetFilter{Label: ref}); err != nil {
			return nil, err
		}
	}
	switch len(sets) {
	case 1:
		return &sets[0], nil
	case 0:
		return nil, &errPermissionSetLookup{"Permission set not found", fmt.Sprintf(
			"No permission set (other than a profile's own) has the API name or label %q. Setup → Permission Sets "+
				"shows both; a packaged permission set's name is written namespace__Name.", ref)}
	default:
		return nil, &errPermissionSetLookup{"Several permission sets match", fmt.Sprintf(
			"%d permission sets match %q; use the namespaced name (namespace__Name) or the id of one of them:\n%s",
			len(sets), ref, describePermissionSets(sets))}
	}
}

// checkAssignablePermissionSet reads the permission set and refuses one a
// profile owns: its assignments follow the users' profiles and Salesforce
// refuses to add or remove them directly.
func checkAssignablePermissionSet(ctx context.Context, client *sfapi.Client, id string) (*sfapi.PermissionSet, error) {
	ps, err := client.GetPermissionSet(ctx, id)
	if err != nil {
		if sfapi.IsNotFound(err) {
			return nil, &errPermissionSetLookup{"Permission set not found", fmt.Sprintf(
				"The org has no permission set %s. Look the id up with the northpass_salesforce_permission_set data "+
					"source (by label, such as \"Northpass Standard User\") instead of copying it between orgs: ids "+
					"differ from org to org.", id)}
		}
		return nil, err
	}
	if ps.IsOwnedByProfile {
		return nil, &errPermissionSetLookup{"Permission set belongs to a profile", fmt.Sprintf(
			"Permission set %s (%q) is owned by a profile: users get it through their profile, and Salesforce does "+
				"not let anyone add or remove its assignments directly. Change the users' profile instead, or assign a "+
				"permission set that is not owned by a profile.", id, ps.Label)}
	}
	return ps, nil
}

// lookupErrorParts splits a look-up failure into a diagnostic's summary and
// detail, with the usual hints for Salesforce errors.
func lookupErrorParts(err error, fallbackSummary string) (summary, detail string) {
	var le *errPermissionSetLookup
	if errors.As(err, &le) {
		return le.summary, le.detail
	}
	return fallbackSummary, salesforceErrorDetail(err)
}

// usernameProblems checks looked-up users: names that match no user, and
// users who are inactive (Salesforce keeps their records, but they cannot
// log in, so assigning them anything is a mistake in the list).
func usernameProblems(requested []string, found map[string]sfapi.User) (unknown, inactive []string) {
	for _, n := range requested {
		u, ok := found[strings.ToLower(strings.TrimSpace(n))]
		switch {
		case !ok:
			unknown = append(unknown, n)
		case !u.IsActive:
			inactive = append(inactive, n)
		}
	}
	sort.Strings(unknown)
	sort.Strings(inactive)
	return unknown, inactive
}

// usernameProblemDetail explains usernameProblems for a diagnostic; "" when
// there are none.
func usernameProblemDetail(unknown, inactive []string) string {
	var parts []string
	if len(unknown) > 0 {
		parts = append(parts, fmt.Sprintf("%d username(s) match no user in the org:\n%s", len(unknown), bulletList(unknown)))
	}
	if len(inactive) > 0 {
		parts = append(parts, fmt.Sprintf("%d user(s) are inactive (deactivated in Setup → Users):\n%s", len(inactive), bulletList(inactive)))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "\n\n") + "\n\nSalesforce usernames look like email addresses and are unique across all " +
		"orgs, so a sandbox's usernames usually end in the sandbox name (jane@acme.com.uat). Remove these names or " +
		"correct them; nothing was changed."
}

// bulletList renders names one per line, cut off after 50.
func bulletList(names []string) string {
	const shown = 50
	var b strings.Builder
	for i, n := range names {
		if i == shown {
			fmt.Fprintf(&b, "  … and %d more\n", len(names)-shown)
			break
		}
		b.WriteString("  - " + n + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// assignmentErrorDetail adds what to check when Salesforce refuses an
// assignment.
func assignmentErrorDetail(err error) string {
	detail := salesforceErrorDetail(err)
	switch {
	case sfapi.HasErrorCode(err, "INVALID_CROSS_REFERENCE_KEY"), sfapi.HasErrorCode(err, "MALFORMED_ID"):
		detail += "\n\nCheck that the permission set and the user exist in this org: ids differ between orgs, " +
			"including between production and its sandboxes."
	case sfapi.HasErrorCode(err, "INSUFFICIENT_ACCESS"), sfapi.HasErrorCode(err, "INSUFFICIENT_ACCESS_OR_READONLY"):
		detail += " Assigning permission sets needs Assign Permission Sets or Manage Users."
	}
	return detail
}

// minExpirationAPIVersion: PermissionSetAssignment.ExpirationDate exists
// from API version 52.0 (object reference, PermissionSetAssignment: "This
// field is available in API version 52.0 and later").
const minExpirationAPIVersion = 52

// expirationAPIVersionProblem explains why an expiration cannot be set with
// the provider's api_version; "" when it can.
func expirationAPIVersionProblem(client *sfapi.Client) string {
	v := client.APIVersion()
	major, err := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	if err != nil || major >= minExpirationAPIVersion {
		return ""
	}
	return fmt.Sprintf("Salesforce added PermissionSetAssignment.ExpirationDate in API version %d.0, and the provider's "+
		"salesforce.api_version is %s, which has no such field. Raise api_version (or SALESFORCE_API_VERSION) to %d.0 or "+
		"later (the default is %s), or remove expiration_date.", minExpirationAPIVersion, v, minExpirationAPIVersion, defaultAPIVersion)
}

// checkExpirationAPIVersion adds an error on expiration_date when it is set
// (or will be) and the API version predates the field. Plan time catches
// it whenever the provider is configured; apply checks again.
func checkExpirationAPIVersion(client *sfapi.Client, exp types.String, diags *diag.Diagnostics) {
	if client == nil || exp.IsNull() || exp.IsUnknown() {
		return
	}
	if detail := expirationAPIVersionProblem(client); detail != "" {
		diags.AddAttributeError(path.Root("expiration_date"), "Expiration dates need API version 52.0 or later", detail)
	}
}

// Fixes for the refusals Salesforce gives an assignment's expiration. Help
// "Set Assignment Expiration Details for Users in Permission Sets and
// Permission Set Groups" (platform.permissions_assign_expire_how.htm): the
// org setting must be on, and permission sets with Assign Permission Sets,
// Manage Profiles and Permission Sets or Manage Users can't expire. The
// exact wording of the refusals is not documented, so they are recognised
// by what they mention, and an unrecognised refusal of the expiration
// gets both fixes.
const (
	fixExpirationSetting = "Expiration dates must first be enabled for the org: in Setup → User Management Settings, turn on " +
		"\"Permission Set & Permission Set Group Assignments with Expiration Dates\" (needs Customize Application), then " +
		"apply again. Or remove expiration_date."
	fixExpirationPermissionSet = "Salesforce does not let assignments of a permission set expire when it grants Assign Permission " +
		"Sets, Manage Profiles and Permission Sets, or Manage Users. Remove expiration_date for this permission set, or " +
		"move those permissions to a permission set assigned without expiration."
)

// expirationRefusalFix returns what to do when err is Salesforce refusing
// an expiration date (a single error or any failure of a batch); "" when
// it is not.
func expirationRefusalFix(err error) string {
	var texts []string
	var ae *sfapi.APIError
	if errors.As(err, &ae) {
		texts = append(texts, ae.ErrorCode+" "+ae.Message+" "+strings.Join(ae.Fields, " "))
	}
	var be *sfapi.BatchError
	if errors.As(err, &be) {
		for _, f := range be.Failures {
			texts = append(texts, f.Code+" "+f.Message)
		}
	}
	var setting, permSet, other, version bool
	for _, t := range texts {
		low := strings.ToLower(t)
		if !strings.Contains(low, "expiration") {
			continue
		}
		switch {
		case strings.Contains(low, "invalid_field") || strings.Contains(low, "no such column"):
			version = true
		case strings.Contains(low, "user management settings") || strings.Contains(low, "enable"):
			setting = true
		case strings.Contains(low, "assign permission sets") || strings.Contains(low, "manage users") ||
			strings.Contains(low, "manage profiles"):
			permSet = true
		default:
			other = true
		}
	}
	var fixes []string
	if setting || other {
		fixes = append(fixes, fixExpirationSetting)
	}
	if permSet || other {
		fixes = append(fixes, fixExpirationPermissionSet)
	}
	if version {
		fixes = append(fixes, fmt.Sprintf("The org does not know ExpirationDate at this API version: set the provider's "+
			"api_version to %d.0 or later.", minExpirationAPIVersion))
	}
	return strings.Join(fixes, "\n\n")
}

// addAssignmentError reports a failed write of an assignment: on
// expiration_date, with the fix, when Salesforce refused the expiration.
func addAssignmentError(diags *diag.Diagnostics, err error, summary, detail string) {
	if fix := expirationRefusalFix(err); fix != "" {
		diags.AddAttributeError(path.Root("expiration_date"), summary, detail+"\n\n"+fix)
		return
	}
	diags.AddError(summary, detail)
}
