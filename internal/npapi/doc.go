// Package npapi is the client for the Gainsight Customer Education (CE,
// formerly Northpass) API: the public v2 endpoints the provider reads
// (courses, enrollments, people) and the Salesforce integration-settings
// contract described in DESIGN.md ("The CE endpoints we call"); Routes lists
// every call.
//
// It speaks JSON:API over HTTPS with an X-Api-Key header, follows links.next
// only on the configured host, turns errors[] into *APIError, stays under the
// documented 10 requests per second on its own, and retries what is safe to
// retry. It knows nothing of Terraform.
package npapi
