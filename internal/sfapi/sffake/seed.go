package sffake

import (
	"fmt"
)

// seed builds the org every New starts with. Ids come from one counter, so
// they are the same on every run. Callers hold s.mu.
func (s *Server) seed() {
	// The org and the first admin exist before anything can be "created
	// by" someone, so their ids are reserved up front.
	s.orgID = s.newID("00D")
	s.adminID = s.newID("005")

	org := &record{id: s.orgID, obj: schema.object(objOrganization), f: map[string]any{
		"Name": "Acme (emulated)", "OrganizationType": "Developer Edition", "IsSandbox": false,
		"InstanceName": "EMU1", "NamespacePrefix": nil, "TimeZoneSidKey": "America/Los_Angeles", "LanguageLocaleKey": "en_US",
	}}
	s.stamp(org, trustedOp, true)
	s.put(org)

	type profileSeed struct {
		name                       string
		modifyAll, viewAll, manage bool
		apiEnabled, viewSetup      bool
	}
	profiles := []profileSeed{
		{"System Administrator", true, true, true, true, true},
		{"Standard User", false, false, false, true, false},
		{"Minimum Access - Salesforce", false, false, false, true, false},
	}
	ownedSets := map[string]string{}
	for _, p := range profiles {
		perms := map[string]any{
			"PermissionsModifyAllData": p.modifyAll, "PermissionsViewAllData": p.viewAll,
			"PermissionsManageUsers": p.manage, "PermissionsAssignPermissionSets": p.manage,
			"PermissionsApiEnabled": p.apiEnabled, "PermissionsViewSetup": p.viewSetup,
		}
		pf := map[string]any{"Name": p.name}
		for k, v := range perms {
			pf[k] = v
		}
		prof := s.insertTrusted(objProfile, pf)
		s.profiles[p.name] = prof.id
		// Every profile owns a permission set holding its permissions;
		// assignments to it are why queries filter IsOwnedByProfile=false.
		ps := map[string]any{
			"Name": "X" + id15(prof.id), "Label": "Profile permission set for " + p.name,
			"IsOwnedByProfile": true, "ProfileId": prof.id, "IsCustom": false, "Type": "Profile",
		}
		for k, v := range perms {
			ps[k] = v
		}
		ownedSets[prof.id] = s.insertTrusted(objPermissionSet, ps).id
	}

	addUser := func(id, username, first, last, profile string, active bool) {
		f := map[string]any{
			"Username": username, "Email": username, "FirstName": first, "LastName": last,
			"ProfileId": s.profiles[profile], "IsActive": active,
		}
		// The admin's id was reserved above; presetID keeps it.
		u, err := s.insertLocked(schema.object(objUser), f, &opCtx{userID: s.adminID, trusted: true, presetID: id})
		if err != nil {
			panic(err)
		}
		s.insertTrusted(objPSA, map[string]any{"AssigneeId": u.id, "PermissionSetId": ownedSets[s.profiles[profile]]})
	}
	addUser(s.adminID, DefaultAdminUsername, "Ada", "Admin", "System Administrator", true)
	addUser("", DefaultIntegrationUsername, "Northpass", "Integration", "Minimum Access - Salesforce", true)
	addUser("", "jane.doe@acme.example", "Jane", "Doe", "Standard User", true)
	addUser("", "john.smith@acme.example", "John", "Smith", "Standard User", true)
	addUser("", "former.employee@acme.example", "Former", "Employee", "Standard User", false)
	for i := 1; i <= s.opts.ExtraUsers; i++ {
		addUser("", fmt.Sprintf("user%04d@acme.example", i), "User", fmt.Sprintf("%04d", i), "Standard User", true)
	}

	// A permission set an admin made, not from any package.
	s.insertTrusted(objPermissionSet, map[string]any{
		"Name": "Sales_Ops", "Label": "Sales Ops", "Description": "Reports and dashboards for sales operations.",
		"PermissionsApiEnabled": true,
	})

	for _, c := range [][3]string{
		{"Jane", "Learner", "jane.learner@example.com"},
		{"Sam", "Learner", "sam.learner@example.com"},
		{"Alex", "Student", "alex.student@example.com"},
		{"Priya", "Trainee", "priya.trainee@example.com"},
	} {
		s.insertTrusted(objContact, map[string]any{"FirstName": c[0], "LastName": c[1], "Email": c[2], "OwnerId": s.adminID})
	}

	s.seedCatalog()
	if e, err := s.catalogLookup(NorthpassNamespace, "2.0", ""); err == nil {
		s.applyInstall(e)
	}
	s.seedEnrollments()
	s.seedLayouts()
}

