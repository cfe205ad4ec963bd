package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// cacheTerraformVersion points plugin-testing at a front for the terraform
// binary that answers `terraform version -json` from one answer of the real
// binary, taken once, and execs the real binary for every other command.
//
// Why: plugin-testing asks the version twice per resource.Test and once
// more per import step (about 400 times in a run), and each ask is a whole
// terraform start: ~0.1 CPU-s, a tenth of the suite's CPU, for an answer
// that cannot change while the binary does not. Every command that reads
// configuration, plans, applies or shows state still runs the real binary.
//
// It wraps whatever plugin-testing would run: TF_ACC_TERRAFORM_PATH when set
// (OpenTofu under make test-tofu), else terraform on PATH, unless
// TF_ACC_TERRAFORM_VERSION asks plugin-testing to install one. With no binary,
// or when the real answer cannot be had, it changes nothing and
// plugin-testing reports the problem as it always did. The returned func
// removes the front.
func cacheTerraformVersion() (cleanup func(), err error) {
	cleanup = func() {}
	if os.Getenv("TF_ACC") == "" {
		return cleanup, nil
	}
	binary := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if binary == "" && os.Getenv("TF_ACC_TERRAFORM_VERSION") != "" {
		// plugin-testing installs that version itself; a front for the
		// terraform on PATH would run another.
		return cleanup, nil
	}
	if binary == "" {
		// No terraform on PATH: plugin-testing says so in each test.
		binary, _ = exec.LookPath("terraform")
		if binary == "" {
			return cleanup, nil
		}
	}
	if binary, err = filepath.Abs(binary); err != nil {
		return cleanup, err
	}
	dir, err := os.MkdirTemp("", "tfversion")
	if err != nil {
		return cleanup, err
	}
	cleanup = func() { _ = os.RemoveAll(dir) }

	frontPath, err := writeVersionFront(dir, binary)
	if err != nil {
		cleanup()
		return func() {}, err
	}
	if err := os.Setenv("TF_ACC_TERRAFORM_PATH", frontPath); err != nil {
		cleanup()
		return func() {}, err
	}
	return cleanup, nil
}

// writeVersionFront asks binary its version once and writes, in dir, the
// front that gives that answer and hands every other command to binary.
func writeVersionFront(dir, binary string) (string, error) {
	// Asked in an empty directory, as plugin-testing's first ask is: the
	// answer then lists no provider selections, and the tests' providers
	// are reattached, never selected, so no later ask would list any.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "version", "-json")
	cmd.Dir = dir
	answer, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s version -json: %w", binary, err)
	}
	answerFile := filepath.Join(dir, "version.json")
	if err := os.WriteFile(answerFile, answer, 0o600); err != nil {
		return "", err
	}
	// Only the exact question terraform-exec asks is answered here.
	front := fmt.Sprintf(`#!/bin/sh
if [ "$#" -eq 2 ] && [ "$1" = version ] && [ "$2" = -json ]; then
  exec cat %s
fi
exec %s "$@"
`, shellQuote(answerFile), shellQuote(binary))
	// In a directory of its own, so that it can never take the real
	// binary's place.
	if err := os.Mkdir(filepath.Join(dir, "front"), 0o700); err != nil {
		return "", err
	}
	frontPath := filepath.Join(dir, "front", "terraform")
	return frontPath, os.WriteFile(frontPath, []byte(front), 0o700)
}

// shellQuote quotes s for sh: in single quotes, each quote inside closed,
// escaped and reopened.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
