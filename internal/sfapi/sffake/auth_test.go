package sffake

import (
	"crypto/rsa"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const jwtGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer"

func TestJWTBearerSuccess(t *testing.T) {
	keyPEM, certPEM := testKeys(t)
	s := NewTestServer(t, Options{CertificatePEM: certPEM})
	key := parseKey(t, keyPEM)
	res := postForm(t, s, url.Values{"grant_type": {jwtGrant}, "assertion": {assertion(t, s, key, nil)}})
	mustStatus(t, res, http.StatusOK)
	body := res.object(t)
	for _, k := range []string{"access_token", "instance_url", "id", "token_type", "issued_at", "signature", "scope"} {
		if _, ok := body[k]; !ok {
			t.Errorf("token response lacks %q: %s", k, res.body)
		}
	}
	for _, k := range []string{"expires_in", "refresh_token"} {
		if _, ok := body[k]; ok {
			t.Errorf("token response must not carry %q: %s", k, res.body)
		}
	}
	if body["instance_url"] != s.URL() || body["token_type"] != "Bearer" {
		t.Errorf("instance_url/token_type: %s", res.body)
	}
	uid := userID(t, s, DefaultIntegrationUsername)
	if !strings.HasSuffix(body["id"].(string), "/id/"+s.orgID+"/"+uid) || !strings.HasPrefix(body["id"].(string), s.URL()) {
		t.Errorf("id = %v", body["id"])
	}
	// The token works, and the identity URL answers for it.
	c := &client{t: t, s: s, token: body["access_token"].(string)}
	mustStatus(t, c.get(v+"/limits"), http.StatusOK)
	ident := c.get(body["id"].(string))
	mustStatus(t, ident, http.StatusOK)
	if ident.object(t)["username"] != DefaultIntegrationUsername {
		t.Errorf("identity: %s", ident.body)
	}
	ui := c.get("/services/oauth2/userinfo")
	mustStatus(t, ui, http.StatusOK)
	if ui.object(t)["preferred_username"] != DefaultIntegrationUsername {
		t.Errorf("userinfo: %s", ui.body)
	}
}

func TestJWTBearerRejections(t *testing.T) {
	keyPEM, certPEM := testKeys(t)
	s := NewTestServer(t, Options{CertificatePEM: certPEM})
	key := parseKey(t, keyPEM)
	otherPEM, _, err := GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	other := parseKey(t, otherPEM)
	cases := []struct {
		name string
		key  *rsa.PrivateKey
		edit func(jwt.MapClaims)
		raw  string
		code string
		desc string
	}{
		{name: "bad signature", key: other, code: "invalid_grant", desc: "invalid assertion"},
		// The token request reaches the My Domain host, and the JWT says so:
		// Connected Apps still want the authorization server.
		{name: "My Domain audience", edit: func(c jwt.MapClaims) { c["aud"] = s.URL() }, code: "invalid_grant", desc: "audience is invalid"},
		{name: "sandbox audience on production", edit: func(c jwt.MapClaims) { c["aud"] = "https://test.salesforce.com" }, code: "invalid_grant", desc: "audience is invalid"},
		{name: "expired", edit: func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Minute).Unix() }, code: "invalid_grant", desc: "expired authorization code"},
		{name: "exp too far ahead", edit: func(c jwt.MapClaims) { c["exp"] = time.Now().Add(time.Hour).Unix() }, code: "invalid_grant", desc: "invalid assertion"},
		{name: "no exp", edit: func(c jwt.MapClaims) { delete(c, "exp") }, code: "invalid_grant", desc: "invalid assertion"},
		{name: "unknown user", edit: func(c jwt.MapClaims) { c["sub"] = "nobody@acme.example" }, code: "invalid_grant", desc: "user hasn't approved this consumer"},
		{name: "inactive user", edit: func(c jwt.MapClaims) { c["sub"] = "former.employee@acme.example" }, code: "invalid_grant", desc: "inactive user"},
		{name: "prn wins over sub", edit: func(c jwt.MapClaims) { c["prn"] = "nobody@acme.example" }, code: "invalid_grant", desc: "user hasn't approved this consumer"},
		{name: "wrong issuer", edit: func(c jwt.MapClaims) { c["iss"] = "someone-else" }, code: "invalid_client_id", desc: "client identifier invalid"},
		{name: "garbage", raw: "not.a.jwt", code: "invalid_grant", desc: "invalid assertion"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k := key
			if tc.key != nil {
				k = tc.key
			}
			a := tc.raw
			if a == "" {
				a = assertion(t, s, k, tc.edit)
			}
			res := postForm(t, s, url.Values{"grant_type": {jwtGrant}, "assertion": {a}})
			mustStatus(t, res, http.StatusBadRequest)
			body := res.object(t)
			if body["error"] != tc.code || body["error_description"] != tc.desc {
				t.Fatalf("got %s, want %s / %s", res.body, tc.code, tc.desc)
			}
		})
	}
	t.Run("no certificate configured", func(t *testing.T) {
		bare := NewTestServer(t, Options{})
		res := postForm(t, bare, url.Values{"grant_type": {jwtGrant}, "assertion": {assertion(t, bare, key, nil)}})
		mustStatus(t, res, http.StatusBadRequest)
		if res.object(t)["error"] != "invalid_grant" {
			t.Fatalf("%s", res.body)
		}
	})
	t.Run("sandbox", func(t *testing.T) {
		sb := NewTestServer(t, Options{CertificatePEM: certPEM, Sandbox: true})
		ok := assertion(t, sb, key, func(c jwt.MapClaims) { c["aud"] = "https://test.salesforce.com" })
		mustStatus(t, postForm(t, sb, url.Values{"grant_type": {jwtGrant}, "assertion": {ok}}), http.StatusOK)
		prod := assertion(t, sb, key, nil)
		wantOAuthError(t, postForm(t, sb, url.Values{"grant_type": {jwtGrant}, "assertion": {prod}}), "invalid_grant", "audience is invalid")
		c := &client{t: t, s: sb, token: sb.IssueAccessToken(DefaultAdminUsername)}
		if org := records(t, c.query("SELECT IsSandbox FROM Organization")); len(org) != 1 || org[0]["IsSandbox"] != true {
			t.Errorf("Organization: %v", org)
		}
	})
	t.Run("configured audiences", func(t *testing.T) {
		site := NewTestServer(t, Options{CertificatePEM: certPEM, Audiences: []string{"https://acme.my.site.com/customers"}})
		ok := assertion(t, site, key, func(c jwt.MapClaims) { c["aud"] = "https://acme.my.site.com/customers" })
		mustStatus(t, postForm(t, site, url.Values{"grant_type": {jwtGrant}, "assertion": {ok}}), http.StatusOK)
		std := assertion(t, site, key, nil) // no longer accepted
		wantOAuthError(t, postForm(t, site, url.Values{"grant_type": {jwtGrant}, "assertion": {std}}), "invalid_grant", "audience is invalid")
	})
	t.Run("external client app", func(t *testing.T) {
		eca := NewTestServer(t, Options{CertificatePEM: certPEM, ExternalClientApp: true})
		for _, aud := range []string{"https://login.salesforce.com", "https://test.salesforce.com"} {
			a := assertion(t, eca, key, func(c jwt.MapClaims) { c["aud"] = aud })
			wantOAuthError(t, postForm(t, eca, url.Values{"grant_type": {jwtGrant}, "assertion": {a}}),
				"app_not_found", "External client app is not installed in this org")
		}
		ok := assertion(t, eca, key, func(c jwt.MapClaims) { c["aud"] = eca.URL() })
		mustStatus(t, postForm(t, eca, url.Values{"grant_type": {jwtGrant}, "assertion": {ok}}), http.StatusOK)
	})
}

