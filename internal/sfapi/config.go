package sfapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

// AuthMethod is the OAuth flow the client uses to obtain access tokens.
type AuthMethod string

const (
	AuthAccessToken       AuthMethod = "access_token"
	AuthJWTBearer         AuthMethod = "jwt_bearer"
	AuthRefreshToken      AuthMethod = "refresh_token"
	AuthClientCredentials AuthMethod = "client_credentials"
)

const (
	// DefaultLoginURL is used for JWT-bearer and refresh-token requests when
	// Config.LoginURL is empty. Sandboxes use https://test.salesforce.com.
	DefaultLoginURL = "https://login.salesforce.com"
	// DefaultAPIVersion is used when Config.APIVersion is empty (Winter '26).
	DefaultAPIVersion = "65.0"
	// ProductionAudience and SandboxAudience are the JWT "aud" values the
	// JWT bearer flow help page names: the authorization server, whichever
	// host the token request is posted to (remoteaccess_oauth_jwt_flow.htm).
	ProductionAudience = "https://login.salesforce.com"
	SandboxAudience    = "https://test.salesforce.com"

	defaultTokenTTL = 30 * time.Minute
)

// Config holds everything New needs. Empty (or blank) string fields count
// as unset.
type Config struct {
	InstanceURL string // optional for JWT / refresh token (then taken from the token response); required for access_token and client_credentials
	LoginURL    string // host for JWT-bearer and refresh-token token requests; default DefaultLoginURL
	// Sandbox makes the JWT audience SandboxAudience instead of
	// ProductionAudience. A login_url of test.salesforce.com or a
	// *.sandbox.my.salesforce.com host implies it.
	Sandbox bool
	// JWTAudience, when set, is the JWT "aud" as is (an Experience Cloud
	// site URL, or the My Domain URL an External Client App wants), and no
	// other audience is tried.
	JWTAudience   string
	APIVersion    string // e.g. "65.0" (no leading v); default DefaultAPIVersion
	ClientID      string
	Username      string
	PrivateKeyPEM string // RSA key, PKCS#1 or PKCS#8 PEM, unencrypted
	ClientSecret  string
	RefreshToken  string
	AccessToken   string
	UserAgent     string        // e.g. "terraform-provider-northpass/1.2.3"
	TokenTTL      time.Duration // our own token lifetime, because Salesforce sends no expires_in; default 30m
	RetryMax      int           // default 5; negative disables retries
	RetryWaitMin  time.Duration // default 1s
	RetryWaitMax  time.Duration // default 30s (cap)
	HTTPClient    *http.Client  // optional base client (tests); default cleanhttp pooled
	Logger        Logger        // optional
	// DisableReadCache turns off sharing of reads within this client. On
	// (the default), concurrent and repeated reads of one thing make one
	// request, reads of many assignments of a permission set share one
	// set-wide query, user look-ups are batched, and writes through the
	// client invalidate what they touch (see readcache.go). The provider
	// sets it from NORTHPASS_BATCH_READS=false.
	DisableReadCache bool
	ReadCacheTTL     time.Duration // how long an answer is kept after its last use; default 60s (readcache.go)
}

// Logger receives debug/warn lines; ctx is the request's context so the
// caller can route to its own logging. Messages and fields never carry
// secrets (tokens, keys, client secrets, assertions, token-endpoint bodies).
type Logger interface {
	Log(ctx context.Context, level string /* "debug","info","warn" */, msg string, fields map[string]any)
}

// ConfigError names the Config fields at fault, using the snake_case names
// "instance_url", "login_url", "jwt_audience", "api_version", "client_id", "username",
// "private_key", "client_secret", "refresh_token", "access_token", so the
// provider can attach the diagnostic to the right attributes.
type ConfigError struct {
	Fields  []string
	Summary string
	Detail  string
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("invalid Salesforce configuration")
	if len(e.Fields) > 0 {
		b.WriteString(" (" + strings.Join(e.Fields, ", ") + ")")
	}
	b.WriteString(": " + e.Summary)
	if e.Detail != "" {
		b.WriteString(". " + e.Detail)
	}
	return b.String()
}

func set(s string) bool { return strings.TrimSpace(s) != "" }

// withDefaults returns cfg with defaults applied and string fields trimmed;
// values pasted from files or environment variables often carry a newline.
func withDefaults(cfg Config) Config {
	for _, p := range []*string{&cfg.InstanceURL, &cfg.LoginURL, &cfg.JWTAudience, &cfg.APIVersion, &cfg.ClientID,
		&cfg.Username, &cfg.ClientSecret, &cfg.RefreshToken, &cfg.AccessToken, &cfg.UserAgent} {
		*p = strings.TrimSpace(*p)
	}
	if cfg.LoginURL == "" {
		cfg.LoginURL = DefaultLoginURL
	}
	if cfg.APIVersion == "" {
		cfg.APIVersion = DefaultAPIVersion
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = defaultTokenTTL
	}
	cfg.RetryMax, cfg.RetryWaitMin, cfg.RetryWaitMax = httpkit.RetryDefaults(cfg.RetryMax, cfg.RetryWaitMin, cfg.RetryWaitMax)
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = cfg.RetryWaitMin
	}
	return cfg
}
