package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// attrError matches an error diagnostic on one attribute: its summary,
// the configuration line Terraform quotes for the attribute (`N:   attr =`),
// then phrases of the detail, in order.
func attrError(summary, attr string, detail ...string) *regexp.Regexp {
	parts := []string{`Error: ` + summary, `\d+:\s+` + regexp.QuoteMeta(attr) + `\s*=`}
	for _, d := range detail {
		parts = append(parts, errorLike(d).String()[len("(?s)"):])
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

// providerError matches an error in the provider block. Terraform cannot
// point into the salesforce = { … } object (it quotes the provider block's
// first line), so the attribute at fault must be named in the summary or
// the detail: the phrases say where.
func providerError(summary string, detail ...string) *regexp.Regexp {
	return errorLike(append([]string{"Error: " + summary, `provider "northpass" {`}, detail...)...)
}

// badInputCase is one invalid configuration. provider replaces the default
// provider block (both APIs, JWT bearer) when set.
type badInputCase struct {
	name     string
	provider func(org *fakeOrg, ce *npfake.Server) string
	hcl      func(ids badInputIDs) string
	want     *regexp.Regexp
}

// badInputIDs are real ids of the fake org, for configurations that are
// wrong in one way only.
type badInputIDs struct {
	ps, user, version string
}

// canary is valid and would write to both fakes if apply got that far: a
// permission set assignment in the org and the integration settings in CE.
func canary(ids badInputIDs) string {
	return fmt.Sprintf(`
resource "northpass_salesforce_permission_set_assignment" "canary" {
  permission_set_id = %q
  assignee_id       = %q
}

resource "northpass_salesforce_integration" "canary" {
  instance_url = "https://acme.my.salesforce.com"
}
`, ids.ps, ids.user)
}

func sfProvider(settings string) func(*fakeOrg, *npfake.Server) string {
	return func(org *fakeOrg, ce *npfake.Server) string {
		return fmt.Sprintf(`
provider "northpass" {
  api_key = %q
  api_url = %q
  salesforce = {
%s
  }
}
`, ce.APIKey(), ce.URL(), strings.ReplaceAll(strings.ReplaceAll(settings, "ORG_URL", org.URL()), "ORG_KEY", strings.ReplaceAll(org.key, "\n", `\n`)))
	}
}

func ceProviderWith(settings string) func(*fakeOrg, *npfake.Server) string {
	return func(org *fakeOrg, ce *npfake.Server) string {
		return fmt.Sprintf(`
provider "northpass" {
%s
  salesforce = {
%s
  }
}
`, strings.ReplaceAll(strings.ReplaceAll(settings, "CE_URL", ce.URL()), "CE_KEY", ce.APIKey()), org.jwtSettings(org.key))
	}
}

func fixed(hcl string) func(badInputIDs) string { return func(badInputIDs) string { return hcl } }

// relatedList is a related list resource with one attribute line replaced
// or added.
func relatedList(lines string) func(badInputIDs) string {
	return fixed(`
resource "northpass_salesforce_layout_related_list" "bad" {
` + lines + `
}
`)
}

func badInputCases() []badInputCase {
	const (
		jwtOK = `    login_url   = "ORG_URL"
    client_id   = "` + sffake.DefaultConsumerKey + `"
    username    = "` + sffake.DefaultAdminUsername + `"
    private_key = "ORG_KEY"`
		goodList = `  layout       = "Contact-Contact Layout"
  related_list = "RelatedCaseList"`
	)
	psa := func(psID, userID, extra string) string {
		return fmt.Sprintf(`
resource "northpass_salesforce_permission_set_assignment" "bad" {
  permission_set_id = %q
  assignee_id       = %q
%s}
`, psID, userID, extra)
	}
	return []badInputCase{
		// URLs.
		{name: "api_url plain http", provider: ceProviderWith(`  api_key = "CE_KEY"
  api_url = "http://api.northpass.example"`), want: attrError("Invalid URL", "api_url", "https")},
		{name: "api_url not a URL", provider: ceProviderWith(`  api_key = "CE_KEY"
  api_url = "api.northpass.com"`), want: attrError("Invalid URL", "api_url")},
		{name: "api_url ftp", provider: ceProviderWith(`  api_key = "CE_KEY"
  api_url = "ftp://api.northpass.com"`), want: attrError("Invalid URL", "api_url")},
		{name: "api_url with credentials", provider: ceProviderWith(`  api_key = "CE_KEY"
  api_url = "https://user:pass@api.northpass.com"`), want: attrError("Invalid URL", "api_url")},
		{name: "salesforce instance_url plain http", provider: sfProvider(jwtOK + `
    instance_url = "http://acme.my.salesforce.com"`), want: providerError("Invalid URL", "Attribute salesforce.instance_url", "must use https")},
		{name: "salesforce login_url not absolute", provider: sfProvider(`    login_url   = "login.salesforce.com"
    client_id   = "x"
    username    = "a@b.example"
    private_key = "ORG_KEY"`), want: providerError("Invalid URL", "Attribute salesforce.login_url", "not an absolute URL")},
		{name: "integration instance_url not https", hcl: fixed(`
resource "northpass_salesforce_integration" "bad" {
  instance_url = "http://acme.my.salesforce.com"
}
`), want: attrError("", "instance_url", "https")},
		{name: "integration instance_url not Salesforce", hcl: fixed(`
resource "northpass_salesforce_integration" "bad" {
  instance_url = "https://www.example.com"
}
`), want: attrError("", "instance_url", "salesforce")},

		// Authentication settings that do not add up.
		{name: "access token and JWT key together", provider: sfProvider(jwtOK + `
    access_token = "00Dxx0000000001!AQ0AQFakeToken"
    instance_url = "ORG_URL"`), want: providerError("access_token cannot be combined with client_id, username, private_key")},
		{name: "client secret and JWT key together", provider: sfProvider(jwtOK + `
    client_secret = "s3cr3t"
    instance_url  = "ORG_URL"`), want: providerError("private_key and client_secret select different auth methods")},
		{name: "refresh token and JWT key together", provider: sfProvider(jwtOK + `
    refresh_token = "5Aep861FakeRefresh"`), want: providerError("private_key and refresh_token select different auth methods")},
		{name: "JWT without username", provider: sfProvider(`    login_url   = "ORG_URL"
    client_id   = "x"
    private_key = "ORG_KEY"`), want: providerError("JWT bearer authentication needs username")},
		{name: "client credentials without instance_url", provider: sfProvider(`    client_id     = "x"
    client_secret = "y"`), want: providerError("instance_url is required with client_credentials")},
		{name: "private key not PEM", provider: sfProvider(`    login_url   = "ORG_URL"
    client_id   = "x"
    username    = "a@b.example"
    private_key = "not a key"`), want: providerError("Invalid private key", "Attribute salesforce.private_key", "not PEM")},
		{name: "api_version not a version", provider: sfProvider(jwtOK + `
    api_version = "v65"`), want: providerError("Invalid Attribute Value Match", "Attribute salesforce.api_version", "65.0")},
		{name: "empty api_key", provider: ceProviderWith(`  api_key = ""`), want: attrError("", "api_key")},

		// Salesforce ids: malformed, or of the wrong kind.
		{name: "permission set id too short", hcl: func(ids badInputIDs) string { return psa("0PS123", ids.user, "") },
			want: attrError("", "permission_set_id")},
		{name: "permission set id with bad characters", hcl: func(ids badInputIDs) string { return psa("0PS000000000!!!AAA", ids.user, "") },
			want: attrError("", "permission_set_id")},
		{name: "user id given as permission set", hcl: func(ids badInputIDs) string { return psa(ids.user, ids.user, "") },
			want: attrError("", "permission_set_id", "005", "0PS")},
		{name: "permission set id given as user", hcl: func(ids badInputIDs) string { return psa(ids.ps, ids.ps, "") },
			want: attrError("", "assignee_id", "0PS", "005")},
		{name: "package version given as user", hcl: func(ids badInputIDs) string { return psa(ids.ps, ids.version, "") },
			want: attrError("", "assignee_id", "04t", "005")},
		{name: "permission set given as package version", hcl: func(ids badInputIDs) string {
			return fmt.Sprintf("resource \"northpass_salesforce_package\" \"bad\" {\n  version_id = %q\n}\n", ids.ps)
		}, want: attrError("", "version_id", "0PS", "04t")},
		{name: "package version id malformed", hcl: fixed(`
resource "northpass_salesforce_package" "bad" {
  version_id = "04t-not-an-id"
}
`), want: attrError("", "version_id")},
		{name: "user data source id of a permission set", hcl: func(ids badInputIDs) string {
			return fmt.Sprintf("data \"northpass_salesforce_user\" \"bad\" {\n  id = %q\n}\n", ids.ps)
		}, want: attrError("", "id", "005")},

		// Related list settings.
		{name: "empty field list", hcl: relatedList(goodList + "\n  fields = []"), want: attrError("", "fields")},
		{name: "bad sort order", hcl: relatedList(goodList + "\n  fields = [\"NAME\"]\n  sort_order = \"Up\""), want: attrError("", "sort_order", "Asc", "Desc")},
		{name: "negative position", hcl: relatedList(goodList + "\n  fields = [\"NAME\"]\n  position = -1"), want: attrError("", "position")},
		{name: "layout name without object", hcl: relatedList(`  layout       = "Contact Layout"
  related_list = "RelatedCaseList"
  fields       = ["NAME"]`), want: attrError("", "layout")},
		{name: "related list name malformed", hcl: relatedList(`  layout       = "Contact-Contact Layout"
  related_list = "Enrollments; DROP"
  fields       = ["NAME"]`), want: attrError("", "related_list")},

		// Dates.
		{name: "expiration date in words", hcl: func(ids badInputIDs) string { return psa(ids.ps, ids.user, "  expiration_date = \"tomorrow\"\n") },
			want: attrError("", "expiration_date")},
		{name: "expiration date month 13", hcl: func(ids badInputIDs) string {
			return psa(ids.ps, ids.user, "  expiration_date = \"2030-13-01T00:00:00Z\"\n")
		}, want: attrError("", "expiration_date")},
		{name: "backfill since not a date", hcl: fixed(`
resource "northpass_salesforce_enrollment_backfill" "bad" {
  since                 = "20-11-2025"
  object                = "northpass__Enrollment__c"
  external_id_field     = "northpass__External_Id__c"
  contact_field         = "northpass__Contact__c"
  course_id_field       = "northpass__Course_Id__c"
  course_name_field     = "northpass__Course_Name__c"
  enrollment_date_field = "northpass__Enrollment_Date__c"
  progress_field        = "northpass__Progress_Percentage__c"
}
`), want: attrError("", "since")},
		{name: "sync check since not a date", hcl: fixed(`
data "northpass_salesforce_enrollment_sync" "bad" {
  since = "last tuesday"
}
`), want: attrError("", "since")},

		// Names that the org does not have.
		{name: "unknown permission set", hcl: fixed(`
data "northpass_salesforce_permission_set" "bad" {
  label = "No Such Permission Set"
}
`), want: attrError("", "label", "No Such Permission Set")},
		{name: "unknown usernames", hcl: func(ids badInputIDs) string {
			return fmt.Sprintf(`
resource "northpass_salesforce_permission_set_assignments" "bad" {
  permission_set_id = %q
  usernames         = ["nobody@acme.example", %q]
}
`, ids.ps, formerUser)
		}, want: attrError("Unknown or inactive Salesforce users", "usernames", "nobody@acme.example", formerUser)},
		{name: "username not an email", hcl: func(ids badInputIDs) string {
			return fmt.Sprintf(`
resource "northpass_salesforce_permission_set_assignments" "bad" {
  permission_set_id = %q
  usernames         = ["jane"]
}
`, ids.ps)
		}, want: attrError("", "usernames", "username")},
		{name: "unknown user", hcl: fixed(`
data "northpass_salesforce_user" "bad" {
  username = "nobody@acme.example"
}
`), want: attrError("", "username", "nobody@acme.example")},
		{name: "expected_username not a username", hcl: fixed(`
resource "northpass_salesforce_integration" "bad" {
  instance_url      = "https://acme.my.salesforce.com"
  expected_username = "integration user"
}
`), want: attrError("", "expected_username")},
		{name: "security type unknown", hcl: func(ids badInputIDs) string {
			return fmt.Sprintf("resource \"northpass_salesforce_package\" \"bad\" {\n  version_id    = %q\n  security_type = \"Everyone\"\n}\n", ids.version)
		}, want: attrError("", "security_type", "AdminsOnly")},

		// Versions that are not numbers.
		{name: "version_at_least with a word", hcl: fixed(`
output "bad" {
  value = provider::northpass::version_at_least("latest", "2.1")
}
`), want: regexp.MustCompile(`(?s)Error: .*version_at_least.*"latest"`)},
		{name: "version_at_least with a letter in the minimum", hcl: fixed(`
output "bad" {
  value = provider::northpass::version_at_least("2.1", "2.x")
}
`), want: regexp.MustCompile(`(?s)Error: .*version_at_least.*"2\.x"`)},
	}
}

// Every invalid configuration fails with an error on the attribute at
// fault, and neither fake sees a single write: validation happens before
// anything changes. Each configuration also holds valid resources in both
// APIs (canary), so that an apply that went ahead would show in the fakes'
// request logs.
//
// The cases are the steps of one TestCase: each terraform command costs
// about a tenth of a CPU second to start, and a TestCase of its own per case
// cost two more of them (init and a last show) for the one plan that
// tests something. Every step fails at plan, so the state stays empty and
// each step plans from nothing, as a TestCase of its own would. Step N is
// case N; the log names it before its plan, and a failure on the fakes'
// logs names it too.
func TestAccSuite_badInput(t *testing.T) {
	skipOnRealOrg(t)
	t.Parallel()
	cases := badInputCases()
	if len(cases) < 30 {
		t.Fatalf("%d cases, the suite promises at least 30", len(cases))
	}
	org := newFakeOrg(t, sffake.Options{})
	ce := newFakeCE(t)
	ce.SetAutoApprove(sffake.DefaultIntegrationUsername, 0)
	np21, _ := org.CatalogVersion(sffake.NorthpassNamespace, "2.1")
	ids := badInputIDs{ps: org.nsuID(t), user: org.userID(t, janeUsername), version: np21.VersionID}
	// noWrites checks the fakes' logs after case i's step.
	noWrites := func(i int) {
		t.Helper()
		if err := expectNoWrites(org, ce); err != nil {
			t.Fatalf("case %d/%d (%s): %v", i+1, len(cases), cases[i].name, err)
		}
	}
	steps := make([]resource.TestStep, len(cases))
	for i, c := range cases {
		provider := ceAndSalesforceProvider(ce, org)
		if c.provider != nil {
			provider = c.provider(org, ce)
		}
		hcl := ""
		if c.hcl != nil {
			hcl = c.hcl(ids)
		}
		steps[i] = resource.TestStep{
			PreConfig: casePreConfig(t, i, len(cases), c.name, noWrites, func() {
				org.Kit().Reset()
				ce.Kit().Reset()
			}),
			Config:      provider + canary(ids) + hcl,
			ExpectError: c.want,
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps:                    steps,
	})
	noWrites(len(cases) - 1)
}

// A layout the org does not have is bad input like any other: with
// credentials at plan time the provider can tell before apply changes
// anything, as it does for unknown usernames.
func TestAccSuite_unknownLayoutRefusedBeforeChanges(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	ce := newFakeCE(t)
	ce.SetAutoApprove(sffake.DefaultIntegrationUsername, 0)
	ids := badInputIDs{ps: org.nsuID(t), user: org.userID(t, janeUsername)}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: ceAndSalesforceProvider(ce, org) + canary(ids) + relatedList(`  layout       = "Contact-No Such Layout"
  related_list = "RelatedCaseList"
  fields       = ["NAME"]`)(ids),
			ExpectError: attrError("", "layout", "No Such Layout"),
		}},
	})
	mustDo(t, expectNoWrites(org, ce))
}
