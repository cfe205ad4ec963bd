package sffake

// Field tables of the data objects: Contact (Object Reference for the
// Salesforce Platform) and the Northpass package's Enrollment object.

const (
	refContact = "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contact.htm"
	// northpass__Enrollment__c is a package object, in no Salesforce
	// document: its fields have the properties custom fields of their
	// types have (Custom Fields, and API Field Properties for the words).
	refCustomFields = "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/custom_fields.htm"
)

// Properties of custom fields by type, as describe reports them for a
// field an admin creates: text and lookups group, numbers and date-times
// don't; every custom field that is not required is Nillable.
const (
	customText     = "Create, Filter, Group, Nillable, Sort, Update"
	customNumber   = "Create, Filter, Nillable, Sort, Update"
	customDateTime = "Create, Filter, Nillable, Sort, Update"
	customLookup   = "Create, Filter, Group, Nillable, Sort, Update"
	// A text field marked External ID and Unique is also an idLookup,
	// which is what lets upserts use it.
	customExternalID = "Create, External ID, Filter, Group, idLookup, Nillable, Sort, Unique, Update"
	// OwnerId is as on every object with an owner (Contact's entry).
	ownerProps = "Create, Defaulted on create, Filter, Group, Sort, Update"
)

func addDataObjects(sc *schemaDef) {
	sc.add(&objectDef{Name: objContact, Label: "Contact", LabelPlural: "Contacts", KeyPrefix: "003", API: apiREST,
		Createable: true, Updateable: true, Deletable: true,
		Fields: []*fieldDef{
			field("FirstName", tString, "Create, Filter, Group, Nillable, Sort, Update", refContact, label("First Name")),
			field("LastName", tString, "Create, Filter, Group, Sort, Update", refContact, label("Last Name")),
			field("Name", tString, "Filter, Group, Sort", refContact, label("Full Name"), computed(fullName)),
			field("Email", tEmail, "Create, Filter, Group, idLookup, Nillable, Sort, Update", refContact),
			field("Title", tString, "Create, Filter, Group, Nillable, Sort, Update", refContact),
			field("Phone", tString, "Create, Filter, Group, Nillable, Sort, Update", refContact, label("Business Phone")),
			field("Department", tString, "Create, Filter, Group, Nillable, Sort, Update", refContact),
			// The one Date field: it takes yyyy-MM-dd, never a date-time.
			field("Birthdate", tDate, "Create, Filter, Group, Nillable, Sort, Update", refContact),
			field("OwnerId", tRef, ownerProps, refContact, refTo(objUser, "Owner", ""), def(currentUser), label("Owner ID")),
		},
		afterDelete: contactAfterDelete,
	})

	sc.add(&objectDef{Name: objEnrollment, Label: "Enrollment", LabelPlural: "Enrollments", KeyPrefix: "a0X", API: apiREST, Custom: true,
		Namespace: NorthpassNamespace, Createable: true, Updateable: true, Deletable: true,
		Fields: []*fieldDef{
			// A text Name left empty on insert becomes the record id, as on
			// a real org, so upserts that only send package fields work.
			field("Name", tString, "Create, Defaulted on create, Filter, Group, idLookup, Sort, Update", refCustomFields,
				label("Enrollment Name"), def(func(_ *Server, _ *opCtx, r *record) any { return r.id })),
			field("OwnerId", tRef, ownerProps, refCustomFields, refTo(objUser, "Owner", ""), def(currentUser), label("Owner ID")),
			field("northpass__External_Id__c", tString, customExternalID, refCustomFields, label("External id")),
			field("northpass__Course_Id__c", tString, customText, refCustomFields, label("Course ID")),
			field("northpass__Course_Name__c", tString, customText, refCustomFields, label("Course Name")),
			// No document gives this field's type; it stays the date/time
			// it was seeded as until one does.
			field("northpass__Enrollment_Date__c", tDateTime, customDateTime, refCustomFields, label("Enrollment Date")),
			field("northpass__Progress_Percentage__c", tDouble, customNumber, refCustomFields, label("Progress Percentage")),
			field("northpass__Course_Attempt_Number__c", tDouble, customNumber, refCustomFields, label("Course Attempt Number")),
			field("northpass__Contact__c", tRef, customLookup, refCustomFields,
				refTo(objContact, "northpass__Contact__r", "northpass__Enrollments__r"), label("Contact")),
		},
		UniqueKeys: [][]string{{"northpass__External_Id__c"}},
	})
}
