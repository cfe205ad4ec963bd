package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
	"github.com/ceiac/terraform-provider-northpass/internal/npapi"
	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

const integrationAddr = "northpass_salesforce_integration.this"

// newFakeCE is a fake CE account without the 10 req/s limit, so that fast
// polling does not spend the test's time in the client's limiter.
func newFakeCE(t *testing.T) *npfake.Server {
	t.Helper()
	ce := npfake.NewTestServer(t, npfake.Options{RateLimit: npfake.RateLimitOff})
	t.Cleanup(func() { checkCERoutesListed(t, ce) })
	return ce
}

func integrationConfig(instanceURL string, extra ...string) string {
	return fmt.Sprintf(`
resource "northpass_salesforce_integration" "this" {
  instance_url = %q
%s
}
`, instanceURL, strings.Join(extra, "\n"))
}

// integrationPatches returns the attributes of every PATCH of the settings,
// in the order CE received them.
func integrationPatches(t *testing.T, ce *npfake.Server) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range ce.Kit().Requests() {
		if r.Method != http.MethodPatch || r.Path != "/v2/integrations/salesforce" || r.Status != http.StatusOK {
			continue
		}
		var doc struct {
			Data struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"data"`
		}
		if err := json.Unmarshal([]byte(r.Body), &doc); err != nil {
			t.Fatalf("PATCH body %q: %v", r.Body, err)
		}
		out = append(out, doc.Data.Attributes)
	}
	return out
}

func ceRequests(ce *npfake.Server, method, path string) []fakekit.Recorded {
	var out []fakekit.Recorded
	for _, r := range ce.Kit().Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

const authorizationsPath = "/v2/integrations/salesforce/authorizations"

// expectAuthorizationRequests checks how many authorization links were
// requested since the kit's log was last reset.
func expectAuthorizationRequests(ce *npfake.Server, want int) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(ceRequests(ce, http.MethodPost, authorizationsPath)); got != want {
			return fmt.Errorf("%d authorization requests, want %d", got, want)
		}
		return nil
	}
}

// checkIntegrationDestroyed: destroy revokes and disables, keeping the instance.
func checkIntegrationDestroyed(ce *npfake.Server) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		st := ce.Integration()
		if st.Enabled || st.Status != npfake.StatusAuthorizationRequired || st.AuthorizedUsername != "" {
			return fmt.Errorf("after destroy: enabled=%v status=%s authorized_username=%q, want disabled, authorization_required, no user",
				st.Enabled, st.Status, st.AuthorizedUsername)
		}
		return nil
	}
}

// priorState checks the state a plan started from (after refresh).
type priorState struct {
	addr  string
	check func(attrs map[string]any, tainted bool) error
}

func (c priorState) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if req.Plan.PriorState == nil || req.Plan.PriorState.Values == nil || req.Plan.PriorState.Values.RootModule == nil {
		resp.Error = fmt.Errorf("plan has no prior state")
		return
	}
	for _, r := range req.Plan.PriorState.Values.RootModule.Resources {
		if r.Address == c.addr {
			resp.Error = c.check(r.AttributeValues, r.Tainted)
			return
		}
	}
	resp.Error = fmt.Errorf("%s not in the prior state", c.addr)
}

func TestAccSalesforceIntegration_connectsWhenApproved(t *testing.T) {
	skipOnRealOrg(t)
	ce := newFakeCE(t)
	ce.SetAutoApprove(sffake.DefaultIntegrationUsername, 300*time.Millisecond)
	config := ceProvider(ce) + integrationConfig("https://Acme.my.salesforce.com/",
		`  expected_username = "`+sffake.DefaultIntegrationUsername+`"`)

	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy:             checkIntegrationDestroyed(ce),
		Steps: []tfresource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(integrationAddr, plancheck.ResourceActionCreate),
					// Not promised on create: a wait that runs out still
					// creates the resource, not connected.
					plancheck.ExpectUnknownValue(integrationAddr, tfjsonpath.New("connected")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(tfresource.ComposeTestCheckFunc(
						expectAuthorizationRequests(ce, 1),
						func(*terraform.State) error {
							st := ce.Integration()
							if st.InstanceURL != "https://acme.my.salesforce.com" || !st.Enabled || st.Sandbox {
								return fmt.Errorf("CE settings: %+v, want the normalised instance, enabled, not a sandbox", st)
							}
							return nil
						},
					)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("id"), knownvalue.StringExact(ce.Integration().ID)),
					// The configured spelling stays: CE stores it normalised.
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("instance_url"), knownvalue.StringExact("https://Acme.my.salesforce.com/")),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("status"), knownvalue.StringExact("connected")),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("status_message"), knownvalue.StringExact("Everything looks good!")),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("sandbox"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorized_username"), knownvalue.StringExact(sffake.DefaultIntegrationUsername)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorization_url"), knownvalue.Null()),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorized_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("last_synced_at"), knownvalue.NotNull()),
				},
			},
			{
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				ResourceName:      integrationAddr,
				ImportState:       true,
				ImportStateId:     "salesforce", // any value: there is one integration per account
				ImportStateVerify: true,
				// Not stored in CE: configuration only. instance_url is
				// imported in CE's normalised spelling.
				ImportStateVerifyIgnore: []string{"expected_username", "timeouts", "instance_url"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["instance_url"] != "https://acme.my.salesforce.com" {
						return fmt.Errorf("imported: %+v", states)
					}
					return nil
				},
			},
		},
	})
	if n := len(ceRequests(ce, http.MethodDelete, "/v2/integrations/salesforce/authorization")); n != 1 {
		t.Errorf("destroy sent %d revocations, want 1", n)
	}
}

// The integration user approves while apply is waiting, from "outside".
func TestAccSalesforceIntegration_approvedDuringWait(t *testing.T) {
	skipOnRealOrg(t)
	ce := newFakeCE(t)
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	go func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		var pendingSince time.Time
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				switch {
				case ce.Integration().PendingAuthorizeURL == "":
					pendingSince = time.Time{}
				case pendingSince.IsZero():
					pendingSince = time.Now()
				case time.Since(pendingSince) > 400*time.Millisecond:
					// The person took a moment to log in.
					_ = ce.ApprovePendingAuthorization(sffake.DefaultIntegrationUsername)
				}
			}
		}
	}()
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy:             checkIntegrationDestroyed(ce),
		Steps: []tfresource.TestStep{{
			Config: ceProvider(ce) + integrationConfig("https://acme.my.salesforce.com"),
			ConfigStateChecks: []statecheck.StateCheck{
				fakeCheck(func(*terraform.State) error {
					// Requested once, then polled until approved.
					if n := len(ceRequests(ce, http.MethodPost, authorizationsPath)); n != 1 {
						return fmt.Errorf("%d authorization requests, want 1", n)
					}
					var polls int
					var requested bool
					for _, r := range ce.Kit().Requests() {
						requested = requested || r.Method == http.MethodPost && r.Path == authorizationsPath
						if requested && r.Method == http.MethodGet && r.Path == "/v2/integrations/salesforce" {
							polls++
						}
					}
					if polls < 3 {
						return fmt.Errorf("%d reads of the settings after the authorization request: apply did not wait", polls)
					}
					return nil
				}),
				statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorized_username"), knownvalue.StringExact(sffake.DefaultIntegrationUsername)),
			},
		}},
	})
}

func TestAccSalesforceIntegration_instanceChangeWhileEnabled(t *testing.T) {
	skipOnRealOrg(t)
	ce := newFakeCE(t)
	ce.SetAutoApprove(sffake.DefaultIntegrationUsername, 100*time.Millisecond)
	const sandboxURL = "https://acme--uat.sandbox.my.salesforce.com"

	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy:             checkIntegrationDestroyed(ce),
		Steps: []tfresource.TestStep{
			{
				Config: ceProvider(ce) + integrationConfig("https://acme.my.salesforce.com"),
				Check:  expectAuthorizationRequests(ce, 1),
			},
			{
				PreConfig: ce.Kit().Reset,
				Config:    ceProvider(ce) + integrationConfig(sandboxURL, "  sandbox = true"),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(integrationAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(tfresource.ComposeTestCheckFunc(
						func(*terraform.State) error {
							got := integrationPatches(t, ce)
							want := []map[string]any{
								{"enabled": false},
								{"instance_url": sandboxURL, "sandbox": true},
								{"enabled": true},
							}
							if fmt.Sprint(got) != fmt.Sprint(want) {
								return fmt.Errorf("PATCHes in order: %v, want disable → change → re-enable %v", got, want)
							}
							st := ce.Integration()
							if st.InstanceURL != sandboxURL || !st.Sandbox || !st.Enabled || st.Status != npfake.StatusConnected {
								return fmt.Errorf("CE settings after the change: %+v", st)
							}
							return nil
						},
						// The change cleared the authorization: a new one was needed.
						expectAuthorizationRequests(ce, 1),
					)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("instance_url"), knownvalue.StringExact(sandboxURL)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("sandbox"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

func TestAccSalesforceIntegration_revokedAuthorizationReconnects(t *testing.T) {
	skipOnRealOrg(t)
	ce := newFakeCE(t)
	ce.SetAutoApprove(sffake.DefaultIntegrationUsername, 100*time.Millisecond)
	config := ceProvider(ce) + integrationConfig("https://acme.my.salesforce.com")

	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy:             checkIntegrationDestroyed(ce),
		Steps: []tfresource.TestStep{
			{Config: config},
			{
				// Salesforce revokes the tokens, as in November 2025.
				PreConfig:          ce.RevokeAuthorization,
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: ce.Kit().Reset,
				Config:    config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(integrationAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
					priorState{integrationAddr, func(a map[string]any, _ bool) error {
						if a["connected"] != false || a["status"] != "disconnected" {
							return fmt.Errorf("refreshed state: %v, want connected=false, status disconnected", a)
						}
						return nil
					}},
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(tfresource.ComposeTestCheckFunc(
						expectAuthorizationRequests(ce, 1),
						func(*terraform.State) error {
							if n := len(integrationPatches(t, ce)); n != 0 {
								return fmt.Errorf("%d settings changes, want none: only a new authorization was needed", n)
							}
							return nil
						},
					)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("status"), knownvalue.StringExact("connected")),
				},
			},
			{
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

// wait_for_connection = false: apply leaves the link and returns; the plan
// stays non-empty until someone approves.
func TestAccSalesforceIntegration_noWait(t *testing.T) {
	skipOnRealOrg(t)
	ce := newFakeCE(t)
	config := ceProvider(ce) + integrationConfig("https://acme.my.salesforce.com", "  wait_for_connection = false")

	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy:             checkIntegrationDestroyed(ce),
		Steps: []tfresource.TestStep{
			{
				Config:             config,
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(func(*terraform.State) error {
						if ce.Integration().PendingAuthorizeURL == "" {
							return fmt.Errorf("no authorization pending in CE")
						}
						return nil
					}),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("status"), knownvalue.StringExact("authorization_required")),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorization_url"),
						knownvalue.StringRegexp(regexp.MustCompile("^"+regexp.QuoteMeta(ce.URL()+"/fake-salesforce/")))),
				},
			},
			{
				PreConfig: func() { mustDo(t, ce.ApprovePendingAuthorization(sffake.DefaultIntegrationUsername)) },
				Config:    config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorization_url"), knownvalue.Null()),
				},
			},
			{
				// Disabled: not connected, and nothing to authorize.
				PreConfig: ce.Kit().Reset,
				Config:    ceProvider(ce) + integrationConfig("https://acme.my.salesforce.com", "  enabled = false"),
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(tfresource.ComposeTestCheckFunc(
						expectAuthorizationRequests(ce, 0),
						func(*terraform.State) error {
							if ce.Integration().Enabled {
								return fmt.Errorf("CE integration still enabled")
							}
							return nil
						},
					)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(false)),
				},
			},
		},
	})
}

func TestAccSalesforceIntegration_refusesAdministrator(t *testing.T) {
	skipOnRealOrg(t)
	ce := newFakeCE(t)
	org := newFakeOrg(t, sffake.Options{})
	config := ceAndSalesforceProvider(ce, org) + integrationConfig("https://acme.my.salesforce.com")
	refused := regexp.MustCompile(`(?s)Integration user is a Salesforce administrator.*` + regexp.QuoteMeta(sffake.DefaultAdminUsername) +
		`.*System\s+Administrator.*Least\s+privilege.*allow_admin_integration_user`)

	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy:             checkIntegrationDestroyed(ce),
		Steps: []tfresource.TestStep{
			{
				PreConfig:   func() { ce.SetAutoApprove(sffake.DefaultAdminUsername, 100*time.Millisecond) },
				Config:      config,
				ExpectError: refused,
			},
			{
				// The refused create is replaced; the right user approves.
				PreConfig: func() { ce.SetAutoApprove(sffake.DefaultIntegrationUsername, 100*time.Millisecond) },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(func(*terraform.State) error {
						if len(requestsTo(org, "/query")) == 0 {
							return fmt.Errorf("the integration user was never looked up in Salesforce")
						}
						return nil
					}),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorized_username"), knownvalue.StringExact(sffake.DefaultIntegrationUsername)),
				},
			},
			{
				// Revoked, then an administrator re-authorizes: refused on update too.
				PreConfig: func() {
					ce.RevokeAuthorization()
					ce.SetAutoApprove(sffake.DefaultAdminUsername, 100*time.Millisecond)
				},
				Config:      config,
				ExpectError: refused,
			},
			{
				// The refusal is remembered: the plan is not empty although
				// CE reports "connected".
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: func() {
					ce.SetAutoApprove(sffake.DefaultIntegrationUsername, 100*time.Millisecond)
					ce.Kit().Reset()
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(expectAuthorizationRequests(ce, 1)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorized_username"), knownvalue.StringExact(sffake.DefaultIntegrationUsername)),
				},
			},
			{
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

// allow_admin_integration_user accepts an administrator.
func TestAccSalesforceIntegration_allowsAdministratorWhenAsked(t *testing.T) {
	skipOnRealOrg(t)
	ce := newFakeCE(t)
	org := newFakeOrg(t, sffake.Options{})
	ce.SetAutoApprove(sffake.DefaultAdminUsername, 100*time.Millisecond)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []tfresource.TestStep{{
			Config: ceAndSalesforceProvider(ce, org) + integrationConfig("https://acme.my.salesforce.com", "  allow_admin_integration_user = true"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorized_username"), knownvalue.StringExact(sffake.DefaultAdminUsername)),
			},
		}},
	})
}

func TestAccSalesforceIntegration_refusesUnexpectedUser(t *testing.T) {
	skipOnRealOrg(t)
	ce := newFakeCE(t)
	config := ceProvider(ce) + integrationConfig("https://acme.my.salesforce.com",
		`  expected_username = "`+strings.ToUpper(sffake.DefaultIntegrationUsername)+`"`) // compared ignoring case
	wrongUser := func(who string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)Wrong Salesforce integration user.*connected\s+as\s+` + regexp.QuoteMeta(who) +
			`.*expected_username\s+is\s+` + regexp.QuoteMeta(strings.ToUpper(sffake.DefaultIntegrationUsername)))
	}

	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy:             checkIntegrationDestroyed(ce),
		Steps: []tfresource.TestStep{
			{
				PreConfig:   func() { ce.SetAutoApprove("jane.doe@acme.example", 100*time.Millisecond) },
				Config:      config,
				ExpectError: wrongUser("jane.doe@acme.example"),
			},
			{
				PreConfig: func() { ce.SetAutoApprove(sffake.DefaultIntegrationUsername, 100*time.Millisecond) },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorized_username"), knownvalue.StringExact(sffake.DefaultIntegrationUsername)),
				},
			},
			{
				PreConfig: func() {
					ce.RevokeAuthorization()
					ce.SetAutoApprove("john.smith@acme.example", 100*time.Millisecond)
				},
				Config:      config,
				ExpectError: wrongUser("john.smith@acme.example"),
			},
			{
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(integrationAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(integrationAddr, tfjsonpath.New("authorized_username")),
				}},
			},
			{
				// A new link is requested although CE is connected (as the
				// wrong user), and apply waits for the right one.
				PreConfig: func() {
					ce.Kit().Reset()
					ce.SetAutoApprove(sffake.DefaultIntegrationUsername, 100*time.Millisecond)
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(expectAuthorizationRequests(ce, 1)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorized_username"), knownvalue.StringExact(sffake.DefaultIntegrationUsername)),
				},
			},
		},
	})
}

