package sfapi

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

func TestChooseAuthMethod(t *testing.T) {
	const key = "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----"
	tests := []struct {
		name   string
		cfg    Config
		want   AuthMethod
		fields []string // non-nil: expect *ConfigError with these fields
	}{
		{"access token", Config{AccessToken: "00D!x"}, AuthAccessToken, nil},
		{"jwt", Config{ClientID: "cid", Username: "u@x", PrivateKeyPEM: key}, AuthJWTBearer, nil},
		{"refresh token", Config{ClientID: "cid", RefreshToken: "rt"}, AuthRefreshToken, nil},
		{"refresh token with secret", Config{ClientID: "cid", RefreshToken: "rt", ClientSecret: "s"}, AuthRefreshToken, nil},
		{"client credentials", Config{ClientID: "cid", ClientSecret: "s"}, AuthClientCredentials, nil},
		{"blank strings are unset", Config{AccessToken: "tok", ClientID: "  ", PrivateKeyPEM: "\n"}, AuthAccessToken, nil},

		{"nothing", Config{}, "", []string{"access_token", "private_key", "client_secret", "refresh_token"}},
		{"access token + private key", Config{AccessToken: "t", PrivateKeyPEM: key}, "", []string{"access_token", "private_key"}},
		{"access token + jwt", Config{AccessToken: "t", ClientID: "c", Username: "u", PrivateKeyPEM: key}, "",
			[]string{"access_token", "client_id", "username", "private_key"}},
		{"access token + refresh token", Config{AccessToken: "t", RefreshToken: "r", ClientID: "c"}, "",
			[]string{"access_token", "client_id", "refresh_token"}},
		{"private key + client secret", Config{ClientID: "c", Username: "u", PrivateKeyPEM: key, ClientSecret: "s"}, "",
			[]string{"private_key", "client_secret"}},
		{"private key + refresh token", Config{ClientID: "c", Username: "u", PrivateKeyPEM: key, RefreshToken: "r"}, "",
			[]string{"private_key", "refresh_token"}},
		{"private key without username", Config{ClientID: "c", PrivateKeyPEM: key}, "", []string{"username"}},
		{"private key without client id", Config{Username: "u", PrivateKeyPEM: key}, "", []string{"client_id"}},
		{"private key alone", Config{PrivateKeyPEM: key}, "", []string{"client_id", "username"}},
		{"username without private key", Config{ClientID: "c", Username: "u", ClientSecret: "s"}, "", []string{"private_key", "username"}},
		{"refresh token without client id", Config{RefreshToken: "r"}, "", []string{"client_id"}},
		{"client secret without client id", Config{ClientSecret: "s"}, "", []string{"client_id"}},
		{"client id alone", Config{ClientID: "c"}, "", []string{"private_key", "client_secret", "refresh_token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ChooseAuthMethod(tt.cfg)
			if tt.fields == nil {
				if err != nil || got != tt.want {
					t.Fatalf("got (%q, %v), want %q", got, err, tt.want)
				}
				return
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("got (%q, %v), want *ConfigError", got, err)
			}
			if !reflect.DeepEqual(ce.Fields, tt.fields) {
				t.Errorf("Fields = %q, want %q", ce.Fields, tt.fields)
			}
			if ce.Summary == "" || ce.Detail == "" {
				t.Errorf("Summary/Detail empty: %+v", ce)
			}
			if got != "" {
				t.Errorf("method = %q on error", got)
			}
		})
	}
}

