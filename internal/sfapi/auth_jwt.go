package sfapi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/jwt"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

// jwtAudiences decides the "aud" claim of JWT bearer assertions.
//
// The JWT bearer flow help page (remoteaccess_oauth_jwt_flow.htm) names the
// authorization server as the audience: https://login.salesforce.com, or
// https://test.salesforce.com for a sandbox, or an Experience Cloud site's
// URL; that holds whichever host the token request is posted to, a My
// Domain included (a My Domain "aud" is refused by Connected Apps:
// "audience is invalid"). External Client Apps are reported to want the My
// Domain URL instead (n8n-io/n8n#28990, forcedotcom/cli#3482), answering
// app_not_found or "audience is invalid" to the standard audiences. sfdx-core
// (src/util/sfdcUrl.ts getLoginAudienceCombos) tries every combination of
// login host and audience in turn; this client tries the documented one and,
// when that audience is refused and the My Domain URL is known, the My Domain
// URL once, then tells the user which one worked so they can pin it.
type jwtAudiences struct {
	pinned   string // Config.JWTAudience: used as is, nothing else tried
	standard string // ProductionAudience or SandboxAudience
	myDomain string // the org's My Domain URL when known, else ""

	// learned is the attempt that worked after the standard audience was
	// refused; later sign-ins of this client go straight to it. Guarded by
	// Client.fetchSem, like every token request.
	learned *jwtAttempt
}

type jwtAttempt struct{ tokenURL, audience string }

// newJWTAudiences works out the audiences from the configuration.
func newJWTAudiences(cfg Config, loginURL, instanceURL string) (jwtAudiences, error) {
	a := jwtAudiences{standard: ProductionAudience}
	if cfg.Sandbox || isSandboxHost(hostOf(loginURL)) || isSandboxHost(hostOf(instanceURL)) {
		a.standard = SandboxAudience
	}
	switch {
	case instanceURL != "":
		a.myDomain = instanceURL
	case !isLoginHost(hostOf(loginURL)):
		a.myDomain = loginURL // login_url is the My Domain (or a test server)
	}
	if cfg.JWTAudience != "" {
		aud, err := checkAudience(cfg.JWTAudience)
		if err != nil {
			return a, &ConfigError{Fields: []string{"jwt_audience"}, Summary: "invalid jwt_audience", Detail: err.Error()}
		}
		a.pinned = aud
	}
	return a, nil
}

