// Package npfake is an in-memory Gainsight Customer Education (Northpass)
// account served over HTTP: the public v2 endpoints the provider reads
// (courses, enrollments, people) and the Salesforce integration-settings
// contract (ce-integration-contract.md), with a fake Salesforce login page
// for the "Authorize" step.
//
// It writes the wire format on its own and does not import the client
// (internal/npapi), so a misunderstanding on either side fails a test
// instead of being shared. Requests go through fakekit for the request log,
// counters, fault injection and latency; /__admin/… drives the fake over
// HTTP for the emulator and `make demo`.
package npfake
