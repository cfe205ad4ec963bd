// Package driftdetection holds no code: its tests keep the drift-detection
// example's workflow files and script honest. scripts/check-drift-example.sh
// runs the script for real against the emulator (make examples-check).
package driftdetection

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const (
	githubWorkflow = ".github/workflows/drift.yml"
	gitlabCI       = "gitlab-ci.yml"
	script         = "drift-check.sh"
)

// The command both CI systems run, from the configuration's directory.
var driftCommand = regexp.MustCompile(`^sh "\$(GITHUB_WORKSPACE|CI_PROJECT_DIR)/ci/drift-check\.sh" "-var-file=\$TF_WORKSPACE\.tfvars"$`)

var workspaces = []string{"sandbox", "production"}

func load(t *testing.T, path string, into any) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(src, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// cronFields: five fields of digits, *, ranges, steps and lists.
var cronField = regexp.MustCompile(`^(\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?(,[0-9]+(-[0-9]+)?)*$`)

func validCron(s string) bool {
	f := strings.Fields(s)
	if len(f) != 5 {
		return false
	}
	for _, x := range f {
		if !cronField.MatchString(x) {
			return false
		}
	}
	return true
}

type githubStep struct {
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]any    `yaml:"with"`
	Env  map[string]string `yaml:"env"`
	If   string            `yaml:"if"`
	// continue-on-error would turn a failed drift check green.
	ContinueOnError any `yaml:"continue-on-error"`
}

