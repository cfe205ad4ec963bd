package provider

import (
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// realOrg reports whether acceptance tests target a real org and CE account
// (NORTHPASS_ACC_TARGET=real, credentials in SALESFORCE_* / NORTHPASS_*)
// instead of the in-memory fakes. Tests that change the fake behind
// Terraform's back skip themselves then.
func realOrg() bool { return os.Getenv("NORTHPASS_ACC_TARGET") == "real" }

func skipOnRealOrg(t *testing.T) {
	t.Helper()
	if realOrg() {
		t.Skip("changes the org behind Terraform's back: runs against the fakes only")
	}
}

// The connected app's key pair is generated once per test binary: RSA key
// generation is the slowest part of a fake org otherwise.
var (
	keyOnce          sync.Once
	keyPEM, certPEM  string
	otherKeyPEM      string
	keyErr, otherErr error
)

func testKeys(t *testing.T) (key, cert, other string) {
	t.Helper()
	keyOnce.Do(func() {
		keyPEM, certPEM, keyErr = sffake.GenerateKeyPair()
		otherKeyPEM, _, otherErr = sffake.GenerateKeyPair()
	})
	if keyErr != nil || otherErr != nil {
		t.Fatalf("generating test keys: %v %v", keyErr, otherErr)
	}
	return keyPEM, certPEM, otherKeyPEM
}

// fakeOrg is a fake Salesforce org whose connected app trusts testKeys.
type fakeOrg struct {
	*sffake.Server
	key string
}

func newFakeOrg(t *testing.T, opts sffake.Options) *fakeOrg {
	t.Helper()
	key, cert, _ := testKeys(t)
	if opts.CertificatePEM == "" {
		opts.CertificatePEM = cert
	}
	return &fakeOrg{Server: sffake.NewTestServer(t, opts), key: key}
}

// jwtProvider is a provider block that signs in with the JWT bearer flow.
func (o *fakeOrg) jwtProvider() string {
	return o.jwtProviderWithKey(o.key)
}

func (o *fakeOrg) jwtProviderWithKey(key string) string {
	return fmt.Sprintf(`
provider "northpass" {
  salesforce = {
    login_url   = %q
    client_id   = %q
    username    = %q
    private_key = %q
  }
}
`, o.URL(), sffake.DefaultConsumerKey, sffake.DefaultAdminUsername, key)
}

// salesforceProvider is the provider block for tests that also run against a
// real org: there, credentials come from the environment.
func salesforceProvider(t *testing.T) string {
	t.Helper()
	if realOrg() {
		return `provider "northpass" {}`
	}
	return newFakeOrg(t, sffake.Options{}).jwtProvider()
}
