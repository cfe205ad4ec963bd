package provider

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// A refused JWT already carries the client's hint; the provider must not add
// a second, shorter one (it did, so users read two lists of causes).
func TestSalesforceErrorDetailAddsNoSecondGrantHint(t *testing.T) {
	ae := &sfapi.APIError{Status: 400, ErrorCode: "invalid_grant", Message: "invalid assertion"}
	err := fmt.Errorf("authenticate with Salesforce (jwt): %w. Likely causes: the certificate …", ae)
	if got := salesforceErrorDetail(err); got != err.Error() {
		t.Fatalf("detail = %q, want the client's message unchanged", got)
	}
}

func TestSalesforceErrorDetailHintsAfterSignIn(t *testing.T) {
	for code, want := range map[string]string{
		"REQUEST_LIMIT_EXCEEDED": "daily API request limit",
		"INSUFFICIENT_ACCESS":    "View Setup and Configuration",
	} {
		err := fmt.Errorf("query: %w", &sfapi.APIError{Status: 403, ErrorCode: code, Message: "refused"})
		if got := salesforceErrorDetail(err); !strings.Contains(got, want) || !strings.HasPrefix(got, err.Error()) {
			t.Errorf("%s: detail = %q, want the message then a hint naming %q", code, got, want)
		}
	}
	if got := salesforceErrorDetail(errors.New("plain")); got != "plain" {
		t.Errorf("a non-API error changed: %q", got)
	}
}
