package sffake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// Layouts are stored as Metadata API XML (layouts_xml.go) and served by
// readMetadata/updateMetadata (metadata_soap.go). Tooling Layout records
// carry the same layout as JSON in Metadata, derived from the XML. A
// Tooling PATCH {"Metadata":…} replaces the whole layout after checking
// that every related list names a real child relationship of the object,
// and refuses what a real org cannot deserialize.

// layoutFullName is <Object>-<Layout Name> with special characters
// URL-encoded but spaces kept ("Contact-Contact %28Marketing%29 Layout").
func layoutFullName(object, name string) string {
	enc := url.PathEscape(name)
	enc = strings.ReplaceAll(enc, "%20", " ")
	enc = strings.ReplaceAll(enc, "(", "%28")
	enc = strings.ReplaceAll(enc, ")", "%29")
	return object + "-" + enc
}

// contactLayoutXML is a customer's Contact layout as readMetadata returns
// it (trimmed): besides sections and related lists, a customised
// Lightning/mobile action list, a highlights panel (summaryLayout) showing
// Email, a quick action list, a mini layout, and pinnedActivitySettings, a
// stand-in for an element added in a release newer than any client: no
// write may lose any of them. The last related list differs per layout.
func contactLayoutXML(name string, marketing bool) string {
	last := `<relatedLists><relatedList>RelatedEntityHistoryList</relatedList></relatedLists>`
	if marketing {
		last = `<relatedLists><fields>CAMPAIGN.NAME</fields><fields>CAMPAIGN.START_DATE</fields><fields>CAMPAIGN.CAMPAIGN_TYPE</fields>` +
			`<fields>CM.STATUS</fields><relatedList>RelatedCampaignMemberList</relatedList><sortField>CAMPAIGN.START_DATE</sortField>` +
			`<sortOrder>Desc</sortOrder></relatedLists>`
	}
	fullName := layoutFullName(objContact, name)
	return `<fullName>` + fullName + `</fullName>` +
		`<excludeButtons>Submit</excludeButtons>` +
		`<layoutSections><customLabel>false</customLabel><detailHeading>false</detailHeading><editHeading>true</editHeading>` +
		`<label>Contact Information</label>` +
		`<layoutColumns><layoutItems><behavior>Edit</behavior><field>OwnerId</field></layoutItems>` +
		`<layoutItems><behavior>Required</behavior><field>Name</field></layoutItems>` +
		`<layoutItems><behavior>Edit</behavior><field>Title</field></layoutItems>` +
		`<layoutItems><behavior>Edit</behavior><field>Department</field></layoutItems></layoutColumns>` +
		`<layoutColumns><layoutItems><behavior>Edit</behavior><field>Phone</field></layoutItems>` +
		`<layoutItems><behavior>Edit</behavior><field>Email</field></layoutItems></layoutColumns>` +
		`<style>TwoColumnsTopToBottom</style></layoutSections>` +
		`<layoutSections><customLabel>false</customLabel><detailHeading>true</detailHeading><editHeading>true</editHeading>` +
		`<label>System Information</label>` +
		`<layoutColumns><layoutItems><behavior>Readonly</behavior><field>CreatedById</field></layoutItems></layoutColumns>` +
		`<layoutColumns><layoutItems><behavior>Readonly</behavior><field>LastModifiedById</field></layoutItems></layoutColumns>` +
		`<style>TwoColumnsTopToBottom</style></layoutSections>` +
		`<miniLayout><fields>Name</fields><fields>Title</fields><fields>Phone</fields><fields>Email</fields>` +
		`<relatedLists><fields>TASK.SUBJECT</fields><fields>TASK.DUE_DATE</fields><relatedList>RelatedActivityList</relatedList></relatedLists></miniLayout>` +
		`<pinnedActivitySettings><showUpcoming>true</showUpcoming><density>Compact</density></pinnedActivitySettings>` +
		`<platformActionList><actionListContext>Record</actionListContext>` +
		`<platformActionListItems><actionName>Edit</actionName><actionType>StandardButton</actionType><sortOrder>0</sortOrder></platformActionListItems>` +
		`<platformActionListItems><actionName>LogACall</actionName><actionType>QuickAction</actionType><sortOrder>1</sortOrder></platformActionListItems>` +
		`<platformActionListItems><actionName>SendEmail</actionName><actionType>QuickAction</actionType><sortOrder>2</sortOrder></platformActionListItems>` +
		`</platformActionList>` +
		`<quickActionList><quickActionListItems><quickActionName>LogACall</quickActionName></quickActionListItems>` +
		`<quickActionListItems><quickActionName>SendEmail</quickActionName></quickActionListItems></quickActionList>` +
		`<relatedLists><fields>TASK.SUBJECT</fields><fields>TASK.WHO_NAME</fields><fields>TASK.WHAT_NAME</fields><fields>ACTIVITY.TASK</fields>` +
		`<fields>TASK.DUE_DATE</fields><fields>TASK.STATUS</fields><fields>TASK.PRIORITY</fields><fields>CORE.USERS.FULL_NAME</fields>` +
		`<quickActions>LogACall</quickActions><relatedList>RelatedActivityList</relatedList></relatedLists>` +
		`<relatedLists><fields>TASK.SUBJECT</fields><fields>TASK.WHO_NAME</fields><fields>TASK.WHAT_NAME</fields><fields>ACTIVITY.TASK</fields>` +
		`<fields>TASK.DUE_DATE</fields><fields>CORE.USERS.FULL_NAME</fields><fields>TASK.LAST_UPDATE</fields>` +
		`<relatedList>RelatedHistoryList</relatedList></relatedLists>` +
		`<relatedLists><relatedList>RelatedNoteList</relatedList></relatedLists>` +
		last +
		`<relatedObjects>AccountId</relatedObjects>` +
		`<showEmailCheckbox>false</showEmailCheckbox><showHighlightsPanel>true</showHighlightsPanel>` +
		`<showInteractionLogPanel>true</showInteractionLogPanel><showRunAssignmentRulesCheckbox>false</showRunAssignmentRulesCheckbox>` +
		`<showSubmitAndAttachButton>false</showSubmitAndAttachButton>` +
		`<summaryLayout><masterLabel>00h000000000001</masterLabel><sizeX>4</sizeX><sizeY>1</sizeY>` +
		`<summaryLayoutItems><field>Email</field><posX>0</posX><posY>0</posY></summaryLayoutItems>` +
		`<summaryLayoutItems><field>Phone</field><posX>1</posX><posY>0</posY></summaryLayoutItems>` +
		`<summaryLayoutStyle>Default</summaryLayoutStyle></summaryLayout>`
}

