package sfapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

const invalidSession = `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`

func TestReauthOnceAfterInvalidSession(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+limitsPath, func(w http.ResponseWriter, r *http.Request, s seen) {
		if bearer(s) == "tok-1" {
			writeRaw(w, 401, invalidSession)
			return
		}
		limitsOK(w, r, s)
	})
	c := mustNew(t, o.jwtConfig(t))
	if _, err := c.Limits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := o.rec.count("POST", tokenPath); got != 2 {
		t.Errorf("token requests = %d, want 2", got)
	}
	var bearers []string
	for _, s := range o.rec.all() {
		if s.Path == limitsPath {
			bearers = append(bearers, bearer(s))
		}
	}
	if strings.Join(bearers, ",") != "tok-1,tok-2" {
		t.Errorf("API bearers = %v, want [tok-1 tok-2]", bearers)
	}
}

func TestReauthAlsoRepeatsPOST(t *testing.T) {
	o := newOrg(t)
	path := "/services/data/v65.0/sobjects/PermissionSetAssignment"
	o.handle("POST "+path, func(w http.ResponseWriter, _ *http.Request, s seen) {
		if bearer(s) == "tok-1" {
			writeRaw(w, 401, invalidSession) // 401: the insert was not processed
			return
		}
		writeRaw(w, 201, `{"id":"0Pa000000000001AAA","success":true,"errors":[]}`)
	})
	c := mustNew(t, o.jwtConfig(t))
	id, err := c.SObjects().Create(context.Background(), "PermissionSetAssignment", map[string]string{"AssigneeId": "005x", "PermissionSetId": "0PSx"})
	if err != nil || id != "0Pa000000000001AAA" {
		t.Fatalf("Create = %q, %v", id, err)
	}
	if got := o.rec.count("POST", path); got != 2 {
		t.Errorf("POSTs = %d, want 2", got)
	}
}

// Every fresh session refused: a bounded number of new sign-ins, then the error.
func TestRepeatedInvalidSessionIsReturned(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+limitsPath, func(w http.ResponseWriter, _ *http.Request, _ seen) { writeRaw(w, 401, invalidSession) })
	c := mustNew(t, o.jwtConfig(t))
	_, err := c.Limits(context.Background())
	if !HasErrorCode(err, "INVALID_SESSION_ID") {
		t.Fatalf("err = %v", err)
	}
	if got, want := o.rec.count("POST", tokenPath), 1+maxReauthentications; got != want {
		t.Errorf("token requests = %d, want %d", got, want)
	}
	if got, want := o.rec.count("GET", limitsPath), 1+maxReauthentications; got != want {
		t.Errorf("API requests = %d, want %d (one repeat per new session)", got, want)
	}
}

func TestExpiredAccessToken(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+limitsPath, func(w http.ResponseWriter, _ *http.Request, _ seen) { writeRaw(w, 401, invalidSession) })
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "00Dstatic!token"})
	_, err := c.Limits(context.Background())
	if !HasErrorCode(err, "INVALID_SESSION_ID") || !strings.Contains(err.Error(), "fresh access_token") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "00Dstatic!token") {
		t.Error("error leaks the token")
	}
	if got := o.rec.count("POST", tokenPath); got != 0 {
		t.Errorf("token requests = %d, want 0", got)
	}
	if got := o.rec.count("GET", limitsPath); got != 1 {
		t.Errorf("API requests = %d, want 1", got)
	}
}

func TestPOSTNotRetriedOn503(t *testing.T) {
	o := newOrg(t)
	path := "/services/data/v65.0/sobjects/Account"
	o.handle("POST "+path, func(w http.ResponseWriter, _ *http.Request, _ seen) { writeRaw(w, 503, "") })
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	_, err := c.SObjects().Create(context.Background(), "Account", map[string]string{"Name": "Acme"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 503 {
		t.Fatalf("err = %v, want APIError 503", err)
	}
	if got := o.rec.count("POST", path); got != 1 {
		t.Errorf("POSTs = %d, want exactly 1", got)
	}
}

func TestPOSTRetriedOnRequestLimit(t *testing.T) {
	o := newOrg(t)
	path := "/services/data/v65.0/sobjects/Account"
	n := 0
	o.handle("POST "+path, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		if n++; n == 1 {
			writeRaw(w, 403, `[{"message":"ConcurrentPerOrgLongTxn Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`)
			return
		}
		writeRaw(w, 201, `{"id":"001x","success":true,"errors":[]}`)
	})
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	if id, err := c.SObjects().Create(context.Background(), "Account", map[string]string{"Name": "Acme"}); err != nil || id != "001x" {
		t.Fatalf("Create = %q, %v", id, err)
	}
	reqs := o.rec.all()
	if len(reqs) != 2 || reqs[0].Body != reqs[1].Body || reqs[1].Body != `{"Name":"Acme"}` {
		t.Errorf("requests = %+v, want the same body twice", reqs)
	}
}

func TestGETRetriedOn503ThenSuccess(t *testing.T) {
	o := newOrg(t)
	n := 0
	o.handle("GET "+limitsPath, func(w http.ResponseWriter, r *http.Request, s seen) {
		if n++; n == 1 {
			writeRaw(w, 503, "")
			return
		}
		limitsOK(w, r, s)
	})
	log := &testLogger{}
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok", Logger: log})
	lim, err := c.Limits(context.Background())
	if err != nil || lim["DailyApiRequests"].Max != 15000 {
		t.Fatalf("Limits = %v, %v", lim, err)
	}
	if got := o.rec.count("GET", limitsPath); got != 2 {
		t.Errorf("GETs = %d, want 2", got)
	}
	if !strings.Contains(log.text(), "warn retrying Salesforce request") {
		t.Errorf("retry not logged:\n%s", log.text())
	}
}

func TestGETGivesUpWithLastResponse(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+limitsPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 503, `[{"message":"Server busy","errorCode":"SERVER_UNAVAILABLE"}]`)
	})
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok", RetryMax: 2})
	_, err := c.Limits(context.Background())
	if !HasErrorCode(err, "SERVER_UNAVAILABLE") {
		t.Fatalf("err = %v, want the last response as APIError", err)
	}
	if got := o.rec.count("GET", limitsPath); got != 3 {
		t.Errorf("GETs = %d, want 3 (1 + RetryMax 2)", got)
	}
}

