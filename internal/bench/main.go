// Command bench measures batched Salesforce reads (`make bench`): the
// provider, built from this tree, run by the real terraform binary against
// the in-memory Salesforce fake with latency injected into every request,
// once with batching on and once with NORTHPASS_BATCH_READS=false.
//
//	go run ./internal/bench                   # everything, as `make bench`
//	go run ./internal/bench -sizes 100 -skip-apply -skip-install
//
// Scenarios:
//
//	plan     terraform plan (refresh on) over N northpass_salesforce_permission_set_assignment
//	apply    terraform apply creating northpass_salesforce_permission_set_assignments with N usernames
//	install  a package install that takes 10 minutes of emulated time, waited for in-process with
//	         the provider's poll policy (2 s doubling to 30 s); the naive comparison polls every 2 s
//	large    -large N (10,000) users, batching on only, each checked against its target (large.go):
//	         plan (refresh) of N single assignments beside the same plan with -refresh=false;
//	         one assignments resource of N usernames created, planned with nothing to do, half removed
//
// Set-up (terraform apply of the N resources, destroys) runs without
// latency; only the measured commands see it. The Salesforce calls are the
// fake's billable count (every /services/data/vXX.X/ request), taken from
// its counters reset just before each measured command. Peak memory is the
// provider process's VmHWM, read from /proc while terraform runs. The last
// lines are one summary per scenario:
//
//	bench: scenario=<name> n=<N> calls=<calls> calls_naive=<calls> wall_s=<s> wall_s_naive=<s>
//	bench: scenario=large-<name> n=<N> calls=<calls> wall_s=<s> provider_peak_mib=<MiB> [wall_s_refresh_false=<s> wall_ratio=<x>] targets_met=<yes|no>
//
// -pprof-dir DIR has every provider process profile itself into DIR
// (NORTHPASS_PPROF_DIR, profile.go at the module root): where a scenario's
// provider time and memory go.
//
// -terraform may name OpenTofu's tofu: the mirror serves the provider under
// both registry hosts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

type options struct {
	latency       time.Duration
	sizes         []int
	applyUsers    int
	installTime   time.Duration
	parallelism   int
	repeat        int
	keep          bool
	skipPlan      bool
	skipApply     bool
	skipInstall   bool
	large         int
	largeRepeat   int
	skipLargePlan bool
	skipLargeAuth bool
	timeout       time.Duration
	terraformBin  string
	pprofDir      string
}

func main() {
	var o options
	var sizes string
	flag.DurationVar(&o.latency, "latency", 50*time.Millisecond, "latency injected into every Salesforce request during the measured commands")
	flag.StringVar(&sizes, "sizes", "100,1000", "numbers of single assignments for the plan scenario")
	flag.IntVar(&o.applyUsers, "apply-users", 1000, "usernames in the apply scenario")
	flag.DurationVar(&o.installTime, "install-duration", 10*time.Minute, "emulated duration of the package install")
	flag.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism")
	flag.IntVar(&o.repeat, "repeat", 3, "measured runs per scenario and mode (the median is reported)")
	flag.BoolVar(&o.keep, "keep", false, "keep the working directory")
	flag.BoolVar(&o.skipPlan, "skip-plan", false, "skip the plan scenario")
	flag.BoolVar(&o.skipApply, "skip-apply", false, "skip the apply scenario")
	flag.BoolVar(&o.skipInstall, "skip-install", false, "skip the install scenario")
	flag.IntVar(&o.large, "large", 10000, "users in the large scenarios (0 skips them)")
	flag.IntVar(&o.largeRepeat, "large-repeat", 1, "measured runs per large scenario (the median is reported)")
	flag.BoolVar(&o.skipLargePlan, "skip-large-plan", false, "skip the large plan scenario (N single assignments), keep the authoritative ones")
	flag.BoolVar(&o.skipLargeAuth, "skip-large-authoritative", false, "skip the large authoritative scenarios (create, no-op plan, remove half)")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Minute, "limit of each terraform command")
	flag.StringVar(&o.terraformBin, "terraform", "terraform", "terraform binary (or OpenTofu's tofu)")
	flag.StringVar(&o.pprofDir, "pprof-dir", "", "have every provider process write CPU and heap profiles and a memory timeline into this directory (NORTHPASS_PPROF_DIR; see profile.go)")
	flag.Parse()
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			fatalf("invalid -sizes %q", sizes)
		}
		o.sizes = append(o.sizes, n)
	}
	sort.Ints(o.sizes)
	o.repeat = max(o.repeat, 1)
	o.largeRepeat = max(o.largeRepeat, 1)
	if err := run(o); err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: error: "+format+"\n", args...)
	os.Exit(1)
}

