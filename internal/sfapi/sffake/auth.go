package sffake

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// GenerateKeyPair makes what an admin makes for a connected app: an RSA 2048
// key (PKCS#8 PEM, as current openssl writes it) and a self-signed X.509
// certificate to upload (Options.CertificatePEM).
func GenerateKeyPair() (privateKeyPEM, certificatePEM string, err error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", "", err
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return "", "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "northpass-terraform", Organization: []string{"Acme (emulated)"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(2, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	privateKeyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))
	certificatePEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	return privateKeyPEM, certificatePEM, nil
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newAccessTokenLocked issues a session. Real access tokens start with the
// org id and "!"; clients sometimes rely on that to spot session ids.
func (s *Server) newAccessTokenLocked(userID string) string {
	tok := id15(s.orgID) + "!" + strings.ReplaceAll(randomToken(72), "-", ".")
	s.accessTokens[tok] = userID
	s.issued = append(s.issued, tok)
	return tok
}

func (s *Server) newRefreshTokenLocked(userID string) string {
	tok := "5Aep861" + strings.ReplaceAll(randomToken(60), "-", ".")
	s.refreshTokens[tok] = userID
	s.issued = append(s.issued, tok)
	return tok
}

// IssuedTokens lists every access and refresh token the org has issued,
// expired and revoked ones included: tests look for them where secrets
// must never appear (logs, state, diagnostics).
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

func (s *Server) userByUsername(username string) *record {
	users := s.findBy(schema.object(objUser), "Username", username)
	if len(users) == 0 {
		return nil
	}
	return users[0]
}

// IssueAccessToken returns a valid session for the user (access_token
// auth), or "" when there is no such user.
func (s *Server) IssueAccessToken(username string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByUsername(username)
	if u == nil {
		return ""
	}
	return s.newAccessTokenLocked(u.id)
}

// IssueRefreshToken returns a refresh token for the user, or "" when there
// is no such user.
func (s *Server) IssueRefreshToken(username string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByUsername(username)
	if u == nil {
		return ""
	}
	return s.newRefreshTokenLocked(u.id)
}

// ExpireSessions invalidates every access token issued so far; the next
// call with one gets 401 INVALID_SESSION_ID. Refresh tokens stay valid.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accessTokens = map[string]string{}
}

// RevokeRefreshToken makes a refresh token unusable (as revoking the
// connected app's access does).
func (s *Server) RevokeRefreshToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.refreshTokens, token)
}

type tokenError struct {
	status int
	code   string
	desc   string
}

func grantErr(desc string) *tokenError {
	return &tokenError{status: http.StatusBadRequest, code: "invalid_grant", desc: desc}
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeOAuthError(w, http.StatusMethodNotAllowed, "invalid_request", "must use HTTP POST")
		return
	}
	form, err := url.ParseQuery(string(rawBody(r)))
	if err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "malformed request body")
		return
	}
	// Salesforce also reads the parameters from the query string.
	for k, v := range rawQuery(r) {
		if _, ok := form[k]; !ok {
			form[k] = v
		}
	}
	s.mu.Lock()
	var (
		userID  string
		refresh string
		terr    *tokenError
	)
	switch form.Get("grant_type") {
	case "urn:ietf:params:oauth:grant-type:jwt-bearer":
		userID, terr = s.jwtGrant(form.Get("assertion"))
	case "client_credentials":
		userID, terr = s.clientCredentialsGrant(r, form)
	case "refresh_token":
		userID, refresh, terr = s.refreshGrant(r, form)
	case "":
		terr = &tokenError{http.StatusBadRequest, "unsupported_grant_type", "grant type not supported"}
	default:
		terr = &tokenError{http.StatusBadRequest, "unsupported_grant_type", "grant type not supported"}
	}
	if terr != nil {
		s.mu.Unlock()
		writeOAuthError(w, terr.status, terr.code, terr.desc)
		return
	}
	token := s.newAccessTokenLocked(userID)
	issuedAt := strconv.FormatInt(time.Now().UnixMilli(), 10)
	idURL := s.baseURL + "/id/" + s.orgID + "/" + userID
	mac := hmac.New(sha256.New, []byte(s.opts.ConsumerSecret))
	mac.Write([]byte(idURL + issuedAt))
	out := map[string]string{
		"access_token": token,
		"signature":    base64.StdEncoding.EncodeToString(mac.Sum(nil)),
		"scope":        "api",
		"instance_url": s.baseURL,
		"id":           idURL,
		"token_type":   "Bearer",
		"issued_at":    issuedAt,
	}
	if refresh != "" {
		out["refresh_token"] = refresh
		out["scope"] = "refresh_token api"
	}
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")
	writeJSON(w, http.StatusOK, out)
}

