package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

func userCheck(name, attr string, want knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue("data.northpass_salesforce_user."+name, tfjsonpath.New(attr), want)
}

func TestAccSalesforceUserDataSource_byUsernameAndID(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	admin, integration, jane := org.userID(t, sffake.DefaultAdminUsername), org.userID(t, sffake.DefaultIntegrationUsername), org.userID(t, janeUsername)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + `
data "northpass_salesforce_user" "admin" {
  username = "` + sffake.DefaultAdminUsername + `"
}
data "northpass_salesforce_user" "integration" {
  username = "INTEGRATION@acme.example" # matched ignoring case
}
data "northpass_salesforce_user" "jane" {
  id = "` + jane[:15] + `"
}
data "northpass_salesforce_user" "former" {
  username = "` + formerUser + `"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				userCheck("admin", "id", knownvalue.StringExact(admin)),
				userCheck("admin", "is_system_admin", knownvalue.Bool(true)),
				userCheck("admin", "profile_name", knownvalue.StringExact("System Administrator")),
				userCheck("admin", "is_active", knownvalue.Bool(true)),
				userCheck("integration", "id", knownvalue.StringExact(integration)),
				userCheck("integration", "username", knownvalue.StringExact("INTEGRATION@acme.example")),
				userCheck("integration", "is_system_admin", knownvalue.Bool(false)),
				userCheck("integration", "profile_name", knownvalue.StringExact("Minimum Access - Salesforce")),
				userCheck("integration", "email", knownvalue.StringExact(sffake.DefaultIntegrationUsername)),
				userCheck("jane", "id", knownvalue.StringExact(jane[:15])),
				userCheck("jane", "username", knownvalue.StringExact(janeUsername)),
				userCheck("jane", "name", knownvalue.StringExact("Jane Doe")),
				userCheck("jane", "is_system_admin", knownvalue.Bool(false)),
				userCheck("former", "is_active", knownvalue.Bool(false)),
			},
		}},
	})
}

// Modify All Data through a permission set makes an administrator too.
func TestAccSalesforceUserDataSource_adminThroughPermissionSet(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	config := org.jwtProvider() + `
data "northpass_salesforce_user" "jane" {
  username = "` + janeUsername + `"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{userCheck("jane", "is_system_admin", knownvalue.Bool(false))},
			},
			{
				PreConfig: func() {
					ps, err := org.Insert("PermissionSet", map[string]any{
						"Name": "Data_Steward", "Label": "Data Steward", "PermissionsModifyAllData": true})
					mustDo(t, err)
					_, err = org.Insert("PermissionSetAssignment", map[string]any{"AssigneeId": org.userID(t, janeUsername), "PermissionSetId": ps})
					mustDo(t, err)
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					userCheck("jane", "is_system_admin", knownvalue.Bool(true)),
					userCheck("jane", "profile_name", knownvalue.StringExact("Standard User")),
				},
			},
		},
	})
}

// The guide's rule as a precondition: the integration user is no admin.
func TestAccSalesforceUserDataSource_asPrecondition(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	check := func(username string) string {
		return org.jwtProvider() + `
data "northpass_salesforce_user" "integration" {
  username = "` + username + `"
}
output "integration_user_is_admin" {
  value = data.northpass_salesforce_user.integration.is_system_admin
  precondition {
    condition     = !data.northpass_salesforce_user.integration.is_system_admin
    error_message = "The integration user must not be a System Administrator."
  }
}
`
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config:            check(sffake.DefaultIntegrationUsername),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("integration_user_is_admin", knownvalue.Bool(false))},
			},
			{
				Config:      check(sffake.DefaultAdminUsername),
				ExpectError: errorLike("must not be a System Administrator"),
			},
		},
	})
}

func TestAccSalesforceUserDataSource_notFound(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	missingID := "005" + "000000000ZZZ"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config: org.jwtProvider() + `
data "northpass_salesforce_user" "x" {
  username = "nobody@acme.example"
}
`,
				ExpectError: errorLike("Salesforce user not found", `"nobody@acme.example"`),
			},
			{
				Config: org.jwtProvider() + `
data "northpass_salesforce_user" "x" {
  id = "` + missingID + `"
}
`,
				ExpectError: errorLike("Salesforce user not found", "has no user"),
			},
			{
				Config: org.jwtProvider() + `
data "northpass_salesforce_user" "x" {
  id = "` + org.nsuID(t) + `"
}
`,
				ExpectError: errorLike("is a permission set id (prefix 0PS), but a user id (prefix 005) is needed"),
			},
		},
	})
}
