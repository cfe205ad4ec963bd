package sfapi

import (
	"context"
	"fmt"
)

// PackageVersion is one SubscriberPackageVersion (04t…), installed or not.
type PackageVersion struct {
	VersionID   string
	PackageID   string // SubscriberPackageId, 033…
	Namespace   string
	Name        string // the package's name, e.g. "Northpass"
	VersionName string // the version's own name
	Major       int
	Minor       int
	Patch       int
	Build       int
	// InstallValidationStatus is NO_ERRORS_DETECTED when the org can
	// install it; otherwise e.g. CANNOT_INSTALL_EARLIER_VERSION,
	// PACKAGE_UNAVAILABLE, NAMESPACE_COLLISION.
	InstallValidationStatus string
	IsManaged               bool
	// ContainerOptions is Package2ContainerOptions: Managed or Unlocked for
	// a second-generation package, "" for a first-generation one.
	ContainerOptions string
	// RemoteSiteSettings and CSPTrustedSites are the third-party sites the
	// version brings; the admin approves them when installing (EnableRss).
	RemoteSiteSettings []RemoteSiteSetting
	CSPTrustedSites    []string
}

// PackageVersionNumber is major.minor.patch.build.
type PackageVersionNumber struct{ Major, Minor, Patch, Build int }

func (n PackageVersionNumber) String() string {
	return fmt.Sprintf("%d.%d.%d.%d", n.Major, n.Minor, n.Patch, n.Build)
}

// CompareVersions returns -1, 0 or 1 as a is lower than, equal to or higher
// than b.
func CompareVersions(a, b PackageVersionNumber) int {
	for _, d := range [4][2]int{{a.Major, b.Major}, {a.Minor, b.Minor}, {a.Patch, b.Patch}, {a.Build, b.Build}} {
		switch {
		case d[0] < d[1]:
			return -1
		case d[0] > d[1]:
			return 1
		}
	}
	return 0
}

// Number returns the installed version's number.
func (p InstalledPackage) Number() PackageVersionNumber {
	return PackageVersionNumber{p.Major, p.Minor, p.Patch, p.Build}
}

// Number returns the version's number.
func (p PackageVersion) Number() PackageVersionNumber {
	return PackageVersionNumber{p.Major, p.Minor, p.Patch, p.Build}
}

type packageVersionRecord struct {
	ID                      string `json:"Id"`
	SubscriberPackageID     string `json:"SubscriberPackageId"`
	Name                    string `json:"Name"`
	MajorVersion            int    `json:"MajorVersion"`
	MinorVersion            int    `json:"MinorVersion"`
	PatchVersion            int    `json:"PatchVersion"`
	BuildNumber             int    `json:"BuildNumber"`
	InstallValidationStatus string `json:"InstallValidationStatus"`
	IsManaged               bool   `json:"IsManaged"`
	// Package2ContainerOptions is null for first-generation packages.
	Package2ContainerOptions *string                `json:"Package2ContainerOptions"`
	RemoteSiteSettings       *remoteSitesRecord     `json:"RemoteSiteSettings"`
	CspTrustedSites          *cspTrustedSitesRecord `json:"CspTrustedSites"`
}

const packageVersionFields = "Id, SubscriberPackageId, Name, MajorVersion, MinorVersion, PatchVersion, BuildNumber, " +
	"InstallValidationStatus, IsManaged, Package2ContainerOptions, RemoteSiteSettings, CspTrustedSites"

type subscriberPackageRecord struct {
	ID              string  `json:"Id"`
	Name            string  `json:"Name"`
	NamespacePrefix *string `json:"NamespacePrefix"`
}

// GetPackageVersion reads a package version by its 04t id, the pre-flight
// check before an install: whether it can be installed, its generation, and
// the remote sites it brings. A protected version is only visible with its
// installation key. Not found gives an error for which IsNotFound is true.
//
// Both objects may only be queried with an Id in the WHERE clause, hence
// two queries instead of one with a relationship. The sf CLI reads
// RemoteSiteSettings and CspTrustedSites in a query of their own because
// they cost the server more (forcedotcom/packaging
// src/package/subscriberPackageVersion.ts, highCostQueryFields); this query
// returns one row, and every install needs them, so they come with it.
func (c *Client) GetPackageVersion(ctx context.Context, versionID, installationKey string) (*PackageVersion, error) {
	if err := checkID("package version id", versionID, "04t"); err != nil {
		return nil, err
	}
	soql := "SELECT " + packageVersionFields + " FROM SubscriberPackageVersion WHERE Id=" + QuoteSOQL(versionID)
	if installationKey != "" {
		soql += " AND InstallationKey=" + QuoteSOQL(installationKey)
	}
	vs, err := ToolingQueryAll[packageVersionRecord](ctx, c, soql)
	if err != nil {
		return nil, fmt.Errorf("read package version %s: %w", versionID, err)
	}
	if len(vs) == 0 {
		hint := "check the id (it starts with 04t and comes from the package's install link)"
		if installationKey != "" {
			hint += ", and the installation key"
		} else {
			hint += "; a protected package version is only visible with its installation key"
		}
		return nil, notFound("package version %s was not found: %s", versionID, hint)
	}
	v := vs[0]
	pv := &PackageVersion{
		VersionID: v.ID, PackageID: v.SubscriberPackageID, VersionName: v.Name,
		Major: v.MajorVersion, Minor: v.MinorVersion, Patch: v.PatchVersion, Build: v.BuildNumber,
		InstallValidationStatus: v.InstallValidationStatus, IsManaged: v.IsManaged,
		ContainerOptions:   deref(v.Package2ContainerOptions),
		RemoteSiteSettings: v.RemoteSiteSettings.sites(),
		CSPTrustedSites:    v.CspTrustedSites.sites(),
	}
	if v.SubscriberPackageID == "" {
		return pv, nil
	}
	if err := checkID("subscriber package id", v.SubscriberPackageID, ""); err != nil {
		return nil, fmt.Errorf("read package version %s: %w", versionID, err)
	}
	ps, err := ToolingQueryAll[subscriberPackageRecord](ctx, c,
		"SELECT Id, Name, NamespacePrefix FROM SubscriberPackage WHERE Id="+QuoteSOQL(v.SubscriberPackageID))
	if err != nil {
		return nil, fmt.Errorf("read package %s of version %s: %w", v.SubscriberPackageID, versionID, err)
	}
	if len(ps) > 0 {
		pv.Name, pv.Namespace = ps[0].Name, deref(ps[0].NamespacePrefix)
	}
	return pv, nil
}