// jwtGrant checks an assertion the way Salesforce does. The signature and
// claims are checked against the wall clock, not the emulated one: the
// client mints exp from its own clock, and tests that advance the emulated
// clock (installs) still need to log in.
func (s *Server) jwtGrant(assertion string) (string, *tokenError) {
	if assertion == "" {
		return "", grantErr("invalid assertion")
	}
	unverified, _, err := jwt.NewParser().ParseUnverified(assertion, jwt.MapClaims{})
	if err != nil {
		return "", grantErr("invalid assertion")
	}
	claims, _ := unverified.Claims.(jwt.MapClaims)
	if iss, _ := claims["iss"].(string); iss != s.opts.ConsumerKey {
		return "", &tokenError{http.StatusBadRequest, "invalid_client_id", "client identifier invalid"}
	}
	pub, err := certificateKey(s.opts.CertificatePEM)
	if err != nil {
		return "", grantErr("invalid assertion")
	}
	if _, err := jwt.Parse(assertion, func(*jwt.Token) (any, error) { return pub, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation()); err != nil {
		return "", grantErr("invalid assertion")
	}
	if terr := s.checkAudience(claims["aud"]); terr != nil {
		return "", terr
	}
	exp, ok := numericClaim(claims["exp"])
	if !ok {
		return "", grantErr("invalid assertion")
	}
	now := time.Now()
	if time.Unix(exp, 0).Before(now) {
		return "", grantErr("expired authorization code")
	}
	// The docs say "within 3 minutes"; real enforcement is looser, so the
	// fake allows 5 and rejects anything further (such as the 1 hour that
	// golang.org/x/oauth2/jwt uses by default).
	if time.Unix(exp, 0).After(now.Add(5*time.Minute + 5*time.Second)) {
		return "", grantErr("invalid assertion")
	}
	sub, _ := claims["prn"].(string) // legacy name, wins when both are sent
	if sub == "" {
		sub, _ = claims["sub"].(string)
	}
	u := s.userByUsername(sub)
	if u == nil {
		return "", grantErr("user hasn't approved this consumer")
	}
	if active, _ := u.f["IsActive"].(bool); !active {
		return "", grantErr("inactive user")
	}
	return u.id, nil
}

func numericClaim(v any) (int64, bool) {
	switch x := v.(type) {
	case float64:
		return int64(x), true
	case int64:
		return x, true
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}

// The audiences Salesforce's JWT bearer flow accepts. The help page
// (help.salesforce.com remoteaccess_oauth_jwt_flow.htm, "aud") names the
// authorization server: https://login.salesforce.com, https://test.salesforce.com
// for a sandbox, or an Experience Cloud site URL; that holds when the
// request is posted to a My Domain host, and a My Domain "aud" is refused by
// Connected Apps with "audience is invalid" (restforce#886,
// forcedotcom/cli#3325). A production org refusing test.salesforce.com and a
// sandbox refusing login.salesforce.com is the stricter reading of the same
// page (Talend/components#1423: sandboxes answer "audience is invalid" to
// login.salesforce.com).
const (
	productionAudience = "https://login.salesforce.com"
	sandboxAudience    = "https://test.salesforce.com"
)

// checkAudience applies the audience rule of the org's app: Options.Audiences
// when set; else, for an External Client App, only the org's My Domain URL,
// answering app_not_found otherwise as reported for External Client Apps
// since Spring '26 (n8n-io/n8n#28990, forcedotcom/cli#3482; unverified in
// Salesforce's docs); else the standard audience of the org's kind.
func (s *Server) checkAudience(aud any) *tokenError {
	var got []string
	switch a := aud.(type) {
	case string:
		got = []string{a}
	case []any:
		for _, x := range a {
			if str, ok := x.(string); ok {
				got = append(got, str)
			}
		}
	}
	allowed := s.opts.Audiences
	switch {
	case len(allowed) > 0:
	case s.opts.ExternalClientApp:
		allowed = []string{s.baseURL}
	case s.opts.Sandbox:
		allowed = []string{sandboxAudience}
	default:
		allowed = []string{productionAudience}
	}
	for _, g := range got {
		for _, a := range allowed {
			if strings.TrimRight(g, "/") == strings.TrimRight(a, "/") {
				return nil
			}
		}
	}
	if s.opts.ExternalClientApp && len(s.opts.Audiences) == 0 {
		return &tokenError{http.StatusBadRequest, "app_not_found", "External client app is not installed in this org"}
	}
	return grantErr("audience is invalid")
}

func certificateKey(certPEM string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(certPEM))
	if block == nil {
		return nil, errors.New("no certificate configured")
	}
	switch block.Type {
	case "CERTIFICATE":
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		if k, ok := cert.PublicKey.(*rsa.PublicKey); ok {
			return k, nil
		}
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, err
		}
		if rk, ok := k.(*rsa.PublicKey); ok {
			return rk, nil
		}
	}
	return nil, fmt.Errorf("unsupported key in %s block", block.Type)
}

