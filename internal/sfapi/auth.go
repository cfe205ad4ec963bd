package sfapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

const tokenPath = "/services/oauth2/token"

// jwtLifetime keeps "exp" inside the 3 minutes Salesforce allows; the
// library default would be one hour.
const jwtLifetime = 2 * time.Minute

type token struct {
	access      string
	instanceURL string
	identityURL string    // "id" of the token response; "" for a static access token
	expiry      time.Time // zero: never (static access token)
}

func (c *Client) cachedToken() *token {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	if c.tok != nil && (c.tok.expiry.IsZero() || time.Now().Before(c.tok.expiry)) {
		return c.tok
	}
	return nil
}

// invalidate drops old unless another goroutine has already replaced it,
// so that many requests failing with the same stale session cause one
// new token, not one each.
func (c *Client) invalidate(old *token) {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	if c.tok == old {
		c.tok = nil
	}
}

func (c *Client) token(ctx context.Context) (*token, error) {
	if t := c.cachedToken(); t != nil {
		return t, nil
	}
	select {
	case c.fetchSem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.fetchSem }()
	if t := c.cachedToken(); t != nil {
		return t, nil
	}
	t, err := c.fetchToken(ctx)
	if err != nil {
		return nil, err
	}
	c.tokMu.Lock()
	c.tok = t
	c.tokMu.Unlock()
	return t, nil
}

// fetchToken runs the configured OAuth flow. Caller holds fetchSem.
func (c *Client) fetchToken(ctx context.Context) (*token, error) {
	var (
		otok     *oauth2.Token
		err      error
		tokenURL string
	)
	switch c.method {
	case AuthAccessToken:
		return &token{access: c.cfg.AccessToken, instanceURL: c.instanceURL}, nil
	case AuthJWTBearer:
		if otok, err = c.jwtToken(ctx); err != nil {
			return nil, err // already explained, per audience tried
		}
	case AuthClientCredentials:
		tokenURL = c.instanceURL + tokenPath // only the My Domain host serves this flow
		conf := &clientcredentials.Config{
			ClientID:     c.cfg.ClientID,
			ClientSecret: c.cfg.ClientSecret,
			TokenURL:     tokenURL,
			AuthStyle:    oauth2.AuthStyleInParams, // no header-then-params probe
		}
		otok, err = conf.Token(c.tokenContext(ctx, httpkit.Idempotent))
	case AuthRefreshToken:
		tokenURL = c.loginURL + tokenPath
		conf := &oauth2.Config{
			ClientID:     c.cfg.ClientID,
			ClientSecret: c.cfg.ClientSecret,
			Endpoint:     oauth2.Endpoint{TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams},
		}
		// Never repeated after a 5xx or lost connection: with rotation the
		// first exchange may have burnt the token, and replaying a used
		// refresh token revokes the whole grant.
		otok, err = conf.TokenSource(c.tokenContext(ctx, httpkit.UnprocessedOnly), &oauth2.Token{RefreshToken: c.refreshToken}).Token()
	default:
		return nil, fmt.Errorf("unknown auth method %q", c.method)
	}
	if err != nil {
		return nil, c.tokenError(ctx, "at "+tokenURL, err)
	}

	t := &token{access: otok.AccessToken, instanceURL: c.instanceURL, expiry: time.Now().Add(c.cfg.TokenTTL)}
	if !otok.Expiry.IsZero() && otok.Expiry.Before(t.expiry) {
		t.expiry = otok.Expiry
	}
	t.identityURL, _ = otok.Extra("id").(string)
	if t.instanceURL == "" {
		raw, _ := otok.Extra("instance_url").(string)
		if t.instanceURL, err = parseBaseURL(raw); err != nil {
			return nil, fmt.Errorf("authenticate with Salesforce (%s): the token response has no usable instance_url (%v); set instance_url", c.method, err)
		}
	}
	if c.method == AuthRefreshToken && otok.RefreshToken != "" && otok.RefreshToken != c.refreshToken {
		c.refreshToken = otok.RefreshToken // the old one no longer works
		c.warnRotation(ctx)
	}
	c.logf(ctx, "debug", "obtained Salesforce access token", map[string]any{
		"auth_method": string(c.method), "instance_url": t.instanceURL, "ttl": c.cfg.TokenTTL.String(),
	})
	return t, nil
}

