package npfake

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// The integration-settings endpoints of ce-integration-contract.md.

// integrationRoutePrefix covers every route of the contract; an account
// without the API answers all of them as unrouted.
const integrationRoutePrefix = "/v2/integrations/salesforce"

// SetIntegrationAPIServed switches between an account that serves the
// integration-settings API and one that does not (its routes then answer
// 404 like any path CE does not route). The settings are kept meanwhile.
func (s *Server) SetIntegrationAPIServed(served bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noIntegAPI = !served
}

// IntegrationAPIServed reports whether the integration routes are served.
func (s *Server) IntegrationAPIServed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.noIntegAPI
}

func (s *Server) integrationDocument() map[string]any {
	st := s.integ
	return map[string]any{"data": map[string]any{
		"type": "salesforce_integrations", "id": st.ID,
		"attributes": map[string]any{
			"instance_url": st.InstanceURL, "sandbox": st.Sandbox, "enabled": st.Enabled,
			"status": st.Status, "status_message": st.StatusMessage,
			"authorized_username": nullable(st.AuthorizedUsername),
			"authorized_at":       timestampPtr(st.AuthorizedAt), "last_synced_at": timestampPtr(st.LastSyncedAt),
			"updated_at": timestamp(st.UpdatedAt),
		},
		"links": map[string]any{
			"self":      "/v2/integrations/salesforce",
			"authorize": action("/v2/integrations/salesforce/authorizations", "POST"),
		},
	}}
}

func (s *Server) getIntegration(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	doc := s.integrationDocument()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, doc)
}

