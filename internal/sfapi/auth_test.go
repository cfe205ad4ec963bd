package sfapi

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

const limitsPath = "/services/data/v65.0/limits"

func limitsOK(w http.ResponseWriter, _ *http.Request, _ seen) {
	writeRaw(w, 200, `{"DailyApiRequests":{"Max":15000,"Remaining":14980,"sample-app":{"Max":0,"Remaining":0}}}`)
}

// decodeJWT checks the RS256 signature with pub and returns header and claims.
func decodeJWT(t *testing.T, assertion string, pub *rsa.PublicKey) (map[string]any, map[string]any) {
	t.Helper()
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		t.Fatalf("assertion has %d parts", len(parts))
	}
	dec := func(s string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("base64: %v", err)
		}
		return b
	}
	var header, claims map[string]any
	if err := json.Unmarshal(dec(parts[0]), &header); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(dec(parts[1]), &claims); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], dec(parts[2])); err != nil {
		t.Fatalf("RS256 signature does not verify with the test key: %v", err)
	}
	return header, claims
}

func TestJWTBearer(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+limitsPath, limitsOK)
	log := &testLogger{}
	cfg := o.jwtConfig(t)
	cfg.Logger = log
	c := mustNew(t, cfg)

	before := time.Now()
	lim, err := c.Limits(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if lim["DailyApiRequests"] != (Limit{Max: 15000, Remaining: 14980}) {
		t.Errorf("limits = %+v", lim)
	}

	reqs := o.rec.all()
	if len(reqs) != 2 || reqs[0].Path != tokenPath || reqs[1].Path != limitsPath {
		t.Fatalf("requests = %+v", reqs)
	}
	form := reqs[0].Form
	if form.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		t.Errorf("grant_type = %q", form.Get("grant_type"))
	}
	header, claims := decodeJWT(t, form.Get("assertion"), &rsaKey(t).PublicKey)
	if header["alg"] != "RS256" {
		t.Errorf("alg = %v", header["alg"])
	}
	if claims["iss"] != "3MVG9-consumer-key" || claims["sub"] != "integration@example.com" {
		t.Errorf("iss/sub = %v/%v", claims["iss"], claims["sub"])
	}
	// The help page's audience, not login_url (here a My Domain-like host)
	// and not the token URL, which golang.org/x/oauth2/jwt would send.
	if claims["aud"] != "https://login.salesforce.com" {
		t.Errorf("aud = %v, want https://login.salesforce.com although the request went to %s", claims["aud"], o.URL)
	}
	exp := time.Unix(int64(claims["exp"].(float64)), 0)
	if exp.Before(before) || exp.After(before.Add(3*time.Minute)) {
		t.Errorf("exp = %v, want within 3 minutes of %v", exp, before)
	}
	if got := reqs[0].Header.Get("User-Agent"); got != "sfapi-test/1.0" {
		t.Errorf("token request User-Agent = %q", got)
	}
	if bearer(reqs[1]) != "tok-1" {
		t.Errorf("API request bearer = %q", bearer(reqs[1]))
	}
	if inst, _ := c.InstanceURL(context.Background()); inst != o.URL {
		t.Errorf("InstanceURL = %q, want %q from the token response", inst, o.URL)
	}
	if l := log.text(); strings.Contains(l, form.Get("assertion")) || strings.Contains(l, "tok-1") || strings.Contains(l, "PRIVATE KEY") {
		t.Errorf("log leaks secrets:\n%s", l)
	}
}

