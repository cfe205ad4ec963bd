package provider

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ceiac/terraform-provider-northpass/internal/urlcheck"
)

// serviceURL validates a base URL: https, or plain http on loopback only.
func serviceURL() validator.String { return serviceURLValidator{} }

type serviceURLValidator struct{}

func (serviceURLValidator) Description(context.Context) string {
	return "must be an absolute https URL (http is accepted only for loopback hosts)"
}

func (v serviceURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (serviceURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := urlcheck.Service(req.ConfigValue.ValueString()); err != nil {
		// Named in the text: Terraform cannot point into the provider's
		// salesforce = { … } object, so its source excerpt shows only
		// the provider block.
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL", "Attribute "+req.Path.String()+": "+err.Error())
	}
}

// privateKeyPEM checks that a value is a PEM RSA private key without ever
// echoing the value: diagnostics must not leak a half-pasted secret.
func privateKeyPEM() validator.String { return privateKeyValidator{} }

type privateKeyValidator struct{}

func (privateKeyValidator) Description(context.Context) string {
	return "must be a PEM-encoded RSA private key (PKCS#1 or PKCS#8)"
}

func (v privateKeyValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (privateKeyValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := checkPrivateKey(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid private key", "Attribute "+req.Path.String()+": "+msg)
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
