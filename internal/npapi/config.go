package npapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
	"github.com/ceiac/terraform-provider-northpass/internal/urlcheck"
)

const (
	// DefaultBaseURL serves every CE account; there are no per-account hosts.
	DefaultBaseURL = "https://api.northpass.com"
	// DefaultRequestsPerSecond is CE's documented limit.
	DefaultRequestsPerSecond = 10.0

	defaultUserAgent = "terraform-provider-northpass (npapi)"
	// defaultResponseHeaderTimeout bounds one attempt's wait for an answer
	// when the caller brings no client. It is a transport timeout, not
	// http.Client.Timeout, so time queued behind the rate limiter does not
	// count against it.
	defaultResponseHeaderTimeout = time.Minute
)

// Config holds everything New needs. Zero values mean "use the default".
type Config struct {
	BaseURL           string        // default DefaultBaseURL; https required except on loopback hosts
	APIKey            string        // sent as X-Api-Key; never logged or put in errors
	UserAgent         string        // e.g. "terraform-provider-northpass/1.2.3"
	RequestsPerSecond float64       // client-side limiter; default 10
	RetryMax          int           // default 5; negative disables retries
	RetryWaitMin      time.Duration // default 1s
	RetryWaitMax      time.Duration // default 30s; caps every wait, Retry-After included (httpkit.Policy.Backoff)
	HTTPClient        *http.Client  // optional base client; copied, never modified
	Logger            Logger        // optional
}

// Logger receives debug lines; ctx is the request's context so the caller can
// route them to its own logging (tflog). Messages and fields never carry the
// API key. Same shape as the Salesforce client's Logger.
type Logger interface {
	Log(ctx context.Context, level string, msg string, fields map[string]any)
}

// ConfigError names the Config fields at fault in the provider's snake_case
// ("base_url", "api_key", …) so diagnostics can point at the attribute.
type ConfigError struct {
	Fields  []string
	Summary string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("invalid CE API configuration (%s): %s", strings.Join(e.Fields, ", "), e.Summary)
}

// Client calls the CE API. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	apiKey    string
	userAgent string
	logger    Logger
	http      *retryablehttp.Client
	policy    httpkit.Policy
	// integrationAPI remembers whether this account serves the
	// integration-settings API (integration_served.go).
	integrationAPI integrationAPIState
}

// New validates cfg and builds a client; it makes no network call.
func New(cfg Config) (*Client, error) {
	cfg.BaseURL = strings.TrimSpace(cfg.BaseURL)
	cfg.APIKey = strings.TrimSpace(cfg.APIKey) // keys pasted from env vars often carry a newline
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, &ConfigError{Fields: []string{"base_url"}, Summary: err.Error()}
	}
	if cfg.APIKey == "" {
		return nil, &ConfigError{Fields: []string{"api_key"}, Summary: "an API key is required (CE app: Apps → API Access)"}
	}
	if strings.ContainsAny(cfg.APIKey, " \t\r\n") {
		return nil, &ConfigError{Fields: []string{"api_key"}, Summary: "the API key must not contain whitespace"}
	}
	if cfg.RequestsPerSecond < 0 {
		return nil, &ConfigError{Fields: []string{"requests_per_second"}, Summary: "must not be negative"}
	}
	if cfg.RequestsPerSecond == 0 {
		cfg.RequestsPerSecond = DefaultRequestsPerSecond
	}
	cfg.RetryMax, cfg.RetryWaitMin, cfg.RetryWaitMax = httpkit.RetryDefaults(cfg.RetryMax, cfg.RetryWaitMin, cfg.RetryWaitMax)
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		return nil, &ConfigError{Fields: []string{"retry_wait_min", "retry_wait_max"}, Summary: "retry_wait_max must not be shorter than retry_wait_min"}
	}
	if strings.TrimSpace(cfg.UserAgent) == "" {
		cfg.UserAgent = defaultUserAgent
	}
	if cfg.Logger == nil {
		cfg.Logger = nopLogger{}
	}

	c := &Client{base: base, apiKey: cfg.APIKey, userAgent: cfg.UserAgent, logger: cfg.Logger,
		policy: httpkit.Policy{WaitMin: cfg.RetryWaitMin, WaitMax: cfg.RetryWaitMax, Jitter: httpkit.DefaultJitter}}
	c.http = c.policy.Client(c.httpClient(cfg), cfg.RetryMax)
	c.http.CheckRetry = c.checkRetry
	c.http.ErrorHandler = keepLastResponse
	c.http.RequestLogHook = func(_ retryablehttp.Logger, req *http.Request, attempt int) {
		c.logRequest(req, attempt)
	}
	c.http.ResponseLogHook = func(_ retryablehttp.Logger, resp *http.Response) {
		c.logResponse(resp)
	}
	return c, nil
}

// httpClient copies the caller's client (or a pooled default) and puts the
// limiter and key in its transport, so every attempt (retries included) is
// paced and the key only ever goes to BaseURL's origin.
func (c *Client) httpClient(cfg Config) *http.Client {
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		t := cleanhttp.DefaultPooledTransport()
		t.ResponseHeaderTimeout = defaultResponseHeaderTimeout
		hc.Transport = t
	}
	next := hc.Transport
	if next == nil {
		next = cleanhttp.DefaultPooledTransport()
	}
	hc.Transport = &transport{
		next:    next,
		limiter: rate.NewLimiter(limiterRate(cfg.RequestsPerSecond), 1),
		origin:  c.base,
		apiKey:  c.apiKey,
	}
	hc.CheckRedirect = c.checkRedirect
	return &hc
}

// parseBaseURL accepts an absolute https URL, or http on a loopback host
// where the emulator runs without TLS. Messages never echo the URL: it could
// carry credentials in its userinfo.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("base URL must be an absolute URL such as %s", DefaultBaseURL)
	}
	if u.User != nil {
		return nil, fmt.Errorf("base URL must not contain credentials; use api_key")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("base URL must not have a query or fragment")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("base URL must use https (plain http is only accepted for loopback hosts such as 127.0.0.1)")
		}
	default:
		return nil, fmt.Errorf("base URL must use https")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// isLoopback is the project-wide rule for where plain http is acceptable.
var isLoopback = urlcheck.IsLoopback

type nopLogger struct{}

func (nopLogger) Log(context.Context, string, string, map[string]any) {}
