package sffake

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Tooling Layout records carry the LayoutMetadata as JSON in Metadata. GET
// returns it with the quirks real orgs show (platformActionList and
// summaryLayout null); PATCH {"Metadata":…} replaces it after checking that
// every related list names a real child relationship of the object.

// layoutFullName is <Object>-<Layout Name> with special characters
// URL-encoded but spaces kept ("Contact-Contact %28Marketing%29 Layout").
func layoutFullName(object, name string) string {
	enc := url.PathEscape(name)
	enc = strings.ReplaceAll(enc, "%20", " ")
	enc = strings.ReplaceAll(enc, "(", "%28")
	enc = strings.ReplaceAll(enc, ")", "%29")
	return object + "-" + enc
}

func relatedList(name string, fields []string, sortField any, sortOrder any) map[string]any {
	fl := make([]any, len(fields))
	for i, f := range fields {
		fl[i] = f
	}
	return map[string]any{
		"customButtons": []any{}, "excludeButtons": []any{}, "fields": fl, "quickActions": []any{},
		"relatedList": name, "sortField": sortField, "sortOrder": sortOrder,
	}
}

func layoutItem(field, behavior string) map[string]any {
	return map[string]any{
		"analyticsCloudComponent": nil, "behavior": behavior, "canvas": nil, "component": nil, "customLink": nil,
		"emptySpace": nil, "field": field, "height": nil, "page": nil, "reportChartComponent": nil,
		"scontrol": nil, "showLabel": nil, "showScrollbars": nil, "width": nil,
	}
}

func layoutSection(label string, detail bool, cols ...[]map[string]any) map[string]any {
	columns := make([]any, len(cols))
	for i, items := range cols {
		li := make([]any, len(items))
		for j, it := range items {
			li[j] = it
		}
		columns[i] = map[string]any{"layoutItems": li, "reserved": nil}
	}
	return map[string]any{
		"customLabel": false, "detailHeading": detail, "editHeading": true, "label": label,
		"layoutColumns": columns, "style": "TwoColumnsTopToBottom",
	}
}

// contactLayoutMetadata is a trimmed version of a new org's Contact layout.
func contactLayoutMetadata(marketing bool) map[string]any {
	left := []map[string]any{layoutItem("OwnerId", "Edit"), layoutItem("Name", "Required"), layoutItem("Title", "Edit"), layoutItem("Department", "Edit")}
	right := []map[string]any{layoutItem("Phone", "Edit"), layoutItem("Email", "Edit")}
	sections := []any{
		layoutSection("Contact Information", false, left, right),
		layoutSection("System Information", true,
			[]map[string]any{layoutItem("CreatedById", "Readonly")},
			[]map[string]any{layoutItem("LastModifiedById", "Readonly")}),
	}
	lists := []any{
		relatedList("RelatedActivityList", []string{"TASK.SUBJECT", "TASK.WHO_NAME", "TASK.WHAT_NAME", "ACTIVITY.TASK", "TASK.DUE_DATE", "TASK.STATUS", "TASK.PRIORITY", "CORE.USERS.FULL_NAME"}, nil, nil),
		relatedList("RelatedHistoryList", []string{"TASK.SUBJECT", "TASK.WHO_NAME", "TASK.WHAT_NAME", "ACTIVITY.TASK", "TASK.DUE_DATE", "CORE.USERS.FULL_NAME", "TASK.LAST_UPDATE"}, nil, nil),
		relatedList("RelatedNoteList", []string{}, nil, nil),
	}
	if marketing {
		lists = append(lists, relatedList("RelatedCampaignMemberList", []string{"CAMPAIGN.NAME", "CAMPAIGN.START_DATE", "CAMPAIGN.CAMPAIGN_TYPE", "CM.STATUS"}, "CAMPAIGN.START_DATE", "Desc"))
	} else {
		lists = append(lists, relatedList("RelatedEntityHistoryList", []string{}, nil, nil))
	}
	return map[string]any{
		"customButtons": []any{}, "customConsoleComponents": nil, "emailDefault": nil, "excludeButtons": []any{"Submit"},
		"feedLayout": nil, "headers": []any{}, "layoutSections": sections, "miniLayout": nil,
		"multilineLayoutFields": []any{}, "platformActionList": nil, "quickActionList": nil, "relatedContent": nil,
		"relatedLists": lists, "relatedObjects": []any{}, "runAssignmentRulesDefault": nil, "showEmailCheckbox": nil,
		"showHighlightsPanel": nil, "showInteractionLogPanel": nil, "showKnowledgeComponent": nil,
		"showRunAssignmentRulesCheckbox": nil, "showSolutionSection": nil, "showSubmitAndAttachButton": nil,
		"summaryLayout": nil, "urls": nil,
	}
}

func (s *Server) seedLayouts() {
	for _, l := range []struct {
		name      string
		marketing bool
	}{{"Contact Layout", false}, {"Contact (Marketing) Layout", true}} {
		s.insertTrusted(objLayout, map[string]any{
			"Name": l.name, "FullName": layoutFullName(objContact, l.name), "TableEnumOrId": objContact,
			"EntityDefinitionId": objContact, "Metadata": contactLayoutMetadata(l.marketing),
		})
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
	// Quirks real orgs show when a client sends back values it read from
	// elsewhere (Jetstream strips these before deploying).
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
	rec.f["Metadata"] = md
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
		md, ok := l.f["Metadata"].(map[string]any)
		if !ok {
			continue
		}
		lists, _ := md["relatedLists"].([]any)
		kept := make([]any, 0, len(lists))
		for _, item := range lists {
			rl, _ := item.(map[string]any)
			name, _ := rl["relatedList"].(string)
			if !strings.HasPrefix(strings.ToLower(name), prefix) {
				kept = append(kept, item)
			}
		}
		if len(kept) != len(lists) {
			n := copyMap(md)
			n["relatedLists"] = kept
			nl := l.clone()
			nl.f["Metadata"] = n
			s.put(nl)
		}
	}
}