func TestNewValidation(t *testing.T) {
	key := pkcs8PEM(t)
	jwt := func(mod func(*Config)) Config {
		c := Config{ClientID: "cid", Username: "u@example.com", PrivateKeyPEM: key}
		mod(&c)
		return c
	}
	tests := []struct {
		name  string
		cfg   Config
		field string // "" means New must succeed
	}{
		{"jwt defaults", jwt(func(*Config) {}), ""},
		{"jwt pkcs1 key", jwt(func(c *Config) { c.PrivateKeyPEM = pkcs1PEM(t) }), ""},
		{"key with literal \\n", jwt(func(c *Config) { c.PrivateKeyPEM = strings.ReplaceAll(key, "\n", `\n`) }), ""},
		{"loopback http instance", Config{AccessToken: "t", InstanceURL: "http://127.0.0.1:8080"}, ""},
		{"localhost http instance", Config{AccessToken: "t", InstanceURL: "http://localhost:8080/"}, ""},
		{"ipv6 loopback", Config{AccessToken: "t", InstanceURL: "http://[::1]:8080"}, ""},
		{"https instance", Config{AccessToken: "t", InstanceURL: "https://acme.my.salesforce.com"}, ""},
		{"http remote instance", Config{AccessToken: "t", InstanceURL: "http://acme.my.salesforce.com"}, "instance_url"},
		{"instance with path", Config{AccessToken: "t", InstanceURL: "https://acme.my.salesforce.com/lightning/page/home"}, "instance_url"},
		{"lightning host", Config{AccessToken: "t", InstanceURL: "https://acme.lightning.force.com"}, "instance_url"},
		{"relative instance", Config{AccessToken: "t", InstanceURL: "acme.my.salesforce.com"}, "instance_url"},
		{"access token needs instance", Config{AccessToken: "t"}, "instance_url"},
		{"client credentials needs instance", Config{ClientID: "c", ClientSecret: "s"}, "instance_url"},
		{"http login url", jwt(func(c *Config) { c.LoginURL = "http://login.salesforce.com" }), "login_url"},
		{"api version with v", jwt(func(c *Config) { c.APIVersion = "v65.0" }), "api_version"},
		{"api version garbage", jwt(func(c *Config) { c.APIVersion = "65" }), "api_version"},
		{"not a pem", jwt(func(c *Config) { c.PrivateKeyPEM = "not a key" }), "private_key"},
		{"encrypted pem", jwt(func(c *Config) {
			c.PrivateKeyPEM = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"
		}), "private_key"},
		{"garbage in pem", jwt(func(c *Config) {
			c.PrivateKeyPEM = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
		}), "private_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				if c.AuthMethod() == "" {
					t.Fatal("no auth method")
				}
				return
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("New err = %v, want *ConfigError on %s", err, tt.field)
			}
			if !reflect.DeepEqual(ce.Fields, []string{tt.field}) {
				t.Errorf("Fields = %q, want [%s]", ce.Fields, tt.field)
			}
			if k := strings.TrimSpace(tt.cfg.PrivateKeyPEM); strings.Contains(ce.Error(), "AAAA") || (k != "" && strings.Contains(ce.Error(), k)) {
				t.Errorf("error quotes key material: %v", ce)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	c, err := New(Config{ClientID: "cid", Username: "u", PrivateKeyPEM: pkcs8PEM(t)})
	if err != nil {
		t.Fatal(err)
	}
	if c.loginURL != DefaultLoginURL || c.apiPath != "/services/data/v"+DefaultAPIVersion {
		t.Errorf("loginURL=%q apiPath=%q", c.loginURL, c.apiPath)
	}
	if c.cfg.TokenTTL != defaultTokenTTL || c.rc.RetryMax != httpkit.DefaultRetryMax ||
		c.rc.RetryWaitMin != httpkit.DefaultRetryWaitMin || c.rc.RetryWaitMax != httpkit.DefaultRetryWaitMax {
		t.Errorf("defaults not applied: %+v", c.cfg)
	}
	if c.rc.Logger != nil {
		t.Error("retryablehttp logger must stay nil; we log through Logger")
	}
	c2, _ := New(Config{AccessToken: "t", InstanceURL: "https://x.my.salesforce.com", RetryMax: -1})
	if c2.rc.RetryMax != 0 {
		t.Errorf("RetryMax -1 → %d, want 0", c2.rc.RetryMax)
	}
}
