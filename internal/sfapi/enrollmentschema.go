package sfapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// The package's API names are not public, so they are found through the
// labels the install guide shows; nothing here names a namespace or field.
const (
	enrollmentLabel       = "Enrollment"
	enrollmentLabelPlural = "Enrollments"
	externalIDLabel       = "External id"
	contactObject         = "Contact"
)

// EnrollmentFieldLabels are the Enrollment fields the guide names.
var EnrollmentFieldLabels = []string{"Course ID", "Course Name", "Enrollment Date", "Progress Percentage", "Course Attempt Number"}

var (
	// ErrEnrollmentNotInstalled: no child object of Contact is labelled
	// Enrollment (package missing, or its object hidden from this user).
	ErrEnrollmentNotInstalled = errors.New("no Enrollment object found")
	// ErrEnrollmentAmbiguous: several child objects of Contact are labelled
	// Enrollment.
	ErrEnrollmentAmbiguous = errors.New("several Enrollment objects found")
)

// EnrollmentSchema holds the API names of the Northpass Enrollment object
// in this org.
type EnrollmentSchema struct {
	Namespace       string            // of the Enrollment object; "" if none
	Object          string            // e.g. acme__Enrollment__c
	ContactField    string            // its lookup to Contact
	RelatedList     string            // Object + "." + ContactField, the name used in layouts
	ExternalIDField string            // the field labelled "External id" marked externalId; "" if none
	Fields          map[string]string // label (as in EnrollmentFieldLabels) → API name, for those that exist
	// FieldTypes holds the describe type ("date", "datetime", "string"…) of
	// the fields above, by lower-case API name. Discovery fills it; a
	// schema built from names alone leaves it empty and the client
	// describes the object before it writes.
	FieldTypes map[string]string
}

// describeParallelism bounds concurrent describes: orgs with many packages
// have dozens of custom children of Contact.
const describeParallelism = 4

// DiscoverEnrollmentSchema finds the Enrollment object among Contact's
// custom child objects by its label, then its Contact lookup, external id
// and course fields by their labels.
func (c *Client) DiscoverEnrollmentSchema(ctx context.Context) (*EnrollmentSchema, error) {
	contact, err := c.SObjects().Describe(ctx, contactObject)
	if err != nil {
		return nil, fmt.Errorf("discover the Enrollment object: describe Contact: %w", err)
	}
	lookups := map[string][]string{} // child object → its fields pointing to Contact
	var children []string
	for _, r := range contact.ChildRelationships {
		// A package's object is custom; standard children (Case, Task…) are
		// not worth a describe each.
		if !strings.HasSuffix(strings.ToLower(r.ChildSObject), "__c") || r.Field == "" {
			continue
		}
		if _, ok := lookups[r.ChildSObject]; !ok {
			children = append(children, r.ChildSObject)
		}
		lookups[r.ChildSObject] = append(lookups[r.ChildSObject], r.Field)
	}

	described, skipped, err := c.describeAll(ctx, children)
	if err != nil {
		return nil, fmt.Errorf("discover the Enrollment object: %w", err)
	}
	var matches []*DescribeResult
	for _, d := range described {
		if d != nil && (strings.EqualFold(d.Label, enrollmentLabel) || strings.EqualFold(d.LabelPlural, enrollmentLabelPlural)) {
			matches = append(matches, d)
		}
	}
	switch len(matches) {
	case 0:
		err := fmt.Errorf("%w: none of the %d custom objects related to Contact is labelled %q. Install the Northpass managed package, "+
			"and make sure this user can see its Enrollment object (the \"Northpass Standard User\" permission set grants that)",
			ErrEnrollmentNotInstalled, len(children), enrollmentLabel)
		if len(skipped) > 0 {
			// One of these may be the Enrollment object.
			err = fmt.Errorf("%w; %d could not be described: %w", err, len(skipped), errors.Join(skipped...))
		}
		return nil, err
	case 1:
	default:
		names := make([]string, len(matches))
		for i, d := range matches {
			names[i] = fmt.Sprintf("%s (%q)", d.Name, d.Label)
		}
		return nil, fmt.Errorf("%w: objects related to Contact labelled %q: %s", ErrEnrollmentAmbiguous, enrollmentLabel, strings.Join(names, ", "))
	}
	return schemaFrom(matches[0], lookups[matches[0].Name])
}

