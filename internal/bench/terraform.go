package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

type harness struct {
	o    options
	org  *sffake.Server
	env  []string
	work string
}

// terraform runs one command in dir. With measure set, the fake's counters
// are reset and its latency switched on for exactly this command, and the
// provider's memory is sampled while it runs.
func (h *harness) terraform(dir string, m mode, measure bool, okCodes []int, args ...string) (measurement, error) {
	ctx, cancel := withTimeout(h.o.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.o.terraformBin, args...)
	cmd.Dir = dir
	cmd.Env = append(append([]string(nil), h.env...), m.env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out

	kit := h.org.Kit()
	if measure {
		kit.Reset()
		kit.SetLatency(h.o.latency)
		defer kit.SetLatency(0)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return measurement{}, err
	}
	sampler := startSampler(cmd.Process.Pid)
	err := cmd.Wait()
	wall := time.Since(start)
	peak := sampler.stop()
	var res measurement
	if measure {
		res = measurement{calls: kit.BillableCalls(), wall: wall, provider: peak, endpoints: kit.Counters()}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			res.terraform = ru.Maxrss // KiB on Linux
		}
	}
	code := cmd.ProcessState.ExitCode()
	for _, ok := range okCodes {
		if code == ok {
			return res, nil
		}
	}
	return res, fmt.Errorf("terraform %s in %s (%s) exited %d (%v):\n%s", strings.Join(args, " "), dir, m.name, code, err, tail(out.String(), 60))
}

func tail(s string, lines int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}

func (h *harness) parallelism() string { return fmt.Sprintf("-parallelism=%d", h.o.parallelism) }

// setup runs a command without latency or measurement.
func (h *harness) setup(dir string, args ...string) error {
	_, err := h.terraform(dir, batched, false, []int{0}, args...)
	return err
}

// userIDs are the ids of user0001… userN, from one listing of the users
// (a look-up per user scans the whole fake: quadratic at 10,000).
func (h *harness) userIDs(n int) ([]string, error) {
	byName := map[string]string{}
	for _, rec := range h.org.Records("User") {
		byName[strings.ToLower(fmt.Sprint(rec["Username"]))] = fmt.Sprint(rec["Id"])
	}
	ids := make([]string, n)
	for i := range ids {
		name := fmt.Sprintf("user%04d@acme.example", i+1)
		id, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("the fake has no user %s", name)
		}
		ids[i] = id
	}
	return ids, nil
}

const terraformBlock = `terraform {
  required_providers {
    northpass = {
      source  = "ceiac/northpass"
      version = "` + mirrorVersion + `"
    }
  }
}

provider "northpass" {}
`

// quoted renders strings as an HCL list, four to a line.
func quoted(ss []string) string {
	var b strings.Builder
	b.WriteString("[\n")
	for i, s := range ss {
		if i%4 == 0 {
			b.WriteString("   ")
		}
		fmt.Fprintf(&b, " %q,", s)
		if i%4 == 3 || i == len(ss)-1 {
			b.WriteString("\n")
		}
	}
	b.WriteString("  ]")
	return b.String()
}

// planConfig: N single assignments of the Northpass Standard User
// permission set, found by label as the guide does, to users listed by id
// (as an export from Setup would give them).
func planConfig(ids []string) string {
	return terraformBlock + fmt.Sprintf(`
data "northpass_salesforce_permission_set" "standard_user" {
  label = "Northpass Standard User"
}

locals {
  users = %s
}

resource "northpass_salesforce_permission_set_assignment" "user" {
  count             = length(local.users)
  permission_set_id = data.northpass_salesforce_permission_set.standard_user.id
  assignee_id       = local.users[count.index]
  expiration_date   = "2030-12-31T23:59:59Z"
}
`, quoted(ids))
}

