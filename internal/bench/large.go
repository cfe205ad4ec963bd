package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// The large scenarios (-large N, 10,000 by default): the size of the
// biggest orgs, where the permission set goes to tens of thousands of
// users. Batching stays on (the naive mode's one request per object is
// what the small scenarios already compare); each measured command is
// checked against the targets below, and the plan is compared with the
// same plan without refresh, which is Terraform's own floor for that many
// resources.

// target is what a large scenario must stay within.
type target struct {
	calls   int     // Salesforce calls (billable), at most
	memMiB  int64   // provider peak RSS, at most
	ofFloor float64 // wall time at most this multiple of the floor (0: no floor)
}

var (
	largeMemMiB = int64(256)
	// A plan of N single assignments: 1 permission set look-up plus one
	// page per 2,000 assignments; the target leaves room for a retry.
	targetLargePlan   = target{calls: 10, memMiB: largeMemMiB, ofFloor: 1.5}
	targetLargeCreate = target{calls: 120, memMiB: largeMemMiB}
	targetLargeNoop   = target{calls: 60, memMiB: largeMemMiB}
	// No target is set for removing half; it is measured all the same.
	targetLargeRemove = target{memMiB: largeMemMiB}
)

// largeResult is one large scenario's median run.
type largeResult struct {
	scenario string
	n        int
	what     string
	m        measurement
	floor    time.Duration // the -refresh=false plan; 0 when not measured
	target   target
}

func (r largeResult) ratio() float64 {
	if r.floor <= 0 {
		return 0
	}
	return r.m.wall.Seconds() / r.floor.Seconds()
}

// misses lists the targets r does not meet.
func (r largeResult) misses() []string {
	var out []string
	if r.target.calls > 0 && r.m.calls > r.target.calls {
		out = append(out, fmt.Sprintf("calls %d > %d", r.m.calls, r.target.calls))
	}
	if r.target.memMiB > 0 && r.m.provider > r.target.memMiB*1024 {
		out = append(out, fmt.Sprintf("provider peak %s MiB > %d MiB", mib(r.m.provider), r.target.memMiB))
	}
	if r.target.ofFloor > 0 && r.ratio() > r.target.ofFloor {
		out = append(out, fmt.Sprintf("wall %.2fx the -refresh=false plan > %.1fx", r.ratio(), r.target.ofFloor))
	}
	return out
}

// measureOne runs args repeat times with batching on and returns the
// median; before runs ahead of each run, without latency.
func (h *harness) measureOne(dir string, okCodes []int, before func() error, args ...string) (measurement, error) {
	var ms []measurement
	for i := 0; i < h.o.largeRepeat; i++ {
		if before != nil {
			if err := before(); err != nil {
				return measurement{}, err
			}
		}
		res, err := h.terraform(dir, batched, true, okCodes, args...)
		if err != nil {
			return measurement{}, err
		}
		progress("  %5d calls  %6.2f s  provider peak %s MiB", res.calls, res.wall.Seconds(), mib(res.provider))
		ms = append(ms, res)
	}
	return median(ms), nil
}

// largePlanScenario: terraform plan with refresh over N single
// assignments, and the same plan with -refresh=false, alternating, so both
// see the same machine.
func (h *harness) largePlanScenario() (largeResult, error) {
	n := h.o.large
	dir := filepath.Join(h.work, "plan-large")
	ids, err := h.userIDs(n)
	if err != nil {
		return largeResult{}, err
	}
	if err := writeConfig(dir, planConfig(ids)); err != nil {
		return largeResult{}, err
	}
	progress("large plan n=%d: seeding %d assignments in the fake and in the state (no latency)", n, n)
	if err := h.seedSingleAssignments(dir, ids); err != nil {
		return largeResult{}, err
	}
	plan := func(refresh bool) []string {
		return []string{"plan", fmt.Sprintf("-refresh=%t", refresh), "-detailed-exitcode", "-input=false", "-lock=false", "-no-color", h.parallelism()}
	}
	var withRefresh, floor []measurement
	for i := 0; i < h.o.largeRepeat; i++ {
		for _, refresh := range []bool{false, true} {
			res, err := h.terraform(dir, batched, true, []int{0}, plan(refresh)...)
			if err != nil {
				return largeResult{}, err
			}
			progress("  -refresh=%-5t %5d calls  %6.2f s  provider peak %s MiB", refresh, res.calls, res.wall.Seconds(), mib(res.provider))
			if refresh {
				withRefresh = append(withRefresh, res)
			} else {
				floor = append(floor, res)
			}
		}
	}
	// The org is thrown away at the end; 10,000 single deletes would only
	// make the bench longer.
	return largeResult{scenario: "large-plan", n: n, what: "plan (refresh) of N single assignments",
		m: median(withRefresh), floor: median(floor).wall, target: targetLargePlan}, nil
}

