package npapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// Person is a CE person (learner).
type Person struct {
	ID, Email, FirstName, LastName, FullName string
}

// GetPerson returns one person; a missing one is an *APIError (IsNotFound).
func (c *Client) GetPerson(ctx context.Context, id string) (*Person, error) {
	u, err := c.endpoint("/v2/people/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, err
	}
	var doc document
	if err := c.do(ctx, http.MethodGet, u, nil, &doc); err != nil {
		return nil, err
	}
	r, err := decodeOne(doc)
	if err != nil {
		return nil, fmt.Errorf("CE API GET %s: %w", u.Path, err)
	}
	return personFrom(r)
}

func personFrom(r resource) (*Person, error) {
	var a struct {
		Email     string `json:"email"`
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		FullName  string `json:"full_name"`
		Name      string `json:"name"`
	}
	if err := unmarshalAttributes(r, &a); err != nil {
		return nil, err
	}
	full := a.FullName
	if full == "" {
		full = a.Name
	}
	return &Person{ID: r.ID, Email: a.Email, FirstName: a.FirstName, LastName: a.LastName, FullName: full}, nil
}