// The cases are the steps of one TestCase (a TestCase each cost two more
// terraform commands than its one plan: init and a last show); every step fails at plan, so each
// plans from an empty state. Step N is case N, which the log names.
func TestAccSalesforceIntegration_invalidInstanceURL(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, url, want string }{
		{"not a URL", "acme.my.salesforce.com", `not an absolute URL`},
		{"http non-loopback", "http://acme.my.salesforce.com", `must use https`},
		{"not Salesforce", "https://acme.example.com", `not a Salesforce host`},
		{"path", "https://acme.my.salesforce.com/lightning/page/home", `has a path`},
	}
	steps := make([]tfresource.TestStep, len(cases))
	for i, tc := range cases {
		steps[i] = tfresource.TestStep{
			PreConfig: casePreConfig(t, i, len(cases), tc.name, nil, nil),
			Config:    integrationConfig(tc.url),
			PlanOnly:  true,
			// The error points at the attribute (Terraform quotes its line).
			ExpectError: regexp.MustCompile(`(?s)Invalid Salesforce instance URL.*instance_url = "` + regexp.QuoteMeta(tc.url) + `".*` +
				strings.ReplaceAll(tc.want, " ", `\s+`)),
		}
	}
	tfresource.UnitTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps:                    steps,
	})
}