func wantOAuthError(t *testing.T, res response, code, desc string) {
	t.Helper()
	mustStatus(t, res, http.StatusBadRequest)
	if body := res.object(t); body["error"] != code || body["error_description"] != desc {
		t.Fatalf("got %s, want %s / %s", res.body, code, desc)
	}
}

// The identity URL and userinfo answer a session that is no longer valid
// with 403 and the bare text Bad_OAuth_Token, not the REST 401.
func TestIdentityBadOAuthToken(t *testing.T) {
	s := NewTestServer(t, Options{})
	tok := s.IssueAccessToken(DefaultIntegrationUsername)
	uid := userID(t, s, DefaultIntegrationUsername)
	s.ExpireSessions()
	c := &client{t: t, s: s, token: tok}
	for _, p := range []string{"/id/" + s.orgID + "/" + uid, "/services/oauth2/userinfo"} {
		res := c.get(p)
		mustStatus(t, res, http.StatusForbidden)
		if strings.TrimSpace(string(res.body)) != "Bad_OAuth_Token" {
			t.Errorf("%s: body %q", p, res.body)
		}
	}
}

func TestClientCredentials(t *testing.T) {
	s := NewTestServer(t, Options{RunAsUsername: DefaultIntegrationUsername})
	res := postForm(t, s, url.Values{"grant_type": {"client_credentials"}, "client_id": {DefaultConsumerKey}, "client_secret": {DefaultConsumerSecret}})
	mustStatus(t, res, http.StatusOK)
	body := res.object(t)
	if !strings.HasSuffix(body["id"].(string), userID(t, s, DefaultIntegrationUsername)) {
		t.Fatalf("run-as user not used: %s", res.body)
	}
	if _, ok := body["refresh_token"]; ok {
		t.Fatal("client credentials must not return a refresh token")
	}
	bad := postForm(t, s, url.Values{"grant_type": {"client_credentials"}, "client_id": {DefaultConsumerKey}, "client_secret": {"wrong"}})
	mustStatus(t, bad, http.StatusBadRequest)
	if bad.object(t)["error"] != "invalid_client" {
		t.Fatalf("%s", bad.body)
	}
	badID := postForm(t, s, url.Values{"grant_type": {"client_credentials"}, "client_id": {"nope"}, "client_secret": {DefaultConsumerSecret}})
	if badID.object(t)["error"] != "invalid_client_id" {
		t.Fatalf("%s", badID.body)
	}
	// HTTP Basic, as oauth2.AuthStyleInHeader sends it.
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/services/oauth2/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(DefaultConsumerKey, DefaultConsumerSecret)
	hres, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = hres.Body.Close()
	if hres.StatusCode != http.StatusOK {
		t.Fatalf("basic auth: %d", hres.StatusCode)
	}
	unsupported := postForm(t, s, url.Values{"grant_type": {"password"}})
	if unsupported.object(t)["error"] != "unsupported_grant_type" {
		t.Fatalf("%s", unsupported.body)
	}
}

