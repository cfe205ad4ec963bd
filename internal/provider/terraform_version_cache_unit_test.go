package provider

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The front answers `version -json` with the real binary's one answer and
// hands everything else, arguments intact, to the real binary.
func TestVersionFront(t *testing.T) {
	t.Parallel()
	// A path with a space and a quote: the front must quote it for sh.
	dir := filepath.Join(t.TempDir(), "it's here")
	mustDo(t, os.Mkdir(dir, 0o700))
	calls := filepath.Join(dir, "calls")
	binary := filepath.Join(dir, "terraform")
	mustDo(t, os.WriteFile(binary, []byte("#!/bin/sh\n"+
		"printf '%s|' \"$@\" >> "+shellQuote(calls)+"\n"+
		"echo >> "+shellQuote(calls)+"\n"+
		`if [ "$1" = version ]; then echo '{"terraform_version":"1.11.4"}'; else echo ran; fi`+"\n"), 0o700))
	front, err := writeVersionFront(dir, binary)
	mustDo(t, err)
	// A front that ran itself would exec forever: the deadline kills it.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	for range 3 {
		out, err := exec.CommandContext(ctx, front, "version", "-json").Output()
		mustDo(t, err)
		if strings.TrimSpace(string(out)) != `{"terraform_version":"1.11.4"}` {
			t.Fatalf("version answer %q", out)
		}
	}
	out, err := exec.CommandContext(ctx, front, "plan", "-out=a b", "it's").Output()
	mustDo(t, err)
	if strings.TrimSpace(string(out)) != "ran" {
		t.Fatalf("plan answer %q", out)
	}
	mustDo(t, exec.CommandContext(ctx, front, "version").Run())

	log, err := os.ReadFile(calls)
	mustDo(t, err)
	want := "version|-json|\nplan|-out=a b|it's|\nversion|\n"
	if string(log) != want {
		t.Fatalf("the binary binary was called with\n%s\nwant\n%s", log, want)
	}
}

// A version plugin-testing is asked to install is left to it: the front
// would otherwise put the terraform on PATH in its place. Not parallel: it
// sets the process environment the function reads and writes.
func TestCacheTerraformVersion_leavesAnInstalledVersionAlone(t *testing.T) {
	t.Setenv("TF_ACC", "1")
	t.Setenv("TF_ACC_TERRAFORM_PATH", "")
	t.Setenv("TF_ACC_TERRAFORM_VERSION", "1.11.4")
	cleanup, err := cacheTerraformVersion()
	mustDo(t, err)
	defer cleanup()
	if got := os.Getenv("TF_ACC_TERRAFORM_PATH"); got != "" {
		t.Fatalf("TF_ACC_TERRAFORM_PATH = %q, want it left empty for plugin-testing to install 1.11.4", got)
	}
}