func TestAccSalesforceIntegration_loopbackInstanceAccepted(t *testing.T) {
	skipOnRealOrg(t)
	ce := newFakeCE(t)
	ce.SetAutoApprove(sffake.DefaultIntegrationUsername, 0)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []tfresource.TestStep{{
			Config: ceProvider(ce) + integrationConfig("http://127.0.0.1:8443"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
			},
		}},
	})
}

func TestParseInstanceURL(t *testing.T) {
	t.Parallel()
	ok := map[string]string{
		"https://acme.my.salesforce.com":              "https://acme.my.salesforce.com",
		"https://ACME.My.Salesforce.com/":             "https://acme.my.salesforce.com",
		"HTTPS://acme--uat.sandbox.my.salesforce.com": "https://acme--uat.sandbox.my.salesforce.com",
		"https://na1.salesforce.com":                  "https://na1.salesforce.com",
		"https://acme.my.salesforce.mil":              "https://acme.my.salesforce.mil",
		"http://127.0.0.1:8443":                       "http://127.0.0.1:8443",
		"http://localhost:9000/":                      "http://localhost:9000",
	}
	for in, want := range ok {
		if got, err := parseInstanceURL(in); err != nil || got != want {
			t.Errorf("parseInstanceURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"", "acme.my.salesforce.com", "http://acme.my.salesforce.com", "https://example.com",
		"https://salesforce.com.evil.example", "https://acme.my.salesforce.com/path", "https://acme.my.salesforce.com?x=1",
		"https://user:pw@acme.my.salesforce.com", "ftp://acme.my.salesforce.com",
	} {
		if got, err := parseInstanceURL(in); err == nil {
			t.Errorf("parseInstanceURL(%q) = %q, want an error", in, got)
		}
	}
}

func TestLooksLikeSandbox(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"acme--uat.sandbox.my.salesforce.com":   true,
		"acme--uat.my.salesforce.com":           true,
		"test.salesforce.com":                   true,
		"cs42.salesforce.com":                   true,
		"cs42.my.salesforce.com":                true,
		"acme--dev.sandbox.lightning.force.com": true,
		"acme.my.salesforce.com":                false,
		"login.salesforce.com":                  false,
		"na1.salesforce.com":                    false,
		"csa.my.salesforce.com":                 false,
		"acme-uat.my.salesforce.com":            false,
	} {
		got, known := looksLikeSandbox(host)
		if !known || got != want {
			t.Errorf("looksLikeSandbox(%q) = %v, %v; want %v, true", host, got, known, want)
		}
	}
	if _, known := looksLikeSandbox("127.0.0.1"); known {
		t.Error("a loopback host was classified")
	}
}

// The sandbox flag and the URL disagree: a warning at plan time, on sandbox.
func TestSalesforceIntegration_sandboxMismatchWarns(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	r := &salesforceIntegrationResource{}
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)

	config := func(url string, sandbox *bool) tfsdk.Config {
		vals := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			vals[name] = tftypes.NewValue(at, nil)
		}
		vals["instance_url"] = tftypes.NewValue(tftypes.String, url)
		if sandbox != nil {
			vals["sandbox"] = tftypes.NewValue(tftypes.Bool, *sandbox)
		}
		return tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, vals)}
	}
	yes, no := true, false
	for _, tc := range []struct {
		url      string
		sandbox  *bool
		warnings int
		summary  string
	}{
		{"https://acme--uat.sandbox.my.salesforce.com", nil, 1, "Sandbox instance with sandbox = false"},
		{"https://acme--uat.sandbox.my.salesforce.com", &no, 1, "Sandbox instance with sandbox = false"},
		{"https://test.salesforce.com", &no, 1, "Sandbox instance with sandbox = false"},
		{"https://acme.my.salesforce.com", &yes, 1, "Production instance with sandbox = true"},
		{"https://acme--uat.sandbox.my.salesforce.com", &yes, 0, ""},
		{"https://acme.my.salesforce.com", nil, 0, ""},
		{"http://127.0.0.1:8443", &yes, 0, ""},
		{"https://example.com", &yes, 0, ""}, // the attribute validator reports it
	} {
		var resp resource.ValidateConfigResponse
		r.ValidateConfig(ctx, resource.ValidateConfigRequest{Config: config(tc.url, tc.sandbox)}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s: %v", tc.url, resp.Diagnostics)
		}
		w := resp.Diagnostics.Warnings()
		if len(w) != tc.warnings {
			t.Errorf("%s sandbox=%v: %d warnings %v, want %d", tc.url, tc.sandbox, len(w), w, tc.warnings)
			continue
		}
		if tc.warnings > 0 && w[0].Summary() != tc.summary {
			t.Errorf("%s: warning %q, want %q", tc.url, w[0].Summary(), tc.summary)
		}
	}
}