func TestRefreshToken(t *testing.T) {
	t.Run("without rotation", func(t *testing.T) {
		s := NewTestServer(t, Options{})
		rt := s.IssueRefreshToken(DefaultIntegrationUsername)
		for i := 0; i < 2; i++ {
			res := postForm(t, s, url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultConsumerKey}, "refresh_token": {rt}})
			mustStatus(t, res, http.StatusOK)
			if _, ok := res.object(t)["refresh_token"]; ok {
				t.Fatal("no rotation: the response must not carry a refresh token")
			}
		}
		wrongSecret := postForm(t, s, url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultConsumerKey}, "client_secret": {"x"}, "refresh_token": {rt}})
		mustStatus(t, wrongSecret, http.StatusBadRequest)
		s.RevokeRefreshToken(rt)
		res := postForm(t, s, url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultConsumerKey}, "refresh_token": {rt}})
		mustStatus(t, res, http.StatusBadRequest)
		if d := res.object(t)["error_description"]; d != "expired access/refresh token" {
			t.Fatalf("revoked: %s", res.body)
		}
	})
	t.Run("with rotation", func(t *testing.T) {
		s := NewTestServer(t, Options{RotateRefreshTokens: true})
		old := s.IssueRefreshToken(DefaultIntegrationUsername)
		res := postForm(t, s, url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultConsumerKey}, "client_secret": {DefaultConsumerSecret}, "refresh_token": {old}})
		mustStatus(t, res, http.StatusOK)
		fresh, _ := res.object(t)["refresh_token"].(string)
		if fresh == "" || fresh == old {
			t.Fatalf("rotation must return a new refresh token: %s", res.body)
		}
		reuse := postForm(t, s, url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultConsumerKey}, "refresh_token": {old}})
		mustStatus(t, reuse, http.StatusBadRequest)
		body := reuse.object(t)
		if body["error"] != "invalid_grant" || body["error_description"] != "expired access/refresh token" {
			t.Fatalf("reused token: %s", reuse.body)
		}
		mustStatus(t, postForm(t, s, url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultConsumerKey}, "refresh_token": {fresh}}), http.StatusOK)
	})
}

func TestSessions(t *testing.T) {
	s, c := newOrg(t, Options{})
	mustStatus(t, c.get(v+"/limits"), http.StatusOK)
	s.ExpireSessions()
	wantError(t, c.get(v+"/limits"), http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
	c.token = "garbage"
	wantError(t, c.get(v+"/query?q=SELECT+Id+FROM+User"), http.StatusUnauthorized, "INVALID_SESSION_ID", "")
	c.token = ""
	wantError(t, c.get(v+"/limits"), http.StatusUnauthorized, "INVALID_SESSION_ID", "")
	if s.IssueAccessToken("nobody@acme.example") != "" {
		t.Fatal("a token for an unknown user")
	}
	c.token = s.IssueAccessToken(DefaultAdminUsername)
	mustStatus(t, c.get(v+"/limits"), http.StatusOK)
	// A bad token at userinfo is Salesforce's plain-text 403.
	c.token = "garbage"
	if r := c.get("/services/oauth2/userinfo"); r.status != http.StatusForbidden {
		t.Fatalf("userinfo with a bad token: %d", r.status)
	}
}

func TestGenerateKeyPair(t *testing.T) {
	keyPEM, certPEM := testKeys(t)
	if !strings.Contains(keyPEM, "BEGIN PRIVATE KEY") || !strings.Contains(certPEM, "BEGIN CERTIFICATE") {
		t.Fatalf("PEM blocks: %q / %q", keyPEM[:30], certPEM[:30])
	}
	pub, err := certificateKey(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	if pub.N.BitLen() != 2048 || pub.N.Cmp(parseKey(t, keyPEM).N) != 0 {
		t.Fatal("certificate does not hold the key's 2048-bit public half")
	}
}
