package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

const integrationDataAddr = "data.northpass_salesforce_integration.this"

// The data source follows the integration in and out of connected; inside a
// check block a lost connection is a warning, never a failed plan.
func TestAccSalesforceIntegrationDataSource_inAndOutOfConnected(t *testing.T) {
	skipOnRealOrg(t)
	ce := newFakeCE(t)
	client := newTestNPClient(t, ce)
	config := ceProvider(ce) + `
check "salesforce_connected" {
  data "northpass_salesforce_integration" "this" {}

  assert {
    condition     = data.northpass_salesforce_integration.this.connected
    error_message = "The CE Salesforce integration is ${data.northpass_salesforce_integration.this.status}: ${data.northpass_salesforce_integration.this.status_message}"
  }
}
`
	value := func(attr string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(integrationDataAddr, tfjsonpath.New(attr), v)
	}
	// Terraform reads a check block's data source again during every apply,
	// so no plan here is ever empty: each step asserts on state instead.
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				// Never set up: a status, not an error.
				Config:             config,
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					value("id", knownvalue.StringExact(ce.Integration().ID)),
					value("status", knownvalue.StringExact("not_configured")),
					value("connected", knownvalue.Bool(false)),
					value("instance_url", knownvalue.StringExact("")),
					value("authorized_username", knownvalue.Null()),
					value("authorized_at", knownvalue.Null()),
				},
			},
			{
				PreConfig:          func() { seedIntegration(t, ce, client, "https://acme--uat.sandbox.my.salesforce.com") },
				Config:             config,
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					value("status", knownvalue.StringExact("connected")),
					value("status_message", knownvalue.StringExact("Everything looks good!")),
					value("connected", knownvalue.Bool(true)),
					value("enabled", knownvalue.Bool(true)),
					value("sandbox", knownvalue.Bool(false)),
					value("instance_url", knownvalue.StringExact("https://acme--uat.sandbox.my.salesforce.com")),
					value("authorized_username", knownvalue.StringExact(sffake.DefaultIntegrationUsername)),
					value("authorized_at", knownvalue.NotNull()),
					value("last_synced_at", knownvalue.NotNull()),
				},
			},
			{
				// Salesforce revokes the tokens.
				PreConfig:          ce.RevokeAuthorization,
				Config:             config,
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					value("status", knownvalue.StringExact("disconnected")),
					value("connected", knownvalue.Bool(false)),
				},
			},
		},
	})
}

// An account that does not serve the integration-settings API is an error
// that says so and what to do by hand, not a "not_configured" reading.
func TestAccSalesforceIntegrationDataSource_accountWithoutIntegrationAPI(t *testing.T) {
	skipOnRealOrg(t)
	ce := npfake.NewTestServer(t, npfake.Options{RateLimit: npfake.RateLimitOff, WithoutIntegrationAPI: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: ceProvider(ce) + `data "northpass_salesforce_integration" "this" {}`,
			ExpectError: regexp.MustCompile(`(?s)CE account does not serve the integration-settings API.*` +
				`Apps\s+→\s+Integrations\s+→\s+Salesforce`),
		}},
	})
}
