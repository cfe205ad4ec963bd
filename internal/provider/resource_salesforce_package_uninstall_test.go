package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// A destroy whose uninstall POST loses its answer after Salesforce created
// the request finds that request and waits for it: one uninstall request,
// the package gone, no "already in progress" failure.
func TestAccPackage_uninstallSurvivesLostAnswer(t *testing.T) {
	t.Parallel()
	const uninstallPath = "/tooling/sobjects/SubscriberPackageVersionUninstallRequest"
	for _, f := range []fakekit.Fault{fakekit.Fault503, fakekit.FaultConnectionReset} {
		t.Run(string(f), func(t *testing.T) {
			org := newPackageOrg(t, pkgQuickInstall)
			dc := pkgVersion(t, org, sffake.ConnectorNamespace, "1.0")
			config := org.jwtProvider() + fmt.Sprintf(`
resource "northpass_salesforce_package" "dc" {
  version_id           = %q
  uninstall_on_destroy = true
}
`, dc.VersionID)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: providerFactories(),
				CheckDestroy: func(*terraform.State) error {
					for _, p := range org.InstalledPackages() {
						if p.Namespace == sffake.ConnectorNamespace {
							return fmt.Errorf("the Data Connector is still installed after destroy")
						}
					}
					var posts, lost int
					for _, r := range org.Kit().Requests() {
						if r.Method == http.MethodPost && strings.Contains(r.Path, uninstallPath) {
							posts++
							if r.Processed {
								lost++
							}
						}
					}
					if posts != 1 || lost != 1 {
						return fmt.Errorf("%d uninstall POSTs (%d with a lost answer), want exactly the one whose answer was lost", posts, lost)
					}
					return nil
				},
				Steps: []resource.TestStep{{
					Config: config,
					Check: func(*terraform.State) error {
						// Armed after apply, so only destroy's uninstall meets it.
						org.Kit().AddRule(fakekit.Rule{Method: http.MethodPost, PathContains: uninstallPath,
							Sequence: []fakekit.Fault{f}, Processed: true})
						return nil
					},
				}},
			})
		})
	}
}