func TestRetryStopsAtContextDeadline(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+limitsPath, func(w http.ResponseWriter, _ *http.Request, _ seen) { writeRaw(w, 503, "") })
	cfg := Config{InstanceURL: o.URL, AccessToken: "tok", APIVersion: "65.0"}
	cfg.RetryWaitMin, cfg.RetryWaitMax = 5*time.Second, 10*time.Second
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.Limits(ctx)
	if took := time.Since(start); took > 400*time.Millisecond {
		t.Errorf("took %v; must not sleep toward a deadline the next attempt cannot meet", took)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 503 {
		t.Errorf("err = %v, want the 503", err)
	}
	if got := o.rec.count("GET", limitsPath); got != 1 {
		t.Errorf("GETs = %d, want 1", got)
	}
}

func TestConnectionErrorRetriedForGETOnly(t *testing.T) {
	o := newOrg(t)
	url := o.URL
	o.Close() // nothing listens any more
	log := &testLogger{}
	c := mustNew(t, Config{InstanceURL: url, AccessToken: "tok", RetryMax: 2, Logger: log})
	if _, err := c.Limits(context.Background()); err == nil || !strings.Contains(err.Error(), "after 3 attempt(s)") {
		t.Errorf("GET err = %v, want failure after 3 attempts", err)
	}
	if _, err := c.SObjects().Create(context.Background(), "Account", map[string]string{}); err == nil || !strings.Contains(err.Error(), "after 1 attempt(s)") {
		t.Errorf("POST err = %v, want failure after 1 attempt", err)
	}
}

func TestHeadersAndLimitInfo(t *testing.T) {
	o := newOrg(t)
	path := "/services/data/v65.0/sobjects/Account/001x"
	o.handle("PATCH "+path, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		w.Header().Set("Sforce-Limit-Info", "api-usage=18/5000")
		w.WriteHeader(204)
	})
	log := &testLogger{}
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "secret-bearer", UserAgent: "terraform-provider-northpass/1.2.3", Logger: log})
	if err := c.SObjects().Update(context.Background(), "Account", "001x", map[string]string{"Name": "New"}); err != nil {
		t.Fatal(err)
	}
	s := o.rec.all()[0]
	for k, want := range map[string]string{
		"Authorization": "Bearer secret-bearer",
		"Accept":        "application/json",
		"User-Agent":    "terraform-provider-northpass/1.2.3",
		"Content-Type":  "application/json",
	} {
		if got := s.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if s.Body != `{"Name":"New"}` {
		t.Errorf("body = %q", s.Body)
	}
	l := log.text()
	if !strings.Contains(l, "api_usage:18/5000") || !strings.Contains(l, "status:204") {
		t.Errorf("log lacks usage/status:\n%s", l)
	}
	if strings.Contains(l, "secret-bearer") {
		t.Errorf("log leaks the bearer token:\n%s", l)
	}
}

func TestIdentity(t *testing.T) {
	o := newOrg(t)
	o.handle("GET /id/00Dxx0000001gEREAY/005xx000001Sv6AAAS", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 200, `{"user_id":"005xx000001Sv6AAAS","organization_id":"00Dxx0000001gEREAY","username":"integration@example.com","display_name":"Integration User","active":true}`)
	})
	c := mustNew(t, o.jwtConfig(t))
	id, err := c.Identity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Identity{UserID: "005xx000001Sv6AAAS", OrganizationID: "00Dxx0000001gEREAY", Username: "integration@example.com", DisplayName: "Integration User"}
	if *id != want {
		t.Errorf("Identity = %+v", id)
	}

	// A static access token has no identity URL: use userinfo instead.
	o.handle("GET /services/oauth2/userinfo", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 200, `{"sub":"https://login.salesforce.com/id/00D/005","user_id":"005u","organization_id":"00Du","preferred_username":"a@b.c","name":"A B"}`)
	})
	c2 := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	id, err = c2.Identity(context.Background())
	if err != nil || *id != (Identity{UserID: "005u", OrganizationID: "00Du", Username: "a@b.c", DisplayName: "A B"}) {
		t.Errorf("userinfo Identity = %+v, %v", id, err)
	}
}
