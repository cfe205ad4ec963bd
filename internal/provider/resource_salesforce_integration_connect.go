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
	"github.com/ceiac/terraform-provider-northpass/internal/npapi"
)

// integrationPollPolicy paces the wait for the integration user's approval.
type integrationPollPolicy = httpkit.PollPolicy

// integrationPoll starts quick, because people usually approve within
// seconds of opening the link, and slows to 15s so that a 20-minute wait
// costs CE about 80 requests. It is the default of
// providerOptions.integrationPoll, which tests shorten.
var integrationPoll = integrationPollPolicy{Initial: 2 * time.Second, Max: 15 * time.Second}

// linkRenewMargin: a link this close to expiry is replaced while waiting,
// so a long timeout never leaves the user with a dead link.
const linkRenewMargin = time.Minute

// integrationConnected is what `connected` means: enabled, and CE holds
// working Salesforce tokens for the saved instance. "error" (connected, but
// sync failing) counts: a new authorization would not fix it.
func integrationConnected(s *npapi.IntegrationSettings) bool {
	return s != nil && s.Enabled && (s.Status == npapi.StatusConnected || s.Status == npapi.StatusError)
}

// desiredIntegration is what the configuration asks CE for.
type desiredIntegration struct {
	instanceURL string // normalised
	sandbox     bool
	enabled     bool
}

// settingsError is a failed settings change, with what it left behind.
type settingsError struct {
	summary, detail string
}

func (e *settingsError) Error() string { return e.summary + ": " + e.detail }

const disabledAdvice = "Enrollments do not sync to Salesforce while it is disabled. Run terraform apply again, " +
	"or enable it in CE under Apps → Integrations → Salesforce."

// applyIntegrationSettings brings CE's settings to want. CE refuses to
// change the instance or the sandbox flag of an enabled integration (the
// guide's "card not visible: disable, save, refresh"), so such a change is
// disable → save → re-enable. It returns the last settings CE reported,
// which is what the caller records whatever happened.
func applyIntegrationSettings(ctx context.Context, client *npapi.Client, cur *npapi.IntegrationSettings, want desiredIntegration) (*npapi.IntegrationSettings, error) {
	instanceChange := !sameInstanceURL(cur.InstanceURL, want.instanceURL)
	sandboxChange := cur.Sandbox != want.sandbox
	if !instanceChange && !sandboxChange {
		if cur.Enabled == want.enabled {
			return cur, nil
		}
		s, err := client.UpdateIntegration(ctx, npapi.IntegrationUpdate{Enabled: &want.enabled})
		if err != nil {
			verb := "enable"
			if !want.enabled {
				verb = "disable"
			}
			return cur, &settingsError{"Cannot " + verb + " the Salesforce integration", err.Error()}
		}
		return s, nil
	}

	wasEnabled := cur.Enabled
	if wasEnabled {
		tflog.Info(ctx, "Disabling the Salesforce integration to change its instance", map[string]any{
			"from_instance_url": cur.InstanceURL, "to_instance_url": want.instanceURL, "sandbox": want.sandbox})
		s, err := client.UpdateIntegration(ctx, npapi.IntegrationUpdate{Enabled: ptr(false)})
		if err != nil {
			return cur, &settingsError{"Cannot disable the Salesforce integration",
				"CE only accepts a new instance URL or sandbox flag while the integration is disabled, and disabling it failed: " +
					err.Error() + "\n\nNothing was changed; the integration is still enabled with instance " + cur.InstanceURL + "."}
		}
		cur = s
	}

	s, err := client.UpdateIntegration(ctx, npapi.IntegrationUpdate{InstanceURL: &want.instanceURL, Sandbox: &want.sandbox})
	if err != nil {
		detail := fmt.Sprintf("Saving instance_url %s (sandbox = %t) failed: %s", want.instanceURL, want.sandbox, err)
		if wasEnabled {
			// Put back what was working rather than leave it off.
			if back, rerr := client.UpdateIntegration(ctx, npapi.IntegrationUpdate{Enabled: ptr(true)}); rerr == nil {
				cur = back
				detail += "\n\nThe integration was re-enabled with its previous instance " + cur.InstanceURL + "."
			} else {
				detail += "\n\nThe provider had disabled the integration to make this change, and re-enabling it failed too (" +
					rerr.Error() + "): the integration is now DISABLED. " + disabledAdvice
			}
		}
		return cur, &settingsError{"Cannot save the Salesforce instance", detail}
	}
	cur = s

	if want.enabled && !cur.Enabled {
		s, err := client.UpdateIntegration(ctx, npapi.IntegrationUpdate{Enabled: ptr(true)})
		if err != nil {
			detail := fmt.Sprintf("The instance was changed to %s (sandbox = %t), but enabling the integration failed: %s\n\n"+
				"The integration is now DISABLED. %s", want.instanceURL, want.sandbox, err, disabledAdvice)
			return cur, &settingsError{"Salesforce integration left disabled", detail}
		}
		cur = s
	}
	return cur, nil
}