// checkAudience accepts an absolute https URL (http only on loopback), with
// a path for an Experience Cloud site such as https://acme.my.site.com/customers.
func checkAudience(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("%q is not an absolute URL such as %s", raw, ProductionAudience)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q must be a plain URL, without credentials, query or fragment", raw)
	}
	if u.Scheme == "http" && !isLoopback(strings.ToLower(u.Hostname())) {
		return "", fmt.Errorf("%q must use https (plain http is only accepted for localhost)", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

func hostOf(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// IsSandboxURL reports whether a login or instance URL can only be a
// sandbox's: https://test.salesforce.com or an enhanced-domain sandbox My
// Domain (*.sandbox.my.salesforce.com).
func IsSandboxURL(u string) bool { return isSandboxHost(hostOf(u)) }

func isLoginHost(host string) bool {
	return host == "login.salesforce.com" || host == "test.salesforce.com"
}

// isSandboxHost: test.salesforce.com, or an enhanced-domain sandbox My
// Domain, MyDomain--SandboxName.sandbox.my.salesforce.com (help
// domain_name_enhanced_format.htm).
func isSandboxHost(host string) bool {
	return host == "test.salesforce.com" || strings.HasSuffix(host, ".sandbox.my.salesforce.com")
}

// attempts lists what to try, in order, with the fallback last.
func (a *jwtAudiences) attempts(loginURL string) (first jwtAttempt, fallback *jwtAttempt) {
	switch {
	case a.pinned != "":
		return jwtAttempt{loginURL + tokenPath, a.pinned}, nil
	case a.learned != nil:
		return *a.learned, nil
	}
	first = jwtAttempt{loginURL + tokenPath, a.standard}
	if a.myDomain != "" && a.myDomain != a.standard {
		// Posted to the My Domain itself: that is where an External Client
		// App's audience is checked, and login_url may be login.salesforce.com.
		fallback = &jwtAttempt{a.myDomain + tokenPath, a.myDomain}
	}
	return first, fallback
}

// jwtToken runs the JWT bearer flow. Caller holds fetchSem.
func (c *Client) jwtToken(ctx context.Context) (*oauth2.Token, error) {
	first, fallback := c.jwtAud.attempts(c.loginURL)
	tok, err := c.jwtExchange(ctx, first)
	if err == nil {
		return tok, nil
	}
	ae := tokenAPIError(err)
	if fallback == nil || ae == nil || !audienceRefused(ae) {
		return nil, c.jwtError(ctx, first, err, fallback == nil)
	}
	c.logf(ctx, "debug", "JWT audience refused; trying the My Domain URL", map[string]any{
		"refused_audience": first.audience, "error": ae.Error(), "audience": fallback.audience,
	})
	tok, err2 := c.jwtExchange(ctx, *fallback)
	if err2 != nil {
		// The hint comes once, after the second answer, which it covers.
		return nil, fmt.Errorf("%w\n\nThen, with the My Domain URL as audience: %w",
			c.jwtError(ctx, first, err, false), c.jwtError(ctx, *fallback, err2, true))
	}
	c.jwtAud.learned = fallback
	c.warn(ctx, fmt.Sprintf("Salesforce refused the JWT audience %s (%s) and accepted the org's My Domain URL %s, "+
		"as External Client Apps do. Set jwt_audience = %q in the provider's salesforce block (or "+
		"SALESFORCE_JWT_AUDIENCE) so that the provider signs in with it directly.",
		first.audience, ae.Message, fallback.audience, fallback.audience))
	return tok, nil
}

func (c *Client) jwtExchange(ctx context.Context, at jwtAttempt) (*oauth2.Token, error) {
	conf := &jwt.Config{
		Email:      c.cfg.ClientID,
		Subject:    c.cfg.Username,
		PrivateKey: c.jwtKey,
		TokenURL:   at.tokenURL,
		Audience:   at.audience, // the library would default to TokenURL, which Salesforce rejects
		Expires:    jwtLifetime,
	}
	return conf.TokenSource(c.tokenContext(ctx, httpkit.Idempotent)).Token()
}

// jwtError explains a failed attempt; last says no other audience follows,
// so the hint tells how to choose one.
func (c *Client) jwtError(ctx context.Context, at jwtAttempt, err error, last bool) error {
	where := fmt.Sprintf("at %s with JWT audience %s", at.tokenURL, at.audience)
	ae := tokenAPIError(err)
	if ae == nil {
		return c.tokenError(ctx, where, err)
	}
	hint := jwtHint(ae, at.audience, c.jwtAud, last)
	if hint == "" {
		return fmt.Errorf("authenticate with Salesforce (%s) %s: %w", c.method, where, ae)
	}
	return fmt.Errorf("authenticate with Salesforce (%s) %s: %w. %s", c.method, where, ae, hint)
}

// tokenAPIError parses a token endpoint failure; nil when there was no
// answer (a network failure, a cancelled context).
func tokenAPIError(err error) *APIError {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return nil
	}
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	// oauth2 leaves ErrorCode empty on the JWT path; parse the body ourselves.
	return parseAPIError(status, re.Body, false)
}

// jwtHint names the likely causes of a refused assertion and the fix.
func jwtHint(ae *APIError, audience string, a jwtAudiences, last bool) string {
	switch grantFailureCause(ae) {
	case causeAudience, causeAppNotFound:
		if !last {
			return ""
		}
		var b strings.Builder
		if ae.ErrorCode == "app_not_found" {
			b.WriteString("Salesforce found no External Client App with this consumer key installed in the org, which is " +
				"also how External Client Apps answer an audience they do not accept. Check client_id, then the audience: ")
		} else {
			b.WriteString("The app does not accept the JWT audience " + audience + ". ")
		}
		b.WriteString("Connected Apps accept https://login.salesforce.com, or https://test.salesforce.com for a sandbox " +
			"(set sandbox = true), whichever host login_url names; an Experience Cloud site wants its site URL; " +
			"External Client Apps may want the org's My Domain URL. Set jwt_audience (SALESFORCE_JWT_AUDIENCE) to the one the app accepts.")
		if a.pinned == "" && a.myDomain == "" {
			b.WriteString(" The provider could not try the My Domain URL itself: set instance_url to it (such as https://acme.my.salesforce.com).")
		}
		return b.String()
	case causeNotApproved:
		return "Pre-authorize the user: set the app's Permitted Users to \"Admin approved users are pre-authorized\" and " +
			"add the user's profile or a permission set of theirs to the app."
	case causeInactiveUser:
		return "The user named by username is deactivated; activate it in Setup → Users, or use another integration user."
	case causeExpired:
		return "The assertion had expired when Salesforce read it: check this machine's clock (assertions are valid for 2 minutes)."
	case causeClientID:
		return "client_id is not the consumer key of an app in this org: copy it from the app's OAuth settings (Consumer Key)."
	case causeOtherGrant:
		return "Likely causes: the certificate uploaded to the app does not belong to private_key; username is not a user of " +
			"this org (sandbox usernames usually end in the sandbox name); the user is not pre-authorized for the app " +
			"(Permitted Users: \"Admin approved users are pre-authorized\", plus the user's profile or permission set); or the " +
			"JWT audience " + audience + " is not the one the app accepts (sandbox = true for a sandbox, jwt_audience otherwise)."
	}
	return ""
}
