package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

func TestAccInstalledPackage_byNameAndNamespace(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	v20, _ := org.CatalogVersion(sffake.NorthpassNamespace, "2.0")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + `
data "northpass_salesforce_installed_package" "by_name" {
  name = "northpass" # case-insensitive
}
data "northpass_salesforce_installed_package" "by_namespace" {
  namespace = "` + sffake.NorthpassNamespace + `"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.northpass_salesforce_installed_package.by_name", tfjsonpath.New("name"), knownvalue.StringExact("Northpass")),
				statecheck.ExpectKnownValue("data.northpass_salesforce_installed_package.by_name", tfjsonpath.New("version_id"), knownvalue.StringExact(v20.VersionID)),
				statecheck.ExpectKnownValue("data.northpass_salesforce_installed_package.by_name", tfjsonpath.New("namespace"), knownvalue.StringExact(sffake.NorthpassNamespace)),
				statecheck.ExpectKnownValue("data.northpass_salesforce_installed_package.by_namespace", tfjsonpath.New("name"), knownvalue.StringExact("Northpass")),
				statecheck.ExpectKnownValue("data.northpass_salesforce_installed_package.by_namespace", tfjsonpath.New("version_name"), knownvalue.StringExact("2.0")),
				statecheck.ExpectKnownValue("data.northpass_salesforce_installed_package.by_namespace", tfjsonpath.New("generation"), knownvalue.StringExact(fakeGeneration(v20))),
			},
		}},
	})
}

func TestAccInstalledPackage_notInstalledListsWhatIs(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + `
data "northpass_salesforce_installed_package" "connector" {
  name = "Gainsight Northpass Data Connector"
}
`,
			ExpectError: errorLike("Package not installed", "Gainsight Northpass Data Connector", "Northpass (namespace "+sffake.NorthpassNamespace+"): version 2.0"),
		}},
	})
}

// Inside a check block a missing package is a warning, not a failed plan.
func TestAccInstalledPackage_inCheckBlockWarnsOnly(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + `
check "connector" {
  data "northpass_salesforce_installed_package" "connector" {
    name = "Gainsight Northpass Data Connector"
  }
  assert {
    condition     = data.northpass_salesforce_installed_package.connector.version_name == "1.0"
    error_message = "connector missing"
  }
}
output "ok" { value = true }
`,
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("ok", knownvalue.Bool(true))},
			// A check block's failed data source is read again at every apply.
			ExpectNonEmptyPlan: true,
		}},
	})
}

func TestAccInstalledPackage_nameAndNamespaceConflict(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: `
data "northpass_salesforce_installed_package" "x" {
  name      = "Northpass"
  namespace = "northpass"
}
`,
			ExpectError: regexp.MustCompile(`Invalid Attribute Combination`),
		}},
	})
}

func TestDescribePackages(t *testing.T) {
	t.Parallel()
	got := describePackages([]sfapi.InstalledPackage{
		{Name: "Northpass", Namespace: "np", VersionName: "2.1", VersionID: "04tA", Major: 2, Minor: 1, Build: 3},
		{Name: "Unmanaged", VersionName: "1", VersionID: "04tB", Major: 1},
	})
	for _, want := range []string{"Northpass (namespace np): version 2.1 (2.1.0.3, 04tA)", "Unmanaged (namespace no namespace)"} {
		if !strings.Contains(got, want) {
			t.Errorf("describePackages output lacks %q:\n%s", want, got)
		}
	}
	if describePackages(nil) != "  (none)" {
		t.Error("empty list not described as (none)")
	}
}
