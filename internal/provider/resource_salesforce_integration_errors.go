package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi"
)

// integrationAPIByHand is what to do when the CE account does not serve the
// integration-settings API: the card is set up in the app, and Terraform
// lets go of the CE side without touching it.
const integrationAPIByHand = "The integration-settings endpoints (GET and PATCH /v2/integrations/salesforce, " +
	"POST /v2/integrations/salesforce/authorizations, DELETE /v2/integrations/salesforce/authorization) are the " +
	"contract this provider expects, not part of CE's public API, and this CE account does not serve them. " +
	"Nothing was changed in CE, and Terraform's state is left as it was.\n\n" +
	"Do the CE side by hand, as the setup guide describes: in CE open Apps → Integrations → Salesforce, enter the " +
	"Salesforce instance URL, set the Sandbox toggle, click Authorize and log in to Salesforce as the integration " +
	"user, approve, and enable the integration until the card shows CONNECTED.\n\n" +
	"Then take the CE side out of this configuration: delete the northpass_salesforce_integration resource and " +
	"data source blocks (and what refers to them), and forget a resource that is already in the state with " +
	"`terraform state rm northpass_salesforce_integration.<name>` (or a `removed` block with " +
	"`lifecycle { destroy = false }`); neither changes anything in CE. Every other object of this provider works " +
	"without these endpoints.\n\n" +
	"If this account should serve them, check api_url (NORTHPASS_API_URL) and ask Gainsight support."

// addIntegrationError reports err under summary, or — when the account does
// not serve the integration-settings API — as that, with what to do by hand.
func addIntegrationError(diags *diag.Diagnostics, summary string, err error) {
	if npapi.IsIntegrationAPINotServed(err) {
		diags.AddError("CE account does not serve the integration-settings API", err.Error()+".\n\n"+integrationAPIByHand)
		return
	}
	diags.AddError(summary, err.Error())
}
