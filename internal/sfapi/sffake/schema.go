package sffake

import (
	"strings"
	"unicode"
)

// The schema is the fake's "metadata": which objects exist, in which API
// (REST or Tooling), with which fields. Describe, SOQL validation, record
// projection and input validation all read it, so a field exists in exactly
// one place.

type apiKind int

const (
	apiREST apiKind = 1 << iota
	apiTooling
	apiBoth = apiREST | apiTooling
)

// Field types, as describe reports them.
const (
	tID       = "id"
	tString   = "string"
	tTextarea = "textarea"
	tEmail    = "email"
	tBoolean  = "boolean"
	tRef      = "reference"
	tDateTime = "datetime"
	tDate     = "date"
	tDouble   = "double"
	tInt      = "int"
	tPicklist = "picklist"
	tComplex  = "complexvalue"
)

type fieldDef struct {
	Name  string
	Label string
	Type  string
	// ReferenceTo is the one object a lookup points to (no polymorphic
	// lookups are needed here).
	ReferenceTo       string
	RelationshipName  string
	ChildRelationship string // the relationship's name as seen from the parent ("" = none)
	ExternalID        bool
	Unique            bool
	Nillable          bool
	Createable        bool
	Updateable        bool
	Custom            bool
	// Default is used on insert when the field is absent; a func(*Server, *opCtx, *record) any
	// computes it.
	Default any
	// Computed fields are derived on read (User.Name, InstallValidationStatus).
	Computed func(s *Server, r *record) any
	// WriteOnly fields are accepted on insert but never stored, returned,
	// queried or described (PackageInstallRequest.Password).
	WriteOnly bool
	// SingleRow fields may only be selected by queries returning one row
	// (Tooling Layout.Metadata and FullName).
	SingleRow bool
	// FilterOnly fields can appear in WHERE but are projected as null
	// (SubscriberPackageVersion.InstallationKey must not leak the key).
	FilterOnly bool
	Picklist   []string
}

type opCtx struct {
	userID  string
	trusted bool // admin/Go API: bypasses access rules, keeps data integrity rules
	// presetID makes an insert use a reserved id (the seed's admin user).
	presetID string
}

type objectDef struct {
	Name        string
	Label       string
	LabelPlural string
	KeyPrefix   string
	Custom      bool
	API         apiKind
	// Namespace makes the object exist only while that package is installed.
	Namespace  string
	Setup      bool // setup objects can't share a collections call with others
	Createable bool
	Updateable bool
	Deletable  bool
	Fields     []*fieldDef
	UniqueKeys [][]string

	fieldByLower map[string]*fieldDef
	relByLower   map[string]*fieldDef

	beforeInsert func(s *Server, c *opCtx, rec *record, in map[string]any) *APIError
	afterInsert  func(s *Server, c *opCtx, rec *record)
	beforeUpdate func(s *Server, c *opCtx, old, rec *record, in map[string]any) *APIError
	beforeDelete func(s *Server, c *opCtx, rec *record) *APIError
	afterDelete  func(s *Server, c *opCtx, rec *record)
	// virtual objects are computed from the schema on every query.
	virtual func(s *Server) []*record
}

func (o *objectDef) field(name string) *fieldDef { return o.fieldByLower[strings.ToLower(name)] }

func (o *objectDef) relationship(name string) *fieldDef {
	return o.relByLower[strings.ToLower(name)]
}

type fopt func(*fieldDef)

func fld(name, typ string, opts ...fopt) *fieldDef {
	f := &fieldDef{Name: name, Type: typ, Nillable: true, Createable: true, Updateable: true, Label: labelFromName(name)}
	if strings.HasSuffix(name, "__c") {
		f.Custom = true
	}
	for _, o := range opts {
		o(f)
	}
	return f
}

