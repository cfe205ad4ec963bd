// Command emulator serves a fake Salesforce org and a fake Customer Education
// account on loopback, seeded like a real org midway through the setup guide,
// so that the provider can be tried (and `make demo` run) without real
// accounts or credentials:
//
//	go run ./internal/emulator -dir /tmp/np-emulator
//	source /tmp/np-emulator/emulator.env   # SALESFORCE_* and NORTHPASS_* for the provider
//
// Both fakes expose an admin interface under /__admin/ to change things behind
// Terraform's back; `emulator ctl …` drives it (see ctl.go):
//
//	go run ./internal/emulator ctl uninstall-package gsnpdc
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "ctl" {
		if err := ctl(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "emulator ctl:", err)
			os.Exit(1)
		}
		return
	}
	var opts options
	flag.StringVar(&opts.dir, "dir", "", "directory for emulator.env and the JWT private key (required)")
	flag.StringVar(&opts.salesforceAddr, "salesforce-addr", "127.0.0.1:0", "listen address of the fake Salesforce org")
	flag.StringVar(&opts.northpassAddr, "northpass-addr", "127.0.0.1:0", "listen address of the fake CE API")
	flag.DurationVar(&opts.installDuration, "install-duration", 6*time.Second, "how long a package install takes")
	flag.DurationVar(&opts.autoApprove, "auto-approve", 3*time.Second, "approve CE authorizations as the integration user after this delay (0 = never; approve on the fake login page instead)")
	flag.DurationVar(&opts.latency, "latency", 0, "latency added to every API request (e.g. 50ms)")
	flag.IntVar(&opts.extraUsers, "extra-users", 0, "additional Salesforce users user0001@acme.example …")
	flag.Parse()
	if opts.dir == "" {
		fmt.Fprintln(os.Stderr, "emulator: -dir is required")
		flag.Usage()
		os.Exit(2)
	}

	emu, err := start(opts)
	if err != nil {
		log.Fatalf("emulator: %v", err)
	}
	defer emu.close()

	envFile := filepath.Join(opts.dir, "emulator.env")
	fmt.Printf("Salesforce org:  %s  (admin: %s/__admin/)\n", emu.salesforce.URL(), emu.salesforce.URL())
	fmt.Printf("CE account:      %s  (admin: %s/__admin/)\n", emu.northpassURL, emu.northpassURL)
	fmt.Printf("Environment:     source %s\n", envFile)
	fmt.Println("Stop with Ctrl-C.")

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
}
