package provider

import (
	"context"
	"fmt"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Why checks of the fakes run as state checks: terraform-plugin-testing
// (v1.16) runs `terraform show -json` once for a step's Check, to build the
// *terraform.State it passes, and once more for the step's
// ConfigStateChecks. Terraform processes are most of the suite's CPU, so a
// step that sets both pays for a second state read it does not need when its
// Check looks only at the fakes (their records and requests). Such a check
// runs first in ConfigStateChecks instead: the same assertions in the same
// order (Check ran before the state checks), one `terraform show` per step.
// A check that compares the fakes with the Terraform state reads the JSON
// state the state checks get (jsonStateCheck), not a *terraform.State.

// fakeState runs a check against the fakes as a state check: unlike Check,
// state checks also work with for_each, and they share the step's one state
// read.
type fakeState func() error

func (f fakeState) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

// fakeCheck runs check, a Check that looks only at the fakes, as a state
// check. It gets no *terraform.State: a check that reads one (RootModule
// panics on nil) fails the step with an error saying so, instead of passing
// on an empty state.
func fakeCheck(check resource.TestCheckFunc) statecheck.StateCheck {
	return fakeState(func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("a check given to fakeCheck read the Terraform state (keep it in Check): %v", r)
			}
		}()
		return check(nil)
	})
}

// jsonStateCheck runs a check that compares the fakes with the Terraform
// state, on the state the step's state checks read.
type jsonStateCheck func(*tfjson.State) error

func (f jsonStateCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(req.State)
}

// stateResource is the resource or data source at addr in the root module:
// what s.RootModule().Resources[addr] is in a *terraform.State.
func stateResource(st *tfjson.State, addr string) (*tfjson.StateResource, error) {
	if st != nil && st.Values != nil && st.Values.RootModule != nil {
		for _, r := range st.Values.RootModule.Resources {
			if r.Address == addr {
				return r, nil
			}
		}
	}
	return nil, fmt.Errorf("%s not in state", addr)
}

// stateAttr is the value at path in the resource or data source at addr;
// numbers are json.Number.
func stateAttr(st *tfjson.State, addr string, path tfjsonpath.Path) (any, error) {
	r, err := stateResource(st, addr)
	if err != nil {
		return nil, err
	}
	return tfjsonpath.Traverse(r.AttributeValues, path)
}
