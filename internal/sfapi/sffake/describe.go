package sffake

import "strings"

// Describe results come from the schema; what the org has installed decides
// which objects exist, so Contact gains the Enrollment child relationship
// only while the Northpass package is installed (the provider finds the
// package's API names exactly that way).

func (s *Server) objectURLs(obj *objectDef, c *reqCtx) map[string]string {
	base := "/services/data/v" + c.ver
	if c.tooling {
		base += "/tooling"
	}
	base += "/sobjects/" + obj.Name
	return map[string]string{
		"sobject":     base,
		"describe":    base + "/describe",
		"rowTemplate": base + "/{ID}",
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Server) describeBasic(obj *objectDef, c *reqCtx) *jsonObject {
	o := newObject()
	o.set("name", obj.Name)
	o.set("label", obj.Label)
	o.set("labelPlural", obj.LabelPlural)
	o.set("keyPrefix", nilIfEmpty(obj.KeyPrefix))
	o.set("custom", obj.Custom)
	o.set("customSetting", false)
	o.set("createable", obj.Createable)
	o.set("updateable", obj.Updateable)
	o.set("deletable", obj.Deletable)
	o.set("queryable", true)
	o.set("retrieveable", obj.virtual == nil)
	o.set("searchable", obj.API&apiREST != 0 && !obj.Setup)
	o.set("layoutable", obj.Name == objContact || obj.Name == objEnrollment)
	o.set("deprecatedAndHidden", false)
	o.set("urls", s.objectURLs(obj, c))
	return o
}

var soapTypes = map[string]string{
	tID: "tns:ID", tRef: "tns:ID", tString: "xsd:string", tTextarea: "xsd:string", tEmail: "xsd:string",
	tPicklist: "xsd:string", tBoolean: "xsd:boolean", tDateTime: "xsd:dateTime", tDate: "xsd:date",
	tDouble: "xsd:double", tInt: "xsd:int", tComplex: "urn:JsonType",
}

func fieldLength(f *fieldDef) int {
	switch f.Type {
	case tString, tPicklist:
		return 255
	case tEmail:
		return 80
	case tTextarea:
		return 32768
	case tID, tRef:
		return 18
	}
	return 0
}

func describeField(f *fieldDef) *jsonObject {
	o := newObject()
	o.set("name", f.Name)
	o.set("label", f.Label)
	o.set("type", f.Type)
	o.set("soapType", soapTypes[f.Type])
	o.set("length", fieldLength(f))
	o.set("custom", f.Custom)
	o.set("externalId", f.ExternalID)
	o.set("unique", f.Unique)
	// The flags are the field's reference properties (fields_*.go).
	o.set("idLookup", f.IDLookup)
	o.set("nillable", f.Nillable)
	o.set("createable", f.Createable && f.Computed == nil)
	o.set("updateable", f.Updateable && f.Computed == nil)
	o.set("calculated", f.Computed != nil)
	o.set("defaultedOnCreate", f.DefaultedOnCreate)
	o.set("filterable", f.Filterable)
	o.set("sortable", f.Sortable)
	o.set("groupable", f.Groupable)
	refs := []string{}
	if f.ReferenceTo != "" {
		refs = append(refs, f.ReferenceTo)
	}
	o.set("referenceTo", refs)
	o.set("relationshipName", nilIfEmpty(f.RelationshipName))
	pl := []map[string]any{}
	for i, v := range f.Picklist {
		pl = append(pl, map[string]any{"active": true, "defaultValue": i == 0 && f.Default == v, "label": v, "value": v, "validFor": nil})
	}
	o.set("picklistValues", pl)
	o.set("restrictedPicklist", f.Picklist != nil)
	return o
}

// describe is GET /sobjects/{type}/describe.
func (s *Server) describe(obj *objectDef, c *reqCtx) *jsonObject {
	o := s.describeBasic(obj, c)
	fields := []*jsonObject{}
	for _, f := range obj.Fields {
		if f.WriteOnly || f.FilterOnly || f.newerThan(c.ver) {
			continue
		}
		fields = append(fields, describeField(f))
	}
	o.set("fields", fields)
	o.set("childRelationships", s.childRelationships(obj, c.api))
	o.set("recordTypeInfos", []any{})
	return o
}

func (s *Server) childRelationships(obj *objectDef, api apiKind) []map[string]any {
	out := []map[string]any{}
	for _, child := range schema.order {
		if child.API&api == 0 || !s.visible(child) {
			continue
		}
		for _, f := range child.Fields {
			if f.ReferenceTo != obj.Name || f.ChildRelationship == "" {
				continue
			}
			out = append(out, map[string]any{
				"childSObject":        child.Name,
				"field":               f.Name,
				"relationshipName":    f.ChildRelationship,
				"cascadeDelete":       child.Name == objPSA,
				"restrictedDelete":    false,
				"deprecatedAndHidden": false,
				"junctionIdListNames": []string{},
				"junctionReferenceTo": []string{},
			})
		}
	}
	return out
}

func (s *Server) describeGlobal(c *reqCtx) map[string]any {
	list := []*jsonObject{}
	for _, obj := range schema.order {
		if obj.API&c.api == 0 || !s.visible(obj) {
			continue
		}
		list = append(list, s.describeBasic(obj, c))
	}
	return map[string]any{"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": list}
}

// entityDefinitions is the light Tooling/REST EntityDefinition: one row per
// object that exists in the org right now.
func entityDefinitions(s *Server) []*record {
	ed := schema.object(objEntityDefinition)
	var out []*record
	for _, obj := range schema.order {
		if obj.virtual != nil || !s.visible(obj) {
			continue
		}
		durable := obj.Name
		ns := ""
		dev := obj.Name
		if obj.Custom {
			durable = enrollmentDurableID
			ns = obj.Namespace
			dev = trimNamespace(obj.Name)
		}
		out = append(out, &record{id: durable, obj: ed, f: map[string]any{
			"DurableId": durable, "QualifiedApiName": obj.Name, "DeveloperName": dev,
			"NamespacePrefix": nilIfEmpty(ns), "Label": obj.Label, "PluralLabel": obj.LabelPlural,
			"MasterLabel": obj.Label, "KeyPrefix": nilIfEmpty(obj.KeyPrefix),
			"IsCustomizable": obj.API&apiREST != 0, "IsQueryable": true,
		}})
	}
	return out
}

// trimNamespace turns ns__Name__c into Name.
func trimNamespace(name string) string {
	_, rest, ok := strings.Cut(name, "__")
	if !ok {
		return name
	}
	return strings.TrimSuffix(rest, "__c")
}