func (s *Server) seedCatalog() {
	type ver struct {
		name                       string
		major, minor, patch, build int
		key                        string
		remoteSites                []RemoteSite
		cspTrustedSites            []string
	}
	// Whether the real Northpass and Data Connector packages are first- or
	// second-generation is not published (the guide, the AppExchange
	// listings and public code say nothing), so the seed has one of each:
	// Northpass, the older package, as a first-generation managed package
	// (Package2ContainerOptions null), the Data Connector as a
	// second-generation managed one ("Managed"). Northpass 2.1 calls the CE
	// API (https://api.northpass.com, ce-public-api.md) and frames CE pages,
	// so it brings a Remote Site Setting and a CSP Trusted Site for the
	// install to approve; that too is a stand-in, not a published fact.
	pkgs := []struct {
		name, ns, desc   string
		containerOptions string
		versions         []ver
	}{
		{"Northpass", NorthpassNamespace, "Gainsight Customer Education (Northpass) for Salesforce: Enrollments on Contacts.", "",
			[]ver{
				{"2.0", 2, 0, 0, 3, "", nil, nil},
				{"2.1", 2, 1, 0, 2, "", []RemoteSite{{URL: NorthpassRemoteSite, Secure: true}}, []string{NorthpassCSPTrustedSite}},
			}},
		{"Gainsight Northpass Data Connector", ConnectorNamespace, "Syncs Northpass enrollments into Salesforce.", "Managed",
			[]ver{{"1.0", 1, 0, 0, 1, "", nil, nil}}},
		{"Key Protected Test Package", KeyProtectedNamespace, "A package whose version needs an installation key (tests).", "Managed",
			[]ver{{"1.0", 1, 0, 0, 1, KeyProtectedInstallationKey, nil, nil}}},
	}
	for _, p := range pkgs {
		sp := s.insertTrusted(objSubscriberPackage, map[string]any{
			"Name": p.name, "NamespacePrefix": p.ns, "Description": p.desc, "IsPackageValid": true,
		})
		for _, v := range p.versions {
			pv := PackageVersion{
				PackageID: sp.id, Namespace: p.ns, Name: p.name, VersionName: v.name,
				Major: v.major, Minor: v.minor, Patch: v.patch, Build: v.build,
				ContainerOptions: p.containerOptions, RemoteSites: v.remoteSites, CSPTrustedSites: v.cspTrustedSites,
			}
			var containerOptions any
			if p.containerOptions != "" {
				containerOptions = p.containerOptions
			}
			spv := s.insertTrusted(objSPV, map[string]any{
				"Name": v.name, "SubscriberPackageId": sp.id,
				"MajorVersion": v.major, "MinorVersion": v.minor, "PatchVersion": v.patch, "BuildNumber": v.build,
				"IsManaged": true, "IsBeta": false, "IsDeprecated": false, "ReleaseState": "Released",
				"Package2ContainerOptions": containerOptions, "IsPasswordProtected": v.key != "", "IsSecurityReviewed": true,
				"PublisherName": "Gainsight", "Description": p.desc,
				"RemoteSiteSettings": pv.remoteSiteSettingsValue(), "CspTrustedSites": pv.cspTrustedSitesValue(),
			})
			pv.VersionID = spv.id
			s.catalog = append(s.catalog, catalogEntry{PackageVersion: pv, key: v.key})
		}
	}
}

// The third-party sites Northpass 2.1 brings in the seeded catalog.
const (
	NorthpassRemoteSite     = "https://api.northpass.com"
	NorthpassCSPTrustedSite = "https://app.northpass.com"
)
