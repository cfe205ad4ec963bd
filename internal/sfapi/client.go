package sfapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 1 << 20

// Client talks to one Salesforce org. It is safe for concurrent use.
type Client struct {
	cfg         Config
	method      AuthMethod
	loginURL    string // normalized scheme://host
	instanceURL string // configured and normalized; "" means "from the token response"
	jwtKey      []byte // PKCS#1 PEM, JWT bearer only
	jwtAud      jwtAudiences
	apiPath     string // "/services/data/v65.0"
	rc          *retryablehttp.Client
	policy      httpkit.Policy
	log         Logger

	tokMu sync.Mutex
	tok   *token
	// fetchSem serializes token requests so that parallel first calls make
	// one request; a channel rather than a mutex so waiters honour ctx.
	fetchSem     chan struct{}
	refreshToken string // guarded by fetchSem; replaced when rotation is detected

	warnMu         sync.Mutex
	warnings       []string
	rotationWarned bool

	layoutLocks keyedLocks // LockLayout; zero value ready

	cache       *readCache  // always set; disabled by Config.DisableReadCache
	usersByName batchLoader // FindUsersByUsername, when the cache is on
	adminChecks batchLoader // UserHasModifyAllData, when the cache is on
}

// New validates cfg and returns a client. It makes no network call:
// authentication happens on the first request.
func New(cfg Config) (*Client, error) {
	cfg = withDefaults(cfg)
	method, err := ChooseAuthMethod(cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{
		cfg:          cfg,
		method:       method,
		fetchSem:     make(chan struct{}, 1),
		refreshToken: cfg.RefreshToken,
		log:          cfg.Logger,
		cache:        newReadCache(!cfg.DisableReadCache, cfg.ReadCacheTTL),
		policy:       newRetryPolicy(cfg.RetryWaitMin, cfg.RetryWaitMax),
	}
	if c.loginURL, err = parseBaseURL(cfg.LoginURL); err != nil {
		return nil, &ConfigError{Fields: []string{"login_url"}, Summary: "invalid login_url", Detail: err.Error()}
	}
	if cfg.InstanceURL != "" {
		if c.instanceURL, err = parseBaseURL(cfg.InstanceURL); err != nil {
			return nil, &ConfigError{Fields: []string{"instance_url"}, Summary: "invalid instance_url", Detail: err.Error()}
		}
	} else if method == AuthAccessToken || method == AuthClientCredentials {
		return nil, &ConfigError{
			Fields:  []string{"instance_url"},
			Summary: "instance_url is required with " + string(method),
			Detail: "Set instance_url to the org's My Domain URL, such as https://example.my.salesforce.com: " +
				"an access token carries no instance, and the client credentials flow only works on the My Domain host.",
		}
	}
	if err := checkAPIVersion(cfg.APIVersion); err != nil {
		return nil, &ConfigError{Fields: []string{"api_version"}, Summary: "invalid api_version", Detail: err.Error()}
	}
	c.apiPath = "/services/data/v" + cfg.APIVersion
	c.usersByName.run = c.loadUsersByName
	c.adminChecks.run = c.loadAdminChecks
	if method == AuthJWTBearer {
		if c.jwtAud, err = newJWTAudiences(cfg, c.loginURL, c.instanceURL); err != nil {
			return nil, err
		}
		if _, c.jwtKey, err = parseRSAKey(cfg.PrivateKeyPEM); err != nil {
			return nil, &ConfigError{Fields: []string{"private_key"}, Summary: "invalid private_key", Detail: err.Error()}
		}
	}

	base := cfg.HTTPClient
	if base == nil {
		base = cleanhttp.DefaultPooledClient()
	}
	c.rc = c.policy.Client(base, cfg.RetryMax)
	c.rc.CheckRetry = c.checkRetry
	c.rc.RequestLogHook = c.logRequest
	c.rc.ResponseLogHook = c.logResponse
	// Hand back the last response after the final retry, so its body
	// becomes an *APIError instead of "giving up after N attempts".
	c.rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	return c, nil
}

// AuthMethod returns the method ChooseAuthMethod picked.
func (c *Client) AuthMethod() AuthMethod { return c.method }

// InstanceURL returns the org's base URL, authenticating if it has to come
// from the token response.
func (c *Client) InstanceURL(ctx context.Context) (string, error) {
	if c.instanceURL != "" {
		return c.instanceURL, nil
	}
	tok, err := c.token(ctx)
	if err != nil {
		return "", err
	}
	return tok.instanceURL, nil
}

// Warnings drains the warnings gathered so far.
func (c *Client) Warnings() []string {
	c.warnMu.Lock()
	defer c.warnMu.Unlock()
	w := c.warnings
	c.warnings = nil
	return w
}

func (c *Client) warn(ctx context.Context, msg string) {
	c.warnMu.Lock()
	c.warnings = append(c.warnings, msg)
	c.warnMu.Unlock()
	c.logf(ctx, "warn", msg, nil)
}

// apiReq describes one logical API call; path is already escaped.
type apiReq struct {
	method string
	path   string // "/services/…" on the instance, or an absolute URL (identity)
	query  url.Values
	body   any // JSON-encoded when non-nil
	noAuth bool
}

// do sends r with authentication, retries and one re-authentication after
// INVALID_SESSION_ID. It returns the response for status < 400 (the caller
// closes the body) and an error wrapping *APIError otherwise.
func (c *Client) do(ctx context.Context, r apiReq) (*http.Response, error) {
	var payload []byte
	if r.body != nil {
		var err error
		if payload, err = json.Marshal(r.body); err != nil {
			return nil, fmt.Errorf("%s %s: encode request body: %w", r.method, r.path, err)
		}
	}
	for reauths := 0; ; reauths++ {
		var tok *token
		target := r.path
		if !r.noAuth {
			var err error
			if tok, err = c.token(ctx); err != nil {
				return nil, err
			}
		}
		if !strings.HasPrefix(target, "https://") && !strings.HasPrefix(target, "http://") {
			base := c.instanceURL
			if tok != nil {
				base = tok.instanceURL
			}
			if base == "" {
				var err error
				if base, err = c.InstanceURL(ctx); err != nil {
					return nil, err
				}
			}
			target = base + r.path
		}
		if len(r.query) > 0 {
			target += "?" + r.query.Encode()
		}
		bearer := ""
		if tok != nil {
			bearer = tok.access
		}
		resp, st, err := c.send(ctx, r.method, target, payload, bearer)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err // the URL is already in our prefix
			}
			return nil, st.Final(fmt.Errorf("%s %s failed after %d attempt(s): %w", r.method, r.pathOnly(), st.Attempt()+1, err))
		}
		if resp.StatusCode < 400 {
			return resp, nil
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		resp.Body.Close()
		ae := parseAPIError(resp.StatusCode, body, true)
		if tok != nil && sessionRejected(resp.StatusCode, ae) {
			if c.method == AuthAccessToken {
				return nil, fmt.Errorf("%s %s: Salesforce rejected the configured access token, which has probably expired; "+
					"supply a fresh access_token, or configure JWT bearer or client credentials so the provider can obtain tokens itself: %w",
					r.method, r.pathOnly(), ae)
			}
			// Each rejected session gets one new sign-in. A fresh session can
			// expire too (an admin's "revoke all", a clock skew), so a short
			// run is tolerated; a longer one means every new session is
			// refused (IP restrictions, a blocked user) and fails fast.
			if reauths < maxReauthentications {
				c.invalidate(tok)
				c.logf(ctx, "debug", "Salesforce session invalid; re-authenticating", map[string]any{"method": r.method, "path": r.pathOnly(), "attempt": reauths + 1})
				continue
			}
		}
		return nil, st.Final(fmt.Errorf("%s %s: %w", r.method, r.pathOnly(), ae))
	}
}