func progress(format string, args ...any) {
	fmt.Printf("-- %s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// result is one scenario measured in both modes.
type result struct {
	scenario string
	n        int
	batched  measurement
	naive    measurement
	note     string
}

// measurement is one mode's median run.
type measurement struct {
	calls     int
	polls     int // install only
	wall      time.Duration
	provider  int64 // provider process peak RSS (VmHWM), KiB; 0 unknown
	terraform int64 // terraform's maxrss including waited children, KiB; 0 unknown
	endpoints map[string]int
}

func run(o options) error {
	started := time.Now()
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	tfVersion, err := exec.Command(o.terraformBin, "version").Output()
	if err != nil {
		return fmt.Errorf("terraform is not runnable (%s): %w", o.terraformBin, err)
	}
	work, err := os.MkdirTemp("", "northpass-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		progress("working directory %s (kept)", work)
	} else {
		defer func() { _ = os.RemoveAll(work) }()
	}
	progress("machine: %s/%s, %d CPUs; %s; %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), firstLine(string(tfVersion)), runtime.Version())

	var results []result
	var large []largeResult
	if !o.skipPlan || !o.skipApply || o.large > 0 {
		progress("building the provider into a filesystem mirror")
		env, err := setupTerraform(root, work)
		if err != nil {
			return err
		}
		users := o.applyUsers
		if !o.skipPlan {
			users = max(users, o.sizes[len(o.sizes)-1])
		}
		users = max(users, o.large)
		progress("starting the Salesforce fake with %d extra users", users)
		org, keyFile, err := startOrg(work, users)
		if err != nil {
			return err
		}
		defer org.Close()
		env = append(env, orgEnv(org, keyFile)...)
		if o.pprofDir != "" {
			dir, err := filepath.Abs(o.pprofDir)
			if err != nil {
				return err
			}
			env = append(env, "NORTHPASS_PPROF_DIR="+dir)
		}
		h := &harness{o: o, org: org, env: env, work: work}
		if !o.skipPlan {
			rs, err := h.planScenario()
			if err != nil {
				return err
			}
			results = append(results, rs...)
		}
		if !o.skipApply {
			r, err := h.applyScenario()
			if err != nil {
				return err
			}
			results = append(results, r)
		}
		if o.large > 0 {
			// The authoritative scenarios first: one resource each, they
			// take minutes where the N single assignments take much longer.
			if !o.skipLargeAuth {
				rs, err := h.largeAuthoritativeScenarios()
				if err != nil {
					return err
				}
				large = append(large, rs...)
			}
			if !o.skipLargePlan {
				r, err := h.largePlanScenario()
				if err != nil {
					return err
				}
				large = append([]largeResult{r}, large...)
			}
		}
	}
	if !o.skipInstall {
		r, err := installScenario(o)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	report(o, results, large, time.Since(started))
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run the bench from inside the module (make bench)")
	}
	return filepath.Dir(mod), nil
}

// mirrorVersion is the version the filesystem mirror offers.
const mirrorVersion = "0.1.0"

// setupTerraform builds the provider into a filesystem mirror under work
// and returns the environment for terraform: a CLI config that installs
// the provider from there (the user's own ~/.terraformrc is not read), no
// checkpoint calls, and nothing inherited that would configure the
// provider differently. The mirror serves it under both registry hosts:
// "ceiac/northpass" means registry.terraform.io/ceiac/northpass to
// Terraform and registry.opentofu.org/ceiac/northpass to OpenTofu.
func setupTerraform(root, work string) ([]string, error) {
	platform := runtime.GOOS + "_" + runtime.GOARCH
	name := "terraform-provider-northpass_v" + mirrorVersion
	var first string
	for _, host := range registryHosts {
		dir := filepath.Join(work, "mirror", host, "ceiac", "northpass", mirrorVersion, platform)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if first != "" {
			if err := os.Link(first, filepath.Join(dir, name)); err != nil {
				return nil, err
			}
			continue
		}
		first = filepath.Join(dir, name)
		build := exec.Command("go", "build", "-trimpath", "-ldflags", "-X main.version="+mirrorVersion, "-o", first, ".")
		build.Dir = root
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("building the provider: %v\n%s", err, out)
		}
	}
	var addrs []string
	for _, host := range registryHosts {
		addrs = append(addrs, fmt.Sprintf("%q", host+"/ceiac/northpass"))
	}
	list := "[" + strings.Join(addrs, ", ") + "]"
	rc := filepath.Join(work, "terraform.rc")
	cfg := fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = %s
  }
  direct {
    exclude = %s
  }
}
`, filepath.Join(work, "mirror"), list, list)
	if err := os.WriteFile(rc, []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "SALESFORCE_") || strings.HasPrefix(name, "NORTHPASS_") || strings.HasPrefix(name, "TF_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1"), nil
}

// registryHosts are where "ceiac/northpass" points for Terraform and for
// OpenTofu.
var registryHosts = []string{"registry.terraform.io", "registry.opentofu.org"}

// startOrg starts the fake org on loopback with extra users and a connected
// app whose key is written to work.
func startOrg(work string, users int) (*sffake.Server, string, error) {
	keyPEM, certPEM, err := sffake.GenerateKeyPair()
	if err != nil {
		return nil, "", err
	}
	keyFile := filepath.Join(work, "salesforce.key")
	if err := os.WriteFile(keyFile, []byte(keyPEM), 0o600); err != nil {
		return nil, "", err
	}
	// The plan scenarios' assignments expire, which an org allows only with
	// the User Management Settings switch on.
	org := sffake.New(sffake.Options{CertificatePEM: certPEM, ExtraUsers: users, AssignmentExpirationDates: true})
	if err := org.Start("127.0.0.1:0"); err != nil {
		return nil, "", err
	}
	return org, keyFile, nil
}

// orgEnv signs the provider in with the JWT bearer flow, as in production.
func orgEnv(org *sffake.Server, keyFile string) []string {
	return []string{
		"SALESFORCE_LOGIN_URL=" + org.URL(),
		"SALESFORCE_CLIENT_ID=" + sffake.DefaultConsumerKey,
		"SALESFORCE_USERNAME=" + sffake.DefaultAdminUsername,
		"SALESFORCE_PRIVATE_KEY_FILE=" + keyFile,
	}
}

// mode is one side of the comparison.
type mode struct {
	name string
	env  []string
}

var (
	batched = mode{name: "batched"}
	naive   = mode{name: "naive", env: []string{"NORTHPASS_BATCH_READS=false"}}
)

func median(ms []measurement) measurement {
	sort.Slice(ms, func(i, j int) bool { return ms[i].wall < ms[j].wall })
	return ms[len(ms)/2]
}

func report(o options, results []result, large []largeResult, total time.Duration) {
	if len(results) > 0 {
		reportSmall(o, results, total)
	}
	reportLarge(o, large)
	fmt.Println()
	for _, r := range results {
		fmt.Printf("bench: scenario=%s n=%d calls=%d calls_naive=%d wall_s=%.2f wall_s_naive=%.2f\n",
			r.scenario, r.n, r.batched.calls, r.naive.calls, r.batched.wall.Seconds(), r.naive.wall.Seconds())
	}
	benchLinesLarge(large)
}

func reportSmall(o options, results []result, total time.Duration) {
	fmt.Println()
	fmt.Printf("Results (latency %s per Salesforce request, terraform -parallelism=%d; %d CPUs; median of %d run(s); %s in all)\n\n",
		o.latency, o.parallelism, runtime.NumCPU(), o.repeat, total.Round(time.Second))
	fmt.Println("| scenario | n | mode | Salesforce calls | wall time (s) | provider peak RSS (MiB) | terraform maxrss (MiB) | notes |")
	fmt.Println("|---|---:|---|---:|---:|---:|---:|---|")
	for _, r := range results {
		for _, m := range []struct {
			name string
			m    measurement
		}{{"batched", r.batched}, {"naive", r.naive}} {
			note := r.note
			if m.m.polls > 0 {
				note = fmt.Sprintf("%d polls; %s", m.m.polls, note)
			}
			fmt.Printf("| %s | %d | %s | %d | %.2f | %s | %s | %s |\n", r.scenario, r.n, m.name, m.m.calls, m.m.wall.Seconds(),
				mib(m.m.provider), mib(m.m.terraform), note)
		}
	}
	fmt.Println()
	fmt.Println("Salesforce calls by endpoint (batched / naive):")
	for _, r := range results {
		fmt.Printf("  %s n=%d: %s / %s\n", r.scenario, r.n, endpoints(r.batched.endpoints), endpoints(r.naive.endpoints))
	}
}

func mib(kib int64) string {
	if kib <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", float64(kib)/1024)
}

func endpoints(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// withTimeout bounds every terraform command, so a hang fails the bench
// instead of stalling `make bench`.
func withTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}
