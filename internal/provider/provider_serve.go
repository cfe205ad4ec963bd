package provider

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewProtocol6Server returns the provider's protocol server: the
// framework's, with each per-resource request given a context that lets go
// of the request's values when the request ends.
//
// Why: terraform-plugin-framework v1.19.0 (internal/proto6server/serve.go,
// registerContext) derives a context.WithCancel from every request's
// context and appends its CancelFunc to a slice that only StopProvider
// empties. Each CancelFunc keeps its context and, through it, the whole
// chain of parents: the gRPC stream's context and the loggers, logger
// options and fields terraform-plugin-go and the framework put into it
// (about 11 KiB a request). A plan of 10,000 single resources sends about
// 40,000 requests to one provider process, so its heap only grew: the heap
// profile (NORTHPASS_PPROF_DIR, main.go) had those contexts as almost all
// of it, and the process peaked at 1,086 MiB. Handing the framework a
// context that drops its parent when the request returns leaves the
// framework a few hundred bytes per request instead.
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		// A new provider per server, as providerserver.Serve makes it.
		return releasingProtocol6(New(version)())
	}
}

// releasingProtocol6 is the framework's server for p behind the wrapper;
// the acceptance tests serve their providers through it too, so they run
// what production runs.
func releasingProtocol6(p provider.Provider) tfprotov6.ProviderServer {
	s := providerserver.NewProtocol6(p)()
	full, ok := s.(fullServer)
	if !ok {
		return s // a framework with other interfaces: serve it as it is
	}
	return releasingServer{full}
}

// fullServer is every interface the framework's server implements;
// terraform-plugin-go looks for the optional ones by type assertion, so the
// wrapper must keep them all.
type fullServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// releasingServer passes every request through, giving the framework a
// releasingContext for the requests Terraform sends once per resource
// instance. The others (provider-wide requests, once per process, and the
// streaming ones, whose streams outlive the call) get their context as is.
type releasingServer struct{ fullServer }

// releasing runs one request with a context released when it returns.
func releasing[Req, Resp any](ctx context.Context, req Req, f func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newReleasingContext(ctx)
	defer rc.release()
	return f(rc, req)
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return releasing(ctx, req, s.fullServer.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return releasing(ctx, req, s.fullServer.UpgradeResourceState)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return releasing(ctx, req, s.fullServer.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return releasing(ctx, req, s.fullServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return releasing(ctx, req, s.fullServer.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return releasing(ctx, req, s.fullServer.ImportResourceState)
}

func (s releasingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return releasing(ctx, req, s.fullServer.MoveResourceState)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return releasing(ctx, req, s.fullServer.UpgradeResourceIdentity)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return releasing(ctx, req, s.fullServer.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return releasing(ctx, req, s.fullServer.ReadDataSource)
}

func (s releasingServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return releasing(ctx, req, s.fullServer.CallFunction)
}

// releasingContext is the request's context until release, and afterwards
// a cancelled context without values, so that whatever still holds it (the
// framework's registered CancelFuncs) no longer holds the request's. By
// then the request's own context is cancelled too (gRPC cancels it when the
// call returns), so nothing that still asks sees a difference in Done or Err.
type releasingContext struct {
	mu  sync.RWMutex
	ctx context.Context
}

func newReleasingContext(ctx context.Context) *releasingContext {
	return &releasingContext{ctx: ctx}
}

// released is what a releasingContext is after release.
var released = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

func (c *releasingContext) release() {
	c.mu.Lock()
	c.ctx = released
	c.mu.Unlock()
}

func (c *releasingContext) current() context.Context {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.ctx
}

func (c *releasingContext) Deadline() (time.Time, bool) { return c.current().Deadline() }
func (c *releasingContext) Done() <-chan struct{}       { return c.current().Done() }
func (c *releasingContext) Err() error                  { return c.current().Err() }
func (c *releasingContext) Value(key any) any           { return c.current().Value(key) }
