package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

func TestAccPermissionSetDataSource_byLabelAndName(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	nsu, salesOps := org.nsuID(t), org.recordID(t, "PermissionSet", "Name", "Sales_Ops")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + `
data "northpass_salesforce_permission_set" "by_label" {
  label = "northpass standard user" # matched ignoring case
}
data "northpass_salesforce_permission_set" "by_name" {
  name      = "Northpass_Standard_User"
  namespace = "` + sffake.NorthpassNamespace + `"
}
data "northpass_salesforce_permission_set" "unpackaged" {
  name = "Sales_Ops"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.northpass_salesforce_permission_set.by_label", tfjsonpath.New("id"), knownvalue.StringExact(nsu)),
				statecheck.ExpectKnownValue("data.northpass_salesforce_permission_set.by_label", tfjsonpath.New("label"), knownvalue.StringExact("northpass standard user")),
				statecheck.ExpectKnownValue("data.northpass_salesforce_permission_set.by_label", tfjsonpath.New("name"), knownvalue.StringExact("Northpass_Standard_User")),
				statecheck.ExpectKnownValue("data.northpass_salesforce_permission_set.by_label", tfjsonpath.New("namespace"), knownvalue.StringExact(sffake.NorthpassNamespace)),
				statecheck.ExpectKnownValue("data.northpass_salesforce_permission_set.by_label", tfjsonpath.New("qualified_name"), knownvalue.StringExact(nsuQualified)),
				statecheck.ExpectKnownValue("data.northpass_salesforce_permission_set.by_name", tfjsonpath.New("id"), knownvalue.StringExact(nsu)),
				statecheck.ExpectKnownValue("data.northpass_salesforce_permission_set.by_name", tfjsonpath.New("label"), knownvalue.StringExact(nsuLabel)),
				statecheck.ExpectKnownValue("data.northpass_salesforce_permission_set.unpackaged", tfjsonpath.New("id"), knownvalue.StringExact(salesOps)),
				statecheck.ExpectKnownValue("data.northpass_salesforce_permission_set.unpackaged", tfjsonpath.New("label"), knownvalue.StringExact("Sales Ops")),
				statecheck.ExpectKnownValue("data.northpass_salesforce_permission_set.unpackaged", tfjsonpath.New("namespace"), knownvalue.StringExact("")),
				statecheck.ExpectKnownValue("data.northpass_salesforce_permission_set.unpackaged", tfjsonpath.New("qualified_name"), knownvalue.StringExact("Sales_Ops")),
			},
		}},
	})
}

// Two permission sets with one label: an error listing both; namespace
// or name picks one.
func TestAccPermissionSetDataSource_ambiguous(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	copyID, err := org.Insert("PermissionSet", map[string]any{"Name": "Northpass_Standard_User", "Label": nsuLabel})
	mustDo(t, err)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: org.jwtProvider() + `
data "northpass_salesforce_permission_set" "x" {
  label = "Northpass Standard User"
}
`,
				ExpectError: errorLike("Several permission sets match", "2 permission sets have the label",
					"name Northpass_Standard_User, namespace none", "name "+nsuQualified),
			},
			{
				Config: org.jwtProvider() + `
data "northpass_salesforce_permission_set" "x" {
  name = "Northpass_Standard_User"
}
`,
				ExpectError: errorLike("Several permission sets match", `set namespace ("" for the one outside any package)`),
			},
			{
				Config: org.jwtProvider() + `
data "northpass_salesforce_permission_set" "x" {
  name      = "Northpass_Standard_User"
  namespace = ""
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.northpass_salesforce_permission_set.x", tfjsonpath.New("id"), knownvalue.StringExact(copyID)),
				},
			},
			{
				Config: org.jwtProvider() + `
data "northpass_salesforce_permission_set" "x" {
  label     = "Northpass Standard User"
  namespace = "` + sffake.NorthpassNamespace + `"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.northpass_salesforce_permission_set.x", tfjsonpath.New("id"), knownvalue.StringExact(org.nsuID(t))),
				},
			},
		},
	})
}

func TestAccPermissionSetDataSource_notFound(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: org.jwtProvider() + `
data "northpass_salesforce_permission_set" "x" {
  label = "Northpass Power User"
}
`,
				ExpectError: errorLike("Permission set not found", `label "Northpass Power User"`),
			},
			{ // a profile's own permission set is never returned
				Config: org.jwtProvider() + `
data "northpass_salesforce_permission_set" "x" {
  label = "Profile permission set for Standard User"
}
`,
				ExpectError: errorLike("Permission set not found"),
			},
			{
				Config: org.jwtProvider() + `
data "northpass_salesforce_permission_set" "x" {
  name      = "Sales_Ops"
  namespace = "` + sffake.NorthpassNamespace + `"
}
`,
				ExpectError: errorLike("Permission set not found", `API name "Sales_Ops" in namespace`),
			},
		},
	})
}

func TestAccPermissionSetDataSource_invalidConfig(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: `
data "northpass_salesforce_permission_set" "x" {
  label = "Northpass Standard User"
  name  = "Northpass_Standard_User"
}
`,
				ExpectError: errorLike("Invalid Attribute Combination"),
			},
			{
				Config: `
data "northpass_salesforce_permission_set" "x" {
  name = "northpass__Northpass_Standard_User"
}
`,
				ExpectError: errorLike("without a namespace prefix"),
			},
		},
	})
}
