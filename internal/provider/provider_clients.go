package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// resourceType and dataSourceType are Terraform type names, such as
// northpass_salesforce_package. Each resource and data source declares its
// own as a constant beside its Metadata, which registers it; errors and the
// client accessors name the object with it, so the two cannot drift apart.
type (
	resourceType   string
	dataSourceType string
)

// objectType is a resourceType or a dataSourceType.
type objectType interface{ object() string }

func (t resourceType) object() string   { return "resource " + string(t) }
func (t dataSourceType) object() string { return "data source " + string(t) }

// salesforceFor is how every operation of a resource or data source (Create,
// Read, Update, Delete, ImportState, ModifyPlan, a data source's Read) gets
// the Salesforce client:
//
//	client, done := r.data.salesforceFor(&resp.Diagnostics, typeSalesforcePackage)
//	defer done()
//
// done reports what the client noticed meanwhile (a rotated refresh token, a
// JWT audience that only worked on the second try) as warnings in diags. The
// client hands each warning out once, to whichever operation ends first, so
// every operation must report them: a sign-in that happens in Create alone
// would otherwise never reach the user. Without Salesforce credentials the
// client is nil, diags holds an error naming what to set, and done does
// nothing.
func (d *providerData) salesforceFor(diags *diag.Diagnostics, obj objectType) (client *sfapi.Client, done func()) {
	if d == nil || d.salesforce == nil {
		diags.AddError("Salesforce is not configured",
			obj.object()+" reads or changes the Salesforce org, but the provider has no Salesforce credentials. "+
				"Set the provider's salesforce argument (for JWT bearer: client_id, username and private_key; "+
				"or client_id, client_secret and instance_url for client credentials), or the matching "+
				"SALESFORCE_* environment variables (SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME, "+
				"SALESFORCE_PRIVATE_KEY or SALESFORCE_PRIVATE_KEY_FILE, …).")
		return nil, func() {}
	}
	return d.salesforce, func() { d.salesforceWarnings(diags) }
}

// salesforceWarnings turns what the client noticed into warnings the user
// sees. Operations reach it through the done func of salesforceFor.
func (d *providerData) salesforceWarnings(diags *diag.Diagnostics) {
	if d == nil || d.salesforce == nil {
		return
	}
	for _, w := range d.salesforce.Warnings() {
		diags.AddWarning("Salesforce authentication", w)
	}
}

// northpassFor returns the CE client for one operation of obj, or nil with
// an error naming what to set. The CE client gathers no warnings, so there
// is nothing to report afterwards.
func (d *providerData) northpassFor(diags *diag.Diagnostics, obj objectType) *npapi.Client {
	if d == nil || d.northpass == nil {
		diags.AddError("Customer Education (Northpass) is not configured",
			obj.object()+" talks to the CE API, but the provider has no CE API key. Set the provider's api_key "+
				"argument or the NORTHPASS_API_KEY environment variable (and api_url / NORTHPASS_API_URL for a "+
				"non-default host).")
		return nil
	}
	return d.northpass
}
