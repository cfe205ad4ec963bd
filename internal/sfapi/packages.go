package sfapi

import (
	"context"
	"fmt"
	"slices"
)

// installedPackagesSOQL is the query the sf CLI's `package installed list`
// uses (Tooling API, v41+), with IsManaged and Package2ContainerOptions
// telling first- from second-generation packages (forcedotcom/packaging
// src/package/subscriberPackageVersion.ts, installedList).
const installedPackagesSOQL = "SELECT Id, SubscriberPackageId, SubscriberPackage.NamespacePrefix, SubscriberPackage.Name, " +
	"SubscriberPackageVersion.Id, SubscriberPackageVersion.Name, SubscriberPackageVersion.MajorVersion, " +
	"SubscriberPackageVersion.MinorVersion, SubscriberPackageVersion.PatchVersion, SubscriberPackageVersion.BuildNumber, " +
	"SubscriberPackageVersion.IsManaged, SubscriberPackageVersion.Package2ContainerOptions " +
	"FROM InstalledSubscriberPackage ORDER BY SubscriberPackageId"

// InstalledPackage is one package installed in the org.
type InstalledPackage struct {
	ID          string // InstalledSubscriberPackage id (0A3…)
	PackageID   string // SubscriberPackageId (033…)
	Namespace   string // "" for packages without a namespace
	Name        string
	VersionID   string // installed SubscriberPackageVersion (04t…)
	VersionName string // e.g. "Winter '16"
	Major       int
	Minor       int
	Patch       int
	Build       int
	IsManaged   bool
	// ContainerOptions is Package2ContainerOptions: Managed or Unlocked for
	// a second-generation package, "" for a first-generation one.
	ContainerOptions string
}

// VersionNumber returns "major.minor.patch.build", e.g. "2.1.0.3".
func (p InstalledPackage) VersionNumber() string {
	return fmt.Sprintf("%d.%d.%d.%d", p.Major, p.Minor, p.Patch, p.Build)
}

// installedPackageRecord is the wire shape; NamespacePrefix may be null.
type installedPackageRecord struct {
	ID                  string `json:"Id"`
	SubscriberPackageID string `json:"SubscriberPackageId"`
	SubscriberPackage   *struct {
		NamespacePrefix *string `json:"NamespacePrefix"`
		Name            string  `json:"Name"`
	} `json:"SubscriberPackage"`
	SubscriberPackageVersion *struct {
		ID           string `json:"Id"`
		Name         string `json:"Name"`
		MajorVersion int    `json:"MajorVersion"`
		MinorVersion int    `json:"MinorVersion"`
		PatchVersion int    `json:"PatchVersion"`
		BuildNumber  int    `json:"BuildNumber"`
		IsManaged    bool   `json:"IsManaged"`
		// Package2ContainerOptions is null for first-generation packages.
		Package2ContainerOptions *string `json:"Package2ContainerOptions"`
	} `json:"SubscriberPackageVersion"`
}

func (r installedPackageRecord) toPackage() InstalledPackage {
	p := InstalledPackage{ID: r.ID, PackageID: r.SubscriberPackageID}
	if sp := r.SubscriberPackage; sp != nil {
		p.Name = sp.Name
		if sp.NamespacePrefix != nil {
			p.Namespace = *sp.NamespacePrefix
		}
	}
	if v := r.SubscriberPackageVersion; v != nil {
		p.VersionID, p.VersionName = v.ID, v.Name
		p.Major, p.Minor, p.Patch, p.Build = v.MajorVersion, v.MinorVersion, v.PatchVersion, v.BuildNumber
		p.IsManaged, p.ContainerOptions = v.IsManaged, deref(v.Package2ContainerOptions)
	}
	return p
}

// ListInstalledPackages returns every installed package, ordered by package
// id. With the read cache on, one answer serves every reader of the client
// (each package resource's Read and plan check, the data sources) until a
// package install or uninstall is requested or finishes; WithFreshReads asks
// again.
func (c *Client) ListInstalledPackages(ctx context.Context) ([]InstalledPackage, error) {
	pkgs, err := installedPackagesCache.get(ctx, c.cache, "", func(ctx context.Context) ([]InstalledPackage, error) {
		return c.listInstalledPackages(ctx)
	})
	if err != nil {
		return nil, err
	}
	return slices.Clone(pkgs), nil
}

// installedPackagesCache holds ListInstalledPackages, one entry. Only an
// install or uninstall changes it, and those drop every family.
var installedPackagesCache = newCacheFamily("installed-packages", nil, func(write) drop[[]InstalledPackage] {
	return dropNone[[]InstalledPackage]()
})

func (c *Client) listInstalledPackages(ctx context.Context) ([]InstalledPackage, error) {
	recs, err := ToolingQueryAll[installedPackageRecord](ctx, c, installedPackagesSOQL)
	if err != nil {
		return nil, fmt.Errorf("list installed packages: %w", err)
	}
	out := make([]InstalledPackage, len(recs))
	for i, r := range recs {
		out[i] = r.toPackage()
	}
	return out, nil
}