func (s *Server) seedLayouts() {
	for _, l := range []struct {
		name      string
		marketing bool
	}{{"Contact Layout", false}, {"Contact (Marketing) Layout", true}} {
		rec := s.insertTrusted(objLayout, map[string]any{
			"Name": l.name, "FullName": layoutFullName(objContact, l.name), "TableEnumOrId": objContact,
			"EntityDefinitionId": objContact,
		})
		ns, err := parseLayoutContent(contactLayoutXML(l.name, l.marketing))
		if err != nil {
			panic(fmt.Sprintf("sffake: seed layout %s: %v", l.name, err))
		}
		canon, err := canonicalLayoutXML(ns)
		if err == nil {
			err = setLayoutXML(rec, canon)
		}
		if err != nil {
			panic(fmt.Sprintf("sffake: seed layout %s: %v", l.name, err))
		}
	}
}

var standardRelatedList = regexp.MustCompile(`^Related[A-Za-z]+List$`)

// Column aliases Salesforce accepts for any custom object's related list.
var standardColumns = map[string]bool{
	"NAME": true, "CREATED_DATE": true, "LAST_UPDATE": true, "CREATEDBY_USER": true,
	"LASTMODIFIEDBY_USER": true, "OWNER.ALIAS": true, "OWNER.FIRST_NAME": true, "OWNER.LAST_NAME": true,
	"RECORDTYPE": true,
}

