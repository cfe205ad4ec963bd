package npapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Whether the account serves the integration-settings API.
//
// ce-integration-contract.md gives every CE account exactly one settings
// document: an account that never saved an instance URL answers GET
// /v2/integrations/salesforce with status "not_configured", never with 404.
// Settings that were "removed" therefore read as not_configured, and a 404
// on that GET (or on the PATCH and POST, which the contract answers with
// 409/422 but never 404) can only mean that the route itself is not served
// by this account: the endpoints are the provider's contract, not public
// API. The body is not consulted: an unrouted path may come back as a
// JSON:API errors[] document, a plain-text or an HTML page depending on what
// sits in front of CE, and the status alone already answers the question.
//
// DELETE …/authorization is the one route whose 404 is ordinary ("nothing to
// revoke"), so its 404 is settled by the GET. The answer is kept for the
// client's lifetime (one provider run): a run does not keep asking a route
// it already knows is missing.
type integrationAPIState struct {
	mu        sync.Mutex
	known     bool
	notServed *IntegrationAPINotServedError // nil when served
}

func (s *integrationAPIState) get() (known bool, err *IntegrationAPINotServedError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.known, s.notServed
}

func (s *integrationAPIState) set(notServed *IntegrationAPINotServedError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.known && s.notServed != nil {
		return // keep the first route that answered 404: it is the one to report
	}
	s.known, s.notServed = true, notServed
}

// IntegrationAPINotServedError says that this CE account does not serve the
// integration-settings API: a route the contract promises answered 404.
// It is not an *APIError on purpose, so that IsNotFound is false and no
// caller takes it for "the settings are gone".
type IntegrationAPINotServedError struct {
	Method, Path string
	// Answer is CE's reply, summarised ("404 Not Found: …").
	Answer string
}

func (e *IntegrationAPINotServedError) Error() string {
	return fmt.Sprintf("this CE account does not serve the Salesforce integration-settings API: %s %s answered %s. "+
		"These endpoints are the contract this provider expects, not part of CE's public API, and this account "+
		"(or the api_url in use) does not have them", e.Method, e.Path, e.Answer)
}

// IsIntegrationAPINotServed reports whether err says that the account does
// not serve the integration-settings API.
func IsIntegrationAPINotServed(err error) bool {
	var e *IntegrationAPINotServedError
	return errors.As(err, &e)
}

// integrationNotServed turns a 404 on a route the contract says always
// exists into an *IntegrationAPINotServedError and remembers it; any other
// error is returned as is.
func (c *Client) integrationNotServed(err error) error {
	var api *APIError
	if !errors.As(err, &api) || api.Status != 404 {
		return err
	}
	answer := api.Error()
	// Drop the "CE API GET /path returned " prefix: the message names the route itself.
	if _, rest, ok := strings.Cut(answer, " returned "); ok {
		answer = rest
	}
	e := &IntegrationAPINotServedError{Method: api.Method, Path: api.Path, Answer: answer}
	c.integrationAPI.set(e)
	return e
}

// knownNotServed returns the remembered answer when an earlier call of this
// run found the API missing, so no further request is sent.
func (c *Client) knownNotServed() error {
	if _, e := c.integrationAPI.get(); e != nil {
		return e
	}
	return nil
}

// integrationAPIServed tells whether the account serves the API, asking
// GET /v2/integrations/salesforce only when no call of this run has told
// already. A failure other than the 404 is returned: then nobody knows.
func (c *Client) integrationAPIServed(ctx context.Context) (bool, error) {
	if known, e := c.integrationAPI.get(); known {
		if e != nil {
			return false, e
		}
		return true, nil
	}
	_, err := c.GetIntegration(ctx)
	return err == nil, err
}
