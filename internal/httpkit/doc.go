// Package httpkit is the one place where the API clients (internal/sfapi,
// internal/npapi) decide how to survive an unreliable network: which
// failures are retried and how long to wait (retry.go, backoff.go), which
// transport errors no retry can fix (permanent.go), whether a failed write
// may have happened all the same (outcome.go), how to send a write whose
// answer may be lost without doing it twice (lostanswer.go), and how to poll
// a long-running request (poll.go).
//
// It knows nothing of Salesforce, CE or Terraform: a client adds what is its
// own (an error body that proves a request was refused, its error types and
// messages) through the hooks here. The fakes (sffake, npfake, fakekit) must
// not import it: a fake that shared the clients' understanding of the wire
// would pass every test with them and fail with the real service.
package httpkit