// largeAuthoritativeScenarios: one authoritative assignments resource with
// N usernames: created from nothing, planned with nothing to do, and half
// of its usernames removed.
func (h *harness) largeAuthoritativeScenarios() ([]largeResult, error) {
	n := h.o.large
	dir := filepath.Join(h.work, "apply-large")
	if err := writeConfig(dir, applyConfig(n)); err != nil {
		return nil, err
	}
	if err := h.setup(dir, "init", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	apply := []string{"apply", "-auto-approve", "-input=false", "-lock=false", "-no-color", h.parallelism()}
	destroy := func() error {
		return h.setup(dir, "destroy", "-auto-approve", "-input=false", "-no-color", h.parallelism())
	}
	full := func() error {
		if err := writeConfig(dir, applyConfig(n)); err != nil {
			return err
		}
		return h.setup(dir, "apply", "-auto-approve", "-input=false", "-no-color", h.parallelism())
	}

	progress("large create n=%d: terraform apply of one assignments resource with %d usernames, %s latency", n, n, h.o.latency)
	create, err := h.measureOne(dir, []int{0}, destroy, apply...)
	if err != nil {
		return nil, err
	}

	progress("large no-op plan n=%d: terraform plan with nothing to change, %s latency", n, h.o.latency)
	noop, err := h.measureOne(dir, []int{0}, nil,
		"plan", "-detailed-exitcode", "-input=false", "-lock=false", "-no-color", h.parallelism())
	if err != nil {
		return nil, err
	}

	progress("large remove half n=%d: terraform apply keeping %d of the usernames, %s latency", n, n-n/2, h.o.latency)
	// Each run starts from all N assigned (put back without latency) and
	// removes the second half.
	removeHalf := func() error {
		if err := full(); err != nil {
			return err
		}
		return writeConfig(dir, applyConfig(n-n/2))
	}
	remove, err := h.measureOne(dir, []int{0}, removeHalf, apply...)
	if err != nil {
		return nil, err
	}
	if err := destroy(); err != nil {
		return nil, err
	}
	return []largeResult{
		{scenario: "large-create", n: n, what: "apply creating one assignments resource with N usernames", m: create, target: targetLargeCreate},
		{scenario: "large-noop-plan", n: n, what: "plan (refresh) of that resource, nothing changed", m: noop, target: targetLargeNoop},
		{scenario: "large-remove-half", n: n, what: "apply removing N/2 of its usernames", m: remove, target: targetLargeRemove},
	}, nil
}

// seedSingleAssignments sets up N single assignments without N creates
// through terraform (at 10,000, the set-up apply alone takes longer than
// every measured command together): one is applied through terraform, and
// its state instance is the template for the other N-1, whose assignments
// are inserted into the fake directly. The measured plan then finds the
// org and the state in step, or the bench fails (it insists on exit 0).
func (h *harness) seedSingleAssignments(dir string, ids []string) error {
	if err := writeConfig(dir, planConfig(ids[:1])); err != nil {
		return err
	}
	if err := h.setup(dir, "init", "-input=false", "-no-color"); err != nil {
		return err
	}
	if err := h.setup(dir, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return err
	}
	statePath := filepath.Join(dir, "terraform.tfstate")
	raw, err := os.ReadFile(statePath)
	if err != nil {
		return err
	}
	var state map[string]any
	if err := json.Unmarshal(raw, &state); err != nil {
		return err
	}
	resources, _ := state["resources"].([]any)
	var res map[string]any
	for _, r := range resources {
		if m, ok := r.(map[string]any); ok && m["type"] == "northpass_salesforce_permission_set_assignment" {
			res = m
		}
	}
	instances, _ := res["instances"].([]any)
	if len(instances) != 1 {
		return fmt.Errorf("the state of one applied assignment has %d instances", len(instances))
	}
	tmpl, _ := instances[0].(map[string]any)
	attrs, _ := tmpl["attributes"].(map[string]any)
	psID, _ := attrs["permission_set_id"].(string)
	fields := map[string]any{"PermissionSetId": psID}
	if exp, ok := attrs["expiration_date"].(string); ok {
		fields["ExpirationDate"] = exp
	}
	for i := 1; i < len(ids); i++ {
		fields["AssigneeId"] = ids[i]
		id, err := h.org.Insert("PermissionSetAssignment", fields)
		if err != nil {
			return fmt.Errorf("seeding the assignment of %s: %w", ids[i], err)
		}
		inst := map[string]any{}
		for k, v := range tmpl {
			inst[k] = v
		}
		a := map[string]any{}
		for k, v := range attrs {
			a[k] = v
		}
		a["id"], a["assignee_id"] = id, ids[i]
		inst["attributes"], inst["index_key"] = a, i
		instances = append(instances, inst)
	}
	res["instances"] = instances
	serial, _ := state["serial"].(float64)
	state["serial"] = serial + 1
	out, err := json.Marshal(state)
	if err != nil {
		return err
	}
	if err := os.WriteFile(statePath, out, 0o600); err != nil {
		return err
	}
	return writeConfig(dir, planConfig(ids))
}

func reportLarge(o options, rs []largeResult) {
	if len(rs) == 0 {
		return
	}
	fmt.Println()
	fmt.Printf("Large scenarios (batching on; latency %s; terraform -parallelism=%d; median of %d run(s)):\n\n", o.latency, o.parallelism, o.largeRepeat)
	fmt.Println("| scenario | n | Salesforce calls (target) | wall time (s) | -refresh=false plan (s) | provider peak RSS (MiB) | terraform maxrss (MiB) | targets |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---|")
	for _, r := range rs {
		calls := fmt.Sprint(r.m.calls)
		if r.target.calls > 0 {
			calls += fmt.Sprintf(" (≤ %d)", r.target.calls)
		}
		floor := "–"
		if r.floor > 0 {
			floor = fmt.Sprintf("%.2f (%.2fx)", r.floor.Seconds(), r.ratio())
		}
		verdict := "met"
		if ms := r.misses(); len(ms) > 0 {
			verdict = "MISSED: " + fmt.Sprint(ms)
		}
		fmt.Printf("| %s: %s | %d | %s | %.2f | %s | %s | %s | %s |\n", r.scenario, r.what, r.n, calls, r.m.wall.Seconds(), floor,
			mib(r.m.provider), mib(r.m.terraform), verdict)
	}
	fmt.Println()
	fmt.Println("Salesforce calls by endpoint:")
	for _, r := range rs {
		fmt.Printf("  %s n=%d: %s\n", r.scenario, r.n, endpoints(r.m.endpoints))
	}
}

func benchLinesLarge(rs []largeResult) {
	for _, r := range rs {
		line := fmt.Sprintf("bench: scenario=%s n=%d calls=%d wall_s=%.2f provider_peak_mib=%s", r.scenario, r.n, r.m.calls, r.m.wall.Seconds(), mib(r.m.provider))
		if r.floor > 0 {
			line += fmt.Sprintf(" wall_s_refresh_false=%.2f wall_ratio=%.2f", r.floor.Seconds(), r.ratio())
		}
		ok := "yes"
		if len(r.misses()) > 0 {
			ok = "no"
		}
		fmt.Println(line + " targets_met=" + ok)
	}
}
