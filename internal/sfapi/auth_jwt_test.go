package sfapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// audienceOf decodes the aud claim of a recorded token request.
func audienceOf(t *testing.T, s seen) any {
	t.Helper()
	_, claims := decodeJWT(t, s.Form.Get("assertion"), &rsaKey(t).PublicKey)
	return claims["aud"]
}

func tokenRequests(o *org) []seen {
	var out []seen
	for _, s := range o.rec.all() {
		if s.Path == tokenPath {
			out = append(out, s)
		}
	}
	return out
}

func TestJWTAudienceSandbox(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+limitsPath, limitsOK)
	cfg := o.jwtConfig(t)
	cfg.Sandbox = true
	c := mustNew(t, cfg)
	if _, err := c.Limits(context.Background()); err != nil {
		t.Fatal(err)
	}
	reqs := tokenRequests(o)
	if len(reqs) != 1 || audienceOf(t, reqs[0]) != "https://test.salesforce.com" {
		t.Fatalf("token requests = %d, aud = %v; want one with https://test.salesforce.com", len(reqs), audienceOf(t, reqs[0]))
	}
}

func TestJWTAudienceFromHosts(t *testing.T) {
	for _, c := range []struct {
		name             string
		cfg              Config
		loginURL, inst   string
		standard, domain string
	}{
		{"production default", Config{}, "https://login.salesforce.com", "", ProductionAudience, ""},
		{"test.salesforce.com login", Config{}, "https://test.salesforce.com", "", SandboxAudience, ""},
		{"sandbox flag", Config{Sandbox: true}, "https://login.salesforce.com", "", SandboxAudience, ""},
		{"My Domain login_url", Config{}, "https://acme.my.salesforce.com", "", ProductionAudience, "https://acme.my.salesforce.com"},
		{"enhanced sandbox My Domain", Config{}, "https://acme--uat.sandbox.my.salesforce.com", "", SandboxAudience, "https://acme--uat.sandbox.my.salesforce.com"},
		{"instance_url wins as My Domain", Config{}, "https://test.salesforce.com", "https://acme--uat.sandbox.my.salesforce.com", SandboxAudience, "https://acme--uat.sandbox.my.salesforce.com"},
	} {
		a, err := newJWTAudiences(c.cfg, c.loginURL, c.inst)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if a.standard != c.standard || a.myDomain != c.domain {
			t.Errorf("%s: standard %q, My Domain %q; want %q, %q", c.name, a.standard, a.myDomain, c.standard, c.domain)
		}
	}
}

func TestJWTAudienceInvalid(t *testing.T) {
	for _, bad := range []string{"acme.my.site.com", "http://acme.my.site.com", "https://acme.my.site.com/?x=1"} {
		_, err := New(Config{ClientID: "c", Username: "u", PrivateKeyPEM: pkcs8PEM(t), JWTAudience: bad})
		var ce *ConfigError
		if !errors.As(err, &ce) || len(ce.Fields) != 1 || ce.Fields[0] != "jwt_audience" {
			t.Errorf("%q: err = %v, want a ConfigError on jwt_audience", bad, err)
		}
	}
}

// An External Client App that wants the My Domain URL: the standard
// audience is refused, the My Domain one accepted; the warning names it,
// and the next sign-in goes straight to it.
func TestJWTAudienceFallsBackToMyDomainOnce(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+limitsPath, limitsOK)
	o.handle("POST "+tokenPath, func(w http.ResponseWriter, _ *http.Request, s seen) {
		if audienceOf(t, s) != o.URL {
			writeRaw(w, 400, `{"error":"app_not_found","error_description":"External client app is not installed in this org"}`)
			return
		}
		writeJSON(w, 200, tokenResponse(o.URL, o.nextToken()))
	})
	log := &testLogger{}
	cfg := o.jwtConfig(t)
	cfg.Logger = log
	c := mustNew(t, cfg)
	if _, err := c.Limits(context.Background()); err != nil {
		t.Fatal(err)
	}
	reqs := tokenRequests(o)
	if len(reqs) != 2 || audienceOf(t, reqs[0]) != ProductionAudience || audienceOf(t, reqs[1]) != o.URL {
		t.Fatalf("token requests = %d; want login.salesforce.com then the My Domain URL", len(reqs))
	}
	w := c.Warnings()
	if len(w) != 1 || !strings.Contains(w[0], "accepted the org's My Domain URL "+o.URL) ||
		!strings.Contains(w[0], `jwt_audience = "`+o.URL+`"`) || !strings.Contains(w[0], ProductionAudience) {
		t.Fatalf("warnings = %q; want one naming the refused and the accepted audience and jwt_audience", w)
	}

	// A later sign-in (the session expired) uses what worked, without a
	// second warning.
	c.invalidate(c.cachedToken())
	if _, err := c.Limits(context.Background()); err != nil {
		t.Fatal(err)
	}
	reqs = tokenRequests(o)
	if len(reqs) != 3 || audienceOf(t, reqs[2]) != o.URL {
		t.Fatalf("token requests = %d; the third should go straight to the My Domain audience", len(reqs))
	}
	if w := c.Warnings(); len(w) != 0 {
		t.Errorf("second warning: %q", w)
	}
}

