package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

var _ resource.ResourceWithModifyPlan = (*layoutRelatedListResource)(nil)

// ModifyPlan checks at plan time that the page layout exists, so a typo in
// `layout` stops the plan before anything else in the configuration is
// changed. It costs the object's layout listing once per plan (the read
// cache shares it between related lists on the same object).
func (r *layoutRelatedListResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil || r.data.salesforce == nil {
		return // destroy, or validation before the provider is configured
	}
	var plan, state *layoutRelatedListModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() || plan.Layout.IsUnknown() {
		return
	}
	if state != nil && state.Layout.Equal(plan.Layout) {
		return // Read already proved it exists
	}
	client, done := r.data.salesforceFor(&resp.Diagnostics, typeLayoutRelatedList)
	defer done()
	_, err := resolveLayout(ctx, client, plan.Layout.ValueString())
	var missing *errLayoutNotFound
	switch {
	case errors.As(err, &missing):
		resp.Diagnostics.AddAttributeError(path.Root("layout"), "Page layout not found",
			err.Error()+". Use one of these full names (the "+string(typeLayoutsData)+" data source lists them).")
	case err != nil:
		// Not fatal at plan time: apply reports it with full context.
		resp.Diagnostics.AddAttributeWarning(path.Root("layout"), "Cannot check the page layout", salesforceErrorDetail(err))
	}
}
