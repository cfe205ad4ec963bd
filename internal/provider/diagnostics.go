package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// configureData unpacks what the provider's Configure handed over. It is nil
// while Terraform validates a configuration before configuring the provider.
func configureData(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	d, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T: this is a bug in the provider", v))
		return nil
	}
	return d
}

// salesforceErrorDetail explains a Salesforce failure and, for the failures
// users hit while setting up auth, what to do about it.
func salesforceErrorDetail(err error) string {
	msg := err.Error()
	var apiErr *sfapi.APIError
	if !errors.As(err, &apiErr) {
		return msg
	}
	// Token-endpoint failures (invalid_grant and the like) already carry the
	// client's hint (sfapi's jwtHint: certificate, pre-authorization,
	// audience); repeating it here printed it twice. These hints cover what
	// happens after sign-in.
	var hint string
	switch apiErr.ErrorCode {
	case "REQUEST_LIMIT_EXCEEDED":
		hint = "The org's daily API request limit is used up (Setup → Company Information shows it). Try again " +
			"later or ask Salesforce for a higher limit."
	case "INSUFFICIENT_ACCESS", "INSUFFICIENT_ACCESS_OR_READONLY":
		hint = "The authenticated user lacks a permission this needs (for installed packages: View Setup and " +
			"Configuration)."
	}
	if hint == "" {
		return msg
	}
	return msg + "\n\n" + hint
}

// describeEach lists items for an error message, one "  - " line each as
// line renders it, or "  (none)" when there are none: what the user can
// pick from when a look-up found nothing or too much.
func describeEach[T any](items []T, line func(T) string) string {
	if len(items) == 0 {
		return "  (none)"
	}
	lines := make([]string, len(items))
	for i, item := range items {
		lines[i] = "  - " + line(item)
	}
	return strings.Join(lines, "\n")
}
