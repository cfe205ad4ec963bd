package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

const revokePath = "/v2/integrations/salesforce/authorization"

// timedOutCreateStep creates the integration with a create timeout the
// integration user does not meet: the apply succeeds with a warning, and
// the resource is saved not connected, not tainted, with the link waiting.
func timedOutCreateStep(ce *npfake.Server, config string) tfresource.TestStep {
	return tfresource.TestStep{
		Config:             config,
		ExpectNonEmptyPlan: true, // connected = false -> true until approved
		ConfigStateChecks: []statecheck.StateCheck{
			fakeCheck(expectAuthorizationRequests(ce, 1)),
			jsonStateCheck(func(s *tfjson.State) error {
				r, err := stateResource(s, integrationAddr)
				if err != nil {
					return err
				}
				if r.Tainted {
					return fmt.Errorf("%s is tainted: the next apply would replace it and revoke the approval", integrationAddr)
				}
				st := ce.Integration()
				if got, _ := r.AttributeValues["authorization_url"].(string); got == "" || got != st.PendingAuthorizeURL {
					return fmt.Errorf("authorization_url %q, want CE's pending link %q", got, st.PendingAuthorizeURL)
				}
				if st.InstanceURL != "https://acme.my.salesforce.com" || !st.Enabled || st.Status != npfake.StatusAuthorizationRequired {
					return fmt.Errorf("CE has %+v, want the instance saved, enabled, authorization pending", st)
				}
				return nil
			}),
			statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("status"), knownvalue.StringExact("authorization_required")),
			statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
		},
	}
}

func expectNoRevocation(ce *npfake.Server) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := len(ceRequests(ce, http.MethodDelete, revokePath)); n != 0 {
			return fmt.Errorf("%d DELETE %s: the approval was revoked", n, revokePath)
		}
		return nil
	}
}

// The integration user approves after the create timed out, between two
// applies: the next apply finds it connected and neither replaces the
// resource nor revokes the approval.
func TestAccSalesforceIntegration_approvedAfterCreateTimedOut(t *testing.T) {
	skipOnRealOrg(t)
	ce := newFakeCE(t)
	config := ceProvider(ce) + integrationConfig("https://acme.my.salesforce.com",
		`  expected_username = "`+sffake.DefaultIntegrationUsername+`"
  timeouts {
    create = "3s"
  }`)

	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy:             checkIntegrationDestroyed(ce),
		Steps: []tfresource.TestStep{
			timedOutCreateStep(ce, config),
			{
				PreConfig: func() { mustDo(t, ce.ApprovePendingAuthorization(sffake.DefaultIntegrationUsername)) },
				Config:    config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(tfresource.ComposeTestCheckFunc(
						expectNoRevocation(ce),
						expectAuthorizationRequests(ce, 1),
						func(*terraform.State) error {
							if st := ce.Integration(); st.Status != npfake.StatusConnected || st.AuthorizedUsername != sffake.DefaultIntegrationUsername {
								return fmt.Errorf("CE has %+v, want connected as %s", st, sffake.DefaultIntegrationUsername)
							}
							return nil
						},
					)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("status"), knownvalue.StringExact("connected")),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorized_username"), knownvalue.StringExact(sffake.DefaultIntegrationUsername)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorization_url"), knownvalue.Null()),
				},
			},
		},
	})
}

// Nobody has approved yet when the next apply starts: it plans an in-place
// update (not a replacement), waits for the same link instead of asking CE
// for a new one (which would void it), and connects when the user approves
// during that wait.
func TestAccSalesforceIntegration_nextApplyResumesWait(t *testing.T) {
	skipOnRealOrg(t)
	ce := newFakeCE(t)
	config := ceProvider(ce) + integrationConfig("https://acme.my.salesforce.com", `
  timeouts {
    create = "3s"
    update = "2m"
  }`)
	var approvedDuringApply atomic.Bool
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })

	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy:             checkIntegrationDestroyed(ce),
		Steps: []tfresource.TestStep{
			timedOutCreateStep(ce, config),
			{
				PreConfig: func() {
					// The plan reads the settings once and apply once more
					// before waiting: approve only once apply is polling.
					base := ce.Kit().Count("GET /v2/integrations/salesforce")
					go func() {
						tick := time.NewTicker(10 * time.Millisecond)
						defer tick.Stop()
						for {
							select {
							case <-done:
								return
							case <-tick.C:
								if ce.Kit().Count("GET /v2/integrations/salesforce") >= base+3 {
									if ce.ApprovePendingAuthorization(sffake.DefaultIntegrationUsername) == nil {
										approvedDuringApply.Store(true)
									}
									return
								}
							}
						}
					}()
				},
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(integrationAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
					priorState{integrationAddr, func(a map[string]any, tainted bool) error {
						if tainted || a["connected"] != false || a["status"] != "authorization_required" {
							return fmt.Errorf("prior state %v (tainted %v), want not tainted, not connected", a, tainted)
						}
						return nil
					}},
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(tfresource.ComposeTestCheckFunc(
						expectNoRevocation(ce),
						// Still the one link from the create: the wait resumed on it.
						expectAuthorizationRequests(ce, 1),
						func(*terraform.State) error {
							if !approvedDuringApply.Load() {
								return fmt.Errorf("the approval did not come while apply was waiting")
							}
							return nil
						},
					)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorization_url"), knownvalue.Null()),
				},
			},
		},
	})
}

