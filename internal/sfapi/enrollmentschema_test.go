package sfapi

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

const sobjectsPath = "/services/data/v65.0/sobjects/"

// child is a childRelationships entry with every key Salesforce sends.
func child(obj, field, rel string) string {
	relJSON := "null"
	if rel != "" {
		relJSON = `"` + rel + `"`
	}
	return fmt.Sprintf(`{"cascadeDelete":false,"childSObject":%q,"deprecatedAndHidden":false,"field":%q,"junctionIdListNames":[],`+
		`"junctionReferenceTo":[],"relationshipName":%s,"restrictedDelete":false}`, obj, field, relJSON)
}

// field is a describe field in Salesforce's shape (trimmed of the keys
// nobody reads, but with the ones that vary).
func field(name, label, typ string, custom, externalID bool, refTo ...string) string {
	if refTo == nil {
		refTo = []string{}
	}
	refs := `[]`
	if len(refTo) > 0 {
		refs = `["` + strings.Join(refTo, `","`) + `"]`
	}
	return fmt.Sprintf(`{"aggregatable":true,"autoNumber":false,"byteLength":54,"calculated":false,"createable":true,"custom":%v,`+
		`"externalId":%v,"idLookup":%v,"label":%q,"length":18,"name":%q,"nillable":true,"referenceTo":%s,"relationshipName":null,`+
		`"soapType":"xsd:string","type":%q,"unique":%v,"updateable":true}`, custom, externalID, externalID, label, name, refs, typ, externalID)
}

func describe(name, label, plural string, custom bool, fields []string, children []string) string {
	return fmt.Sprintf(`{"activateable":false,"createable":true,"custom":%v,"customSetting":false,"keyPrefix":"a0X","label":%q,"labelPlural":%q,`+
		`"name":%q,"queryable":true,"fields":[%s],"childRelationships":[%s],"urls":{"describe":"/services/data/v65.0/sobjects/%s/describe"}}`,
		custom, label, plural, name, strings.Join(fields, ","), strings.Join(children, ","), name)
}

var enrollmentDescribe = describe("acme__Enrollment__c", "Enrollment", "Enrollments", true, []string{
	field("Id", "Record ID", "id", false, false),
	field("Name", "Enrollment Name", "string", false, false),
	field("acme__Contact__c", "Contact", "reference", true, false, "Contact"),
	field("acme__Instructor__c", "Instructor", "reference", true, false, "Contact"),
	field("acme__Legacy_Key__c", "Legacy Key", "string", true, true),
	field("acme__External_Id_Text__c", "External id", "string", true, false), // same label, not an external id
	field("acme__External_Id__c", "External Id", "string", true, true),
	field("acme__Course_Id__c", "Course ID", "string", true, false),
	field("acme__Course_Name__c", "Course Name", "string", true, false),
	field("acme__Enrollment_Date__c", "Enrollment Date", "datetime", true, false),
	field("acme__Progress_Percentage__c", "Progress Percentage", "percent", true, false),
}, nil)

func schemaOrg(t *testing.T, contactChildren []string, objects map[string]string) *org {
	o := newOrg(t)
	o.handle("GET "+sobjectsPath+"Contact/describe", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 200, describe("Contact", "Contact", "Contacts", false, []string{field("Id", "Contact ID", "id", false, false)}, contactChildren))
	})
	for name, body := range objects {
		o.handle("GET "+sobjectsPath+name+"/describe", func(w http.ResponseWriter, _ *http.Request, _ seen) {
			if strings.HasPrefix(body, "HTTP ") {
				code, msg, _ := strings.Cut(body[5:], " ")
				status, err := strconv.Atoi(code)
				if err != nil {
					t.Errorf("bad scripted status %q", code)
				}
				writeRaw(w, status, msg)
				return
			}
			writeRaw(w, 200, body)
		})
	}
	return o
}

var standardChildren = []string{child("Case", "ContactId", "Cases"), child("Task", "WhoId", "Tasks"), child("AcceptedEventRelation", "RelationId", "")}

