package npapi

import "net/http"

// Route is one CE endpoint the client calls.
type Route struct {
	Method string
	// Path as CE's documentation writes it, with {id} for a path parameter.
	Path string
	// Query names the query parameters sent, sorted.
	Query []string
	// Public: part of CE's public v2 API (ce-public-api.md); otherwise part
	// of the integration-settings contract (ce-integration-contract.md).
	Public bool
}

// Routes lists every endpoint the client calls, and nothing else. The
// provider's documentation has a table of them; tests check that the client
// calls exactly these (against npfake) and that the table lists exactly
// these, so a new call cannot go undocumented.
func Routes() []Route {
	paged := []string{"limit", "page"}
	return []Route{
		{Method: http.MethodGet, Path: "/v2/courses", Query: paged, Public: true},
		{Method: http.MethodGet, Path: "/v2/courses/{id}/enrollments", Query: paged, Public: true},
		{Method: http.MethodGet, Path: "/v2/people", Query: paged, Public: true},
		{Method: http.MethodGet, Path: "/v2/people/{id}", Public: true},
		{Method: http.MethodGet, Path: integrationPath},
		{Method: http.MethodPatch, Path: integrationPath},
		{Method: http.MethodPost, Path: authorizationsPath},
		{Method: http.MethodDelete, Path: currentAuthorizedPath},
	}
}

// String is the route as the docs table writes it: "GET /v2/people?limit=…&page=…".
func (r Route) String() string {
	s := r.Method + " " + r.Path
	for i, q := range r.Query {
		if i == 0 {
			s += "?"
		} else {
			s += "&"
		}
		s += q + "=…"
	}
	return s
}
