package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

const orgData = "data.northpass_salesforce_org.this"

// Real-org smoke test: every attribute is filled in and well formed.
func TestAccSalesforceOrg_basic(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: salesforceProvider(t) + `data "northpass_salesforce_org" "this" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(orgData, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^00D[0-9A-Za-z]{15}$`))),
				statecheck.ExpectKnownValue(orgData, tfjsonpath.New("user_id"), knownvalue.StringRegexp(regexp.MustCompile(`^005[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$`))),
				statecheck.ExpectKnownValue(orgData, tfjsonpath.New("username"), knownvalue.StringRegexp(regexp.MustCompile(`^[^@\s]+@[^@\s]+$`))),
				statecheck.ExpectKnownValue(orgData, tfjsonpath.New("instance_url"), knownvalue.StringRegexp(regexp.MustCompile(`^https?://`))),
				statecheck.ExpectKnownValue(orgData, tfjsonpath.New("api_version"), knownvalue.StringExact(defaultAPIVersion)),
				statecheck.ExpectKnownValue(orgData, tfjsonpath.New("daily_api_requests_max"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(orgData, tfjsonpath.New("daily_api_requests_remaining"), knownvalue.NotNull()),
			},
		}},
	})
}

// The values are the fake org's own, and change with it.
func TestAccSalesforceOrg_matchesTheOrg(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	orgRec := org.Records("Organization")[0]
	admin, ok := org.Lookup("User", "Username", sffake.DefaultAdminUsername)
	if !ok {
		t.Fatal("the fake has no admin user")
	}
	orgID, adminID := fmt.Sprint(orgRec["Id"]), fmt.Sprint(admin["Id"])
	provider := org.jwtProvider(`api_version = "64.0"`)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: provider + `data "northpass_salesforce_org" "this" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					jsonStateCheck(func(s *tfjson.State) error {
						// Remaining is what /limits said: the allowance less every
						// billable request up to and including that one.
						log := org.Kit().Requests()
						last := -1
						for i, r := range log {
							if strings.HasSuffix(r.Path, "/limits") {
								last = i
							}
						}
						if last < 0 {
							return fmt.Errorf("no request to /limits: %v", org.Kit().Counters())
						}
						billable := 0
						for _, r := range log[:last+1] {
							if strings.HasPrefix(r.Path, "/services/data/v") {
								billable++
							}
						}
						remaining, err := stateAttr(s, orgData, tfjsonpath.New("daily_api_requests_remaining"))
						if err != nil {
							return err
						}
						if got, want := fmt.Sprint(remaining), strconv.Itoa(15000-billable); got != want {
							return fmt.Errorf("daily_api_requests_remaining = %s, want %s", got, want)
						}
						return nil
					}),
					statecheck.ExpectKnownValue(orgData, tfjsonpath.New("id"), knownvalue.StringExact(orgID)),
					statecheck.ExpectKnownValue(orgData, tfjsonpath.New("name"), knownvalue.StringExact(fmt.Sprint(orgRec["Name"]))),
					statecheck.ExpectKnownValue(orgData, tfjsonpath.New("is_sandbox"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(orgData, tfjsonpath.New("edition"), knownvalue.StringExact("Developer Edition")),
					statecheck.ExpectKnownValue(orgData, tfjsonpath.New("instance_url"), knownvalue.StringExact(org.URL())),
					statecheck.ExpectKnownValue(orgData, tfjsonpath.New("api_version"), knownvalue.StringExact("64.0")),
					statecheck.ExpectKnownValue(orgData, tfjsonpath.New("username"), knownvalue.StringExact(sffake.DefaultAdminUsername)),
					statecheck.ExpectKnownValue(orgData, tfjsonpath.New("user_id"), knownvalue.StringExact(adminID)),
					statecheck.ExpectKnownValue(orgData, tfjsonpath.New("daily_api_requests_max"), knownvalue.Int64Exact(15000)),
				},
			},
			{
				PreConfig: func() {
					mustDo(t, org.Update("Organization", orgID, map[string]any{"IsSandbox": true, "Name": "Acme UAT"}))
				},
				Config: provider + `data "northpass_salesforce_org" "this" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orgData, tfjsonpath.New("is_sandbox"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(orgData, tfjsonpath.New("name"), knownvalue.StringExact("Acme UAT")),
				},
			},
		},
	})
}

func TestAccSalesforceOrg_salesforceNotConfigured(t *testing.T) {
	skipOnRealOrg(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config:      `provider "northpass" { api_key = "np-key" }` + "\n" + `data "northpass_salesforce_org" "this" {}`,
			ExpectError: errorLike("Salesforce is not configured", "data source northpass_salesforce_org"),
		}},
	})
}