// describeAll describes the objects concurrently, keeping their order.
// Objects Salesforce refuses to describe (4xx: deleted meanwhile, not
// visible to this user) are left nil and their errors returned as skipped:
// they only matter when no Enrollment object is found. Anything else
// (transport, 5xx after retries, a done context) fails the discovery.
func (c *Client) describeAll(ctx context.Context, objects []string) (out []*DescribeResult, skipped []error, err error) {
	out = make([]*DescribeResult, len(objects))
	errs := make([]error, len(objects))
	sem := make(chan struct{}, describeParallelism)
	var wg sync.WaitGroup
	for i, name := range objects {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i], errs[i] = c.SObjects().Describe(ctx, name)
		}()
	}
	wg.Wait()
	var fatal []error
	for i, e := range errs {
		var ae *APIError
		switch {
		case e == nil:
		case errors.As(e, &ae) && ae.Status >= 400 && ae.Status < 500 && ae.Status != 429 && ctx.Err() == nil:
			skipped = append(skipped, fmt.Errorf("describe %s: %w", objects[i], e))
		default:
			fatal = append(fatal, fmt.Errorf("describe %s: %w", objects[i], e))
		}
	}
	return out, skipped, errors.Join(fatal...)
}

func schemaFrom(d *DescribeResult, contactFields []string) (*EnrollmentSchema, error) {
	s := &EnrollmentSchema{Object: d.Name, Namespace: namespaceOf(d.Name), Fields: map[string]string{}}
	field, err := contactLookup(d, contactFields)
	if err != nil {
		return nil, err
	}
	s.ContactField = field
	s.RelatedList = d.Name + "." + field
	for _, f := range d.Fields {
		if f.ExternalID && strings.EqualFold(f.Label, externalIDLabel) {
			s.ExternalIDField = f.Name
			break
		}
	}
	for _, label := range EnrollmentFieldLabels {
		if f := fieldByLabel(d, label); f != nil {
			s.Fields[label] = f.Name
		}
	}
	s.FieldTypes = fieldTypes(d, s)
	return s, nil
}

// fieldTypes keeps the describe types of the fields the schema names.
func fieldTypes(d *DescribeResult, s *EnrollmentSchema) map[string]string {
	out := map[string]string{}
	names := []string{s.ExternalIDField, s.ContactField}
	for _, n := range s.Fields {
		names = append(names, n)
	}
	for _, n := range names {
		if f := d.Field(n); f != nil {
			out[strings.ToLower(f.Name)] = f.Type
		}
	}
	return out
}

// contactLookup picks the lookup to Contact; when there are several (say, a
// student and an instructor), the one labelled "Contact" wins.
func contactLookup(d *DescribeResult, fields []string) (string, error) {
	if len(fields) == 1 {
		return fields[0], nil
	}
	var labelled []string
	for _, name := range fields {
		if f := d.Field(name); f != nil && strings.EqualFold(f.Label, contactObject) {
			labelled = append(labelled, f.Name)
		}
	}
	if len(labelled) == 1 {
		return labelled[0], nil
	}
	return "", fmt.Errorf("%w: %s has %d lookups to Contact (%s) and not exactly one is labelled %q",
		ErrEnrollmentAmbiguous, d.Name, len(fields), strings.Join(fields, ", "), contactObject)
}

// fieldByLabel prefers a custom field, since a package's fields are custom.
func fieldByLabel(d *DescribeResult, label string) *DescribeField {
	var hit *DescribeField
	for i := range d.Fields {
		f := &d.Fields[i]
		if strings.EqualFold(f.Label, label) && (hit == nil || f.Custom && !hit.Custom) {
			hit = f
		}
	}
	return hit
}

// namespaceOf returns "acme" for acme__Enrollment__c and "" for
// Enrollment__c.
func namespaceOf(apiName string) string {
	base := apiName
	if i := strings.LastIndex(base, "__"); i > 0 {
		base = base[:i] // drop the __c suffix
	}
	if ns, _, ok := strings.Cut(base, "__"); ok {
		return ns
	}
	return ""
}
