package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
)

// requiresReplaceWhenChanged replaces the resource when the attribute's new
// value is known and differs from the state, as RequiresReplace does, but
// not when the value is only known at apply.
//
// Why: in the guide's configuration the permission set id and the related
// list name come from data sources that wait for a package upgrade, so they
// are unknown while the upgrade is planned. Plain RequiresReplace would then
// plan to remove every user's permission set (and the related list) and add
// them back after the upgrade. Ids and API names survive package upgrades;
// should one really change, Terraform's final plan at apply asks for the
// replacement and stops with an "inconsistent final plan" error instead of
// doing anything.
func requiresReplaceWhenChanged(same func(plan, state string) bool) planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			if req.PlanValue.IsUnknown() || req.StateValue.IsNull() {
				return
			}
			resp.RequiresReplace = !same(req.PlanValue.ValueString(), req.StateValue.ValueString())
		},
		"Replaces the resource when the value changes to another known value.",
		"Replaces the resource when the value changes to another known value.")
}

func sameString(a, b string) bool { return a == b }
