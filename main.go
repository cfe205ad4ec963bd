// Command terraform-provider-northpass serves the northpass Terraform provider.
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

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
	// tf6server.Serve, as providerserver.Serve would call it, but with the
	// provider's own wrapper around the framework's server
	// (provider.NewProtocol6Server says why).
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve(registryAddress, provider.NewProtocol6Server(version), opts...)
	stopProfiling()
	if err != nil {
		log.Fatal(err.Error())
	}
}