func ptr[T any](v T) *T { return &v }

// approvalTimeout is a wait for the integration user that ended before
// they approved: the timeout ran out, apply was interrupted, or CE could not
// be asked any more. The link may still be approved.
type approvalTimeout struct {
	auth     *npapi.Authorization
	instance string
	status   string
	cause    error
}

func (e *approvalTimeout) Error() string {
	return fmt.Sprintf("stopped waiting for the Salesforce authorization (%v); authorization URL: %s", e.cause, e.auth.AuthorizeURL)
}

// authorizationInstructions is the plain-words "what to do" for a link.
func authorizationInstructions(auth *npapi.Authorization, instance, expectedUser string) string {
	who := "the Salesforce integration user — a dedicated user who is not a System Administrator"
	if expectedUser != "" {
		who = fmt.Sprintf("the Salesforce integration user %s", expectedUser)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  1. Open this URL in a browser (a private window, so you are not signed in to Salesforce as someone else):\n\n       %s\n\n", auth.AuthorizeURL)
	fmt.Fprintf(&b, "  2. Log in to Salesforce (%s) as %s.\n", instance, who)
	b.WriteString("  3. Approve the access CE asks for.\n")
	b.WriteString("  4. Run terraform apply again: it finds the integration connected, or waits again for this same link.")
	if !auth.ExpiresAt.IsZero() {
		fmt.Fprintf(&b, "\n\nThe link expires at %s; the next apply asks for a new one if needed.", auth.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return b.String()
}

// connectOptions say how an apply gets the integration connected.
type connectOptions struct {
	wait bool
	// reauthorize asks for a new authorization even though CE is connected:
	// the current integration user was refused. CE keeps syncing with the
	// old tokens until the new user approves.
	reauthorize  bool
	expectedUser string
	// resume is the link an earlier apply left waiting (pendingAuthorization),
	// used instead of asking CE for a new one, which would void it.
	resume *npapi.Authorization
	poll   integrationPollPolicy // providerOptions.integrationPoll
}

// connectIntegration requests an authorization when the integration is
// enabled but not connected (or must be re-authorized) — or takes up the one
// an earlier apply left waiting —, logs the link and, with wait, polls until
// the integration user has approved. It returns the latest settings and the
// authorization still waiting for approval (nil once approved or when none
// was needed).
func connectIntegration(ctx context.Context, client *npapi.Client, s *npapi.IntegrationSettings, opts connectOptions, diags *diag.Diagnostics) (*npapi.IntegrationSettings, *npapi.Authorization, error) {
	if !s.Enabled || (integrationConnected(s) && !opts.reauthorize) {
		return s, nil, nil
	}
	before := *s
	var auth *npapi.Authorization
	if opts.resume != nil && !opts.reauthorize {
		auth = opts.resume
		tflog.Info(ctx, "Salesforce authorization still pending from an earlier apply: waiting for the same link, not asking CE for a new one",
			map[string]any{"authorization_url": auth.AuthorizeURL, "instance_url": s.InstanceURL,
				"expires_at": auth.ExpiresAt.UTC().Format(time.RFC3339)})
	} else {
		var err error
		if auth, err = requestIntegrationAuthorization(ctx, client, s); err != nil {
			return s, nil, err
		}
	}
	if !opts.wait {
		diags.AddWarning("Salesforce authorization required",
			fmt.Sprintf("The CE Salesforce integration for %s is saved and enabled, but it is not connected until the "+
				"integration user approves access (wait_for_connection = false, so this apply did not wait).\n\n%s",
				s.InstanceURL, authorizationInstructions(auth, s.InstanceURL, opts.expectedUser)))
		return s, auth, nil
	}

	approved := func(cur *npapi.IntegrationSettings) bool {
		if !integrationConnected(cur) {
			return false
		}
		if !opts.reauthorize {
			return true
		}
		// Still the refused user's tokens until someone approves the new link.
		return !strings.EqualFold(cur.AuthorizedUsername, before.AuthorizedUsername) ||
			!sameTime(cur.AuthorizedAt, before.AuthorizedAt)
	}
	last := s
	waits := opts.poll.Start()
	for {
		if err := waits.Wait(ctx); err != nil {
			return last, auth, &approvalTimeout{auth: auth, instance: last.InstanceURL, status: last.Status, cause: err}
		}
		cur, err := client.GetIntegration(ctx)
		if err != nil {
			cause := err
			if ctx.Err() != nil {
				cause = ctx.Err()
			} else if npapi.IsIntegrationAPINotServed(err) {
				return last, auth, err
			}
			// The link is out and may be approved whatever happened to
			// this poll: the wait stopped, the authorization did not fail.
			return last, auth, &approvalTimeout{auth: auth, instance: last.InstanceURL, status: last.Status,
				cause: fmt.Errorf("checking whether the integration user has approved: %w", cause)}
		}
		last = cur
		if approved(cur) {
			tflog.Info(ctx, "Salesforce integration connected", map[string]any{
				"instance_url": cur.InstanceURL, "authorized_username": cur.AuthorizedUsername})
			return cur, nil, nil
		}
		if !auth.ExpiresAt.IsZero() && time.Now().Add(linkRenewMargin).After(auth.ExpiresAt) {
			next, err := requestIntegrationAuthorization(ctx, client, cur)
			if err != nil {
				return last, auth, err
			}
			auth = next
		}
	}
}

// requestIntegrationAuthorization is the "Authorize" button. The link goes
// to the log at Info level, where people watching `TF_LOG=info` or a CI log
// find it while apply waits.
//
// When CE's answer is lost (5xx, broken connection), the button is pressed
// again: a new link supersedes the previous one, and the lost link cannot
// have been approved, since nobody ever saw it.
func requestIntegrationAuthorization(ctx context.Context, client *npapi.Client, s *npapi.IntegrationSettings) (*npapi.Authorization, error) {
	auth, err := httpkit.SendWrite(ctx, httpkit.Write[*npapi.Authorization]{
		Send: client.RequestAuthorization,
		Lost: func(attempt int, err error) {
			tflog.Warn(ctx, "CE's answer to the authorization request was lost; asking for a new link",
				map[string]any{"attempt": attempt, "error": err.Error()})
		},
	})
	if err != nil {
		return nil, fmt.Errorf("requesting a Salesforce authorization link from CE: %w", err)
	}
	fields := map[string]any{"authorization_url": auth.AuthorizeURL, "instance_url": s.InstanceURL}
	if !auth.ExpiresAt.IsZero() {
		fields["expires_at"] = auth.ExpiresAt.UTC().Format(time.RFC3339)
	}
	tflog.Info(ctx, "Salesforce authorization required: open authorization_url as the integration user, log in and approve", fields)
	return auth, nil
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// freshContext outlives an expired apply timeout just long enough to read
// what CE now has, so the state records the truth after a failure.
func freshContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
}

// timeoutDiagnostic explains an approval that did not come in time.
//
// While creating, it is a warning, not an error: Terraform taints a
// resource whose creation reports an error and replaces it on the next
// apply, and the replacement's destroy would revoke the very approval the
// user gives after this apply ended. The resource is saved instead, not
// connected, with the link in private state; its plan shows
// `connected = false -> true`, and the next apply waits for the same link.
// An update that runs out is an error as before: Terraform does not taint
// on a failed update.
func timeoutDiagnostic(diags *diag.Diagnostics, e *approvalTimeout, expectedUser string, creating bool) {
	reason := "the timeout ran out"
	switch {
	case errors.Is(e.cause, context.Canceled):
		reason = "apply was interrupted"
	case !errors.Is(e.cause, context.DeadlineExceeded):
		reason = fmt.Sprintf("apply stopped waiting (%v)", e.cause)
	}
	detail := fmt.Sprintf("CE is waiting for the Salesforce integration user to authorize the connection to %s "+
		"(status %s), and %s before they approved. The settings are saved and the integration is enabled, but it "+
		"is not connected.\n\nTo connect:\n\n%s", e.instance, e.status, reason,
		authorizationInstructions(e.auth, e.instance, expectedUser))
	detail += "\n\nThe link stays valid after this apply: the next apply does not ask CE for a new one (which would " +
		"void this one) while it has time left, and does not replace the resource or revoke anything."
	detail += "\n\nTo wait longer, raise timeouts.create / timeouts.update (default 20m)."
	if creating {
		diags.AddWarning("Salesforce authorization not completed", detail+"\n\nThe resource is created as not "+
			"connected (status "+e.status+"), so every plan shows it until the integration is connected.")
		return
	}
	diags.AddError("Salesforce authorization not completed", detail)
}

// integrationUserRefusal is remembered in private state when apply refused
// the authorized user, so that the next plan is not empty while that user
// is still the one CE is connected as.
type integrationUserRefusal struct {
	Username string `json:"username"`
	// Reauthorize: the user is not acceptable (an administrator); false
	// when the check itself failed and only needs running again.
	Reauthorize bool `json:"reauthorize"`
}

const integrationRefusalKey = "integration_user_refusal"

func readIntegrationRefusal(ctx context.Context, p privateGetter) *integrationUserRefusal {
	return readPrivateJSON(ctx, p, integrationRefusalKey, func(r *integrationUserRefusal) bool { return r.Username != "" })
}

const adminAdvice = "The setup guide asks for a dedicated integration user who is not a System Administrator: CE acts " +
	"in Salesforce with the access of the user who authorized it, so an administrator's tokens give CE — and anyone " +
	"who obtains them — full control of the org. Least privilege: create a dedicated user (for example with the " +
	"Minimum Access - Salesforce profile), assign it the Northpass Standard User permission set, and have that user " +
	"approve the authorization.\n\nRun terraform apply again: it requests a new authorization link and waits for it " +
	"to be approved.\n\nIf an administrator is really intended, set " +
	"allow_admin_integration_user = true."

// checkIntegrationUser checks who authorized a connected integration:
// expected_username always (CE reports the user), administrator rights when
// the provider can sign in to Salesforce. It returns the refusal to remember,
// if any.
func (r *salesforceIntegrationResource) checkIntegrationUser(ctx context.Context, m *salesforceIntegrationModel, s *npapi.IntegrationSettings, diags *diag.Diagnostics) *integrationUserRefusal {
	if !integrationConnected(s) {
		return nil
	}
	user := s.AuthorizedUsername
	if expected := m.ExpectedUsername.ValueString(); expected != "" && !strings.EqualFold(user, expected) {
		shown := user
		if shown == "" {
			shown = "(CE reports no username)"
		}
		diags.AddAttributeError(pathExpectedUsername, "Wrong Salesforce integration user",
			fmt.Sprintf("The CE Salesforce integration for %s is connected as %s, but expected_username is %s: the "+
				"authorization link was approved by someone logged in to Salesforce as another user.\n\nRun terraform "+
				"apply again: it requests a new authorization link. Open it in a private browser window, log in as %s "+
				"and approve.", s.InstanceURL, shown, expected, expected))
		return nil
	}
	if m.AllowAdminIntegrationUser.ValueBool() || user == "" {
		return nil
	}
	if r.data == nil || r.data.salesforce == nil {
		diags.AddWarning("Integration user not checked for administrator rights",
			fmt.Sprintf("The provider has no Salesforce credentials, so it cannot check whether %s, who authorized the "+
				"CE integration, is a System Administrator or holds Modify All Data. The setup guide asks for a "+
				"dedicated integration user who is not a System Administrator.\n\nTo let the provider check, set the "+
				"provider's salesforce argument (client_id, username and private_key for JWT bearer; or client_id, "+
				"client_secret and instance_url for client credentials) or the matching SALESFORCE_* environment "+
				"variables. To accept an administrator deliberately, set allow_admin_integration_user = true.", user))
		return nil
	}
	sf, done := r.data.salesforceFor(diags, typeIntegration)
	defer done()
	users, err := sf.FindUsersByUsername(ctx, []string{user})
	if err != nil {
		diags.AddError("Cannot check the Salesforce integration user",
			fmt.Sprintf("Looking up %s in Salesforce to check for administrator rights failed: %s\n\nThe next plan "+
				"shows this resource again so the check can be repeated.", user, salesforceErrorDetail(err)))
		return &integrationUserRefusal{Username: user}
	}
	u, ok := users[strings.ToLower(user)]
	if !ok {
		diags.AddWarning("Integration user not found in the provider's Salesforce org",
			fmt.Sprintf("CE is connected as %s, but the Salesforce org the provider signs in to has no such user, so "+
				"the administrator check was skipped. The provider's salesforce settings probably point at another "+
				"org than instance_url %s.", user, s.InstanceURL))
		return nil
	}
	var why string
	switch {
	case strings.EqualFold(u.ProfileName, "System Administrator"):
		why = "has the System Administrator profile"
	case u.ProfileModifyAllData:
		why = fmt.Sprintf("has the profile %q, which grants Modify All Data", u.ProfileName)
	default:
		has, err := sf.UserHasModifyAllData(ctx, u.ID)
		if err != nil {
			diags.AddError("Cannot check the Salesforce integration user",
				fmt.Sprintf("Checking the permission sets of %s for Modify All Data failed: %s\n\nThe next plan shows "+
					"this resource again so the check can be repeated.", user, salesforceErrorDetail(err)))
			return &integrationUserRefusal{Username: user}
		}
		if has {
			why = "holds Modify All Data through a permission set"
		}
	}
	if why == "" {
		return nil
	}
	diags.AddAttributeError(pathAllowAdmin, "Integration user is a Salesforce administrator",
		fmt.Sprintf("The CE Salesforce integration for %s was authorized by %s, who %s.\n\n%s", s.InstanceURL, user, why, adminAdvice))
	return &integrationUserRefusal{Username: user, Reauthorize: true}
}
