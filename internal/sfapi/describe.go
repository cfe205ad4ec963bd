package sfapi

import "strings"

// DescribeResult is the part of an sObject describe the provider uses.
type DescribeResult struct {
	Name               string              `json:"name"`
	Label              string              `json:"label"`
	LabelPlural        string              `json:"labelPlural"`
	KeyPrefix          string              `json:"keyPrefix"`
	Custom             bool                `json:"custom"`
	Createable         bool                `json:"createable"`
	Updateable         bool                `json:"updateable"`
	Deletable          bool                `json:"deletable"`
	Queryable          bool                `json:"queryable"`
	Fields             []DescribeField     `json:"fields"`
	ChildRelationships []ChildRelationship `json:"childRelationships"`
}

// DescribeField is one entry of a describe's "fields".
type DescribeField struct {
	Name             string          `json:"name"`
	Label            string          `json:"label"`
	Type             string          `json:"type"`
	Length           int             `json:"length"`
	Custom           bool            `json:"custom"`
	ExternalID       bool            `json:"externalId"`
	Unique           bool            `json:"unique"`
	IDLookup         bool            `json:"idLookup"`
	Nillable         bool            `json:"nillable"`
	Createable       bool            `json:"createable"`
	Updateable       bool            `json:"updateable"`
	ReferenceTo      []string        `json:"referenceTo"`
	RelationshipName string          `json:"relationshipName"`
	PicklistValues   []PicklistValue `json:"picklistValues"`
}

// PicklistValue is one value of a picklist field.
type PicklistValue struct {
	Value        string `json:"value"`
	Label        string `json:"label"`
	Active       bool   `json:"active"`
	DefaultValue bool   `json:"defaultValue"`
}

// ChildRelationship is one entry of a describe's "childRelationships"; a
// layout related list is named "<ChildSObject>.<Field>".
type ChildRelationship struct {
	ChildSObject     string `json:"childSObject"`
	Field            string `json:"field"`
	RelationshipName string `json:"relationshipName"`
	CascadeDelete    bool   `json:"cascadeDelete"`
}

// Field returns the describe of the named field (case-insensitive, as
// Salesforce API names are), or nil.
func (d *DescribeResult) Field(name string) *DescribeField {
	for i := range d.Fields {
		if strings.EqualFold(d.Fields[i].Name, name) {
			return &d.Fields[i]
		}
	}
	return nil
}