// clientCredentials reads client_id/client_secret from the form or from
// HTTP Basic auth (oauth2's AuthStyleInHeader).
func clientCredentials(r *http.Request, form url.Values) (id, secret string) {
	id, secret = form.Get("client_id"), form.Get("client_secret")
	if id == "" {
		if u, p, ok := r.BasicAuth(); ok {
			id, _ = url.QueryUnescape(u)
			secret, _ = url.QueryUnescape(p)
		}
	}
	return id, secret
}

// clientCredentialsGrant: on a real org this only works on the My Domain
// host; the fake is that host, so it is always accepted here.
func (s *Server) clientCredentialsGrant(r *http.Request, form url.Values) (string, *tokenError) {
	id, secret := clientCredentials(r, form)
	if id != s.opts.ConsumerKey {
		return "", &tokenError{http.StatusBadRequest, "invalid_client_id", "client identifier invalid"}
	}
	if secret != s.opts.ConsumerSecret {
		return "", &tokenError{http.StatusBadRequest, "invalid_client", "invalid client credentials"}
	}
	u := s.userByUsername(s.opts.RunAsUsername)
	if u == nil {
		return "", grantErr("no client credentials user enabled")
	}
	return u.id, nil
}

func (s *Server) refreshGrant(r *http.Request, form url.Values) (string, string, *tokenError) {
	id, secret := clientCredentials(r, form)
	if id != s.opts.ConsumerKey {
		return "", "", &tokenError{http.StatusBadRequest, "invalid_client_id", "client identifier invalid"}
	}
	if secret != "" && secret != s.opts.ConsumerSecret {
		return "", "", &tokenError{http.StatusBadRequest, "invalid_client", "invalid client credentials"}
	}
	old := form.Get("refresh_token")
	userID, ok := s.refreshTokens[old]
	if !ok {
		return "", "", grantErr("expired access/refresh token")
	}
	u := s.get(schema.object(objUser), userID)
	if u == nil || u.f["IsActive"] != true {
		return "", "", grantErr("inactive user")
	}
	if !s.opts.RotateRefreshTokens {
		return userID, "", nil
	}
	delete(s.refreshTokens, old)
	return userID, s.newRefreshTokenLocked(userID), nil
}

