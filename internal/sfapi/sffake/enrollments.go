package sffake

import (
	"fmt"
	"strings"
	"time"
)

// How the Northpass package's Enrollment object looks in one org, and the
// records CE synced into it before: Options.Enrollment.
//
// The package's API names and field types are not public (reference
// ce-integration-contract.md, "What the emulators assume about the
// Salesforce packages"): the emulator's default makes Enrollment Date a
// dateTime. A Date field is as plausible, and Salesforce treats the two
// differently on input (REST API Developer Guide, "Valid Date and DateTime
// Formats": a date field takes YYYY-MM-DD, a dateTime field a full ISO 8601
// timestamp). Likewise which CE value the package writes into its External
// id field is not documented; CE enrollment ids are unique only within a
// course (ce-public-api.md lists them under /v2/courses/{id}/enrollments),
// so a package may scope them by course. Tests pick either through these
// options so that the provider must cope with both.

// Keys the package may write into the Enrollment's External id field.
const (
	// EnrollmentKeyEnrollmentID: the CE enrollment id (the default).
	EnrollmentKeyEnrollmentID = "enrollment_id"
	// EnrollmentKeyCourseScoped: "<CE course id>:<CE enrollment id>".
	EnrollmentKeyCourseScoped = "course_scoped"
)

// EnrollmentOptions configure the Enrollment object and its seeded records.
type EnrollmentOptions struct {
	// DateType is the describe type of the Enrollment Date field:
	// "datetime" (default) or "date".
	DateType string
	// Key is how Synced records are keyed: EnrollmentKeyEnrollmentID
	// (default) or EnrollmentKeyCourseScoped.
	Key string
	// Synced are enrollments CE synced before; they are seeded while the
	// Northpass package is installed, linked to the Contact with the
	// learner's email when the seed has one.
	Synced []SyncedEnrollment
}

// SyncedEnrollment is one CE enrollment as the package wrote it.
type SyncedEnrollment struct {
	EnrollmentID string
	CourseID     string
	CourseName   string
	Email        string
	EnrolledAt   time.Time
	Progress     float64
}

// ExternalID is the External id value the package writes for e under Key.
func (o EnrollmentOptions) ExternalID(e SyncedEnrollment) string {
	if o.Key == EnrollmentKeyCourseScoped {
		return e.CourseID + ":" + e.EnrollmentID
	}
	return e.EnrollmentID
}

// enrollmentDateField is the emulator's API name of Enrollment Date.
const enrollmentDateField = "northpass__Enrollment_Date__c"

// enrollmentObject builds this org's Enrollment object: the schema's own
// unless the options change a field type. A changed object is a copy, so
// other servers in the same process keep the default.
func enrollmentObject(o EnrollmentOptions) *objectDef {
	base := schema.object(objEnrollment)
	switch o.Key {
	case "", EnrollmentKeyEnrollmentID, EnrollmentKeyCourseScoped:
	default:
		panic(fmt.Sprintf("sffake: unknown Enrollment key %q", o.Key))
	}
	switch o.DateType {
	case "", tDateTime:
		return base
	case tDate:
	default:
		panic(fmt.Sprintf("sffake: Enrollment Date type %q is neither %q nor %q", o.DateType, tDateTime, tDate))
	}
	cp := *base
	cp.Fields = make([]*fieldDef, len(base.Fields))
	cp.fieldByLower = map[string]*fieldDef{}
	cp.relByLower = map[string]*fieldDef{}
	for i, f := range base.Fields {
		nf := *f
		if strings.EqualFold(f.Name, enrollmentDateField) {
			nf.Type = o.DateType
		}
		cp.Fields[i] = &nf
		cp.fieldByLower[strings.ToLower(nf.Name)] = &nf
		if nf.RelationshipName != "" {
			cp.relByLower[strings.ToLower(nf.RelationshipName)] = &nf
		}
	}
	return &cp
}

// object resolves an object name to this org's definition of it.
func (s *Server) object(name string) *objectDef {
	if s.enrollmentObj != nil && strings.EqualFold(name, objEnrollment) {
		return s.enrollmentObj
	}
	return schema.object(name)
}

// seedEnrollments writes the records CE synced before. Callers hold s.mu.
func (s *Server) seedEnrollments() {
	obj := s.object(objEnrollment)
	if !s.visible(obj) {
		return
	}
	contacts := map[string]string{}
	for _, c := range s.live(s.object(objContact)) {
		if e := strings.ToLower(str(c.f["Email"])); e != "" && contacts[e] == "" {
			contacts[e] = c.id
		}
	}
	for _, e := range s.opts.Enrollment.Synced {
		f := map[string]any{
			"northpass__External_Id__c":           s.opts.Enrollment.ExternalID(e),
			"northpass__Course_Id__c":             e.CourseID,
			"northpass__Course_Name__c":           e.CourseName,
			enrollmentDateField:                   e.EnrolledAt,
			"northpass__Progress_Percentage__c":   e.Progress,
			"northpass__Course_Attempt_Number__c": 1.0,
		}
		if id := contacts[strings.ToLower(e.Email)]; id != "" {
			f["northpass__Contact__c"] = id
		}
		if _, err := s.insertLocked(obj, f, trustedOp); err != nil {
			panic(fmt.Sprintf("sffake: seed Enrollment %s: %v", e.EnrollmentID, err))
		}
	}
}
