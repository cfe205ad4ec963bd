package provider

import (
	"fmt"
	"regexp"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

const contactLayouts = "data.northpass_salesforce_layouts.contact"

func layoutRow(name, fullName string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":        knownvalue.StringRegexp(regexp.MustCompile(`^00h[0-9A-Za-z]{15}$`)),
		"name":      knownvalue.StringExact(name),
		"full_name": knownvalue.StringExact(fullName),
		"namespace": knownvalue.Null(),
	})
}

func TestAccLayouts_contactByDefault(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	var ids []string
	for _, r := range org.Records("Layout") {
		ids = append(ids, fmt.Sprint(r["Id"]))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + `data "northpass_salesforce_layouts" "contact" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				jsonStateCheck(func(s *tfjson.State) error {
					got := map[string]bool{}
					for _, i := range []int{0, 1} {
						id, err := stateAttr(s, contactLayouts, tfjsonpath.New("layouts").AtSliceIndex(i).AtMapKey("id"))
						if err != nil {
							return err
						}
						got[fmt.Sprint(id)] = true
					}
					for _, id := range ids {
						if !got[id] {
							return fmt.Errorf("layout id %s of the fake is not in the data source (%v)", id, got)
						}
					}
					return nil
				}),
				statecheck.ExpectKnownValue(contactLayouts, tfjsonpath.New("object"), knownvalue.StringExact("Contact")),
				statecheck.ExpectKnownValue(contactLayouts, tfjsonpath.New("layouts"), knownvalue.ListExact([]knownvalue.Check{
					// Sorted by name, as Setup lists them.
					layoutRow("Contact (Marketing) Layout", "Contact-Contact %28Marketing%29 Layout"),
					layoutRow("Contact Layout", "Contact-Contact Layout"),
				})),
			},
		}},
	})
}

// The full names are what the related list resource takes.
func TestAccLayouts_feedsTheRelatedListResource(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + fmt.Sprintf(`
data "northpass_salesforce_layouts" "contact" {
  object = "Contact"
}

resource "northpass_salesforce_layout_related_list" "enrollments" {
  count        = length(data.northpass_salesforce_layouts.contact.layouts)
  layout       = data.northpass_salesforce_layouts.contact.layouts[count.index].full_name
  related_list = %q
  fields       = [%q]
}
`, rlEnrollments, rlCourseName),
			ConfigStateChecks: []statecheck.StateCheck{fakeState(func() error {
				for _, layout := range []string{rlContactLayout, rlMarketingLayout} {
					if err := expectRelatedList(org, layout, rlEnrollments, map[string]any{"fields": anyList(rlCourseName)}); err != nil {
						return err
					}
				}
				return nil
			})},
		}},
	})
}

func TestAccLayouts_objectWithoutLayoutsAndInvalidName(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{
				Config:      org.jwtProvider() + `data "northpass_salesforce_layouts" "contact" { object = "Contact Layout" }`,
				ExpectError: errorLike("Invalid Attribute Value Match", "object", "must be an object's API name"),
			},
			{
				Config: org.jwtProvider() + fmt.Sprintf(`data "northpass_salesforce_layouts" "contact" { object = "%s__Enrollment__c" }`, rlNS),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(contactLayouts, tfjsonpath.New("layouts"), knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}