func layoutErr(format string, args ...any) *APIError {
	return newErr(http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION", format, args...).withFields("Metadata")
}

// layoutBeforeUpdate validates a PATCH: FullName may be repeated but not
// changed; Metadata must be an object whose related lists exist.
func layoutBeforeUpdate(s *Server, c *opCtx, old, rec *record, _ map[string]any) *APIError {
	if fn, _ := rec.f["FullName"].(string); fn != old.f["FullName"] {
		oldFN, _ := old.f["FullName"].(string)
		dec, _ := url.PathUnescape(oldFN)
		if !strings.EqualFold(fn, oldFN) && !strings.EqualFold(fn, dec) {
			return newErr(http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION", "FullName %q does not match the layout being updated (%s)", fn, oldFN).withFields("FullName")
		}
		rec.f["FullName"] = oldFN
	}
	if rec.f["Metadata"] == nil {
		return newErr(http.StatusBadRequest, "REQUIRED_FIELD_MISSING", "Required fields are missing: [Metadata]").withFields("Metadata")
	}
	md, ok := rec.f["Metadata"].(map[string]any)
	if !ok {
		return newErr(http.StatusBadRequest, "JSON_PARSER_ERROR", "Cannot deserialize instance of LayoutMetadata from a non-object value").withFields("Metadata")
	}
	if c.trusted {
		// An edit in Setup (the admin API, the Go API) is no REST call: it
		// changes what it changes and keeps every other element's XML.
		return s.layoutSetupEdit(old, rec, md)
	}
	// A real org's REST deserializer refuses these as returned by its own
	// GET (400 JSON_PARSER_ERROR, "Cannot deserialize instance of
	// complexvalue"): Jetstream's deployLayouts strips them, which is why
	// a Tooling PATCH cannot round-trip a customised layout
	// (salesforce-api.md §4, "Can you PATCH a layout?").
	if pal, ok := md["platformActionList"].(map[string]any); ok {
		if _, isStr := pal["actionListContext"].(string); isStr {
			return newErr(http.StatusBadRequest, "JSON_PARSER_ERROR", "Cannot deserialize instance of PlatformActionListContext from VALUE_STRING")
		}
	}
	if sl, ok := md["summaryLayout"].(map[string]any); ok {
		if _, isStr := sl["summaryLayoutStyle"].(string); isStr {
			return newErr(http.StatusBadRequest, "JSON_PARSER_ERROR", "Cannot deserialize instance of SummaryLayoutStyle from VALUE_STRING")
		}
	}
	object, _ := old.f["TableEnumOrId"].(string)
	normalized, err := s.validateRelatedLists(object, md["relatedLists"])
	if err != nil {
		return err
	}
	// What the org stores and GET returns: every related list with all its
	// keys, absent arrays as [] and absent sort settings as null.
	md = copyMap(md)
	md["relatedLists"] = normalized
	// The PATCH replaces the whole layout: what it does not carry is gone.
	fn, _ := rec.f["FullName"].(string)
	x, xerr := layoutXMLFromJSON(fn, md)
	if xerr == nil {
		xerr = setLayoutXML(rec, x)
	}
	if xerr != nil {
		return newErr(http.StatusBadRequest, "JSON_PARSER_ERROR", "Cannot deserialize Metadata: %v", xerr).withFields("Metadata")
	}
	return nil
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (s *Server) validateRelatedLists(object string, v any) ([]any, *APIError) {
	if v == nil {
		return []any{}, nil
	}
	lists, ok := v.([]any)
	if !ok {
		return nil, layoutErr("relatedLists must be an array")
	}
	parent := schema.object(object)
	seen := map[string]bool{}
	out := make([]any, 0, len(lists))
	for _, item := range lists {
		rl, ok := item.(map[string]any)
		if !ok {
			return nil, layoutErr("relatedLists entries must be objects")
		}
		name, _ := rl["relatedList"].(string)
		if name == "" {
			return nil, layoutErr("Related list is missing its relatedList name")
		}
		if seen[strings.ToLower(name)] {
			return nil, layoutErr("Duplicate related list: %s", name)
		}
		seen[strings.ToLower(name)] = true
		child, err := s.relatedListChild(parent, name)
		if err != nil {
			return nil, err
		}
		n := copyMap(rl)
		for _, k := range []string{"customButtons", "excludeButtons", "fields", "quickActions"} {
			if n[k] == nil {
				n[k] = []any{}
			} else if _, ok := n[k].([]any); !ok {
				return nil, layoutErr("%s of related list %s must be an array", k, name)
			}
		}
		for _, k := range []string{"sortField", "sortOrder"} {
			if _, present := n[k]; !present {
				n[k] = nil
			}
		}
		if so := n["sortOrder"]; so != nil {
			sv, _ := so.(string)
			switch strings.ToLower(sv) {
			case "asc":
				n["sortOrder"] = "Asc"
			case "desc":
				n["sortOrder"] = "Desc"
			default:
				return nil, layoutErr("Invalid sortOrder %v in related list %s: use Asc or Desc", so, name)
			}
		}
		if child != nil {
			fields, _ := n["fields"].([]any)
			for _, f := range fields {
				fs, _ := f.(string)
				if !columnOK(child, fs) {
					return nil, layoutErr("Invalid field:%s in related list:%s", fs, name)
				}
			}
			if sf := n["sortField"]; sf != nil {
				if fs, _ := sf.(string); !columnOK(child, fs) {
					return nil, layoutErr("Invalid sort field:%v in related list:%s", sf, name)
				}
			}
		}
		out = append(out, n)
	}
	return out, nil
}

// relatedListChild checks a relatedList name: a standard list
// (Related…List), or <ChildObject>.<LookupField> where the lookup points to
// the layout's object. It returns the child object for custom lists.
func (s *Server) relatedListChild(parent *objectDef, name string) (*objectDef, *APIError) {
	childName, fieldName, custom := strings.Cut(name, ".")
	if !custom {
		if standardRelatedList.MatchString(name) {
			return nil, nil
		}
		return nil, layoutErr("Invalid related list: %s", name)
	}
	child := schema.object(childName)
	if child == nil || !s.visible(child) || child.API&apiREST == 0 || parent == nil {
		return nil, layoutErr("Invalid related list: %s. No such object %s", name, childName)
	}
	f := child.field(fieldName)
	if f == nil || f.Type != tRef || f.ReferenceTo != parent.Name {
		return nil, layoutErr("Invalid related list: %s. %s is not a lookup from %s to %s", name, fieldName, child.Name, parent.Name)
	}
	return child, nil
}

func columnOK(child *objectDef, col string) bool {
	if col == "" {
		return false
	}
	if standardColumns[strings.ToUpper(col)] {
		return true
	}
	f := child.field(col)
	return f != nil && !f.WriteOnly && f.Type != tComplex
}

// removeRelatedLists drops related lists of a package's objects from every
// layout: they leave with the objects on uninstall.
func (s *Server) removeRelatedLists(ns string) {
	prefix := strings.ToLower(ns) + "__"
	lo := schema.object(objLayout)
	for _, l := range s.live(lo) {
		x, _ := l.f[layoutXMLKey].(string)
		nodes, err := parseLayoutContent(x)
		if err != nil {
			continue
		}
		kept := nodes[:0:0]
		for _, n := range nodes {
			if n.name == "relatedLists" {
				if rl := child(n, "relatedList"); rl != nil && strings.HasPrefix(strings.ToLower(leafText(rl.children)), prefix) {
					continue
				}
			}
			kept = append(kept, n)
		}
		if len(kept) == len(nodes) {
			continue
		}
		canon, err := canonicalLayoutXML(kept)
		if err != nil {
			continue
		}
		nl := l.clone()
		if setLayoutXML(nl, canon) == nil {
			s.put(nl)
		}
	}
}

// layoutSetupEdit stores a trusted Metadata update: elements whose JSON is
// unchanged keep their stored XML byte for byte; changed ones are written
// from the JSON where they were; new ones go at the end.
func (s *Server) layoutSetupEdit(old, rec *record, md map[string]any) *APIError {
	object, _ := old.f["TableEnumOrId"].(string)
	normalized, e := s.validateRelatedLists(object, md["relatedLists"])
	if e != nil {
		return e
	}
	md = copyMap(md)
	md["relatedLists"] = normalized
	oldXML, _ := old.f[layoutXMLKey].(string)
	nodes, err := parseLayoutContent(oldXML)
	if err != nil {
		return newErr(http.StatusBadRequest, "JSON_PARSER_ERROR", "stored layout: %v", err)
	}
	oldMD, _ := old.f["Metadata"].(map[string]any)
	same := func(k string) bool {
		a, _ := json.Marshal(oldMD[k])
		b, _ := json.Marshal(md[k])
		return string(a) == string(b)
	}
	var out []*xmlNode
	done := map[string]bool{"fullName": true}
	for _, n := range nodes {
		switch {
		case n.name == "fullName" || same(n.name):
			out = append(out, n)
		case !done[n.name]:
			out = append(out, jsonToXMLNodes(n.name, md[n.name])...)
		}
		done[n.name] = true
	}
	keys := make([]string, 0, len(md))
	for k := range md {
		if !done[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, jsonToXMLNodes(k, md[k])...)
	}
	canon, err := canonicalLayoutXML(out)
	if err == nil {
		err = setLayoutXML(rec, canon)
	}
	if err != nil {
		return newErr(http.StatusBadRequest, "JSON_PARSER_ERROR", "Cannot deserialize Metadata: %v", err)
	}
	return nil
}
