package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
	"github.com/ceiac/terraform-provider-northpass/internal/urlcheck"
)

// providerData is what Configure hands to every resource and data source.
// A nil client means that side of the integration is not configured.
type providerData struct {
	version    string
	userAgent  string
	salesforce *sfapi.Client
	northpass  *npapi.Client
	opts       providerOptions
}

// options returns the provider's settings; the defaults when there is no
// provider data (a resource used before Configure).
func (d *providerData) options() providerOptions {
	if d == nil {
		return defaultOptions()
	}
	return d.opts
}

// salesforceClient returns the Salesforce client, or adds an error telling
// the user which provider arguments to set.
func (d *providerData) salesforceClient(diags *diag.Diagnostics, object string) *sfapi.Client {
	if d == nil || d.salesforce == nil {
		diags.AddError("Salesforce is not configured",
			object+" reads or changes the Salesforce org, but the provider has no Salesforce credentials. "+
				"Set the provider's salesforce argument (for JWT bearer: client_id, username and private_key; "+
				"or client_id, client_secret and instance_url for client credentials), or the matching "+
				"SALESFORCE_* environment variables (SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME, "+
				"SALESFORCE_PRIVATE_KEY or SALESFORCE_PRIVATE_KEY_FILE, …).")
		return nil
	}
	return d.salesforce
}

// northpassClient returns the CE client, or an error naming what to set.
func (d *providerData) northpassClient(diags *diag.Diagnostics, object string) *npapi.Client {
	if d == nil || d.northpass == nil {
		diags.AddError("Customer Education (Northpass) is not configured",
			object+" talks to the CE API, but the provider has no CE API key. Set the provider's api_key "+
				"argument or the NORTHPASS_API_KEY environment variable (and api_url / NORTHPASS_API_URL for a "+
				"non-default host).")
		return nil
	}
	return d.northpass
}

// salesforceWarnings turns what the client noticed (a rotated refresh token)
// into warnings the user sees.
func (d *providerData) salesforceWarnings(diags *diag.Diagnostics) {
	if d == nil || d.salesforce == nil {
		return
	}
	for _, w := range d.salesforce.Warnings() {
		diags.AddWarning("Salesforce authentication", w)
	}
}

func urlProblem(raw string) string {
	if _, err := urlcheck.Service(raw); err != nil {
		return err.Error()
	}
	return ""
}
