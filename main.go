// Command terraform-provider-northpass serves the northpass Terraform provider.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/ceiac/terraform-provider-northpass/internal/provider"
)

// version is set at release time with -ldflags "-X main.version=…".
var version = "dev"

// registryAddress is the provider's address on the Terraform Registry.
const registryAddress = "registry.terraform.io/ceiac/northpass"

func main() {
	var debug, showVersion bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.BoolVar(&showVersion, "version", false, "print the provider's name and version, then exit")
	flag.Parse()
	if showVersion {
		// The release check compares this with the version the archive is filed under.
		fmt.Println("terraform-provider-northpass", version)
		return
	}

	stopProfiling := startProfiling() // NORTHPASS_PPROF_DIR only (profile.go)
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         registryAddress,
		Debug:           debug,
		ProtocolVersion: 6,
	})
	stopProfiling()
	if err != nil {
		log.Fatal(err.Error())
	}
}
