package provider

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ceiac/terraform-provider-northpass/internal/urlcheck"
)

// stringCheck is a plan-time string validator given by what it asks for
// (description, also shown in the docs), the summary of its error, and check,
// which returns the error's detail, or "" when the value is fine. Null and
// unknown values are left alone: Required catches the one, apply the other.
type stringCheck struct {
	description string
	summary     string
	check       func(string) string
	// nameAttribute starts the detail with the attribute's path: Terraform
	// cannot point into the provider's salesforce = { … } object, so its
	// source excerpt shows only the provider block.
	nameAttribute bool
}

func (v stringCheck) Description(context.Context) string { return v.description }

func (v stringCheck) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	detail := v.check(req.ConfigValue.ValueString())
	if detail == "" {
		return
	}
	if v.nameAttribute {
		detail = "Attribute " + req.Path.String() + ": " + detail
	}
	resp.Diagnostics.AddAttributeError(req.Path, v.summary, detail)
}

// errorText adapts a parser to stringCheck.check: the error's text, or "".
func errorText[T any](parse func(string) (T, error)) func(string) string {
	return func(s string) string {
		if _, err := parse(s); err != nil {
			return err.Error()
		}
		return ""
	}
}

// serviceURL validates a base URL: https, or plain http on loopback only.
func serviceURL() validator.String {
	return stringCheck{
		description:   "must be an absolute https URL (http is accepted only for loopback hosts)",
		summary:       "Invalid URL",
		check:         errorText(urlcheck.Service),
		nameAttribute: true,
	}
}

// privateKeyPEM checks that a value is a PEM RSA private key without ever
// echoing the value: diagnostics must not leak a half-pasted secret.
func privateKeyPEM() validator.String {
	return stringCheck{
		description:   "must be a PEM-encoded RSA private key (PKCS#1 or PKCS#8)",
		summary:       "Invalid private key",
		check:         checkPrivateKey,
		nameAttribute: true,
	}
}

// checkPrivateKey returns why pemText is not a usable RSA key, or "".
func checkPrivateKey(pemText string) string {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return "The value is not PEM: expected a block starting with -----BEGIN PRIVATE KEY----- or " +
			"-----BEGIN RSA PRIVATE KEY-----. To read a file, use file(\"server.key\") or SALESFORCE_PRIVATE_KEY_FILE."
	}
	if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return ""
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return "The PEM block (" + block.Type + ") is not an unencrypted RSA private key in PKCS#1 or PKCS#8 form."
	}
	if _, ok := key.(*rsa.PrivateKey); !ok {
		return "The key is not an RSA key; Salesforce's JWT bearer flow signs with RS256."
	}
	return ""
}
