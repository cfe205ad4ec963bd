package sffake

import (
	"strconv"
	"strings"
	"unicode"
)

// The schema is the fake's "metadata": which objects exist, in which API
// (REST or Tooling), with which fields. Describe, SOQL validation, record
// projection and input validation all read it, so a field exists in exactly
// one place. The field tables themselves, copied from the Salesforce
// references with the page beside each entry, are in fields_*.go.

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

	// The field's properties as its reference page lists them (see
	// fieldProps): they decide describe's flags and what a query or a
	// write may do with the field.
	Createable        bool // "Create"
	Updateable        bool // "Update"
	Filterable        bool // "Filter": may appear in a WHERE clause
	Sortable          bool // "Sort"
	Groupable         bool // "Group"
	Nillable          bool // "Nillable"
	DefaultedOnCreate bool // "Defaulted on create"
	IDLookup          bool // "idLookup"
	ExternalID        bool // "External ID"
	Unique            bool // "Unique"
	// Since is the first API version with the field (0: as old as its
	// object); a request at an older version does not see it.
	Since float64
	// Ref is the reference page the field's entry comes from.
	Ref    string
	Custom bool

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
	// MustSet: see mustSet.
	MustSet bool
}

type opCtx struct {
	userID  string
	trusted bool // admin/Go API: bypasses access rules, keeps data integrity rules
	// presetID makes an insert use a reserved id (the seed's admin user).
	presetID string
	// ver is the request's API version ("" for the Go API: every field),
	// body its raw JSON, for the position Salesforce puts in a
	// JSON_PARSER_ERROR.
	ver  string
	body []byte
}

// newerThan reports whether the field appeared after API version ver, so
// that a request at ver does not see it ("" = the Go API, which sees all).
func (f *fieldDef) newerThan(ver string) bool {
	if ver == "" || f.Since == 0 {
		return false
	}
	v, err := strconv.ParseFloat(ver, 64)
	return err == nil && f.Since > v
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

// field declares one field as its reference page describes it: the type,
// the "Properties" list copied from the page (parsed by fieldProps) and the
// page itself. Options add what the page says in prose (the API version it
// appeared in, picklist values, relationships) and what the fake needs
// (labels, defaults, computed values).
func field(name, typ, props, ref string, opts ...fopt) *fieldDef {
	f := &fieldDef{Name: name, Type: typ, Ref: ref, Label: labelFromName(name)}
	if strings.HasSuffix(name, "__c") {
		f.Custom = true
	}
	fieldProps(f, props)
	for _, o := range opts {
		o(f)
	}
	return f
}

// fieldProps sets the flags named in a reference page's "Properties" list,
// e.g. "Create, Filter, Group, Nillable, Sort, Update". The words are those of
// the "API Field Properties" page
// (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/access_for_fields.htm);
// a word the fake does not know is a mistake in the table and stops the
// program, so a typo cannot quietly make a field stricter or looser.
func fieldProps(f *fieldDef, props string) {
	for _, p := range strings.Split(props, ",") {
		switch strings.TrimSpace(p) {
		case "Create":
			f.Createable = true
		case "Update":
			f.Updateable = true
		case "Filter":
			f.Filterable = true
		case "Sort":
			f.Sortable = true
		case "Group":
			f.Groupable = true
		case "Nillable":
			f.Nillable = true
		case "Defaulted on create":
			f.DefaultedOnCreate = true
		case "idLookup":
			f.IDLookup = true
		case "External ID":
			f.ExternalID = true
		case "Unique":
			f.Unique = true
		case "Restricted picklist", "Not applicable", "":
			// The picklist values restrict by themselves (see picklist);
			// "Not applicable" is InstallationKey's, which has none.
		default:
			panic("sffake: unknown field property " + strconv.Quote(p) + " on " + f.Name)
		}
	}
}

var (
	writeOnly  fopt = func(f *fieldDef) { f.WriteOnly, f.Updateable = true, false }
	singleRow  fopt = func(f *fieldDef) { f.SingleRow = true }
	filterOnly fopt = func(f *fieldDef) { f.FilterOnly, f.Filterable = true, true; f.Createable, f.Updateable = false, false }
)

func label(l string) fopt { return func(f *fieldDef) { f.Label = l } }
func def(v any) fopt      { return func(f *fieldDef) { f.Default = v } }

// since is the API version a field appeared in ("Available in API version
// 52.0 and later" on its page).
func since(v float64) fopt { return func(f *fieldDef) { f.Since = v } }
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

// System fields: every object has Id; stored objects also have the audit
// fields, whose properties the two System Fields pages give (the Tooling
// one adds Sort and Group).
const (
	refSystemFields        = "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/system_fields.htm"
	refToolingSystemFields = "https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_system_fields.htm"
)

func (sc *schemaDef) add(o *objectDef) {
	if o.virtual == nil {
		ref, date, by := refSystemFields, "Defaulted on create, Filter", "Defaulted on create, Filter"
		if o.API == apiTooling {
			ref, date, by = refToolingSystemFields, "Defaulted on create, Filter, Sort", "Defaulted on create, Filter, Group, Sort"
		}
		audit := []*fieldDef{
			field("CreatedDate", tDateTime, date, ref),
			field("CreatedById", tRef, by, ref, refTo("User", "CreatedBy", ""), label("Created By ID")),
			field("LastModifiedDate", tDateTime, date, ref),
			field("LastModifiedById", tRef, by, ref, refTo("User", "LastModifiedBy", ""), label("Last Modified By ID")),
			field("SystemModstamp", tDateTime, date, ref, label("System Modstamp")),
		}
		if o.API&apiREST != 0 {
			// Clients often filter on it; queries only ever see live rows.
			// Properties as Contact's page lists them.
			audit = append(audit, field("IsDeleted", tBoolean, "Defaulted on create, Filter", refContact, label("Deleted"),
				computed(func(_ *Server, r *record) any { return r.deleted })))
		}
		o.Fields = append(o.Fields, audit...)
	}
	// "Id fields have Defaulted on create and Filter access" (System Fields);
	// every object's Id is also its idLookup (API Field Properties), and
	// SOQL sorts by it (ORDER BY CreatedDate, Id).
	id := field("Id", tID, "Defaulted on create, Filter, idLookup, Sort", refSystemFields, label(o.Label+" ID"))
	o.Fields = append([]*fieldDef{id}, o.Fields...)
	o.fieldByLower = map[string]*fieldDef{}
	o.relByLower = map[string]*fieldDef{}
	for _, f := range o.Fields {
		if f.Ref == "" {
			panic("sffake: field " + o.Name + "." + f.Name + " has no reference page")
		}
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
	// One file per family of objects holds their field tables:
	// fields_setup.go, fields_data.go, fields_packages.go, fields_metadata.go.
	// The order is describeGlobal's.
	addSetupObjects(sc)
	addDataObjects(sc)
	addEntityDefinition(sc)
	addPackageObjects(sc)
	addLayout(sc)
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

// FieldReference resolves a field path as a query names it ("Id",
// "PermissionSet.IsOwnedByProfile") on an object and returns the reference
// page its table entry cites. Tests use it to prove that every field a
// client names has an entry; ok is false for a path the table lacks.
func FieldReference(object string, path []string) (ref string, ok bool) {
	obj := schema.object(object)
	if obj == nil || len(path) == 0 {
		return "", false
	}
	f := pathField(obj, path)
	if f == nil || f.Ref == "" {
		return "", false
	}
	return f.Ref, true
}