func TestTokenErrorIsAPIError(t *testing.T) {
	o := newOrg(t)
	o.handle("POST "+tokenPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 400, `{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}`)
	})
	c := mustNew(t, o.jwtConfig(t))
	_, err := c.Limits(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	if ae.Status != 400 || ae.ErrorCode != "invalid_grant" || ae.Message != "user hasn't approved this consumer" {
		t.Errorf("APIError = %+v", ae)
	}
	if !strings.Contains(err.Error(), "Pre-authorize") {
		t.Errorf("no hint in %q", err)
	}
	assertion := o.rec.all()[0].Form.Get("assertion")
	if strings.Contains(err.Error(), assertion) || strings.Contains(err.Error(), "assertion=") {
		t.Errorf("error leaks the assertion: %v", err)
	}
	if got := o.rec.count("POST", tokenPath); got != 1 {
		t.Errorf("token requests = %d, want 1 (400 is not retried)", got)
	}
	if o.rec.count("GET", limitsPath) != 0 {
		t.Error("API called without a token")
	}
}

func TestClientCredentialsUsesInstanceURL(t *testing.T) {
	login := newOrg(t)
	inst := newOrg(t)
	inst.handle("GET "+limitsPath, limitsOK)
	c := mustNew(t, Config{LoginURL: login.URL, InstanceURL: inst.URL, ClientID: "cid", ClientSecret: "s3cret"})
	if c.AuthMethod() != AuthClientCredentials {
		t.Fatalf("method = %s", c.AuthMethod())
	}
	if _, err := c.Limits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(login.rec.all()); n != 0 {
		t.Errorf("login host got %d requests, want 0", n)
	}
	reqs := inst.rec.all()
	if len(reqs) != 2 || reqs[0].Path != tokenPath {
		t.Fatalf("instance requests = %+v", reqs)
	}
	f := reqs[0].Form
	if f.Get("grant_type") != "client_credentials" || f.Get("client_id") != "cid" || f.Get("client_secret") != "s3cret" {
		t.Errorf("form = %v", f)
	}
	if reqs[0].Header.Get("Authorization") != "" {
		t.Error("credentials sent in a header; want AuthStyleInParams")
	}
}

func TestRefreshTokenRotationWarning(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+limitsPath, limitsOK)
	var mu sync.Mutex
	issued := 0
	o.handle("POST "+tokenPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		mu.Lock()
		issued++
		n := issued
		mu.Unlock()
		resp := tokenResponse(o.URL, "tok")
		resp["refresh_token"] = []string{"", "rt-2", "rt-3"}[min(n, 2)]
		writeJSON(w, 200, resp)
	})
	log := &testLogger{}
	c := mustNew(t, Config{LoginURL: o.URL, ClientID: "cid", ClientSecret: "s", RefreshToken: "rt-1", Logger: log})
	ctx := context.Background()
	if _, err := c.Limits(ctx); err != nil {
		t.Fatal(err)
	}
	f := o.rec.all()[0].Form
	if f.Get("grant_type") != "refresh_token" || f.Get("refresh_token") != "rt-1" || f.Get("client_id") != "cid" || f.Get("client_secret") != "s" {
		t.Errorf("form = %v", f)
	}
	w := c.Warnings()
	if len(w) != 1 || !strings.Contains(w[0], "rotation") || !strings.Contains(w[0], "JWT bearer") {
		t.Fatalf("warnings = %q", w)
	}
	if again := c.Warnings(); len(again) != 0 {
		t.Errorf("Warnings did not drain: %q", again)
	}
	if !strings.Contains(log.text(), "warn Salesforce returned a new refresh token") {
		t.Errorf("no warn log:\n%s", log.text())
	}
	for _, secret := range []string{"rt-1", "rt-2"} {
		if strings.Contains(log.text(), secret) || strings.Contains(w[0], secret) {
			t.Errorf("refresh token %q leaked", secret)
		}
	}

	// The old token is dead now: the next exchange must use the rotated one.
	c.invalidate(c.cachedToken())
	if _, err := c.Limits(ctx); err != nil {
		t.Fatal(err)
	}
	if got := o.rec.all()[2].Form.Get("refresh_token"); got != "rt-2" {
		t.Errorf("second exchange sent %q, want rt-2", got)
	}
	if w := c.Warnings(); len(w) != 0 {
		t.Errorf("warned twice: %q", w)
	}
}

