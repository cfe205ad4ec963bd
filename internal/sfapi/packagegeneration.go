package sfapi

// PackageGeneration says how a package was built: first-generation (1GP,
// uploaded from a packaging org, including unmanaged packages) or
// second-generation (2GP: managed or unlocked, built from a Dev Hub).
type PackageGeneration string

const (
	FirstGeneration  PackageGeneration = "1GP"
	SecondGeneration PackageGeneration = "2GP"
)

// generationOf reads SubscriberPackageVersion.Package2ContainerOptions. The
// Tooling API reference describes it as the container options of a
// second-generation package (Managed or Unlocked) and marks it nillable; the
// sf CLI's `package installed list` (plugin-packaging
// src/commands/package/installed/list.ts) takes a managed version without
// it to be first-generation. So: set means 2GP, null means 1GP.
func generationOf(containerOptions string) PackageGeneration {
	if containerOptions == "" {
		return FirstGeneration
	}
	return SecondGeneration
}

// Generation of the installed version.
func (p InstalledPackage) Generation() PackageGeneration { return generationOf(p.ContainerOptions) }

// Generation of the version.
func (p PackageVersion) Generation() PackageGeneration { return generationOf(p.ContainerOptions) }

// UninstallableByAPI says whether a SubscriberPackageVersionUninstallRequest
// can remove the package: the Tooling API reference describes that object
// for second-generation package versions only, and `sf package uninstall`
// (messages/package_uninstall.md) sends first-generation packages to Setup →
// Installed Packages.
func UninstallableByAPI(g PackageGeneration) bool { return g == SecondGeneration }

// RemoteSiteSetting is one Remote Site Setting a package version brings
// (SubscriberPackageRemoteSiteSetting: {"secure":…, "url":…}).
type RemoteSiteSetting struct {
	URL    string
	Secure bool
}

// remoteSitesRecord is SubscriberPackageVersion.RemoteSiteSettings,
// {"settings":[{"secure":true,"url":"https://…"}]} or null.
type remoteSitesRecord struct {
	Settings []struct {
		Secure bool   `json:"secure"`
		URL    string `json:"url"`
	} `json:"settings"`
}

// cspTrustedSitesRecord is SubscriberPackageVersion.CspTrustedSites,
// {"settings":[{"endpointUrl":"https://…"}]} or null.
type cspTrustedSitesRecord struct {
	Settings []struct {
		EndpointURL string `json:"endpointUrl"`
	} `json:"settings"`
}

func (r *remoteSitesRecord) sites() []RemoteSiteSetting {
	if r == nil {
		return nil
	}
	var out []RemoteSiteSetting
	for _, s := range r.Settings {
		if s.URL != "" {
			out = append(out, RemoteSiteSetting{URL: s.URL, Secure: s.Secure})
		}
	}
	return out
}

func (r *cspTrustedSitesRecord) sites() []string {
	if r == nil {
		return nil
	}
	var out []string
	for _, s := range r.Settings {
		if s.EndpointURL != "" {
			out = append(out, s.EndpointURL)
		}
	}
	return out
}

// ExternalSites lists every third-party site the version asks the installing
// admin to approve: its Remote Site Settings, then its CSP Trusted Sites, as
// the sf CLI's getExternalSites does before it prompts.
func (p PackageVersion) ExternalSites() []string {
	var out []string
	for _, s := range p.RemoteSiteSettings {
		out = append(out, s.URL)
	}
	return append(out, p.CSPTrustedSites...)
}
