package provider

import (
	"context"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi"
)

// pendingAuthorization is the authorization link an apply left waiting for
// the integration user (the wait ran out, or wait_for_connection = false).
// It is kept in private state so that the next apply waits for the same
// link: asking CE for a new one would void the link the user may be
// approving at that very moment (only the latest link can be approved).
type pendingAuthorization struct {
	AuthorizeURL string    `json:"authorize_url"`
	ExpiresAt    time.Time `json:"expires_at"`
	InstanceURL  string    `json:"instance_url"`
	Sandbox      bool      `json:"sandbox"`
}

const pendingAuthorizationKey = "pending_authorization"

func newPendingAuthorization(auth *npapi.Authorization, s *npapi.IntegrationSettings) *pendingAuthorization {
	if auth == nil || s == nil || integrationConnected(s) {
		return nil
	}
	return &pendingAuthorization{AuthorizeURL: auth.AuthorizeURL, ExpiresAt: auth.ExpiresAt,
		InstanceURL: s.InstanceURL, Sandbox: s.Sandbox}
}

func readPendingAuthorization(ctx context.Context, p privateGetter) *pendingAuthorization {
	return readPrivateJSON(ctx, p, pendingAuthorizationKey, func(pa *pendingAuthorization) bool { return pa.AuthorizeURL != "" })
}

// resumable is the link to wait for again, or nil when a new one is
// needed: CE is not connected, the link was issued for the instance and
// sandbox flag CE has now (a change voids it), and it has time left. A link
// whose expiry CE did not say is not reused: nobody knows whether it works.
func (p *pendingAuthorization) resumable(s *npapi.IntegrationSettings, now time.Time) *npapi.Authorization {
	if p == nil || s == nil || integrationConnected(s) || !s.Enabled {
		return nil
	}
	if !sameInstanceURL(p.InstanceURL, s.InstanceURL) || p.Sandbox != s.Sandbox {
		return nil
	}
	if p.ExpiresAt.IsZero() || !now.Add(linkRenewMargin).Before(p.ExpiresAt) {
		return nil
	}
	return &npapi.Authorization{AuthorizeURL: p.AuthorizeURL, ExpiresAt: p.ExpiresAt}
}