// maxReauthentications bounds the new sign-ins one request may trigger.
const maxReauthentications = 3

func (r apiReq) pathOnly() string {
	if u, err := url.Parse(r.path); err == nil && u.Path != "" {
		return u.Path
	}
	return r.path
}

// send performs one retried HTTP exchange. The httpkit.Request in the
// context tells CheckRetry whether the method may be repeated.
func (c *Client) send(ctx context.Context, method, target string, payload []byte, bearer string) (*http.Response, *httpkit.Request, error) {
	st := httpkit.NewRequest(method, "")
	var body any
	if payload != nil {
		body = payload
	}
	req, err := retryablehttp.NewRequestWithContext(httpkit.WithRequest(ctx, st), method, target, body)
	if err != nil {
		return nil, st, err
	}
	st.Path = req.URL.Path
	req.Header.Set("Accept", "application/json")
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := c.rc.Do(req)
	if err != nil && resp != nil {
		resp.Body.Close()
		resp = nil
	}
	return resp, st, err
}

// doJSON runs r and decodes a JSON response into out (nil: discard).
func (c *Client) doJSON(ctx context.Context, r apiReq, out any) error {
	resp, err := c.do(ctx, r)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("%s %s: decode response: %w", r.method, r.pathOnly(), err)
	}
	return nil
}

func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	retry, why, stop := c.policy.Decide(ctx, resp, err)
	if why != "" {
		fields := map[string]any{"reason": why}
		if st := httpkit.RequestFrom(ctx); st != nil {
			fields["method"], fields["path"], fields["attempt"] = st.Method, st.Path, st.Attempt()+1
		}
		if err != nil {
			fields["error"] = err.Error()
		}
		if retry {
			c.logf(ctx, "warn", "retrying Salesforce request", fields)
		} else {
			c.logf(ctx, "debug", "not retrying Salesforce request", fields)
		}
	}
	return retry, stop
}

func (c *Client) logf(ctx context.Context, level, msg string, fields map[string]any) {
	if c.log != nil {
		c.log.Log(ctx, level, msg, fields)
	}
}
