package sffake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestNoSecretsInRequestLog drives every flow that carries a secret and
// then searches the whole request log (as JSON, the way /__admin/requests
// serves it) for each one.
func TestNoSecretsInRequestLog(t *testing.T) {
	keyPEM, certPEM := testKeys(t)
	s := NewTestServer(t, Options{CertificatePEM: certPEM, RotateRefreshTokens: true})
	key := parseKey(t, keyPEM)

	a := assertion(t, s, key, nil)
	jwtRes := postForm(t, s, url.Values{"grant_type": {jwtGrant}, "assertion": {a}})
	mustStatus(t, jwtRes, http.StatusOK)
	access := jwtRes.object(t)["access_token"].(string)

	mustStatus(t, postForm(t, s, url.Values{"grant_type": {"client_credentials"}, "client_id": {DefaultConsumerKey}, "client_secret": {DefaultConsumerSecret}}), http.StatusOK)

	refresh := s.IssueRefreshToken(DefaultIntegrationUsername)
	rot := postForm(t, s, url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultConsumerKey}, "client_secret": {DefaultConsumerSecret}, "refresh_token": {refresh}})
	mustStatus(t, rot, http.StatusOK)
	rotated := rot.object(t)["refresh_token"].(string)

	c := &client{t: t, s: s, token: access}
	kp, _ := s.CatalogVersion(KeyProtectedNamespace, "1.0")
	postInstall(t, c, map[string]any{"SubscriberPackageVersionKey": kp.VersionID, "Password": KeyProtectedInstallationKey, "SecurityType": "None"})
	// Malformed JSON still gets its secret blanked.
	c.do(http.MethodPost, v+"/tooling/sobjects/PackageInstallRequest", `{"Password":"`+KeyProtectedInstallationKey+`", broken`)
	records(t, c.tooling("SELECT Id FROM SubscriberPackageVersion WHERE Id = '"+kp.VersionID+"' AND InstallationKey = '"+KeyProtectedInstallationKey+"'"))
	revoke, err := http.PostForm(s.URL()+"/services/oauth2/revoke", url.Values{"token": {rotated}})
	if err != nil {
		t.Fatal(err)
	}
	_ = revoke.Body.Close()
	s.AdvanceClock(time.Minute)

	log := s.Kit().Requests()
	if len(log) < 7 {
		t.Fatalf("request log too short: %d", len(log))
	}
	dump, _ := json.Marshal(log)
	for name, secret := range map[string]string{
		"consumer secret": DefaultConsumerSecret, "JWT assertion": a, "access token": access,
		"refresh token": refresh, "rotated refresh token": rotated, "installation key": KeyProtectedInstallationKey,
		"JWT signature": a[strings.LastIndexByte(a, '.')+1:],
	} {
		if strings.Contains(string(dump), secret) || strings.Contains(string(dump), url.QueryEscape(secret)) {
			t.Errorf("%s found in the request log", name)
		}
	}
	// Bodies are still recorded, just redacted.
	var sawInstall, sawToken bool
	for _, r := range log {
		if strings.HasSuffix(r.Path, "/PackageInstallRequest") && strings.Contains(r.Body, `"Password":"REDACTED"`) {
			sawInstall = true
		}
		if r.Path == "/services/oauth2/token" && strings.Contains(r.Body, "grant_type=") {
			sawToken = true
		}
	}
	if !sawInstall || !sawToken {
		t.Fatalf("redacted bodies missing from the log: %s", dump)
	}
}
