// Package provider is the Terraform glue of terraform-provider-northpass:
// schemas, validation, plan logic and the mapping between Terraform state
// and the two API clients (internal/sfapi, internal/npapi). It builds no URL
// and parses no response body itself.
package provider

import (
	"context"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

var (
	_ provider.Provider              = (*northpassProvider)(nil)
	_ provider.ProviderWithFunctions = (*northpassProvider)(nil)
)

// New returns a constructor for the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return newWithOptions(version, defaultOptions())
}

// newWithOptions is New with settings tests change: each test builds its own
// provider, so tests that shorten waits or set variables can run in parallel.
func newWithOptions(version string, opts providerOptions) func() provider.Provider {
	return func() provider.Provider {
		return &northpassProvider{version: version, opts: opts}
	}
}

// providerOptions are the provider's settings that are not arguments.
// Production always uses defaultOptions; tests pass their own.
type providerOptions struct {
	// retryWaitMin and retryWaitMax, when set, replace both clients' retry
	// waits (their defaults: 1 s doubling to 30 s).
	retryWaitMin, retryWaitMax time.Duration
	// ceRequestsPerSecond, when set, replaces the CE client's pacing (CE's
	// documented 10 requests per second), for fakes without that limit.
	ceRequestsPerSecond float64
	// packagePoll paces the wait for package installs and uninstalls;
	// tests may replace its Sleep to move the fake's clock.
	packagePoll sfapi.PollPolicy
	// integrationPoll paces the wait for the integration user's approval.
	integrationPoll integrationPollPolicy
	// getenv reads the environment variables that configure the provider.
	getenv func(string) string
}

func defaultOptions() providerOptions {
	return providerOptions{packagePoll: packageInstallPoll, integrationPoll: integrationPoll, getenv: os.Getenv}
}

type northpassProvider struct {
	version string
	opts    providerOptions
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
