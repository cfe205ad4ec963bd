// Command releasecheck is the Go half of scripts/release-check.sh: it checks
// a goreleaser dist/ directory against what the Terraform Registry and
// `terraform init` need, and serves it as a provider network mirror over TLS
// so Terraform can install the archive the way a user's machine would.
//
//	releasecheck verify  -dist dist -config .goreleaser.yml -manifest terraform-registry-manifest.json
//	releasecheck version -dist dist
//	releasecheck serve   -dist dist -version V -dir WORK
//	releasecheck lock    -lock .terraform.lock.hcl -zip ARCHIVE -version V
//	releasecheck run-version -bin BINARY -version V
//	releasecheck tamper -zip ARCHIVE
//
// It is a script helper, not part of the provider: nothing under internal/
// imports it.
package main

import (
	"fmt"
	"os"
)

// Names the registry derives from the provider's type name.
const (
	projectName = "terraform-provider-northpass"
	providerSrc = "registry.terraform.io/ceiac/northpass"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	args := os.Args[2:]
	switch os.Args[1] {
	case "verify":
		err = cmdVerify(args)
	case "version":
		err = cmdVersion(args)
	case "serve":
		err = cmdServe(args)
	case "lock":
		err = cmdLock(args)
	case "run-version":
		err = cmdRunVersion(args)
	case "tamper":
		err = cmdTamper(args)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "releasecheck:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: releasecheck verify|version|serve|lock|run-version|tamper [flags]")
	os.Exit(2)
}
