package provider

import (
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

func urlProblem(raw string) string {
	if _, err := urlcheck.Service(raw); err != nil {
		return err.Error()
	}
	return ""
}
