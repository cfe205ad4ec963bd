package provider

import (
	"os"
	"strings"
	"testing"
)

// TestMain keeps a developer's own credentials out of tests that run against
// the fakes: a SALESFORCE_ACCESS_TOKEN in the shell would otherwise combine
// with a test's JWT settings into an ambiguous configuration.
func TestMain(m *testing.M) {
	if !realOrg() {
		for _, kv := range os.Environ() {
			name, _, _ := strings.Cut(kv, "=")
			if strings.HasPrefix(name, "SALESFORCE_") || strings.HasPrefix(name, "NORTHPASS_") {
				_ = os.Unsetenv(name)
			}
		}
	}
	os.Exit(m.Run())
}
