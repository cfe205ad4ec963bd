package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestAccFunctionVersionAtLeast(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: `
output "equal"       { value = provider::northpass::version_at_least("2.1.0.0", "2.1") }
output "later"       { value = provider::northpass::version_at_least("2.10", "2.9") }
output "earlier"     { value = provider::northpass::version_at_least("2.0.9.99", "2.1") }
output "build_short" { value = provider::northpass::version_at_least("2.1", "2.1.0.3") }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("equal", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("later", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("earlier", knownvalue.Bool(false)),
				statecheck.ExpectKnownOutputValue("build_short", knownvalue.Bool(false)),
			},
		}},
	})
}

// One TestCase, a step per parameter: both fail at plan, and a TestCase of
// their own would cost two more terraform commands each
// (init and a last show).
func TestAccFunctionVersionAtLeast_invalid(t *testing.T) {
	t.Parallel()
	var steps []resource.TestStep
	for _, c := range []struct{ name, config string }{
		{"version", `output "x" { value = provider::northpass::version_at_least("v2.1", "2.1") }`},
		{"minimum", `output "x" { value = provider::northpass::version_at_least("2.1", "2.x") }`},
	} {
		steps = append(steps, resource.TestStep{
			Config:      c.config,
			ExpectError: regexp.MustCompile(`(?s)Invalid value for "` + c.name + `" parameter.*not a version number`),
		})
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps:                    steps,
	})
}