// handleRevoke is POST /services/oauth2/revoke: token=<access or refresh>.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	form, _ := url.ParseQuery(string(rawBody(r)))
	tok := form.Get("token")
	if tok == "" {
		tok = rawQuery(r).Get("token")
	}
	s.mu.Lock()
	_, isAccess := s.accessTokens[tok]
	_, isRefresh := s.refreshTokens[tok]
	delete(s.accessTokens, tok)
	delete(s.refreshTokens, tok)
	s.mu.Unlock()
	if !isAccess && !isRefresh {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_token_type", "this token type is not supported")
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) identityDoc(userID string, oidc bool) (map[string]any, bool) {
	u := s.get(schema.object(objUser), userID)
	if u == nil {
		return nil, false
	}
	idURL := s.baseURL + "/id/" + s.orgID + "/" + userID
	base := s.baseURL + "/services/data/v{version}/"
	urls := map[string]string{
		"enterprise":    s.baseURL + "/services/Soap/c/{version}/" + id15(s.orgID),
		"metadata":      s.baseURL + "/services/Soap/m/{version}/" + id15(s.orgID),
		"partner":       s.baseURL + "/services/Soap/u/{version}/" + id15(s.orgID),
		"rest":          base,
		"sobjects":      base + "sobjects/",
		"search":        base + "search/",
		"query":         base + "query/",
		"recent":        base + "recent/",
		"tooling_soap":  s.baseURL + "/services/Soap/T/{version}/" + id15(s.orgID),
		"tooling_rest":  base + "tooling/",
		"profile":       s.baseURL + "/" + userID,
		"users":         base + "chatter/users",
		"custom_domain": s.baseURL,
	}
	str := func(k string) any { return u.f[k] }
	active, _ := u.f["IsActive"].(bool)
	if oidc {
		return map[string]any{
			"sub": idURL, "user_id": userID, "organization_id": s.orgID,
			"preferred_username": str("Username"), "nickname": str("Alias"), "name": fullName(s, u),
			"email": str("Email"), "email_verified": true, "given_name": str("FirstName"), "family_name": str("LastName"),
			"zoneinfo": str("TimeZoneSidKey"), "active": active, "user_type": "STANDARD",
			"language": "en_US", "locale": "en_US", "is_app_installed": true, "urls": urls,
		}, true
	}
	return map[string]any{
		"id": idURL, "asserted_user": true, "user_id": userID, "organization_id": s.orgID,
		"username": str("Username"), "nick_name": str("Alias"), "display_name": fullName(s, u),
		"email": str("Email"), "email_verified": true, "first_name": str("FirstName"), "last_name": str("LastName"),
		"timezone": str("TimeZoneSidKey"), "active": active, "user_type": "STANDARD",
		"language": "en_US", "locale": "en_US", "is_app_installed": true, "urls": urls,
	}, true
}

// handleUserInfo is the OpenID Connect userinfo endpoint.
func (s *Server) handleUserInfo(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	userID, ok := s.accessTokens[bearer(r)]
	var doc map[string]any
	if ok {
		doc, ok = s.identityDoc(userID, true)
	}
	s.mu.Unlock()
	if !ok {
		// What Salesforce answers for a bad token here: plain text, 403.
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte("Bad_OAuth_Token"))
		return
	}
	writeJSON(w, http.StatusOK, doc)
}

// handleIdentity is the identity URL from the token response's "id".
func (s *Server) handleIdentity(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	s.mu.Lock()
	userID, ok := s.accessTokens[bearer(r)]
	if !ok {
		if t := rawQuery(r).Get("oauth_token"); t != "" {
			userID, ok = s.accessTokens[t]
		}
	}
	var doc map[string]any
	if ok && len(parts) == 3 {
		if want, valid := normalizeID(parts[2]); valid && want == userID {
			doc, ok = s.identityDoc(userID, false)
		} else {
			ok = false
		}
	}
	s.mu.Unlock()
	if !ok || doc == nil {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte("Bad_OAuth_Token"))
		return
	}
	writeJSON(w, http.StatusOK, doc)
}

// markSandbox makes the seeded org a sandbox (Options.Sandbox). The JWT
// audience follows the option, not the record, so a test that flips
// IsSandbox behind Terraform's back does not lock the provider out.
// Callers hold s.mu.
func (s *Server) markSandbox() {
	org := s.get(schema.object(objOrganization), s.orgID)
	if org == nil {
		return
	}
	n := org.clone()
	n.f["IsSandbox"] = true
	s.put(n)
}
