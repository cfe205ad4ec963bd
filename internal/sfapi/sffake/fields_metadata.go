package sffake

// Field tables of the metadata objects the provider reads through the
// Tooling API: EntityDefinition and Layout (Tooling API object reference).

const (
	refEntityDefinition = "https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_entitydefinition.htm"
	refLayout           = "https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_layout.htm"
)

func addEntityDefinition(sc *schemaDef) {
	sc.add(&objectDef{Name: objEntityDefinition, Label: "Entity Definition", LabelPlural: "Entity Definitions", KeyPrefix: "", API: apiBoth,
		Fields: []*fieldDef{
			field("DurableId", tString, "Filter, Group, Nillable, Sort", refEntityDefinition),
			field("QualifiedApiName", tString, "Filter, Group, Sort", refEntityDefinition),
			field("DeveloperName", tString, "Filter, Group, Nillable, Sort", refEntityDefinition),
			field("NamespacePrefix", tString, "Filter, Group, Nillable, Sort", refEntityDefinition),
			field("Label", tString, "Filter, Group, Nillable, Sort", refEntityDefinition),
			field("PluralLabel", tString, "Filter, Group, Nillable, Sort", refEntityDefinition),
			field("MasterLabel", tString, "Filter, Group, Sort", refEntityDefinition),
			field("KeyPrefix", tString, "Filter, Group, Nillable, Sort", refEntityDefinition),
			field("IsCustomizable", tBoolean, "Defaulted on create, Filter, Group, Sort", refEntityDefinition),
			field("IsQueryable", tBoolean, "Defaulted on create, Filter, Group, Sort", refEntityDefinition),
		},
		virtual: entityDefinitions,
	})
}

func addLayout(sc *schemaDef) {
	sc.add(&objectDef{Name: objLayout, Label: "Layout", LabelPlural: "Layouts", KeyPrefix: "00h", API: apiTooling,
		Updateable: true,
		Fields: []*fieldDef{
			field("Name", tString, "Filter, Group, idLookup, Nillable, Sort", refLayout),
			// The page lists FullName as Create only, but Jetstream PATCHes
			// it with Metadata and orgs accept that when it names the same
			// layout (layoutBeforeUpdate checks it does).
			field("FullName", tString, "Create, Group, Nillable, Update", refLayout, singleRow, label("Full Name")),
			field("TableEnumOrId", tPicklist, "Filter, Group, Restricted picklist, Sort", refLayout),
			field("EntityDefinitionId", tString, "Filter, Group, Sort", refLayout),
			field("LayoutType", tPicklist, "Filter, Group, Restricted picklist, Sort", refLayout, def("Standard")),
			field("ManageableState", tPicklist, "Filter, Group, Nillable, Restricted picklist, Sort", refLayout, def("unmanaged")),
			field("NamespacePrefix", tString, "Filter, Group, Nillable, Sort", refLayout),
			field("ShowSubmitAndAttachButton", tBoolean, "Defaulted on create, Filter, Group, Sort", refLayout, def(false)),
			field("Metadata", tComplex, "Create, Nillable, Update", refLayout, singleRow),
		},
		beforeUpdate: layoutBeforeUpdate,
	})
}
