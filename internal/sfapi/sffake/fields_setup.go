package sffake

// Field tables of the setup objects (Organization, Profile, User,
// PermissionSet, PermissionSetAssignment), from the Object Reference for
// the Salesforce Platform. Each entry copies its page's type and
// "Properties" list; see field and fieldProps in schema.go.

const (
	refOrganization  = "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_organization.htm"
	refProfile       = "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_profile.htm"
	refUser          = "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_user.htm"
	refPermissionSet = "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionset.htm"
	refPSA           = "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionsetassignment.htm"
)

// permFields are the Permissions<Name> booleans of Profile and
// PermissionSet; both pages list them as "Create, Filter, Update".
func permFields(ref string) []*fieldDef {
	p := func(name, lbl string) *fieldDef {
		return field(name, tBoolean, "Create, Filter, Update", ref, def(false), label(lbl))
	}
	return []*fieldDef{
		p("PermissionsModifyAllData", "Modify All Data"),
		p("PermissionsViewAllData", "View All Data"),
		p("PermissionsApiEnabled", "API Enabled"),
		p("PermissionsViewSetup", "View Setup and Configuration"),
		p("PermissionsManageUsers", "Manage Users"),
		p("PermissionsAssignPermissionSets", "Assign Permission Sets"),
	}
}

