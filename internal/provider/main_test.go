package provider

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestMain keeps a developer's own credentials out of tests that run against
// the fakes: a SALESFORCE_ACCESS_TOKEN in the shell would otherwise combine
// with a test's JWT settings into an ambiguous configuration.
//
// It also tunes the Go runtime of the terraform processes the tests start
// (about 2,100 of them, 90% of the suite's CPU; this process, which serves
// the provider and the fakes, is the rest). The runtime read its own
// settings when this process started, so only the children see these. With
// several tests at once on a small machine every core is busy already: one
// P per terraform process spares the idle spinning of extra Ps, and a
// lighter collector suits a process that lives a second. Measured on 2
// cores: about a fifth less CPU per terraform command. A value set in the
// shell wins. And terraform's version, asked about 400 times a run, is
// asked once (cacheTerraformVersion).
func TestMain(m *testing.M) {
	if !realOrg() {
		for _, kv := range os.Environ() {
			name, _, _ := strings.Cut(kv, "=")
			if strings.HasPrefix(name, "SALESFORCE_") || strings.HasPrefix(name, "NORTHPASS_") {
				_ = os.Unsetenv(name)
			}
		}
	}
	for name, value := range map[string]string{"GOMAXPROCS": "1", "GOGC": "400"} {
		if _, set := os.LookupEnv(name); !set {
			_ = os.Setenv(name, value)
		}
	}
	stopVersionCache, err := cacheTerraformVersion()
	if err != nil {
		fmt.Fprintf(os.Stderr, "terraform version cache: %v; the tests ask terraform each time\n", err)
	}
	code := m.Run()
	stopVersionCache()
	os.Exit(code)
}
