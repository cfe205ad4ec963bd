package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// warningRecorder serves the provider to terraform and keeps the warnings
// each terraform command received, which is what terraform prints. A
// command starts with ConfigureProvider; the one that applied a change is
// the one with an ApplyResourceChange.
type warningRecorder struct {
	mu       sync.Mutex
	commands []*recordedCommand
}

type recordedCommand struct {
	applied  bool
	warnings []string // "RPC: summary: detail"
}

func (w *warningRecorder) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	newInner := providerFactories()["northpass"] // the tests' own settings: short polls and waits
	return map[string]func() (tfprotov6.ProviderServer, error){
		"northpass": func() (tfprotov6.ProviderServer, error) {
			inner, err := newInner()
			return &recordingServer{ProviderServer: inner, rec: w}, err
		},
	}
}

func (w *warningRecorder) note(rpc string, applied bool, diags []*tfprotov6.Diagnostic) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.commands) == 0 {
		w.commands = append(w.commands, &recordedCommand{})
	}
	c := w.commands[len(w.commands)-1]
	c.applied = c.applied || applied
	for _, d := range diags {
		if d != nil && d.Severity == tfprotov6.DiagnosticSeverityWarning {
			c.warnings = append(c.warnings, rpc+": "+d.Summary+": "+d.Detail)
		}
	}
}

// applyWarnings returns the warnings of the commands that applied changes.
func (w *warningRecorder) applyWarnings() (applies int, warnings []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range w.commands {
		if c.applied {
			applies++
			warnings = append(warnings, c.warnings...)
		}
	}
	return applies, warnings
}

type recordingServer struct {
	tfprotov6.ProviderServer
	rec *warningRecorder
}

func (s *recordingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	s.rec.mu.Lock()
	s.rec.commands = append(s.rec.commands, &recordedCommand{})
	s.rec.mu.Unlock()
	resp, err := s.ProviderServer.ConfigureProvider(ctx, req)
	if resp != nil {
		s.rec.note("ConfigureProvider", false, resp.Diagnostics)
	}
	return resp, err
}

func (s *recordingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		s.rec.note("PlanResourceChange", false, resp.Diagnostics)
	}
	return resp, err
}

func (s *recordingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		s.rec.note("ApplyResourceChange", true, resp.Diagnostics)
	}
	return resp, err
}

func (s *recordingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	resp, err := s.ProviderServer.ReadResource(ctx, req)
	if resp != nil {
		s.rec.note("ReadResource", false, resp.Diagnostics)
	}
	return resp, err
}

// What the client notices while signing in reaches the user even when the
// apply only installs a package: no refresh, no data source, nothing read
// that would report it by chance. The External Client App refuses the
// login URL as JWT audience and accepts the My Domain URL; the client says
// so as a warning, once, in the terraform command that signed in.
func TestAccSalesforcePackage_clientWarningReachesTheApply(t *testing.T) {
	skipOnRealOrg(t)
	org := newFakeOrg(t, sffake.Options{ExternalClientApp: true, InstallDuration: pkgQuickInstall})
	np21 := pkgVersion(t, org, sffake.NorthpassNamespace, "2.1")
	rec := &warningRecorder{}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			Config: org.jwtProvider() + pkgConfig("np", np21.VersionID, `  approve_remote_sites = true`),
			Check: func(*terraform.State) error {
				if err := expectPkgInstallRequests(org, np21, "SUCCESS"); err != nil {
					return err
				}
				applies, warnings := rec.applyWarnings()
				if applies != 1 {
					return fmt.Errorf("%d terraform commands applied changes, want 1", applies)
				}
				var found []string
				for _, w := range warnings {
					if strings.Contains(w, "accepted the org's My Domain URL "+org.URL()) &&
						strings.Contains(w, `jwt_audience = "`+org.URL()+`"`) {
						found = append(found, w)
					}
				}
				if len(found) != 1 {
					return fmt.Errorf("the apply showed %d JWT audience warnings, want 1; its warnings: %q", len(found), warnings)
				}
				return nil
			},
		}},
	})
}
