package sffake

// Field tables of the Tooling API package objects, from the Tooling API
// object reference. Note what these pages leave out: Status is not
// Filter on PackageInstallRequest nor on SubscriberPackageVersionUninstallRequest,
// and SubscriberPackageVersion filters on nothing but Id and InstallationKey.

const (
	refSubscriberPackage = "https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_subscriberpackage.htm"
	refSPV               = "https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_subscriberpackageversion.htm"
	refInstalled         = "https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_installedsubscriberpackage.htm"
	refInstallRequest    = "https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_packageinstallrequest.htm"
	refUninstallRequest  = "https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_subscriberpackageversionuninstallrequest.htm"
	refUninstallError    = "https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_packageversionuninstallrequesterror.htm"
)

func addPackageObjects(sc *schemaDef) {
	sc.add(&objectDef{Name: objSubscriberPackage, Label: "Subscriber Package", LabelPlural: "Subscriber Packages", KeyPrefix: "033", API: apiTooling,
		Fields: []*fieldDef{
			field("Name", tString, "Group, idLookup, Sort", refSubscriberPackage),
			field("NamespacePrefix", tString, "Group, idLookup, Nillable, Sort", refSubscriberPackage),
			field("Description", tString, "Nillable, Sort", refSubscriberPackage),
			field("IsPackageValid", tBoolean, "Defaulted on create, Group, Sort", refSubscriberPackage),
		}})

	sc.add(&objectDef{Name: objSPV, Label: "Subscriber Package Version", LabelPlural: "Subscriber Package Versions", KeyPrefix: "04t", API: apiTooling,
		Fields: []*fieldDef{
			field("Name", tString, "Group, idLookup, Sort", refSPV),
			// The page types it ID; as a reference it also gives the
			// SubscriberPackage relationship clients traverse.
			field("SubscriberPackageId", tRef, "Group, Nillable, Sort", refSPV, refTo(objSubscriberPackage, "SubscriberPackage", "")),
			field("MajorVersion", tInt, "Group, Nillable, Sort", refSPV),
			field("MinorVersion", tInt, "Group, Nillable, Sort", refSPV),
			field("PatchVersion", tInt, "Group, Nillable, Sort", refSPV),
			field("BuildNumber", tInt, "Group, Nillable, Sort", refSPV),
			field("IsManaged", tBoolean, "Defaulted on create, Group, Sort", refSPV),
			field("IsBeta", tBoolean, "Defaulted on create, Group, Sort", refSPV),
			field("IsDeprecated", tBoolean, "Defaulted on create, Group, Sort", refSPV),
			field("ReleaseState", tPicklist, "Group, Nillable, Restricted picklist, Sort", refSPV),
			// Managed or Unlocked for a second-generation package, null for a
			// first-generation one (plugin-packaging's installed list reads it so).
			field("Package2ContainerOptions", tPicklist, "Group, Nillable, Restricted picklist, Sort", refSPV, picklist("Managed", "Unlocked")),
			field("IsPasswordProtected", tBoolean, "Defaulted on create, Group, Sort", refSPV),
			field("IsSecurityReviewed", tBoolean, "Defaulted on create, Group, Sort", refSPV),
			field("PublisherName", tString, "Group, Nillable, Sort", refSPV),
			field("Description", tString, "Nillable, Sort", refSPV),
			// SubscriberPackageRemoteSiteSettings {"settings":[{"secure","url"}]} and
			// SubscriberPackageCspTrustedSites {"settings":[{"endpointUrl"}]}: the sites
			// the admin approves on install (PackageInstallRequest.EnableRss).
			field("RemoteSiteSettings", tComplex, "Nillable", refSPV),
			field("CspTrustedSites", tComplex, "Nillable", refSPV),
			field("InstallValidationStatus", tPicklist, "Group, Nillable, Restricted picklist, Sort", refSPV, computed(installValidationStatus)),
			// "Not queryable, but you can include it in the WHERE clause."
			field("InstallationKey", tString, "Not applicable", refSPV, filterOnly, computed(installationKeyFilter)),
		}})

	sc.add(&objectDef{Name: objInstalled, Label: "Installed Subscriber Package", LabelPlural: "Installed Subscriber Packages", KeyPrefix: "0A3", API: apiTooling,
		Fields: []*fieldDef{
			field("SubscriberPackageId", tRef, "Filter, Group, Nillable, Sort", refInstalled, refTo(objSubscriberPackage, "SubscriberPackage", "")),
			field("SubscriberPackageVersionId", tRef, "Filter, Group, Nillable, Sort", refInstalled, refTo(objSPV, "SubscriberPackageVersion", "")),
			field("MinPackageVersionId", tRef, "Filter, Group, Nillable, Sort", refInstalled, refTo(objSPV, "MinPackageVersion", "")),
		}})

	sc.add(&objectDef{Name: objInstallRequest, Label: "Package Install Request", LabelPlural: "Package Install Requests", KeyPrefix: "0Hf", API: apiTooling,
		Createable: true,
		Fields: []*fieldDef{
			field("SubscriberPackageVersionKey", tString, "Create, Filter, Group, Sort", refInstallRequest),
			field("SecurityType", tPicklist, "Create, Filter, Group, Restricted picklist, Sort", refInstallRequest,
				def("None"), picklist("None", "Full", "Custom", "Push")),
			field("NameConflictResolution", tPicklist, "Create, Filter, Group, Restricted picklist, Sort", refInstallRequest,
				def("Block"), picklist("Block", "RenameMetadata", "Rename")),
			// Filter on the page; never selectable here, so the key cannot
			// come back in a query.
			field("Password", tString, "Create, Filter, Group, Nillable, Sort", refInstallRequest, writeOnly),
			field("EnableRss", tBoolean, "Create, Defaulted on create, Filter, Group, Sort", refInstallRequest, since(43), def(false)),
			field("PackageInstallSource", tPicklist, "Create, Filter, Group, Nillable, Restricted picklist, Sort", refInstallRequest,
				def("U"), picklist("U", "R", "D", "S", "A")),
			// Typed string on the page, which lists the valid values.
			field("ApexCompileType", tString, "Create, Filter, Group, Nillable, Sort", refInstallRequest, since(46), picklist("all", "package")),
			field("UpgradeType", tString, "Create, Filter, Group, Nillable, Sort", refInstallRequest, picklist("delete-only", "deprecate-only", "mixed-mode")),
			field("SkipHandlers", tString, "Create, Filter, Group, Nillable, Sort", refInstallRequest, since(61)),
			field("ProfileMappings", tComplex, "Create, Nillable", refInstallRequest),
			field("Status", tPicklist, "Group, Nillable, Restricted picklist, Sort", refInstallRequest, picklist("ERROR", "IN_PROGRESS", "SUCCESS", "UNKNOWN")),
			field("Errors", tComplex, "Nillable", refInstallRequest),
		},
		beforeInsert: installRequestBeforeInsert,
		afterInsert:  installRequestAfterInsert,
	})

	sc.add(&objectDef{Name: objUninstallRequest, Label: "Subscriber Package Version Uninstall Request", LabelPlural: "Subscriber Package Version Uninstall Requests", KeyPrefix: "06y", API: apiTooling,
		Createable: true,
		Fields: []*fieldDef{
			field("SubscriberPackageVersionId", tRef, "Create, Filter, Group, Sort", refUninstallRequest, refTo(objSPV, "SubscriberPackageVersion", "")),
			field("Status", tPicklist, "Group, Nillable, Restricted picklist, Sort", refUninstallRequest, picklist("Queued", "InProgress", "Success", "Error")),
		},
		beforeInsert: uninstallRequestBeforeInsert,
		afterInsert:  uninstallRequestAfterInsert,
	})

	sc.add(&objectDef{Name: objUninstallError, Label: "Package Version Uninstall Request Error", LabelPlural: "Package Version Uninstall Request Errors", KeyPrefix: "0Uh", API: apiTooling,
		Fields: []*fieldDef{
			field("ParentRequestId", tRef, "Filter, Group, Nillable, Sort", refUninstallError, refTo(objUninstallRequest, "ParentRequest", "")),
			field("Message", tString, "Filter, Nillable, Sort", refUninstallError),
		}})
}
