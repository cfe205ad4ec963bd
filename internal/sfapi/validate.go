package sfapi

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/ceiac/terraform-provider-northpass/internal/urlcheck"
)

// parseBaseURL accepts "scheme://host[:port]" (a trailing slash is fine) and
// returns it without the slash. Bearer tokens go to these hosts, so plain
// http is refused except on loopback, where the test fakes live.
func parseBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("%q is not an absolute URL such as https://example.my.salesforce.com", raw)
	}
	if u.User != nil {
		return "", errors.New("the URL must not contain credentials")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q must be only scheme and host, such as https://example.my.salesforce.com (no path)", raw)
	}
	host := strings.ToLower(u.Hostname())
	if u.Scheme == "http" && !isLoopback(host) {
		return "", fmt.Errorf("%q must use https (plain http is only accepted for localhost)", raw)
	}
	if strings.HasSuffix(host, ".lightning.force.com") {
		return "", fmt.Errorf("%q is a Lightning UI host; the API lives on the My Domain host, such as https://example.my.salesforce.com", raw)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

// isLoopback is the project-wide rule for where plain http is acceptable.
var isLoopback = urlcheck.IsLoopback

var apiVersionRe = regexp.MustCompile(`^[1-9][0-9]*\.[0-9]+$`)

func checkAPIVersion(v string) error {
	if apiVersionRe.MatchString(v) {
		return nil
	}
	hint := ""
	if strings.HasPrefix(strings.ToLower(v), "v") {
		hint = " without the leading v"
	}
	return fmt.Errorf("%q is not an API version; write it like %q%s", v, DefaultAPIVersion, hint)
}

// parseRSAKey returns the key and a PKCS#1 PEM encoding of it, which is what
// golang.org/x/oauth2/jwt gets, so that it signs with exactly the key checked
// here. Errors never quote the key material.
func parseRSAKey(text string) (*rsa.PrivateKey, []byte, error) {
	text = strings.TrimSpace(text)
	// Keys passed through environment variables often arrive with literal \n.
	if !strings.Contains(text, "\n") && strings.Contains(text, `\n`) {
		text = strings.ReplaceAll(text, `\n`, "\n")
	}
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return nil, nil, errors.New("private_key is not a PEM block (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)")
	}
	if block.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
		return nil, nil, errors.New("private_key is encrypted; supply the unencrypted key (openssl pkey -in key.pem -out plain.pem)")
	}
	var key *rsa.PrivateKey
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		key = k
	} else if k8, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		rk, ok := k8.(*rsa.PrivateKey)
		if !ok {
			return nil, nil, fmt.Errorf("private_key is a %T key; Salesforce JWT bearer needs an RSA key (RS256)", k8)
		}
		key = rk
	} else {
		return nil, nil, fmt.Errorf("private_key (PEM type %q) is neither a PKCS#1 nor a PKCS#8 RSA private key", block.Type)
	}
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	return key, pkcs1, nil
}