func TestRefreshTokenWithoutRotation(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+limitsPath, limitsOK)
	c := mustNew(t, Config{LoginURL: o.URL, ClientID: "cid", RefreshToken: "rt-1"})
	if _, err := c.Limits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if f := o.rec.all()[0].Form; f.Has("client_secret") {
		t.Errorf("empty client_secret sent: %v", f)
	}
	if w := c.Warnings(); len(w) != 0 {
		t.Errorf("warnings = %q, want none", w)
	}
}

// Which failed token requests are sent again: a JWT mint is safe to
// repeat; a refresh-token exchange only when the answer proves it was not
// processed (429), because a processed one may have rotated the token.
func TestTokenExchangeRetries(t *testing.T) {
	jwt := func(t *testing.T, o *org) Config { return o.jwtConfig(t) }
	refresh := func(_ *testing.T, o *org) Config {
		return Config{LoginURL: o.URL, ClientID: "cid", RefreshToken: "rt-1"}
	}
	for _, c := range []struct {
		name     string
		config   func(t *testing.T, o *org) Config
		status   int // the first token request's answer; later ones succeed
		requests int // token requests sent
	}{
		{"JWT after 503", jwt, 503, 2},
		{"refresh after 500", refresh, 500, 1},
		{"refresh after 503", refresh, 503, 1},
		{"refresh after 429", refresh, 429, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := newOrg(t)
			o.handle("GET "+limitsPath, limitsOK)
			var n int
			o.handle("POST "+tokenPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
				if n++; n == 1 {
					writeRaw(w, c.status, "")
					return
				}
				writeJSON(w, 200, tokenResponse(o.URL, "tok-ok"))
			})
			_, err := mustNew(t, c.config(t, o)).Limits(context.Background())
			if c.requests > 1 && err != nil {
				t.Fatal(err)
			}
			var ae *APIError
			if c.requests == 1 && (!errors.As(err, &ae) || ae.Status != c.status) {
				t.Errorf("err = %v, want the %d", err, c.status)
			}
			if got := o.rec.count("POST", tokenPath); got != c.requests {
				t.Errorf("token requests = %d, want %d", got, c.requests)
			}
		})
	}
}

func TestParallelFirstCallsShareOneToken(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+limitsPath, limitsOK)
	o.handle("POST "+tokenPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		time.Sleep(30 * time.Millisecond) // let every goroutine pile up
		writeJSON(w, 200, tokenResponse(o.URL, "tok-shared"))
	})
	c := mustNew(t, o.jwtConfig(t))
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Limits(context.Background())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := o.rec.count("POST", tokenPath); got != 1 {
		t.Errorf("token requests = %d, want 1", got)
	}
	if got := o.rec.count("GET", limitsPath); got != 20 {
		t.Errorf("API requests = %d, want 20", got)
	}
}

func TestTokenTTL(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+limitsPath, limitsOK)
	cfg := o.jwtConfig(t)
	cfg.TokenTTL = time.Nanosecond // Salesforce sends no expires_in; our TTL decides
	c := mustNew(t, cfg)
	for range 2 {
		if _, err := c.Limits(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := o.rec.count("POST", tokenPath); got != 2 {
		t.Errorf("token requests = %d, want 2 after the TTL lapsed", got)
	}
}

func TestInstanceURLFromTokenMustBeSafe(t *testing.T) {
	o := newOrg(t)
	o.handle("POST "+tokenPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 200, tokenResponse("http://evil.example.com", "tok"))
	})
	c := mustNew(t, o.jwtConfig(t))
	if _, err := c.Limits(context.Background()); err == nil || !strings.Contains(err.Error(), "instance_url") {
		t.Fatalf("err = %v, want refusal of a plain-http instance_url", err)
	}
	if len(o.rec.all()) != 1 {
		t.Errorf("requests = %d, want only the token request", len(o.rec.all()))
	}
}