// patchIntegration applies any subset of instance_url, sandbox and enabled.
// Checks run in order: malformed document (400), wrong type (409
// type_mismatch), invalid attribute (422 with source.pointer), instance or
// sandbox change while the stored state is enabled (409 integration_enabled).
// An empty or null instance_url clears the instance (not_configured).
func (s *Server) patchIntegration(w http.ResponseWriter, r *http.Request) {
	var doc struct {
		Data *struct {
			Type       string                     `json:"type"`
			Attributes map[string]json.RawMessage `json:"attributes"`
		} `json:"data"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&doc); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_document", "The request body is not a JSON document", "")
		return
	}
	if doc.Data == nil {
		writeError(w, http.StatusBadRequest, "invalid_document", "The request body has no data", "/data")
		return
	}
	if doc.Data.Type != "salesforce_integrations" {
		writeError(w, http.StatusConflict, "type_mismatch", "data.type must be salesforce_integrations", "/data/type")
		return
	}
	instance, sandbox, enabled, problem, pointer := parseIntegrationAttributes(doc.Data.Attributes)
	if problem != "" {
		writeError(w, http.StatusUnprocessableEntity, "invalid_attribute", problem, pointer)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	cur := &s.integ
	instanceChange := instance != nil && *instance != cur.InstanceURL
	sandboxChange := sandbox != nil && *sandbox != cur.Sandbox
	if cur.Enabled && (instanceChange || sandboxChange) {
		writeError(w, http.StatusConflict, "integration_enabled", "Disable the integration before changing the Salesforce instance", "")
		return
	}
	changed := instanceChange || sandboxChange
	if instanceChange {
		cur.InstanceURL = *instance
	}
	if sandboxChange {
		cur.Sandbox = *sandbox
	}
	if instanceChange || sandboxChange {
		// Tokens belong to one org: a new instance or environment needs a new
		// authorization, and a link issued for the old one is void.
		cur.AuthorizedUsername, cur.AuthorizedAt, s.pending = "", nil, nil
		status := StatusAuthorizationRequired
		if cur.InstanceURL == "" {
			status = StatusNotConfigured
		}
		cur.Status, cur.StatusMessage = status, defaultMessage(status)
	}
	if enabled != nil && *enabled != cur.Enabled {
		cur.Enabled = *enabled
		changed = true
	}
	if changed {
		// Only real changes move updated_at, so a repeated PATCH is a no-op.
		cur.UpdatedAt = now()
	}
	writeJSON(w, http.StatusOK, s.integrationDocument())
}

// parseIntegrationAttributes reads the writable attributes; the first
// problem found is reported with its JSON pointer. Unknown and read-only
// attributes are ignored, as Rails' strong parameters do.
func parseIntegrationAttributes(attrs map[string]json.RawMessage) (instance *string, sandbox, enabled *bool, problem, pointer string) {
	if raw, ok := attrs["instance_url"]; ok {
		var v *string
		if json.Unmarshal(raw, &v) != nil {
			return nil, nil, nil, "instance_url must be a string", "/data/attributes/instance_url"
		}
		u := ""
		if v != nil {
			u = strings.TrimSpace(*v)
		}
		if u != "" {
			if p := instanceURLProblem(u); p != "" {
				return nil, nil, nil, p, "/data/attributes/instance_url"
			}
		}
		instance = &u
	}
	for _, f := range []struct {
		name string
		dst  **bool
	}{{"sandbox", &sandbox}, {"enabled", &enabled}} {
		raw, ok := attrs[f.name]
		if !ok {
			continue
		}
		var v bool
		if json.Unmarshal(raw, &v) != nil {
			return nil, nil, nil, f.name + " must be true or false", "/data/attributes/" + f.name
		}
		*f.dst = &v
	}
	return instance, sandbox, enabled, "", ""
}

// salesforceHostSuffixes are the domains Salesforce serves orgs from.
var salesforceHostSuffixes = []string{".salesforce.com", ".force.com", ".salesforce.mil", ".cloudforce.com"}

// instanceURLProblem says why raw is not an acceptable instance URL, or "".
// Loopback hosts are accepted (over http too) so the emulator can point CE
// at the fake Salesforce org.
func instanceURLProblem(raw string) string {
	const want = "instance_url must be the https URL of a Salesforce org, such as https://acme.my.salesforce.com"
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil {
		return want
	}
	host := strings.ToLower(u.Hostname())
	if isLoopback(host) {
		if u.Scheme != "https" && u.Scheme != "http" {
			return want
		}
		return ""
	}
	if u.Scheme != "https" {
		return "instance_url must use https"
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return want + " (no path or query)"
	}
	for _, suffix := range salesforceHostSuffixes {
		if strings.HasSuffix(host, suffix) {
			return ""
		}
	}
	return "instance_url must be a Salesforce host (ending in .salesforce.com, .force.com, .salesforce.mil or .cloudforce.com)"
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// postAuthorization starts the "Authorize" step. Only the latest
// authorization can be approved: asking again supersedes the previous link.
// The body is optional; when sent it must be a salesforce_authorizations
// document.
func (s *Server) postAuthorization(w http.ResponseWriter, r *http.Request) {
	if body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20)); len(strings.TrimSpace(string(body))) > 0 {
		var doc struct {
			Data *struct {
				Type string `json:"type"`
			} `json:"data"`
		}
		if json.Unmarshal(body, &doc) != nil {
			writeError(w, http.StatusBadRequest, "invalid_document", "The request body is not a JSON document", "")
			return
		}
		if doc.Data != nil && doc.Data.Type != "" && doc.Data.Type != "salesforce_authorizations" {
			writeError(w, http.StatusConflict, "type_mismatch", "data.type must be salesforce_authorizations", "/data/type")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.integ.InstanceURL == "" {
		writeError(w, http.StatusConflict, "not_configured", "Save a Salesforce instance URL before authorizing", "")
		return
	}
	p := &pendingAuth{id: newUUID(), state: randomToken(16), expiresAt: now().Add(authorizationTTL)}
	p.authorizeURL = s.authorizeURL(r, p.state)
	s.pending = p
	s.scheduleAutoApproveLocked(p.id)
	w.Header().Set("Location", "/v2/integrations/salesforce/authorizations/"+p.id)
	writeJSON(w, http.StatusCreated, map[string]any{"data": map[string]any{
		"type": "salesforce_authorizations", "id": p.id,
		"attributes": map[string]any{"authorize_url": p.authorizeURL, "expires_at": timestamp(p.expiresAt)},
	}})
}

// authorizeURL is an OAuth authorization-code request with PKCE, as
// Salesforce requires of connected apps used by many orgs.
func (s *Server) authorizeURL(r *http.Request, state string) string {
	base := s.opts.LoginBaseURL
	if base == "" {
		base = s.baseURL(r) + loginPath
	}
	u, err := url.Parse(base)
	if err != nil {
		u = &url.URL{Path: base}
	}
	// CE keeps the verifier for the token exchange; the fake has none to do.
	challenge := sha256.Sum256([]byte(randomToken(32)))
	q := u.Query()
	q.Set("response_type", "code")
	q.Set("client_id", "northpass-ce-data-connector")
	q.Set("prompt", "login")
	q.Set("state", state)
	q.Set("code_challenge", base64.RawURLEncoding.EncodeToString(challenge[:]))
	q.Set("code_challenge_method", "S256")
	u.RawQuery = q.Encode()
	return u.String()
}

// deleteAuthorization revokes the tokens. With nothing authorized there is
// nothing to delete: 404, like any missing singular resource.
func (s *Server) deleteAuthorization(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := &s.integ
	authorized := cur.AuthorizedUsername != "" || cur.Status == StatusConnected ||
		cur.Status == StatusDisconnected || cur.Status == StatusError
	if !authorized {
		writeError(w, http.StatusNotFound, "", "There is no Salesforce authorization to revoke", "")
		return
	}
	cur.AuthorizedUsername, cur.AuthorizedAt = "", nil
	status := StatusAuthorizationRequired
	if cur.InstanceURL == "" {
		status = StatusNotConfigured
	}
	cur.Status, cur.StatusMessage = status, defaultMessage(status)
	cur.UpdatedAt = now()
	w.WriteHeader(http.StatusNoContent)
}
