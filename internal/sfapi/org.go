package sfapi

import (
	"context"
	"fmt"
)

// Org describes the Salesforce org the client is connected to.
type Org struct {
	ID               string
	Name             string
	IsSandbox        bool
	OrganizationType string // e.g. "Enterprise Edition", "Developer Edition"
}

// GetOrg reads the Organization record; every org has exactly one.
func (c *Client) GetOrg(ctx context.Context) (*Org, error) {
	recs, err := QueryAll[struct {
		ID               string `json:"Id"`
		Name             string `json:"Name"`
		IsSandbox        bool   `json:"IsSandbox"`
		OrganizationType string `json:"OrganizationType"`
	}](ctx, c, "SELECT Id, Name, IsSandbox, OrganizationType FROM Organization LIMIT 1")
	if err != nil {
		return nil, fmt.Errorf("read organization: %w", err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("read organization: the query returned no row; the user may lack the View Setup and Configuration permission")
	}
	r := recs[0]
	return &Org{ID: r.ID, Name: r.Name, IsSandbox: r.IsSandbox, OrganizationType: r.OrganizationType}, nil
}