// A refused JWT sign-in: the audiences tried, and an error that names them
// and says what to check. Only an audience refusal is tried again, once,
// with the My Domain URL; a pinned audience is the only one tried.
func TestJWTTokenRefused(t *testing.T) {
	const audienceInvalid = `{"error":"invalid_grant","error_description":"audience is invalid"}`
	const site = "https://acme.my.site.com/customers"
	for _, c := range []struct {
		name   string
		body   string
		pinned string // Config.JWTAudience
		// audiences are the aud claims of the token requests, in order;
		// "my domain" stands for the org's URL.
		audiences []string
		want      []string // in the error
		hintOnce  bool     // the audience hint appears exactly once
		code      string   // an APIError with this code is wrapped
	}{
		{
			name: "pinned audience", body: audienceInvalid, pinned: site + "/",
			audiences: []string{site}, want: []string{"JWT audience " + site, "jwt_audience"},
		},
		{
			name: "audience refused both times", body: audienceInvalid,
			audiences: []string{ProductionAudience, "my domain"},
			want: []string{"JWT audience https://login.salesforce.com", "JWT audience my domain", "audience is invalid",
				"jwt_audience", "sandbox = true"},
			hintOnce: true, code: "invalid_grant",
		},
		{
			name:      "user not approved",
			body:      `{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}`,
			audiences: []string{ProductionAudience}, want: []string{"Pre-authorize the user"},
		},
		{
			name:      "invalid assertion",
			body:      `{"error":"invalid_grant","error_description":"invalid assertion"}`,
			audiences: []string{ProductionAudience}, want: []string{"certificate uploaded to the app does not belong to private_key"},
		},
		{
			name:      "expired",
			body:      `{"error":"invalid_grant","error_description":"expired authorization code"}`,
			audiences: []string{ProductionAudience}, want: []string{"clock"},
		},
		{
			name:      "unknown consumer key",
			body:      `{"error":"invalid_client_id","error_description":"client identifier invalid"}`,
			audiences: []string{ProductionAudience}, want: []string{"consumer key"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := newOrg(t)
			o.handle("POST "+tokenPath, func(w http.ResponseWriter, _ *http.Request, _ seen) { writeRaw(w, 400, c.body) })
			cfg := o.jwtConfig(t)
			cfg.JWTAudience = c.pinned
			_, err := mustNew(t, cfg).Limits(context.Background())
			if err == nil {
				t.Fatal("want an error")
			}
			myDomain := func(s string) string { return strings.ReplaceAll(s, "my domain", o.URL) }
			reqs := tokenRequests(o)
			if len(reqs) != len(c.audiences) {
				t.Fatalf("%d token requests, want %d (%v)", len(reqs), len(c.audiences), c.audiences)
			}
			for i, aud := range c.audiences {
				if got := audienceOf(t, reqs[i]); got != myDomain(aud) {
					t.Errorf("token request %d: aud %v, want %s", i, got, myDomain(aud))
				}
			}
			msg := err.Error()
			for _, want := range c.want {
				if !strings.Contains(msg, myDomain(want)) {
					t.Errorf("error lacks %q:\n%s", myDomain(want), msg)
				}
			}
			if n := strings.Count(msg, "Connected Apps accept"); c.hintOnce && n != 1 {
				t.Errorf("the hint appears %d times, want once:\n%s", n, msg)
			}
			if c.code != "" && !HasErrorCode(err, c.code) {
				t.Errorf("error does not wrap the APIError: %v", err)
			}
		})
	}
}

func TestJWTAudienceHintWithoutMyDomain(t *testing.T) {
	a, _ := newJWTAudiences(Config{}, "https://login.salesforce.com", "")
	hint := jwtHint(&APIError{ErrorCode: "invalid_grant", Message: "audience is invalid"}, ProductionAudience, a, true)
	if !strings.Contains(hint, "set instance_url") || !strings.Contains(hint, "jwt_audience") {
		t.Errorf("hint = %q; want it to ask for instance_url and mention jwt_audience", hint)
	}
}

// The identity URL answers an expired session with 403 and the bare text
// Bad_OAuth_Token, not 401 INVALID_SESSION_ID; it must sign in again too.
func TestIdentityReauthOnBadOAuthToken(t *testing.T) {
	o := newOrg(t)
	var calls int
	o.handle("GET /id/00Dxx0000001gEREAY/005xx000001Sv6AAAS", func(w http.ResponseWriter, _ *http.Request, s seen) {
		if calls++; bearer(s) == "tok-1" {
			w.Header().Set("Content-Type", "text/plain")
			writeRaw(w, 403, "Bad_OAuth_Token")
			return
		}
		writeRaw(w, 200, `{"user_id":"005xx000001Sv6AAAS","organization_id":"00Dxx0000001gEREAY","username":"integration@example.com"}`)
	})
	c := mustNew(t, o.jwtConfig(t))
	id, err := c.Identity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if id.Username != "integration@example.com" || calls != 2 || len(tokenRequests(o)) != 2 {
		t.Errorf("identity %+v after %d calls and %d sign-ins; want success after one re-authentication", id, calls, len(tokenRequests(o)))
	}
}

func TestBadOAuthTokenWithStaticAccessToken(t *testing.T) {
	o := newOrg(t)
	o.handle("GET /services/oauth2/userinfo", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 403, "Bad_OAuth_Token")
	})
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	_, err := c.Identity(context.Background())
	if err == nil || !strings.Contains(err.Error(), "access token") || !HasErrorCode(err, "Bad_OAuth_Token") {
		t.Errorf("err = %v; want the expired access token explained, code Bad_OAuth_Token", err)
	}
	if n := o.rec.count("GET", "/services/oauth2/userinfo"); n != 1 {
		t.Errorf("userinfo asked %d times", n)
	}
}