func TestDiscoverEnrollmentSchema(t *testing.T) {
	children := append(append([]string{}, standardChildren...),
		child("acme__Enrollment__c", "acme__Contact__c", "acme__Enrollments__r"),
		child("acme__Enrollment__c", "acme__Instructor__c", "acme__Taught_Enrollments__r"),
		child("other__Survey__c", "other__Respondent__c", "other__Surveys__r"),
		child("hidden__Thing__c", "hidden__Contact__c", "hidden__Things__r"),
	)
	o := schemaOrg(t, children, map[string]string{
		"acme__Enrollment__c": enrollmentDescribe,
		"other__Survey__c":    describe("other__Survey__c", "Survey", "Surveys", true, nil, nil),
		"hidden__Thing__c":    `HTTP 404 [{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]`,
	})
	c := newTestClient(t, o)
	got, err := c.DiscoverEnrollmentSchema(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := &EnrollmentSchema{
		Namespace: "acme", Object: "acme__Enrollment__c", ContactField: "acme__Contact__c",
		RelatedList: "acme__Enrollment__c.acme__Contact__c", ExternalIDField: "acme__External_Id__c",
		Fields: map[string]string{"Course ID": "acme__Course_Id__c", "Course Name": "acme__Course_Name__c",
			"Enrollment Date": "acme__Enrollment_Date__c", "Progress Percentage": "acme__Progress_Percentage__c"},
		FieldTypes: map[string]string{"acme__external_id__c": "string", "acme__contact__c": "reference", "acme__course_id__c": "string",
			"acme__course_name__c": "string", "acme__enrollment_date__c": "datetime", "acme__progress_percentage__c": "percent"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	// Standard children are never described; each custom one once.
	for _, s := range o.rec.all() {
		if strings.Contains(s.Path, "/Case/") || strings.Contains(s.Path, "/Task/") {
			t.Errorf("described a standard object: %s", s.Path)
		}
	}
	if n := o.rec.count(http.MethodGet, sobjectsPath+"acme__Enrollment__c/describe"); n != 1 {
		t.Errorf("enrollment described %d times", n)
	}
}

func TestDiscoverEnrollmentSchemaNotInstalled(t *testing.T) {
	children := append(append([]string{}, standardChildren...), child("other__Survey__c", "other__Respondent__c", "other__Surveys__r"),
		child("locked__Thing__c", "locked__Contact__c", "locked__Things__r"))
	o := schemaOrg(t, children, map[string]string{
		"other__Survey__c": describe("other__Survey__c", "Survey", "Surveys", true, nil, nil),
		"locked__Thing__c": `HTTP 403 [{"errorCode":"INSUFFICIENT_ACCESS","message":"no access to locked__Thing__c"}]`,
	})
	c := newTestClient(t, o)
	s, err := c.DiscoverEnrollmentSchema(t.Context())
	if s != nil || !errors.Is(err, ErrEnrollmentNotInstalled) || errors.Is(err, ErrEnrollmentAmbiguous) {
		t.Fatalf("got %+v, %v", s, err)
	}
	for _, want := range []string{"Northpass", "2 custom objects", "locked__Thing__c", "INSUFFICIENT_ACCESS"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
}

func TestDiscoverEnrollmentSchemaAmbiguous(t *testing.T) {
	children := append(append([]string{}, standardChildren...),
		child("acme__Enrollment__c", "acme__Contact__c", "acme__Enrollments__r"),
		child("lms__Course_Enrollment__c", "lms__Student__c", "lms__Enrollments__r"))
	o := schemaOrg(t, children, map[string]string{
		"acme__Enrollment__c":       enrollmentDescribe,
		"lms__Course_Enrollment__c": describe("lms__Course_Enrollment__c", "Course Enrollment", "Enrollments", true, nil, nil),
	})
	c := newTestClient(t, o)
	_, err := c.DiscoverEnrollmentSchema(t.Context())
	if !errors.Is(err, ErrEnrollmentAmbiguous) || !strings.Contains(err.Error(), "acme__Enrollment__c") || !strings.Contains(err.Error(), "lms__Course_Enrollment__c") {
		t.Errorf("err = %v", err)
	}
}

func TestDiscoverEnrollmentSchemaFailures(t *testing.T) {
	// A server error on a candidate is not "not installed".
	children := append(append([]string{}, standardChildren...), child("acme__Enrollment__c", "acme__Contact__c", "acme__Enrollments__r"))
	o := schemaOrg(t, children, map[string]string{"acme__Enrollment__c": `HTTP 501 [{"errorCode":"NOT_IMPLEMENTED","message":"down"}]`})
	c := newTestClient(t, o)
	_, err := c.DiscoverEnrollmentSchema(t.Context())
	if err == nil || errors.Is(err, ErrEnrollmentNotInstalled) || !HasErrorCode(err, "NOT_IMPLEMENTED") {
		t.Errorf("err = %v", err)
	}

	// Two lookups to Contact and none labelled Contact: no guessing.
	d := &DescribeResult{Name: "x__E__c", Fields: []DescribeField{{Name: "x__A__c", Label: "Student"}, {Name: "x__B__c", Label: "Teacher"}}}
	if _, err := contactLookup(d, []string{"x__A__c", "x__B__c"}); !errors.Is(err, ErrEnrollmentAmbiguous) {
		t.Errorf("lookup err = %v", err)
	}
	d.Fields[0].Label, d.Fields[1].Label = "Contact", "contact"
	if _, err := contactLookup(d, []string{"x__A__c", "x__B__c"}); !errors.Is(err, ErrEnrollmentAmbiguous) {
		t.Errorf("two lookups labelled Contact: err = %v", err)
	}
}

func TestNamespaceOf(t *testing.T) {
	for in, want := range map[string]string{"acme__Enrollment__c": "acme", "Enrollment__c": "", "acme__My_Object__c": "acme", "Contact": ""} {
		if got := namespaceOf(in); got != want {
			t.Errorf("namespaceOf(%q) = %q, want %q", in, got, want)
		}
	}
}