func addSetupObjects(sc *schemaDef) {
	// Organization supports update() on some fields, but no client may
	// write it here (the object is not updateable in the fake).
	sc.add(&objectDef{Name: objOrganization, Label: "Organization", LabelPlural: "Organizations", KeyPrefix: "00D", API: apiREST, Setup: true,
		Fields: []*fieldDef{
			field("Name", tString, "Filter, Group, idLookup, Sort, Update", refOrganization),
			field("OrganizationType", tPicklist, "Filter, Group, Nillable, Restricted picklist, Sort", refOrganization, label("Edition")),
			field("IsSandbox", tBoolean, "Defaulted on create, Filter, Group, Sort", refOrganization, since(31), label("Is Sandbox")),
			field("InstanceName", tString, "Filter, Group, Nillable, Sort", refOrganization, since(31)),
			field("NamespacePrefix", tString, "Filter, Group, idLookup, Nillable, Sort", refOrganization),
			field("TimeZoneSidKey", tPicklist, "Filter, Group, Restricted picklist, Sort, Update", refOrganization, label("Default Time Zone")),
			field("LanguageLocaleKey", tPicklist, "Filter, Group, Restricted picklist, Sort, Update", refOrganization, label("Default Language")),
		}})

	profile := append([]*fieldDef{
		field("Name", tString, "Create, Filter, Group, idLookup, Sort, Update", refProfile),
		field("Description", tString, "Create, Filter, Group, Nillable, Sort, Update", refProfile),
		field("UserType", tPicklist, "Filter, Group, Nillable, Restricted picklist, Sort", refProfile, def("Standard")),
	}, permFields(refProfile)...)
	sc.add(&objectDef{Name: objProfile, Label: "Profile", LabelPlural: "Profiles", KeyPrefix: "00e", API: apiREST, Setup: true, Fields: profile})

	sc.add(&objectDef{Name: objUser, Label: "User", LabelPlural: "Users", KeyPrefix: "005", API: apiREST, Setup: true,
		Createable: true, Updateable: true,
		Fields: []*fieldDef{
			field("Username", tString, "Create, Filter, Group, idLookup, Sort, Update", refUser, unique),
			field("Email", tEmail, "Create, Filter, Group, idLookup, Sort, Update", refUser),
			field("FirstName", tString, "Create, Filter, Group, Nillable, Sort, Update", refUser, label("First Name")),
			field("LastName", tString, "Create, Filter, Group, Sort, Update", refUser, label("Last Name")),
			field("Name", tString, "Filter, Group, Sort", refUser, label("Full Name"), computed(fullName)),
			field("Alias", tString, "Create, Filter, Group, Sort, Update", refUser,
				def(func(_ *Server, _ *opCtx, r *record) any { return defaultAlias(r) })),
			field("IsActive", tBoolean, "Create, Defaulted on create, Filter, Group, Sort, Update", refUser, def(true), label("Active")),
			field("ProfileId", tRef, "Create, Filter, Group, Sort, Update", refUser, refTo(objProfile, "Profile", "Users")),
			field("UserType", tPicklist, "Filter, Group, Nillable, Restricted picklist, Sort", refUser, def("Standard")),
			field("Title", tString, "Create, Filter, Group, Nillable, Sort, Update", refUser),
			field("Department", tString, "Create, Filter, Group, Nillable, Sort, Update", refUser),
			field("TimeZoneSidKey", tPicklist, "Create, Filter, Group, Restricted picklist, Sort, Update", refUser, def("America/Los_Angeles"), label("Time Zone")),
			field("LocaleSidKey", tPicklist, "Create, Filter, Group, Restricted picklist, Sort, Update", refUser, def("en_US"), label("Locale")),
			field("LanguageLocaleKey", tPicklist, "Create, Filter, Group, Restricted picklist, Sort, Update", refUser, def("en_US"), label("Language")),
			field("EmailEncodingKey", tPicklist, "Create, Filter, Group, Restricted picklist, Sort, Update", refUser, def("UTF-8"), label("Email Encoding")),
		},
		UniqueKeys: [][]string{{"Username"}},
		beforeInsert: func(s *Server, c *opCtx, rec *record, _ map[string]any) *APIError {
			return validateUsername(rec)
		},
		beforeUpdate: func(s *Server, c *opCtx, _, rec *record, _ map[string]any) *APIError {
			return validateUsername(rec)
		},
	})

	ps := append([]*fieldDef{
		field("Name", tString, "Create, Filter, Group, Sort, Update", refPermissionSet),
		field("Label", tString, "Create, Filter, Group, Sort, Update", refPermissionSet),
		field("Description", tString, "Create, Filter, Nillable, Group, Sort, Update", refPermissionSet),
		field("NamespacePrefix", tString, "Filter, Group, Nillable, Sort", refPermissionSet, since(23)),
		field("IsOwnedByProfile", tBoolean, "Defaulted on create, Filter, Group, Sort", refPermissionSet, since(25), def(false), label("Is Owned By Profile")),
		field("ProfileId", tRef, "Filter, Group, Nillable, Sort", refPermissionSet, since(25), refTo(objProfile, "Profile", "")),
		field("IsCustom", tBoolean, "Defaulted on create, Filter, Group, Sort", refPermissionSet, def(true), label("Custom")),
		// The page types Type as a reference; its values are picklist-like.
		field("Type", tPicklist, "Filter, Group, Nillable, Sort", refPermissionSet, since(46), def("Regular"), picklist("Regular", "Group", "Profile", "Session", "Standard")),
		// LicenseId is Create on the page; the fake keeps licenses out of
		// scope and leaves it read-only, which is stricter.
		field("LicenseId", tString, "Filter, Group, Nillable, Sort", refPermissionSet, since(38), label("License ID")),
		field("PermissionSetGroupId", tString, "Filter, Group, Nillable, Sort", refPermissionSet, since(45), label("Permission Set Group ID")),
	}, permFields(refPermissionSet)...)
	sc.add(&objectDef{Name: objPermissionSet, Label: "Permission Set", LabelPlural: "Permission Sets", KeyPrefix: "0PS", API: apiREST, Setup: true,
		Createable: true, Updateable: true, Deletable: true, Fields: ps,
		UniqueKeys:   [][]string{{"NamespacePrefix", "Name"}},
		beforeInsert: permissionSetBeforeInsert,
		beforeUpdate: permissionSetBeforeUpdate,
		beforeDelete: permissionSetBeforeDelete,
		afterDelete:  permissionSetAfterDelete,
	})

	sc.add(&objectDef{Name: objPSA, Label: "Permission Set Assignment", LabelPlural: "Permission Set Assignments", KeyPrefix: "0Pa", API: apiREST, Setup: true,
		Createable: true, Updateable: true, Deletable: true,
		Fields: []*fieldDef{
			field("AssigneeId", tRef, "Create, Filter, Group, Sort", refPSA, refTo(objUser, "Assignee", "PermissionSetAssignments")),
			// Nillable because an assignment names a permission set or a
			// permission set group; the fake has no groups, so it insists.
			field("PermissionSetId", tRef, "Create, Filter, Group, Nillable, Sort", refPSA, mustSet, refTo(objPermissionSet, "PermissionSet", "Assignments")),
			field("PermissionSetGroupId", tString, "Create, Filter, Group, Nillable, Sort", refPSA, since(45), label("Permission Set Group ID")),
			field("ExpirationDate", tDateTime, "Create, Filter, Nillable, Sort, Update", refPSA, since(52), label("Expiration Date")),
			field("IsActive", tBoolean, "Defaulted on create, Filter, Group, Sort", refPSA, since(52), def(true), label("Active")),
			field("IsRevoked", tBoolean, "Defaulted on create, Filter, Group, Sort, Update", refPSA, since(57), def(false), label("Revoked")),
		},
		UniqueKeys:   [][]string{{"AssigneeId", "PermissionSetId"}},
		beforeInsert: psaBeforeInsert,
		beforeUpdate: psaBeforeUpdate,
		beforeDelete: psaBeforeDelete,
	})
}

var (
	unique fopt = func(f *fieldDef) { f.Unique = true }
	// mustSet requires a value on insert although the page says Nillable
	// (see PermissionSetAssignment.PermissionSetId).
	mustSet fopt = func(f *fieldDef) { f.MustSet = true }
)
