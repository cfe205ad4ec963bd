package sfapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// Identity is the authenticated user, from the identity URL or userinfo.
type Identity struct {
	UserID         string
	OrganizationID string
	Username       string
	DisplayName    string
}

// identityWire covers both the identity URL (username, display_name) and
// the OpenID userinfo endpoint (preferred_username, name).
type identityWire struct {
	UserID            string `json:"user_id"`
	OrganizationID    string `json:"organization_id"`
	Username          string `json:"username"`
	DisplayName       string `json:"display_name"`
	PreferredUsername string `json:"preferred_username"`
	Name              string `json:"name"`
}

// Identity returns who the client is authenticated as: a GET of the identity
// URL from the token response, or of /services/oauth2/userinfo on the
// instance when there is none (static access token).
func (c *Client) Identity(ctx context.Context) (*Identity, error) {
	tok, err := c.token(ctx)
	if err != nil {
		return nil, err
	}
	target := "/services/oauth2/userinfo"
	if tok.identityURL != "" {
		// The token goes there, so hold it to the same rule as instance_url.
		u, err := url.Parse(tok.identityURL)
		if err != nil {
			return nil, fmt.Errorf("identity: unusable identity URL in the token response: %w", err)
		}
		if _, err := parseBaseURL(u.Scheme + "://" + u.Host); err != nil {
			return nil, fmt.Errorf("identity: refusing identity URL from the token response: %w", err)
		}
		target = tok.identityURL
	}
	var w identityWire
	if err := c.doJSON(ctx, apiReq{method: http.MethodGet, path: target}, &w); err != nil {
		return nil, err
	}
	id := &Identity{UserID: w.UserID, OrganizationID: w.OrganizationID, Username: w.Username, DisplayName: w.DisplayName}
	if id.Username == "" {
		id.Username = w.PreferredUsername
	}
	if id.DisplayName == "" {
		id.DisplayName = w.Name
	}
	return id, nil
}
