// Package sfapi is a small Salesforce REST and Tooling API client: OAuth
// (JWT bearer, client credentials, refresh token, static access token),
// queries with paging, sObject CRUD and collections, describe, typed errors
// and retries (internal/httpkit, plus what only Salesforce says: 403
// REQUEST_LIMIT_EXCEEDED). It knows nothing of Terraform.
//
// The client is safe for concurrent use. It authenticates lazily on the
// first request, caches the token for Config.TokenTTL (Salesforce sends no
// expires_in) and re-authenticates once when a request fails with
// INVALID_SESSION_ID.
//
// On top of these primitives sit the domain methods the provider uses:
// package installs and uninstalls, permission sets and their assignments,
// users and the org, page layouts and their related lists, and discovery of
// the Northpass Enrollment object's API names from the labels users see.
package sfapi
