package sffake

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The tests speak plain HTTP and JSON, as any Salesforce client would.

const v = "/services/data/v65.0"

var (
	keyOnce sync.Once
	keyPEM  string
	certPEM string
	keyErr  error
)

// testKeys generates one key pair for the whole test binary (RSA 2048
// generation is slow enough to matter under -race).
func testKeys(t testing.TB) (string, string) {
	t.Helper()
	keyOnce.Do(func() { keyPEM, certPEM, keyErr = GenerateKeyPair() })
	if keyErr != nil {
		t.Fatal(keyErr)
	}
	return keyPEM, certPEM
}

type client struct {
	t     testing.TB
	s     *Server
	token string
}

func newOrg(t testing.TB, opts Options) (*Server, *client) {
	t.Helper()
	s := NewTestServer(t, opts)
	return s, &client{t: t, s: s, token: s.IssueAccessToken(DefaultAdminUsername)}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
}

func (r response) object(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.json(t, &m)
	return m
}

func (r response) array(t testing.TB) []map[string]any {
	t.Helper()
	var m []map[string]any
	r.json(t, &m)
	return m
}

func (c *client) do(method, path string, body any) response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	u := path
	if !strings.HasPrefix(u, "http") {
		u = c.s.URL() + path
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func (c *client) get(path string) response { return c.do(http.MethodGet, path, nil) }

func (c *client) query(soql string) response {
	return c.get(v + "/query?q=" + url.QueryEscape(soql))
}

func (c *client) tooling(soql string) response {
	return c.get(v + "/tooling/query/?q=" + url.QueryEscape(soql))
}

// mustStatus fails with the body when the status is not the expected one.
func mustStatus(t testing.TB, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %s", r.status, want, r.body)
	}
}

// wantError checks a REST error array's first errorCode (and message
// fragment when given).
func wantError(t testing.TB, r response, status int, code, msgPart string) map[string]any {
	t.Helper()
	mustStatus(t, r, status)
	errs := r.array(t)
	if len(errs) != 1 || errs[0]["errorCode"] != code {
		t.Fatalf("errors %s, want errorCode %s", r.body, code)
	}
	if msgPart != "" && !strings.Contains(errs[0]["message"].(string), msgPart) {
		t.Fatalf("message %q does not contain %q", errs[0]["message"], msgPart)
	}
	return errs[0]
}

func postForm(t testing.TB, s *Server, form url.Values) response {
	t.Helper()
	res, err := http.PostForm(s.URL()+"/services/oauth2/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func parseKey(t testing.TB, p string) *rsa.PrivateKey {
	t.Helper()
	block, _ := pem.Decode([]byte(p))
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*rsa.PrivateKey)
}

// assertion mints a JWT bearer assertion; edit changes claims before signing.
func assertion(t testing.TB, s *Server, key *rsa.PrivateKey, edit func(jwt.MapClaims)) string {
	t.Helper()
	claims := jwt.MapClaims{
		"iss": DefaultConsumerKey,
		"sub": DefaultIntegrationUsername,
		"aud": productionAudience,
		"exp": time.Now().Add(2 * time.Minute).Unix(),
	}
	if edit != nil {
		edit(claims)
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func records(t testing.TB, r response) []map[string]any {
	t.Helper()
	mustStatus(t, r, http.StatusOK)
	var qr struct {
		Records []map[string]any `json:"records"`
	}
	r.json(t, &qr)
	return qr.Records
}

func userID(t testing.TB, s *Server, username string) string {
	t.Helper()
	u, ok := s.Lookup("User", "Username", username)
	if !ok {
		t.Fatalf("no user %s", username)
	}
	return u["Id"].(string)
}

func permissionSetID(t testing.TB, s *Server, name string) string {
	t.Helper()
	ps, ok := s.Lookup("PermissionSet", "Name", name)
	if !ok {
		t.Fatalf("no permission set %s", name)
	}
	return ps["Id"].(string)
}