// applyConfig: one authoritative assignments resource with N usernames.
func applyConfig(n int) string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("user%04d@acme.example", i+1)
	}
	return terraformBlock + fmt.Sprintf(`
data "northpass_salesforce_permission_set" "sales_ops" {
  label = "Sales Ops"
}

resource "northpass_salesforce_permission_set_assignments" "sales_ops" {
  permission_set_id = data.northpass_salesforce_permission_set.sales_ops.id
  usernames         = %s
}
`, quoted(names))
}

func writeConfig(dir, hcl string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hcl), 0o644)
}

// measure runs args once per repeat in each mode, alternating the modes so
// that neither always runs on a warmer machine.
func (h *harness) measure(dir string, okCodes []int, before func() error, args ...string) (batchedM, naiveM measurement, err error) {
	var bs, ns []measurement
	for i := 0; i < h.o.repeat; i++ {
		for _, m := range []mode{naive, batched} {
			if before != nil {
				if err := before(); err != nil {
					return measurement{}, measurement{}, err
				}
			}
			res, err := h.terraform(dir, m, true, okCodes, args...)
			if err != nil {
				return measurement{}, measurement{}, err
			}
			progress("  %-7s %5d calls  %6.2f s  provider peak %s MiB", m.name, res.calls, res.wall.Seconds(), mib(res.provider))
			if m.name == batched.name {
				bs = append(bs, res)
			} else {
				ns = append(ns, res)
			}
		}
	}
	return median(bs), median(ns), nil
}

func (h *harness) planScenario() ([]result, error) {
	dir := filepath.Join(h.work, "plan")
	ids, err := h.userIDs(h.o.sizes[len(h.o.sizes)-1])
	if err != nil {
		return nil, err
	}
	var out []result
	for i, n := range h.o.sizes {
		progress("plan n=%d: applying %d assignments (no latency)", n, n)
		if err := writeConfig(dir, planConfig(ids[:n])); err != nil {
			return nil, err
		}
		if i == 0 {
			if err := h.setup(dir, "init", "-input=false", "-no-color"); err != nil {
				return nil, err
			}
		}
		if err := h.setup(dir, "apply", "-auto-approve", "-input=false", "-no-color", h.parallelism()); err != nil {
			return nil, err
		}
		progress("plan n=%d: terraform plan with refresh, %s latency", n, h.o.latency)
		// Exit code 0: no changes. Anything else means the refresh found
		// drift or failed, and the numbers would not be comparable.
		b, nv, err := h.measure(dir, []int{0}, nil,
			"plan", "-refresh=true", "-detailed-exitcode", "-input=false", "-lock=false", "-no-color", h.parallelism())
		if err != nil {
			return nil, err
		}
		out = append(out, result{scenario: "plan", n: n, batched: b, naive: nv})
	}
	progress("plan: destroying (no latency)")
	if err := h.setup(dir, "destroy", "-auto-approve", "-input=false", "-no-color", h.parallelism()); err != nil {
		return nil, err
	}
	return out, nil
}

func (h *harness) applyScenario() (result, error) {
	dir := filepath.Join(h.work, "apply")
	n := h.o.applyUsers
	if err := writeConfig(dir, applyConfig(n)); err != nil {
		return result{}, err
	}
	if err := h.setup(dir, "init", "-input=false", "-no-color"); err != nil {
		return result{}, err
	}
	progress("apply n=%d: terraform apply of one assignments resource with %d usernames, %s latency", n, n, h.o.latency)
	// Each measured apply starts from nothing: the previous one is
	// destroyed without latency first.
	destroy := func() error {
		return h.setup(dir, "destroy", "-auto-approve", "-input=false", "-no-color", h.parallelism())
	}
	b, nv, err := h.measure(dir, []int{0}, destroy,
		"apply", "-auto-approve", "-input=false", "-lock=false", "-no-color", h.parallelism())
	if err != nil {
		return result{}, err
	}
	if err := destroy(); err != nil {
		return result{}, err
	}
	return result{scenario: "apply", n: n, batched: b, naive: nv}, nil
}
