// Package provider is the Terraform glue of terraform-provider-northpass:
// schemas, validation, plan logic and the mapping between Terraform state
// and the two API clients (internal/sfapi, internal/npapi). It builds no URL
// and parses no response body itself.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

var (
	_ provider.Provider              = (*northpassProvider)(nil)
	_ provider.ProviderWithFunctions = (*northpassProvider)(nil)
)

// New returns a constructor for the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &northpassProvider{version: version}
	}
}

type northpassProvider struct {
	version string
}

func (p *northpassProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "northpass"
	resp.Version = p.version
}

func (p *northpassProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newSalesforceIntegrationResource,
		newEnrollmentBackfillResource,
		newLayoutRelatedListResource,
		newPermissionSetAssignmentResource,
		newPermissionSetAssignmentsResource,
		newSalesforcePackageResource,
	}
}

func (p *northpassProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newSalesforceIntegrationDataSource,
		newEnrollmentSchemaDataSource,
		newEnrollmentSyncDataSource,
		newInstalledPackagesDataSource,
		newInstalledPackageDataSource,
		newLayoutsDataSource,
		newSalesforceOrgDataSource,
		newPermissionSetDataSource,
		newSalesforceUserDataSource,
	}
}

func (p *northpassProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{
		newVersionAtLeastFunction,
	}
}