// newTestNPClient is a CE client without retries, so injected faults
// surface at once.
func newTestNPClient(t *testing.T, ce *npfake.Server) *npapi.Client {
	t.Helper()
	c, err := npapi.New(npapi.Config{BaseURL: ce.URL(), APIKey: ce.APIKey(), RetryMax: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// seedIntegration saves an instance, enables it and connects it.
func seedIntegration(t *testing.T, ce *npfake.Server, client *npapi.Client, instance string) *npapi.IntegrationSettings {
	t.Helper()
	ctx := t.Context()
	if _, err := client.UpdateIntegration(ctx, npapi.IntegrationUpdate{InstanceURL: &instance, Enabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.RequestAuthorization(ctx); err != nil {
		t.Fatal(err)
	}
	mustDo(t, ce.ApprovePendingAuthorization(sffake.DefaultIntegrationUsername))
	s, err := client.GetIntegration(ctx)
	if err != nil || !integrationConnected(s) {
		t.Fatalf("seeded integration: %+v, %v", s, err)
	}
	return s
}

// Re-enabling fails after the instance was changed: the error says the
// integration is disabled, and the settings returned (what the state
// records) say enabled = false.
func TestApplyIntegrationSettings_reenableFails(t *testing.T) {
	t.Parallel()
	ce := newFakeCE(t)
	client := newTestNPClient(t, ce)
	cur := seedIntegration(t, ce, client, "https://acme.my.salesforce.com")
	ce.Kit().AddRule(fakekit.Rule{Method: http.MethodPatch, PathPrefix: "/v2/integrations/salesforce",
		Sequence: []fakekit.Fault{fakekit.FaultNone, fakekit.FaultNone, fakekit.Fault503}})

	s, err := applyIntegrationSettings(t.Context(), client, cur,
		desiredIntegration{instanceURL: "https://acme2.my.salesforce.com", enabled: true})
	if err == nil || !strings.Contains(err.Error(), "DISABLED") {
		t.Fatalf("error %v, want one that says the integration is disabled", err)
	}
	if s.Enabled || s.InstanceURL != "https://acme2.my.salesforce.com" {
		t.Errorf("returned settings %+v, want the new instance, disabled", s)
	}
	if st := ce.Integration(); st.Enabled || st.InstanceURL != "https://acme2.my.salesforce.com" {
		t.Errorf("CE has %+v", st)
	}
}

// Saving fails (CE refuses the instance): the integration is put back as
// it was, enabled with its old instance.
func TestApplyIntegrationSettings_saveFailsRestores(t *testing.T) {
	t.Parallel()
	ce := newFakeCE(t)
	client := newTestNPClient(t, ce)
	cur := seedIntegration(t, ce, client, "https://acme.my.salesforce.com")

	s, err := applyIntegrationSettings(t.Context(), client, cur,
		desiredIntegration{instanceURL: "https://acme.example.com", enabled: true})
	if err == nil || !strings.Contains(err.Error(), "re-enabled with its previous instance https://acme.my.salesforce.com") {
		t.Fatalf("error %v, want one that says the integration was re-enabled", err)
	}
	if !s.Enabled || s.InstanceURL != "https://acme.my.salesforce.com" {
		t.Errorf("returned settings %+v, want the old instance, enabled", s)
	}
	if st := ce.Integration(); !st.Enabled || st.InstanceURL != "https://acme.my.salesforce.com" {
		t.Errorf("CE has %+v", st)
	}
}

// A disabled integration changes its instance in one PATCH: nothing to
// disable first, and it stays disabled.
func TestApplyIntegrationSettings_disabledNeedsNoToggle(t *testing.T) {
	t.Parallel()
	ce := newFakeCE(t)
	client := newTestNPClient(t, ce)
	seedIntegration(t, ce, client, "https://acme.my.salesforce.com")
	cur, err := client.UpdateIntegration(t.Context(), npapi.IntegrationUpdate{Enabled: ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	ce.Kit().Reset()
	s, err := applyIntegrationSettings(t.Context(), client, cur,
		desiredIntegration{instanceURL: "https://acme2.my.salesforce.com", sandbox: false, enabled: false})
	if err != nil || s.Enabled || s.InstanceURL != "https://acme2.my.salesforce.com" {
		t.Fatalf("got %+v, %v", s, err)
	}
	if got := integrationPatches(t, ce); len(got) != 1 {
		t.Errorf("PATCHes %v, want one", got)
	}
}