var (
	required   fopt = func(f *fieldDef) { f.Nillable = false }
	readOnly   fopt = func(f *fieldDef) { f.Createable, f.Updateable = false, false }
	createOnly fopt = func(f *fieldDef) { f.Updateable = false }
	unique     fopt = func(f *fieldDef) { f.Unique = true }
	externalID fopt = func(f *fieldDef) { f.ExternalID, f.Unique = true, true }
	writeOnly  fopt = func(f *fieldDef) { f.WriteOnly, f.Updateable = true, false }
	singleRow  fopt = func(f *fieldDef) { f.SingleRow = true }
	filterOnly fopt = func(f *fieldDef) { f.FilterOnly = true; f.Createable, f.Updateable = false, false }
)

func label(l string) fopt { return func(f *fieldDef) { f.Label = l } }
func def(v any) fopt      { return func(f *fieldDef) { f.Default = v } }
func picklist(vals ...string) fopt {
	return func(f *fieldDef) { f.Picklist = vals }
}
func computed(fn func(s *Server, r *record) any) fopt {
	return func(f *fieldDef) { f.Computed = fn; f.Createable, f.Updateable = false, false }
}
func refTo(obj, rel, childRel string) fopt {
	return func(f *fieldDef) { f.ReferenceTo, f.RelationshipName, f.ChildRelationship = obj, rel, childRel }
}

// labelFromName turns "PermissionSetId" into "Permission Set ID", roughly
// what Salesforce shows for standard fields.
func labelFromName(name string) string {
	name = strings.TrimSuffix(name, "__c")
	if i := strings.Index(name, "__"); i >= 0 {
		name = name[i+2:]
	}
	name = strings.ReplaceAll(name, "_", " ")
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) && rs[i-1] != ' ' && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
			b.WriteRune(' ')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if strings.HasSuffix(out, " Id") || out == "Id" {
		out = strings.TrimSuffix(out, "Id") + "ID"
	}
	return out
}

// schemaDef holds every object the fake knows, by lower-case name.
type schemaDef struct {
	objects map[string]*objectDef
	order   []*objectDef
}

func (sc *schemaDef) add(o *objectDef) {
	if o.virtual == nil {
		audit := []*fieldDef{
			fld("CreatedDate", tDateTime, readOnly, required),
			fld("CreatedById", tRef, readOnly, required, refTo("User", "CreatedBy", ""), label("Created By ID")),
			fld("LastModifiedDate", tDateTime, readOnly, required),
			fld("LastModifiedById", tRef, readOnly, required, refTo("User", "LastModifiedBy", ""), label("Last Modified By ID")),
			fld("SystemModstamp", tDateTime, readOnly, required, label("System Modstamp")),
		}
		if o.API&apiREST != 0 {
			// Clients often filter on it; queries only ever see live rows.
			audit = append(audit, fld("IsDeleted", tBoolean, label("Deleted"), computed(func(_ *Server, r *record) any { return r.deleted })))
		}
		o.Fields = append(o.Fields, audit...)
	}
	o.Fields = append([]*fieldDef{fld("Id", tID, readOnly, required, label(o.Label+" ID"))}, o.Fields...)
	o.fieldByLower = map[string]*fieldDef{}
	o.relByLower = map[string]*fieldDef{}
	for _, f := range o.Fields {
		o.fieldByLower[strings.ToLower(f.Name)] = f
		if f.RelationshipName != "" {
			o.relByLower[strings.ToLower(f.RelationshipName)] = f
		}
	}
	sc.objects[strings.ToLower(o.Name)] = o
	sc.order = append(sc.order, o)
}

func (sc *schemaDef) object(name string) *objectDef { return sc.objects[strings.ToLower(name)] }

// objectForPrefix finds the object whose ids start with the id's key prefix.
func (sc *schemaDef) objectForPrefix(id string) *objectDef {
	if len(id) < 3 {
		return nil
	}
	for _, o := range sc.order {
		if o.KeyPrefix == id[:3] {
			return o
		}
	}
	return nil
}