func (c *Client) warnRotation(ctx context.Context) {
	c.warnMu.Lock()
	done := c.rotationWarned
	c.rotationWarned = true
	c.warnMu.Unlock()
	if done {
		return
	}
	c.warn(ctx, "Salesforce returned a new refresh token: the connected app uses refresh token rotation, "+
		"so the configured refresh_token has been invalidated and will fail on the next run. "+
		"Use JWT bearer (client_id, username, private_key) or client credentials (client_id, client_secret) instead, "+
		"or turn off refresh token rotation for the app.")
}

// tokenError maps a failed token request to an *APIError (wrapped) without
// ever quoting the request (assertion, secrets) or the raw response body.
// where says which endpoint was asked ("at https://…/services/oauth2/token").
func (c *Client) tokenError(ctx context.Context, where string, err error) error {
	prefix := fmt.Sprintf("authenticate with Salesforce (%s) %s", c.method, where)
	if ae := tokenAPIError(err); ae != nil {
		if hint := c.tokenHint(ae); hint != "" {
			return fmt.Errorf("%s: %w. %s", prefix, ae, hint)
		}
		return fmt.Errorf("%s: %w", prefix, ae)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s: %w", prefix, ctxErr)
	}
	return fmt.Errorf("%s: %w", prefix, err)
}

// tokenHint covers the refresh token and client credentials flows; JWT
// bearer failures are explained by jwtHint.
func (c *Client) tokenHint(ae *APIError) string {
	switch {
	case grantFailureCause(ae) == causeNotApproved:
		return "Pre-authorize the user: set the app's Permitted Users to \"Admin approved users are pre-authorized\" and assign it the user's profile or a permission set."
	case c.method == AuthRefreshToken && ae.ErrorCode == "invalid_grant":
		return "The refresh token is expired or revoked (possibly rotated by an earlier run); issue a new one, or switch to JWT bearer or client credentials."
	case c.method == AuthClientCredentials && (ae.ErrorCode == "invalid_grant" || ae.ErrorCode == "invalid_client"):
		return "Check that the client credentials flow is enabled for the app with a run-as user, and that instance_url is the org's My Domain URL."
	}
	return ""
}

// tokenContext makes oauth2 send token requests through our retrying client.
func (c *Client) tokenContext(ctx context.Context, class httpkit.Class) context.Context {
	hc := &http.Client{
		Transport: &tokenTransport{ctx: ctx, class: class, userAgent: c.cfg.UserAgent, next: &retryablehttp.RoundTripper{Client: c.rc}},
		// A redirect would turn the POST into a GET elsewhere; report it instead.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return context.WithValue(ctx, oauth2.HTTPClient, hc)
}

type tokenTransport struct {
	ctx       context.Context
	class     httpkit.Class
	userAgent string
	next      http.RoundTripper
}

// RoundTrip attaches ctx (golang.org/x/oauth2/jwt posts without one) and the
// retry class, so cancellation, logging and retries work as for API calls.
func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	st := &httpkit.Request{Class: t.class, Method: req.Method, Path: req.URL.Path}
	r := req.WithContext(httpkit.WithRequest(t.ctx, st))
	r.Header = req.Header.Clone()
	r.Header.Set("Accept", "application/json")
	if t.userAgent != "" {
		r.Header.Set("User-Agent", t.userAgent)
	}
	return t.next.RoundTrip(r)
}

// sessionRejected: the request's access token is no longer valid, so a new
// sign-in may help. REST answers 401 INVALID_SESSION_ID; the identity URL
// and userinfo endpoints answer 403 with the bare text Bad_OAuth_Token
// (help remoteaccess_using_openid / mobile_sdk oauth_using_identity_urls).
func sessionRejected(status int, ae *APIError) bool {
	return (status == http.StatusUnauthorized && ae.ErrorCode == "INVALID_SESSION_ID") ||
		(status == http.StatusForbidden && ae.ErrorCode == "Bad_OAuth_Token")
}
