package provider

import (
	"testing"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi"
)

func TestPendingAuthorizationResumable(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	pending := &pendingAuthorization{AuthorizeURL: "https://login.salesforce.com/x", ExpiresAt: now.Add(30 * time.Minute),
		InstanceURL: "https://acme.my.salesforce.com", Sandbox: false}
	waiting := &npapi.IntegrationSettings{InstanceURL: "https://Acme.my.salesforce.com/", Enabled: true, Status: npapi.StatusAuthorizationRequired}
	with := func(mod func(*npapi.IntegrationSettings)) *npapi.IntegrationSettings {
		c := *waiting
		mod(&c)
		return &c
	}
	for name, c := range map[string]struct {
		p    *pendingAuthorization
		s    *npapi.IntegrationSettings
		want bool
	}{
		"same instance, time left": {pending, waiting, true},
		"none recorded":            {nil, waiting, false},
		"connected since":          {pending, with(func(s *npapi.IntegrationSettings) { s.Status = npapi.StatusConnected }), false},
		"disabled":                 {pending, with(func(s *npapi.IntegrationSettings) { s.Enabled = false }), false},
		"other instance":           {pending, with(func(s *npapi.IntegrationSettings) { s.InstanceURL = "https://other.my.salesforce.com" }), false},
		"sandbox flag changed":     {pending, with(func(s *npapi.IntegrationSettings) { s.Sandbox = true }), false},
		"about to expire": {&pendingAuthorization{AuthorizeURL: pending.AuthorizeURL, InstanceURL: pending.InstanceURL,
			ExpiresAt: now.Add(linkRenewMargin / 2)}, waiting, false},
		"expiry unknown": {&pendingAuthorization{AuthorizeURL: pending.AuthorizeURL, InstanceURL: pending.InstanceURL}, waiting, false},
	} {
		got := c.p.resumable(c.s, now)
		if (got != nil) != c.want {
			t.Errorf("%s: resumable = %v, want %v", name, got, c.want)
		}
		if got != nil && (got.AuthorizeURL != pending.AuthorizeURL || !got.ExpiresAt.Equal(pending.ExpiresAt)) {
			t.Errorf("%s: resumed %+v", name, got)
		}
	}
}
