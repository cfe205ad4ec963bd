package npapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestIntegrationLifecycle(t *testing.T) {
	fake, c := newFakeAndClient(t)
	ctx := t.Context()

	s, err := c.GetIntegration(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != StatusNotConfigured || s.ID != fake.Integration().ID || s.AuthorizedAt != nil || s.UpdatedAt == nil {
		t.Fatalf("initial %+v", s)
	}

	_, err = c.RequestAuthorization(ctx)
	if !statusIs(err, http.StatusConflict) || ErrorCode(err) != "not_configured" {
		t.Fatalf("authorize before configuring: %v", err)
	}

	s, err = c.UpdateIntegration(ctx, IntegrationUpdate{InstanceURL: ptr("https://acme.my.salesforce.com"), Sandbox: ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != StatusAuthorizationRequired || s.InstanceURL != "https://acme.my.salesforce.com" || s.Enabled {
		t.Fatalf("after PATCH %+v", s)
	}

	a, err := c.RequestAuthorization(ctx)
	if err != nil {
		t.Fatal(err)
	}
	au, _ := url.Parse(a.AuthorizeURL)
	if a.ID == "" || !strings.HasPrefix(a.AuthorizeURL, fake.URL()+"/fake-salesforce/") || au.Query().Get("state") == "" || time.Until(a.ExpiresAt) < 30*time.Minute {
		t.Fatalf("authorization %+v", a)
	}
	if fake.Integration().PendingAuthorizationID != a.ID {
		t.Fatalf("fake has pending %q, client got %q", fake.Integration().PendingAuthorizationID, a.ID)
	}
	if err := fake.ApprovePendingAuthorization("int@acme.com"); err != nil {
		t.Fatal(err)
	}
	s, err = c.GetIntegration(ctx)
	if err != nil || s.Status != StatusConnected || s.AuthorizedUsername != "int@acme.com" || s.AuthorizedAt == nil ||
		s.LastSyncedAt == nil || s.StatusMessage != "Everything looks good!" {
		t.Fatalf("after approval %+v %v", s, err)
	}
	if !s.AuthorizedAt.Equal(*fake.Integration().AuthorizedAt) {
		t.Fatalf("authorized_at %v vs fake %v", s.AuthorizedAt, fake.Integration().AuthorizedAt)
	}

	if s, err = c.UpdateIntegration(ctx, IntegrationUpdate{Enabled: ptr(true)}); err != nil || !s.Enabled || s.Status != StatusConnected {
		t.Fatalf("enable %+v %v", s, err)
	}
	_, err = c.UpdateIntegration(ctx, IntegrationUpdate{InstanceURL: ptr("https://other.my.salesforce.com")})
	if !statusIs(err, http.StatusConflict) || ErrorCode(err) != "integration_enabled" {
		t.Fatalf("instance change while enabled: %v", err)
	}
	if !strings.Contains(err.Error(), "Disable the integration") {
		t.Fatalf("message lost the detail: %v", err)
	}

	// The provider's way: disable, change, re-enable, authorize again.
	if _, err = c.UpdateIntegration(ctx, IntegrationUpdate{Enabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	s, err = c.UpdateIntegration(ctx, IntegrationUpdate{InstanceURL: ptr("https://other.my.salesforce.com")})
	if err != nil || s.Status != StatusAuthorizationRequired || s.AuthorizedUsername != "" || s.AuthorizedAt != nil {
		t.Fatalf("after changing the instance %+v %v", s, err)
	}

	fake.SetAutoApprove("int@other.com", 0)
	if _, err := c.RequestAuthorization(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.RevokeAuthorization(ctx); err != nil {
		t.Fatal(err)
	}
	if st := fake.Integration(); st.Status != "authorization_required" || st.AuthorizedUsername != "" {
		t.Fatalf("after revoke %+v", st)
	}
	// Nothing left to revoke: the fake answers 404, which is success here.
	if err := c.RevokeAuthorization(ctx); err != nil {
		t.Fatalf("second revoke: %v", err)
	}
	if n := fake.Kit().Count("DELETE /v2/integrations/salesforce/authorization"); n != 2 {
		t.Fatalf("%d DELETEs", n)
	}
}

func TestUpdateSendsOnlySetFields(t *testing.T) {
	fake, c := newFakeAndClient(t)
	if _, err := c.UpdateIntegration(t.Context(), IntegrationUpdate{Sandbox: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	reqs := fake.Kit().Requests()
	var body struct {
		Data struct {
			Type       string         `json:"type"`
			Attributes map[string]any `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(reqs[len(reqs)-1].Body), &body); err != nil {
		t.Fatal(err)
	}
	if body.Data.Type != "salesforce_integrations" || len(body.Data.Attributes) != 1 || body.Data.Attributes["sandbox"] != true {
		t.Fatalf("PATCH body %s", reqs[len(reqs)-1].Body)
	}
}

func TestValidationErrorPointer(t *testing.T) {
	_, c := newFakeAndClient(t)
	_, err := c.UpdateIntegration(t.Context(), IntegrationUpdate{InstanceURL: ptr("http://acme.example.com")})
	var apiErr *APIError
	if err == nil || !errors.As(err, &apiErr) {
		t.Fatalf("want *APIError, got %v", err)
	}
	e := apiErr.Errors[0]
	if apiErr.Status != 422 || e.Status != "422" || e.Pointer != "/data/attributes/instance_url" || e.Detail == "" || e.Title == "" {
		t.Fatalf("parsed %+v", apiErr)
	}
	if !strings.Contains(err.Error(), "/data/attributes/instance_url") || !strings.Contains(err.Error(), "PATCH /v2/integrations/salesforce") {
		t.Fatalf("message %q", err)
	}
}