// Creating over an integration that is already connected as the expected
// user adopts it: no new authorization, no revocation, no settings change.
func TestAccSalesforceIntegration_createAdoptsConnected(t *testing.T) {
	skipOnRealOrg(t)
	ce := newFakeCE(t)
	seedIntegration(t, ce, newTestNPClient(t, ce), "https://acme.my.salesforce.com")
	ce.Kit().Reset()
	config := ceProvider(ce) + integrationConfig("https://acme.my.salesforce.com",
		`  expected_username = "`+sffake.DefaultIntegrationUsername+`"
  timeouts {
    create = "5s"
  }`)

	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		CheckDestroy:             checkIntegrationDestroyed(ce),
		Steps: []tfresource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(integrationAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					fakeCheck(tfresource.ComposeTestCheckFunc(
						expectAuthorizationRequests(ce, 0),
						expectNoRevocation(ce),
						func(*terraform.State) error {
							if got := integrationPatches(t, ce); len(got) != 0 {
								return fmt.Errorf("settings changed %v, want none: CE already had them", got)
							}
							return nil
						},
					)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorized_username"), knownvalue.StringExact(sffake.DefaultIntegrationUsername)),
					statecheck.ExpectKnownValue(integrationAddr, tfjsonpath.New("authorization_url"), knownvalue.Null()),
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

// An account that does not serve the integration-settings API: creating
// fails with what to do by hand, and a resource already in the state is
// never dropped from it (the next plan, with the API back, is empty).
func TestAccSalesforceIntegration_accountWithoutIntegrationAPI(t *testing.T) {
	skipOnRealOrg(t)
	t.Parallel()
	notServed := regexp.MustCompile(`(?s)CE account does not serve the integration-settings API.*` +
		`GET\s+/v2/integrations/salesforce\s+answered\s+404.*Apps\s+→\s+Integrations\s+→\s+Salesforce.*terraform\s+state\s+rm`)

	t.Run("create", func(t *testing.T) {
		ce := npfake.NewTestServer(t, npfake.Options{RateLimit: npfake.RateLimitOff, WithoutIntegrationAPI: true})
		tfresource.ParallelTest(t, tfresource.TestCase{
			ProtoV6ProviderFactories: providerFactories(),
			Steps: []tfresource.TestStep{{
				Config:      ceProvider(ce) + integrationConfig("https://acme.my.salesforce.com"),
				ExpectError: notServed,
			}},
		})
		if n := len(ceRequests(ce, http.MethodGet, "/v2/integrations/salesforce")); n != 1 {
			t.Errorf("%d GETs of the settings, want 1: the answer is kept for the run", n)
		}
	})

	t.Run("in state", func(t *testing.T) {
		ce := newFakeCE(t)
		ce.SetAutoApprove(sffake.DefaultIntegrationUsername, 0)
		config := ceProvider(ce) + integrationConfig("https://acme.my.salesforce.com")
		tfresource.ParallelTest(t, tfresource.TestCase{
			ProtoV6ProviderFactories: providerFactories(),
			CheckDestroy:             checkIntegrationDestroyed(ce),
			Steps: []tfresource.TestStep{
				{Config: config},
				{
					PreConfig:   func() { ce.SetIntegrationAPIServed(false) },
					Config:      config,
					ExpectError: notServed,
				},
				{
					// Had Read taken the 404 for "settings gone", this plan
					// would create the resource again.
					PreConfig: func() { ce.SetIntegrationAPIServed(true) },
					Config:    config,
					ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectEmptyPlan(),
					}},
				},
			},
		})
	})
}