type githubWorkflowFile struct {
	On struct {
		Schedule         []struct{ Cron string } `yaml:"schedule"`
		WorkflowDispatch *struct{}               `yaml:"workflow_dispatch"`
	} `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		Strategy struct {
			FailFast *bool               `yaml:"fail-fast"`
			Matrix   map[string][]string `yaml:"matrix"`
		} `yaml:"strategy"`
		Environment     string            `yaml:"environment"`
		Env             map[string]string `yaml:"env"`
		Steps           []githubStep      `yaml:"steps"`
		ContinueOnError any               `yaml:"continue-on-error"`
		Defaults        struct {
			Run struct {
				WorkingDirectory string `yaml:"working-directory"`
			} `yaml:"run"`
		} `yaml:"defaults"`
	} `yaml:"jobs"`
}

func TestGitHubWorkflow(t *testing.T) {
	var wf githubWorkflowFile
	load(t, githubWorkflow, &wf)
	if len(wf.On.Schedule) != 1 || !validCron(wf.On.Schedule[0].Cron) {
		t.Errorf("on.schedule = %+v, want one valid cron line", wf.On.Schedule)
	}
	if wf.On.WorkflowDispatch == nil {
		t.Error("no workflow_dispatch: the check cannot be run on demand")
	}
	if wf.Permissions["contents"] != "read" || len(wf.Permissions) != 1 {
		t.Errorf("permissions = %v, want contents: read only", wf.Permissions)
	}
	job, ok := wf.Jobs["drift"]
	if !ok || len(wf.Jobs) != 1 {
		t.Fatalf("jobs = %v, want one job named drift", wf.Jobs)
	}
	if got := job.Strategy.Matrix["workspace"]; !slices.Equal(got, workspaces) {
		t.Errorf("matrix.workspace = %v, want %v", got, workspaces)
	}
	if job.Strategy.FailFast == nil || *job.Strategy.FailFast {
		t.Error("fail-fast is not false: drift in one workspace would cancel the other's check")
	}
	if job.Env["TF_WORKSPACE"] != "${{ matrix.workspace }}" || job.Environment != "${{ matrix.workspace }}" {
		t.Errorf("TF_WORKSPACE = %q, environment = %q, want both the matrix workspace", job.Env["TF_WORKSPACE"], job.Environment)
	}
	if job.ContinueOnError != nil {
		t.Error("continue-on-error on the job hides drift")
	}
	if job.Defaults.Run.WorkingDirectory != "infra" {
		t.Errorf("working-directory = %q, want infra", job.Defaults.Run.WorkingDirectory)
	}
	checkCredentialEnv(t, job.Env)

	var setup, init, drift bool
	for _, s := range job.Steps {
		if s.ContinueOnError != nil {
			t.Errorf("step %q: continue-on-error hides drift", s.Name)
		}
		switch {
		case strings.HasPrefix(s.Uses, "hashicorp/setup-terraform@"):
			setup = true
			// The wrapper rewrites stdout and is best kept out of scripts
			// that read the plan's exit status.
			if s.With["terraform_wrapper"] != false {
				t.Errorf("setup-terraform: terraform_wrapper = %v, want false", s.With["terraform_wrapper"])
			}
		case s.Run == "terraform init -input=false":
			init = true
		case driftCommand.MatchString(s.Run):
			if !init {
				t.Error("the drift check runs before terraform init")
			}
			drift = true
		}
	}
	if !setup || !init || !drift {
		t.Errorf("steps: setup-terraform %t, init %t, drift check %t; want all", setup, init, drift)
	}
}

type gitlabJob struct {
	Image struct {
		Name       string   `yaml:"name"`
		Entrypoint []string `yaml:"entrypoint"`
	} `yaml:"image"`
	Rules    []struct{ If string } `yaml:"rules"`
	Parallel struct {
		Matrix []map[string][]string `yaml:"matrix"`
	} `yaml:"parallel"`
	Environment struct {
		Name   string `yaml:"name"`
		Action string `yaml:"action"`
	} `yaml:"environment"`
	Variables    map[string]string `yaml:"variables"`
	Script       []string          `yaml:"script"`
	AfterScript  []string          `yaml:"after_script"`
	AllowFailure any               `yaml:"allow_failure"`
	Artifacts    struct {
		When  string   `yaml:"when"`
		Paths []string `yaml:"paths"`
	} `yaml:"artifacts"`
}

func TestGitLabCI(t *testing.T) {
	var jobs map[string]gitlabJob
	load(t, gitlabCI, &jobs)
	job, ok := jobs["drift"]
	if !ok || len(jobs) != 1 {
		t.Fatalf("jobs = %v, want one job named drift", jobs)
	}
	if !strings.HasPrefix(job.Image.Name, "hashicorp/terraform:") || !slices.Equal(job.Image.Entrypoint, []string{""}) {
		t.Errorf("image = %+v, want hashicorp/terraform with an empty entrypoint", job.Image)
	}
	var scheduled bool
	for _, r := range job.Rules {
		scheduled = scheduled || strings.Contains(r.If, `$CI_PIPELINE_SOURCE == "schedule"`)
	}
	if !scheduled {
		t.Errorf("rules = %+v, want one for scheduled pipelines", job.Rules)
	}
	if len(job.Parallel.Matrix) != 1 || !slices.Equal(job.Parallel.Matrix[0]["TF_WORKSPACE"], workspaces) {
		t.Errorf("parallel.matrix = %v, want TF_WORKSPACE: %v", job.Parallel.Matrix, workspaces)
	}
	if job.Environment.Name != "$TF_WORKSPACE" || job.Environment.Action != "verify" {
		t.Errorf("environment = %+v, want $TF_WORKSPACE with action verify", job.Environment)
	}
	if job.AllowFailure != nil {
		t.Error("allow_failure hides drift")
	}
	want := []string{"cd infra", "terraform init -input=false"}
	if len(job.Script) != 3 || !slices.Equal(job.Script[:2], want) || !driftCommand.MatchString(job.Script[2]) {
		t.Errorf("script = %q, want %q then the drift check", job.Script, want)
	}
	summary := "infra/" + job.Variables["DRIFT_SUMMARY"]
	if job.Artifacts.When != "always" || !slices.Contains(job.Artifacts.Paths, summary) || !slices.Contains(job.Artifacts.Paths, "infra/drift-plan.txt") {
		t.Errorf("artifacts = %+v, want %s and the plan kept always", job.Artifacts, summary)
	}
	if !slices.ContainsFunc(job.AfterScript, func(s string) bool { return strings.Contains(s, "cat "+summary) }) {
		t.Errorf("after_script = %q, want the summary printed to the log", job.AfterScript)
	}
}

// checkCredentialEnv: every SALESFORCE_/NORTHPASS_ variable the workflow
// sets is one the provider reads (read from its source, not imported: a
// renamed variable fails here instead of in a user's nightly run), and
// secrets come from secrets.
func checkCredentialEnv(t *testing.T, env map[string]string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "internal", "provider", "provider_configure.go"))
	if err != nil {
		t.Fatal(err)
	}
	for name, value := range env {
		if !strings.HasPrefix(name, "SALESFORCE_") && !strings.HasPrefix(name, "NORTHPASS_") {
			continue
		}
		if !strings.Contains(string(src), `"`+name+`"`) {
			t.Errorf("env %s: the provider reads no such variable", name)
		}
		secret := strings.HasSuffix(name, "_KEY") || strings.HasSuffix(name, "_SECRET") || strings.HasSuffix(name, "_ID") || strings.HasSuffix(name, "_TOKEN")
		if secret && !strings.HasPrefix(value, "${{ secrets.") {
			t.Errorf("env %s = %q, want it from secrets", name, value)
		}
	}
}

// drift-check.sh, run with a stand-in for terraform that prints a given
// plan and exits with a given status.
func TestDriftCheckScript(t *testing.T) {
	if out, err := exec.Command("sh", "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("sh -n %s: %v\n%s", script, err, out)
	}
	abs, err := filepath.Abs(script)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		plan      string
		status    int
		want      int
		summary   []string
		unwanted  []string
		planFiled bool
	}{
		{
			name: "no changes", status: 0, want: 0, planFiled: true,
			plan:    "No changes. Your infrastructure matches the configuration.\n",
			summary: []string{"### ✅ sandbox: no drift", "No changes."},
		},
		{
			name: "drift", status: 2, want: 2, planFiled: true,
			plan: "  # northpass_salesforce_permission_set_assignments.standard_users has changed\n" +
				"  # data.northpass_salesforce_installed_packages.all will be read during apply\n" +
				"  # northpass_salesforce_package.data_connector will be created\n" +
				"Plan: 1 to add, 0 to change, 0 to destroy.\n",
			summary: []string{
				"### ❌ sandbox: drift",
				"- northpass_salesforce_permission_set_assignments.standard_users has changed",
				"Plan: 1 to add, 0 to change, 0 to destroy.",
				"- northpass_salesforce_package.data_connector will be created",
				"<details><summary>Full plan</summary>",
			},
			unwanted: []string{"- data.northpass_salesforce_installed_packages.all"},
		},
		{
			name: "failed check without changes", status: 0, want: 2,
			plan: "No changes. Your infrastructure matches the configuration.\n" +
				"╷\n│ Warning: Check block assertion failed\n│ \n│   on checks.tf line 31, in check \"ce_connected\":\n" +
				"│   31:     condition     = data.northpass_salesforce_integration.status.connected\n╵\n",
			summary: []string{"### ❌ sandbox: drift", "**Failed checks:**", "- 31:     condition     = data.northpass_salesforce_integration.status.connected"},
		},
		{
			name: "plan failed", status: 1, want: 1,
			plan:    "Error: Salesforce sign-in failed: invalid_grant\n",
			summary: []string{"### ⚠️ sandbox: the plan failed (exit status 1)", "Error: Salesforce sign-in failed"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			planText := filepath.Join(dir, "canned-plan.txt")
			if err := os.WriteFile(planText, []byte(c.plan), 0o600); err != nil {
				t.Fatal(err)
			}
			// The stand-in records its arguments, so the test sees the plan
			// command the script runs.
			stub := filepath.Join(dir, "terraform")
			stubSrc := "#!/bin/sh\necho \"$@\" > args.txt\ncat " + planText + "\nexit " + string(rune('0'+c.status)) + "\n"
			if err := os.WriteFile(stub, []byte(stubSrc), 0o700); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("sh", abs, "-var-file=sandbox.tfvars")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "TF="+stub, "TF_WORKSPACE=sandbox", "GITHUB_STEP_SUMMARY="+filepath.Join(dir, "summary.md"))
			out, _ := cmd.CombinedOutput()
			if got := cmd.ProcessState.ExitCode(); got != c.want {
				t.Errorf("exit status %d, want %d\n%s", got, c.want, out)
			}
			if !strings.Contains(string(out), c.plan) {
				t.Errorf("the job log lacks the plan:\n%s", out)
			}
			args, err := os.ReadFile(filepath.Join(dir, "args.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := strings.TrimSpace(string(args)), "plan -detailed-exitcode -input=false -no-color -lock-timeout=5m -var-file=sandbox.tfvars"; got != want {
				t.Errorf("ran %q, want %q", got, want)
			}
			summary, err := os.ReadFile(filepath.Join(dir, "summary.md"))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range c.summary {
				if !strings.Contains(string(summary), s) {
					t.Errorf("summary lacks %q:\n%s", s, summary)
				}
			}
			for _, s := range c.unwanted {
				if strings.Contains(string(summary), s) {
					t.Errorf("summary has %q:\n%s", s, summary)
				}
			}
			if kept, err := os.ReadFile(filepath.Join(dir, "drift-plan.txt")); err != nil || string(kept) != c.plan {
				t.Errorf("drift-plan.txt = %q (%v), want the plan", kept, err)
			}
		})
	}
}
