package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// providerPoll is the provider's poll policy for package installs
// (packageInstallPoll in internal/provider: 2 s doubling to 30 s, like
// `sf package install --wait`), which is also sfapi's default.
var providerPoll = sfapi.PollPolicy{Initial: 2 * time.Second, Max: 30 * time.Second}

// naivePoll is the comparison: a fixed 2-second interval.
var naivePoll = sfapi.PollPolicy{Initial: 2 * time.Second, Max: 2 * time.Second}

// installScenario installs the Data Connector package in an org where an
// install takes o.installTime of emulated time, and waits for it through
// sfapi's WaitPackageInstall, the call the provider's install path makes.
// The poll policy's Sleep advances the fake's clock instead of sleeping,
// so ten minutes pass in well under a second, and every poll is a real
// request (with the injected latency) that the fake counts. The wall time
// reported is what a user would wait: the emulated waits plus the real
// time of the requests.
func installScenario(o options) (result, error) {
	progress("install: a package install that takes %s of emulated time, %s latency", o.installTime, o.latency)
	org := sffake.New(sffake.Options{InstallDuration: o.installTime})
	if err := org.Start("127.0.0.1:0"); err != nil {
		return result{}, err
	}
	defer org.Close()
	client, err := sfapi.New(sfapi.Config{InstanceURL: org.URL(), AccessToken: org.IssueAccessToken(sffake.DefaultAdminUsername)})
	if err != nil {
		return result{}, err
	}
	dc, ok := org.CatalogVersion(sffake.ConnectorNamespace, "1.0")
	if !ok {
		return result{}, fmt.Errorf("the fake has no %s 1.0", sffake.ConnectorNamespace)
	}
	run := func(name string, policy sfapi.PollPolicy) (measurement, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		kit := org.Kit()
		kit.Reset()
		kit.SetLatency(o.latency)
		defer kit.SetLatency(0)
		var slept time.Duration
		polls := 0
		policy.Sleep = func(_ context.Context, d time.Duration) error {
			slept += d
			org.AdvanceClock(d)
			return nil
		}
		policy.Progress = func(attempt int, _ string) { polls = attempt }
		start := time.Now()
		id, err := client.StartPackageInstall(ctx, sfapi.InstallOptions{VersionID: dc.VersionID})
		if err != nil {
			return measurement{}, err
		}
		req, err := client.WaitPackageInstall(ctx, id, policy)
		if err != nil {
			return measurement{}, err
		}
		if req.Status != sfapi.InstallStatusSuccess {
			return measurement{}, fmt.Errorf("install ended %s", req.Status)
		}
		m := measurement{calls: kit.BillableCalls(), polls: polls, wall: time.Since(start) + slept, endpoints: kit.Counters()}
		progress("  %-7s %5d calls (%d polls)  %6.1f s (emulated waits %s)", name, m.calls, m.polls, m.wall.Seconds(), slept)
		return m, org.Uninstall(sffake.ConnectorNamespace)
	}
	b, err := run(batched.name, providerPoll)
	if err != nil {
		return result{}, err
	}
	nv, err := run(naive.name, naivePoll)
	if err != nil {
		return result{}, err
	}
	return result{scenario: "install", n: 1, batched: b, naive: nv,
		note: fmt.Sprintf("%s emulated install; naive = fixed 2 s poll; wall = emulated waits + request time", o.installTime)}, nil
}
