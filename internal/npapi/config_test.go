package npapi

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

func TestNewValidates(t *testing.T) {
	ok := []string{"", "https://api.northpass.com", "https://api.northpass.com/", "http://127.0.0.1:8080", "http://127.5.0.1", "http://localhost:9", "http://[::1]:80/prefix"}
	for _, u := range ok {
		c, err := New(Config{BaseURL: u, APIKey: "k"})
		if err != nil {
			t.Fatalf("%q refused: %v", u, err)
		}
		if u == "" && c.base.String() != DefaultBaseURL {
			t.Fatalf("default base %v", c.base)
		}
		if strings.HasSuffix(c.base.Path, "/") {
			t.Fatalf("%q kept a trailing slash", u)
		}
	}
	bad := []struct {
		cfg   Config
		field string
	}{
		{Config{BaseURL: "http://api.northpass.com", APIKey: "k"}, "base_url"},
		{Config{BaseURL: "http://10.0.0.1", APIKey: "k"}, "base_url"},
		{Config{BaseURL: "ftp://api.northpass.com", APIKey: "k"}, "base_url"},
		{Config{BaseURL: "api.northpass.com", APIKey: "k"}, "base_url"},
		{Config{BaseURL: "https://api.northpass.com?x=1", APIKey: "k"}, "base_url"},
		{Config{BaseURL: "https://user:s3cr3t@api.northpass.com", APIKey: "k"}, "base_url"},
		{Config{APIKey: "  "}, "api_key"},
		{Config{APIKey: "a b"}, "api_key"},
		{Config{APIKey: "k", RequestsPerSecond: -1}, "requests_per_second"},
		{Config{APIKey: "k", RetryWaitMin: time.Minute, RetryWaitMax: time.Second}, "retry_wait_min"},
	}
	for _, c := range bad {
		_, err := New(c.cfg)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Fields[0] != c.field {
			t.Fatalf("%+v: %v", c.cfg, err)
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Fatalf("credentials echoed: %v", err)
		}
	}
}

func TestNewDefaults(t *testing.T) {
	c, err := New(Config{APIKey: " key\n"})
	if err != nil {
		t.Fatal(err)
	}
	if c.apiKey != "key" || c.http.RetryMax != httpkit.DefaultRetryMax || c.http.RetryWaitMin != time.Second || c.http.RetryWaitMax != 30*time.Second {
		t.Fatalf("defaults: key %q, %d %v %v", c.apiKey, c.http.RetryMax, c.http.RetryWaitMin, c.http.RetryWaitMax)
	}
	tr := c.http.HTTPClient.Transport.(*transport)
	if got := tr.limiter.Limit(); got >= 10 || got < 9 || tr.limiter.Burst() != 1 { // under CE's 10 req/s, with a margin for jitter
		t.Fatalf("limiter %v burst %d", got, tr.limiter.Burst())
	}
	if c.http.Logger != nil {
		t.Fatal("retryablehttp's own logger must stay nil")
	}
	c, _ = New(Config{APIKey: "k", RetryMax: -1})
	if c.http.RetryMax != 0 {
		t.Fatalf("negative RetryMax gave %d", c.http.RetryMax)
	}
}
