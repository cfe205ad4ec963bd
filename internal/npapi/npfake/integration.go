package npfake

import (
	"errors"
	"strings"
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

// authorizationTTL is how long an authorize_url stays valid.
const authorizationTTL = time.Hour

// IntegrationState is a snapshot of the account's Salesforce integration.
type IntegrationState struct {
	ID                 string     `json:"id"`
	InstanceURL        string     `json:"instance_url"`
	Sandbox            bool       `json:"sandbox"`
	Enabled            bool       `json:"enabled"`
	Status             string     `json:"status"`
	StatusMessage      string     `json:"status_message"`
	AuthorizedUsername string     `json:"authorized_username"`
	AuthorizedAt       *time.Time `json:"authorized_at"`
	LastSyncedAt       *time.Time `json:"last_synced_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
	// The authorization waiting for the integration user, if any: what a
	// person running the emulator opens in a browser.
	PendingAuthorizationID string `json:"pending_authorization_id,omitempty"`
	PendingAuthorizeURL    string `json:"pending_authorize_url,omitempty"`
}

type pendingAuth struct {
	id, state, authorizeURL string
	expiresAt               time.Time
}

func defaultMessage(status string) string {
	switch status {
	case StatusNotConfigured:
		return "Enter your Salesforce instance URL to set up the integration."
	case StatusAuthorizationRequired:
		return "Authorize a Salesforce integration user to connect."
	case StatusConnected:
		return "Everything looks good!"
	case StatusDisconnected:
		return "Salesforce revoked the integration's access and refresh tokens. Authorize again to reconnect."
	case StatusError:
		return "Enrollments are not syncing to Salesforce."
	}
	return ""
}

// Integration returns a snapshot of the settings.
func (s *Server) Integration() IntegrationState {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.integ
	st.AuthorizedAt = copyTime(st.AuthorizedAt)
	st.LastSyncedAt = copyTime(st.LastSyncedAt)
	if p := s.livePendingLocked(); p != nil {
		st.PendingAuthorizationID, st.PendingAuthorizeURL = p.id, p.authorizeURL
	}
	return st
}

func (s *Server) livePendingLocked() *pendingAuth {
	if s.pending == nil || time.Now().After(s.pending.expiresAt) {
		return nil
	}
	return s.pending
}

// ApprovePendingAuthorization completes the latest authorization as the
// integration user would by logging in to Salesforce: the integration
// becomes connected as username. It fails when none is pending.
func (s *Server) ApprovePendingAuthorization(username string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.approveLocked("", username)
}

// approveLocked approves the live pending authorization; a non-empty state
// must match it (the login page's form).
func (s *Server) approveLocked(state, username string) error {
	p := s.livePendingLocked()
	if p == nil {
		return errors.New("no authorization is pending (request one with POST /v2/integrations/salesforce/authorizations)")
	}
	if state != "" && state != p.state {
		return errors.New("this authorization link is not the latest one, or it has expired; request a new one in CE")
	}
	if strings.TrimSpace(username) == "" {
		return errors.New("a Salesforce username is required")
	}
	t := now()
	s.integ.Status, s.integ.StatusMessage = StatusConnected, defaultMessage(StatusConnected)
	s.integ.AuthorizedUsername = strings.TrimSpace(username)
	s.integ.AuthorizedAt = &t
	synced := t // CE runs a first sync as soon as it is connected
	s.integ.LastSyncedAt = &synced
	s.integ.UpdatedAt = t
	s.pending = nil
	return nil
}

// SetAutoApprove makes every authorization requested from now on approve
// itself as username after the delay, as if the integration user were quick
// (the emulator for `make demo`). An empty username turns it off.
func (s *Server) SetAutoApprove(username string, after time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.autoUser, s.autoAfter = strings.TrimSpace(username), after
}

func (s *Server) scheduleAutoApproveLocked(id string) {
	if s.autoUser == "" {
		return
	}
	user := s.autoUser
	if s.autoAfter <= 0 {
		_ = s.approveLocked("", user)
		return
	}
	s.timers = append(s.timers, time.AfterFunc(s.autoAfter, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		// A newer request or an instance change may have replaced it.
		if !s.closed && s.pending != nil && s.pending.id == id {
			_ = s.approveLocked("", user)
		}
	}))
}

// RevokeAuthorization does what Salesforce did in November 2025: it revokes
// the connected app's tokens, so CE shows the integration as disconnected.
// It does nothing to an integration without an instance URL.
func (s *Server) RevokeAuthorization() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.integ.InstanceURL == "" {
		return
	}
	s.integ.Status, s.integ.StatusMessage = StatusDisconnected, defaultMessage(StatusDisconnected)
}

// SetIntegrationStatus sets the status behind the client's back (a failing
// sync, say); an empty message uses the status's usual one.
func (s *Server) SetIntegrationStatus(status, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if message == "" {
		message = defaultMessage(status)
	}
	s.integ.Status, s.integ.StatusMessage = status, message
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}
