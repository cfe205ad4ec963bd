package npapi

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Integration status values (ce-integration-contract.md).
const (
	StatusNotConfigured         = "not_configured"
	StatusAuthorizationRequired = "authorization_required"
	StatusConnected             = "connected"
	StatusDisconnected          = "disconnected"
	StatusError                 = "error"
)

const (
	integrationPath       = "/v2/integrations/salesforce"
	integrationType       = "salesforce_integrations"
	authorizationType     = "salesforce_authorizations"
	authorizationsPath    = integrationPath + "/authorizations"
	currentAuthorizedPath = integrationPath + "/authorization"
)

// IntegrationSettings is the account's Salesforce integration (one per
// account). Unset timestamps are nil.
type IntegrationSettings struct {
	ID, InstanceURL                           string
	Sandbox, Enabled                          bool
	Status, StatusMessage, AuthorizedUsername string
	AuthorizedAt, LastSyncedAt, UpdatedAt     *time.Time
}

// IntegrationUpdate is a PATCH; only non-nil fields are sent, so fields the
// caller does not manage are left as they are.
type IntegrationUpdate struct {
	InstanceURL *string
	Sandbox     *bool
	Enabled     *bool
}

// Authorization is a started "Authorize" step: the integration user must
// open AuthorizeURL and approve access before ExpiresAt.
type Authorization struct {
	ID, AuthorizeURL string
	ExpiresAt        time.Time
}

// GetIntegration returns the integration settings. An account that does
// not serve the integration-settings API gets an
// *IntegrationAPINotServedError (IsIntegrationAPINotServed), never a 404
// *APIError: under the contract the settings always exist.
func (c *Client) GetIntegration(ctx context.Context) (*IntegrationSettings, error) {
	return c.integrationCall(ctx, http.MethodGet, nil)
}

// UpdateIntegration changes the given settings. CE refuses (409,
// ErrorCode "integration_enabled") to change the instance or sandbox flag
// while enabled; callers disable first. PATCH is idempotent, so it is
// retried like a GET.
func (c *Client) UpdateIntegration(ctx context.Context, u IntegrationUpdate) (*IntegrationSettings, error) {
	attrs := map[string]any{}
	if u.InstanceURL != nil {
		attrs["instance_url"] = *u.InstanceURL
	}
	if u.Sandbox != nil {
		attrs["sandbox"] = *u.Sandbox
	}
	if u.Enabled != nil {
		attrs["enabled"] = *u.Enabled
	}
	body := map[string]any{"data": map[string]any{"type": integrationType, "attributes": attrs}}
	return c.integrationCall(ctx, http.MethodPatch, body)
}

func (c *Client) integrationCall(ctx context.Context, method string, body any) (*IntegrationSettings, error) {
	if err := c.knownNotServed(); err != nil {
		return nil, err
	}
	u, err := c.endpoint(integrationPath, nil)
	if err != nil {
		return nil, err
	}
	var doc document
	if err := c.do(ctx, method, u, body, &doc); err != nil {
		return nil, c.integrationNotServed(err)
	}
	c.integrationAPI.set(nil)
	r, err := decodeOne(doc)
	if err != nil {
		return nil, fmt.Errorf("CE API %s %s: %w", method, u.Path, err)
	}
	var a struct {
		InstanceURL        string   `json:"instance_url"`
		Sandbox            bool     `json:"sandbox"`
		Enabled            bool     `json:"enabled"`
		Status             string   `json:"status"`
		StatusMessage      string   `json:"status_message"`
		AuthorizedUsername string   `json:"authorized_username"`
		AuthorizedAt       wireTime `json:"authorized_at"`
		LastSyncedAt       wireTime `json:"last_synced_at"`
		UpdatedAt          wireTime `json:"updated_at"`
	}
	if err := unmarshalAttributes(r, &a); err != nil {
		return nil, fmt.Errorf("CE API %s %s: attributes: %w", method, u.Path, err)
	}
	return &IntegrationSettings{
		ID: r.ID, InstanceURL: a.InstanceURL, Sandbox: a.Sandbox, Enabled: a.Enabled,
		Status: a.Status, StatusMessage: a.StatusMessage, AuthorizedUsername: a.AuthorizedUsername,
		AuthorizedAt: a.AuthorizedAt.ptr(), LastSyncedAt: a.LastSyncedAt.ptr(), UpdatedAt: a.UpdatedAt.ptr(),
	}, nil
}

// RequestAuthorization starts the "Authorize" step. CE answers 409
// (ErrorCode "not_configured") when no instance URL is saved. Being a POST
// that creates something, it is retried only on 429 (CE did not process it),
// never on a 5xx or a dropped connection: the caller decides whether to ask
// again.
func (c *Client) RequestAuthorization(ctx context.Context) (*Authorization, error) {
	if err := c.knownNotServed(); err != nil {
		return nil, err
	}
	u, err := c.endpoint(authorizationsPath, nil)
	if err != nil {
		return nil, err
	}
	body := map[string]any{"data": map[string]any{"type": authorizationType}}
	var doc document
	if err := c.do(ctx, http.MethodPost, u, body, &doc); err != nil {
		return nil, c.integrationNotServed(err)
	}
	r, err := decodeOne(doc)
	if err != nil {
		return nil, fmt.Errorf("CE API POST %s: %w", u.Path, err)
	}
	var a struct {
		AuthorizeURL string   `json:"authorize_url"`
		ExpiresAt    wireTime `json:"expires_at"`
	}
	if err := unmarshalAttributes(r, &a); err != nil {
		return nil, fmt.Errorf("CE API POST %s: attributes: %w", u.Path, err)
	}
	if a.AuthorizeURL == "" {
		return nil, fmt.Errorf("CE API POST %s: response has no authorize_url", u.Path)
	}
	return &Authorization{ID: r.ID, AuthorizeURL: a.AuthorizeURL, ExpiresAt: a.ExpiresAt.value()}, nil
}

// RevokeAuthorization revokes the integration's Salesforce tokens. A 404
// means there is nothing to revoke, which is the state the caller wants —
// provided the account serves the integration-settings API at all, which
// the GET settles (once per client) before the 404 is taken as success.
func (c *Client) RevokeAuthorization(ctx context.Context) error {
	if err := c.knownNotServed(); err != nil {
		return err
	}
	u, err := c.endpoint(currentAuthorizedPath, nil)
	if err != nil {
		return err
	}
	err = c.do(ctx, http.MethodDelete, u, nil, nil)
	if err == nil {
		c.integrationAPI.set(nil)
		return nil
	}
	if !IsNotFound(err) {
		return err
	}
	if _, serr := c.integrationAPIServed(ctx); serr != nil {
		if IsIntegrationAPINotServed(serr) {
			return serr
		}
		return fmt.Errorf("%w (and checking whether the account serves the integration-settings API failed: %v)", err, serr)
	}
	return nil
}