// Object names used in code.
const (
	objOrganization      = "Organization"
	objProfile           = "Profile"
	objUser              = "User"
	objPermissionSet     = "PermissionSet"
	objPSA               = "PermissionSetAssignment"
	objContact           = "Contact"
	objEnrollment        = "northpass__Enrollment__c"
	objEntityDefinition  = "EntityDefinition"
	objSubscriberPackage = "SubscriberPackage"
	objSPV               = "SubscriberPackageVersion"
	objInstalled         = "InstalledSubscriberPackage"
	objInstallRequest    = "PackageInstallRequest"
	objUninstallRequest  = "SubscriberPackageVersionUninstallRequest"
	objUninstallError    = "PackageVersionUninstallRequestError"
	objLayout            = "Layout"
)

// enrollmentDurableID is the CustomObject id (01I…) of the package's object;
// Tooling uses such ids as DurableId and TableEnumOrId of custom objects.
var enrollmentDurableID = makeID("01I", 1)

// schema is built in init: the hooks it holds refer back to it.
var schema *schemaDef

func init() { schema = buildSchema() }

func buildSchema() *schemaDef {
	sc := &schemaDef{objects: map[string]*objectDef{}}
	permFields := func() []*fieldDef {
		return []*fieldDef{
			fld("PermissionsModifyAllData", tBoolean, def(false), label("Modify All Data")),
			fld("PermissionsViewAllData", tBoolean, def(false), label("View All Data")),
			fld("PermissionsApiEnabled", tBoolean, def(false), label("API Enabled")),
			fld("PermissionsViewSetup", tBoolean, def(false), label("View Setup and Configuration")),
			fld("PermissionsManageUsers", tBoolean, def(false), label("Manage Users")),
			fld("PermissionsAssignPermissionSets", tBoolean, def(false), label("Assign Permission Sets")),
		}
	}

	sc.add(&objectDef{Name: objOrganization, Label: "Organization", LabelPlural: "Organizations", KeyPrefix: "00D", API: apiREST, Setup: true,
		Fields: []*fieldDef{
			fld("Name", tString, readOnly),
			fld("OrganizationType", tString, readOnly, label("Edition")),
			fld("IsSandbox", tBoolean, readOnly, label("Is Sandbox")),
			fld("InstanceName", tString, readOnly),
			fld("NamespacePrefix", tString, readOnly),
			fld("TimeZoneSidKey", tString, readOnly, label("Default Time Zone")),
			fld("LanguageLocaleKey", tString, readOnly, label("Default Language")),
		}})

	profile := append([]*fieldDef{
		fld("Name", tString, required),
		fld("Description", tString),
		fld("UserType", tString, readOnly, def("Standard")),
	}, permFields()...)
	sc.add(&objectDef{Name: objProfile, Label: "Profile", LabelPlural: "Profiles", KeyPrefix: "00e", API: apiREST, Setup: true, Fields: profile})

	sc.add(&objectDef{Name: objUser, Label: "User", LabelPlural: "Users", KeyPrefix: "005", API: apiREST, Setup: true,
		Createable: true, Updateable: true,
		Fields: []*fieldDef{
			fld("Username", tString, required, unique),
			fld("Email", tEmail, required),
			fld("FirstName", tString, label("First Name")),
			fld("LastName", tString, required, label("Last Name")),
			fld("Name", tString, label("Full Name"), computed(fullName)),
			fld("Alias", tString, def(func(_ *Server, _ *opCtx, r *record) any { return defaultAlias(r) })),
			fld("IsActive", tBoolean, def(true), label("Active")),
			fld("ProfileId", tRef, required, refTo(objProfile, "Profile", "Users")),
			fld("UserType", tString, readOnly, def("Standard")),
			fld("Title", tString),
			fld("Department", tString),
			fld("TimeZoneSidKey", tPicklist, def("America/Los_Angeles"), label("Time Zone")),
			fld("LocaleSidKey", tPicklist, def("en_US"), label("Locale")),
			fld("LanguageLocaleKey", tPicklist, def("en_US"), label("Language")),
			fld("EmailEncodingKey", tPicklist, def("UTF-8"), label("Email Encoding")),
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
		fld("Name", tString, required),
		fld("Label", tString, required),
		fld("Description", tTextarea),
		fld("NamespacePrefix", tString, readOnly),
		fld("IsOwnedByProfile", tBoolean, readOnly, def(false), label("Is Owned By Profile")),
		fld("ProfileId", tRef, readOnly, refTo(objProfile, "Profile", "")),
		fld("IsCustom", tBoolean, readOnly, def(true), label("Custom")),
		fld("Type", tPicklist, readOnly, def("Regular"), picklist("Regular", "Group", "Profile", "Session", "Standard")),
		fld("LicenseId", tString, readOnly, label("License ID")),
		fld("PermissionSetGroupId", tString, readOnly, label("Permission Set Group ID")),
	}, permFields()...)
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
			fld("AssigneeId", tRef, required, createOnly, refTo(objUser, "Assignee", "PermissionSetAssignments")),
			fld("PermissionSetId", tRef, required, createOnly, refTo(objPermissionSet, "PermissionSet", "Assignments")),
			fld("PermissionSetGroupId", tString, createOnly, label("Permission Set Group ID")),
			fld("ExpirationDate", tDateTime, label("Expiration Date")),
			fld("IsActive", tBoolean, readOnly, def(true), label("Active")),
			fld("IsRevoked", tBoolean, readOnly, def(false), label("Revoked")),
		},
		UniqueKeys:   [][]string{{"AssigneeId", "PermissionSetId"}},
		beforeInsert: psaBeforeInsert,
		beforeUpdate: psaBeforeUpdate,
		beforeDelete: psaBeforeDelete,
	})

	sc.add(&objectDef{Name: objContact, Label: "Contact", LabelPlural: "Contacts", KeyPrefix: "003", API: apiREST,
		Createable: true, Updateable: true, Deletable: true,
		Fields: []*fieldDef{
			fld("FirstName", tString, label("First Name")),
			fld("LastName", tString, required, label("Last Name")),
			fld("Name", tString, label("Full Name"), computed(fullName)),
			fld("Email", tEmail),
			fld("Title", tString),
			fld("Phone", tString, label("Business Phone")),
			fld("Department", tString),
			fld("OwnerId", tRef, required, refTo(objUser, "Owner", ""), def(currentUser), label("Owner ID")),
		},
		afterDelete: contactAfterDelete,
	})

	sc.add(&objectDef{Name: objEnrollment, Label: "Enrollment", LabelPlural: "Enrollments", KeyPrefix: "a0X", API: apiREST, Custom: true,
		Namespace: NorthpassNamespace, Createable: true, Updateable: true, Deletable: true,
		Fields: []*fieldDef{
			// A text Name left empty on insert becomes the record id, as on
			// a real org, so upserts that only send package fields work.
			fld("Name", tString, label("Enrollment Name"), def(func(_ *Server, _ *opCtx, r *record) any { return r.id })),
			fld("OwnerId", tRef, required, refTo(objUser, "Owner", ""), def(currentUser), label("Owner ID")),
			fld("northpass__External_Id__c", tString, externalID, label("External id")),
			fld("northpass__Course_Id__c", tString, label("Course ID")),
			fld("northpass__Course_Name__c", tString, label("Course Name")),
			fld("northpass__Enrollment_Date__c", tDateTime, label("Enrollment Date")),
			fld("northpass__Progress_Percentage__c", tDouble, label("Progress Percentage")),
			fld("northpass__Course_Attempt_Number__c", tDouble, label("Course Attempt Number")),
			fld("northpass__Contact__c", tRef, refTo(objContact, "northpass__Contact__r", "northpass__Enrollments__r"), label("Contact")),
		},
		UniqueKeys: [][]string{{"northpass__External_Id__c"}},
	})

	sc.add(&objectDef{Name: objEntityDefinition, Label: "Entity Definition", LabelPlural: "Entity Definitions", KeyPrefix: "", API: apiBoth,
		Fields: []*fieldDef{
			fld("DurableId", tString, readOnly),
			fld("QualifiedApiName", tString, readOnly),
			fld("DeveloperName", tString, readOnly),
			fld("NamespacePrefix", tString, readOnly),
			fld("Label", tString, readOnly),
			fld("PluralLabel", tString, readOnly),
			fld("MasterLabel", tString, readOnly),
			fld("KeyPrefix", tString, readOnly),
			fld("IsCustomizable", tBoolean, readOnly),
			fld("IsQueryable", tBoolean, readOnly),
		},
		virtual: entityDefinitions,
	})

	// Tooling API objects.
	sc.add(&objectDef{Name: objSubscriberPackage, Label: "Subscriber Package", LabelPlural: "Subscriber Packages", KeyPrefix: "033", API: apiTooling,
		Fields: []*fieldDef{
			fld("Name", tString, readOnly),
			fld("NamespacePrefix", tString, readOnly),
			fld("Description", tTextarea, readOnly),
			fld("IsPackageValid", tBoolean, readOnly),
		}})
	sc.add(&objectDef{Name: objSPV, Label: "Subscriber Package Version", LabelPlural: "Subscriber Package Versions", KeyPrefix: "04t", API: apiTooling,
		Fields: []*fieldDef{
			fld("Name", tString, readOnly),
			fld("SubscriberPackageId", tRef, readOnly, refTo(objSubscriberPackage, "SubscriberPackage", "")),
			fld("MajorVersion", tInt, readOnly),
			fld("MinorVersion", tInt, readOnly),
			fld("PatchVersion", tInt, readOnly),
			fld("BuildNumber", tInt, readOnly),
			fld("IsManaged", tBoolean, readOnly),
			fld("IsBeta", tBoolean, readOnly),
			fld("IsDeprecated", tBoolean, readOnly),
			fld("ReleaseState", tString, readOnly),
			fld("Package2ContainerOptions", tString, readOnly),
			fld("IsPasswordProtected", tBoolean, readOnly),
			fld("IsSecurityReviewed", tBoolean, readOnly),
			fld("PublisherName", tString, readOnly),
			fld("Description", tTextarea, readOnly),
			fld("InstallValidationStatus", tString, computed(installValidationStatus)),
			fld("InstallationKey", tString, filterOnly, computed(installationKeyFilter)),
		}})
	sc.add(&objectDef{Name: objInstalled, Label: "Installed Subscriber Package", LabelPlural: "Installed Subscriber Packages", KeyPrefix: "0A3", API: apiTooling,
		Fields: []*fieldDef{
			fld("SubscriberPackageId", tRef, readOnly, refTo(objSubscriberPackage, "SubscriberPackage", "")),
			fld("SubscriberPackageVersionId", tRef, readOnly, refTo(objSPV, "SubscriberPackageVersion", "")),
			fld("MinPackageVersionId", tRef, readOnly, refTo(objSPV, "MinPackageVersion", "")),
		}})
	sc.add(&objectDef{Name: objInstallRequest, Label: "Package Install Request", LabelPlural: "Package Install Requests", KeyPrefix: "0Hf", API: apiTooling,
		Createable: true,
		Fields: []*fieldDef{
			fld("SubscriberPackageVersionKey", tString, required, createOnly),
			fld("SecurityType", tPicklist, createOnly, def("None"), picklist("None", "Full", "Custom", "Push")),
			fld("NameConflictResolution", tPicklist, createOnly, def("Block"), picklist("Block", "RenameMetadata", "Rename")),
			fld("Password", tString, writeOnly),
			fld("EnableRss", tBoolean, createOnly, def(false)),
			fld("PackageInstallSource", tPicklist, createOnly, def("U"), picklist("U", "R", "D", "S", "A")),
			fld("ApexCompileType", tPicklist, createOnly, picklist("all", "package")),
			fld("UpgradeType", tPicklist, createOnly, picklist("delete-only", "deprecate-only", "mixed-mode")),
			fld("SkipHandlers", tString, createOnly),
			fld("ProfileMappings", tComplex, createOnly),
			fld("Status", tPicklist, readOnly, picklist("ERROR", "IN_PROGRESS", "SUCCESS", "UNKNOWN")),
			fld("Errors", tComplex, readOnly),
		},
		beforeInsert: installRequestBeforeInsert,
		afterInsert:  installRequestAfterInsert,
	})
	sc.add(&objectDef{Name: objUninstallRequest, Label: "Subscriber Package Version Uninstall Request", LabelPlural: "Subscriber Package Version Uninstall Requests", KeyPrefix: "06y", API: apiTooling,
		Createable: true,
		Fields: []*fieldDef{
			fld("SubscriberPackageVersionId", tRef, required, createOnly, refTo(objSPV, "SubscriberPackageVersion", "")),
			fld("Status", tPicklist, readOnly, picklist("Queued", "InProgress", "Success", "Error")),
		},
		beforeInsert: uninstallRequestBeforeInsert,
		afterInsert:  uninstallRequestAfterInsert,
	})
	sc.add(&objectDef{Name: objUninstallError, Label: "Package Version Uninstall Request Error", LabelPlural: "Package Version Uninstall Request Errors", KeyPrefix: "0Uh", API: apiTooling,
		Fields: []*fieldDef{
			fld("ParentRequestId", tRef, readOnly, refTo(objUninstallRequest, "ParentRequest", "")),
			fld("Message", tTextarea, readOnly),
		}})
	sc.add(&objectDef{Name: objLayout, Label: "Layout", LabelPlural: "Layouts", KeyPrefix: "00h", API: apiTooling,
		Updateable: true,
		Fields: []*fieldDef{
			fld("Name", tString, readOnly),
			// PATCH may send FullName (Jetstream does), but it must name the
			// same layout; layoutBeforeUpdate checks that.
			fld("FullName", tString, singleRow, label("Full Name")),
			fld("TableEnumOrId", tString, readOnly),
			fld("EntityDefinitionId", tString, readOnly),
			fld("LayoutType", tPicklist, readOnly, def("Standard")),
			fld("ManageableState", tPicklist, readOnly, def("unmanaged")),
			fld("NamespacePrefix", tString, readOnly),
			fld("ShowSubmitAndAttachButton", tBoolean, readOnly, def(false)),
			fld("Metadata", tComplex, singleRow),
		},
		beforeUpdate: layoutBeforeUpdate,
	})
	return sc
}

func fullName(_ *Server, r *record) any {
	first, _ := r.f["FirstName"].(string)
	last, _ := r.f["LastName"].(string)
	return strings.TrimSpace(first + " " + last)
}

func defaultAlias(r *record) string {
	first, _ := r.f["FirstName"].(string)
	last, _ := r.f["LastName"].(string)
	a := ""
	if first != "" {
		a = first[:1]
	}
	a += last
	if len(a) > 8 {
		a = a[:8]
	}
	return strings.ToLower(a)
}

// currentUser defaults OwnerId; the Go API and the seed act as the admin.
func currentUser(s *Server, c *opCtx, _ *record) any {
	if c.userID == "" {
		return s.adminID
	}
	return c.userID
}

func validateUsername(rec *record) *APIError {
	u, _ := rec.f["Username"].(string)
	if at := strings.IndexByte(u, '@'); at <= 0 || at == len(u)-1 {
		return newErr(400, "INVALID_NEW_VALUE", "Username: invalid format: %s. The username must be in the form of an email address (for example, john@acme.com).", u).withFields("Username")
	}
	return nil
}
