package provider

import "github.com/ceiac/terraform-provider-northpass/internal/sfapi"

// findInstalledByPackage returns the installed package with the given package id
// (033…), or nil.
func findInstalledByPackage(pkgs []sfapi.InstalledPackage, packageID string) *sfapi.InstalledPackage {
	for i := range pkgs {
		if samePackageRecordID(pkgs[i].PackageID, packageID) {
			return &pkgs[i]
		}
	}
	return nil
}

// samePackageRecordID compares Salesforce ids in their 15- or 18-character forms.
func samePackageRecordID(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	return normalizeID(a) == normalizeID(b)
}
