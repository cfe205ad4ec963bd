package sffake

import (
	"net/http"
	"strings"
	"testing"
)

type layoutDoc struct {
	ID            string         `json:"Id"`
	Name          string         `json:"Name"`
	FullName      string         `json:"FullName"`
	TableEnumOrId string         `json:"TableEnumOrId"`
	Metadata      map[string]any `json:"Metadata"`
}

func contactLayout(t *testing.T, c *client, name string) layoutDoc {
	t.Helper()
	recs := records(t, c.tooling("SELECT Id, Name, TableEnumOrId FROM Layout WHERE TableEnumOrId = 'Contact' AND Name = '"+name+"'"))
	if len(recs) != 1 {
		t.Fatalf("layout %q: %v", name, recs)
	}
	res := c.get(v + "/tooling/sobjects/Layout/" + recs[0]["Id"].(string))
	mustStatus(t, res, http.StatusOK)
	var d layoutDoc
	res.json(t, &d)
	return d
}

func relatedLists(d layoutDoc) []any { return d.Metadata["relatedLists"].([]any) }

const enrollmentList = "northpass__Enrollment__c.northpass__Contact__c"

func TestLayoutGetAndPatch(t *testing.T) {
	s, c := newOrg(t, Options{})
	d := contactLayout(t, c, "Contact Layout")
	if d.FullName != "Contact-Contact Layout" || d.TableEnumOrId != "Contact" {
		t.Fatalf("layout: %+v", d)
	}
	// The seeded layout is customised: its GET shows the action list and
	// the highlights panel with string enums, which the PATCH refuses back.
	pal, _ := d.Metadata["platformActionList"].(map[string]any)
	sl, _ := d.Metadata["summaryLayout"].(map[string]any)
	if pal["actionListContext"] != "Record" || sl["summaryLayoutStyle"] != "Default" {
		t.Fatalf("platformActionList %v, summaryLayout %v", pal, sl)
	}
	wantError(t, c.do(http.MethodPatch, v+"/tooling/sobjects/Layout/"+d.ID, map[string]any{"Metadata": d.Metadata}), http.StatusBadRequest, "JSON_PARSER_ERROR", "PlatformActionListContext")
	delete(d.Metadata, "platformActionList")
	wantError(t, c.do(http.MethodPatch, v+"/tooling/sobjects/Layout/"+d.ID, map[string]any{"Metadata": d.Metadata}), http.StatusBadRequest, "JSON_PARSER_ERROR", "SummaryLayoutStyle")
	delete(d.Metadata, "summaryLayout")
	if m := contactLayout(t, c, "Contact (Marketing) Layout"); m.FullName != "Contact-Contact %28Marketing%29 Layout" {
		t.Fatalf("encoded full name: %q", m.FullName)
	}
	first := relatedLists(d)[0].(map[string]any)
	for _, k := range []string{"fields", "relatedList", "sortField", "sortOrder", "excludeButtons", "customButtons", "quickActions"} {
		if _, ok := first[k]; !ok {
			t.Fatalf("related list item lacks %s: %v", k, first)
		}
	}

	md := d.Metadata
	md["relatedLists"] = append(relatedLists(d), map[string]any{
		"relatedList": enrollmentList, "fields": []any{"NAME", "northpass__Course_Name__c", "northpass__Progress_Percentage__c"},
		"sortField": "northpass__Enrollment_Date__c", "sortOrder": "desc", "excludeButtons": []any{"New"},
	})
	mustStatus(t, c.do(http.MethodPatch, v+"/tooling/sobjects/Layout/"+d.ID, map[string]any{"FullName": d.FullName, "Metadata": md}), http.StatusNoContent)
	after := contactLayout(t, c, "Contact Layout")
	// A PATCH replaces the whole layout: what was left out is gone, in the
	// Metadata API's view too.
	if after.Metadata["platformActionList"] != nil || after.Metadata["summaryLayout"] != nil {
		t.Fatalf("a PATCH without them kept platformActionList %v / summaryLayout %v", after.Metadata["platformActionList"], after.Metadata["summaryLayout"])
	}
	if x, _ := s.LayoutXML("Contact-Contact Layout"); strings.Contains(x, "platformActionList") || !strings.Contains(x, enrollmentList) {
		t.Fatalf("stored XML after the PATCH: %s", x)
	}
	lists := relatedLists(after)
	added := lists[len(lists)-1].(map[string]any)
	if added["relatedList"] != enrollmentList || added["sortOrder"] != "Desc" || added["quickActions"] == nil || len(added["excludeButtons"].([]any)) != 1 {
		t.Fatalf("stored related list: %v", added)
	}

	bad := func(change func(map[string]any), code string) {
		t.Helper()
		m := contactLayout(t, c, "Contact Layout").Metadata
		change(m)
		wantError(t, c.do(http.MethodPatch, v+"/tooling/sobjects/Layout/"+d.ID, map[string]any{"Metadata": m}), http.StatusBadRequest, code, "")
	}
	addList := func(item map[string]any) func(map[string]any) {
		return func(m map[string]any) { m["relatedLists"] = append(m["relatedLists"].([]any), item) }
	}
	bad(addList(map[string]any{"relatedList": "northpass__Enrollment__c.northpass__Course_Name__c"}), "FIELD_INTEGRITY_EXCEPTION")
	bad(addList(map[string]any{"relatedList": "Nope__c.Contact__c"}), "FIELD_INTEGRITY_EXCEPTION")
	bad(addList(map[string]any{"relatedList": "NotARelatedList"}), "FIELD_INTEGRITY_EXCEPTION")
	bad(addList(map[string]any{"relatedList": enrollmentList}), "FIELD_INTEGRITY_EXCEPTION") // duplicate
	bad(func(m map[string]any) {
		lists := m["relatedLists"].([]any)
		lists[len(lists)-1].(map[string]any)["fields"] = []any{"northpass__Nope__c"}
	}, "FIELD_INTEGRITY_EXCEPTION")
	bad(func(m map[string]any) { m["platformActionList"] = map[string]any{"actionListContext": "Record"} }, "JSON_PARSER_ERROR")
	wantError(t, c.do(http.MethodPatch, v+"/tooling/sobjects/Layout/"+d.ID, map[string]any{"FullName": "Contact-Other", "Metadata": md}), http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION", "FullName")
	wantError(t, c.do(http.MethodPatch, v+"/tooling/sobjects/Layout/"+d.ID, map[string]any{"Name": "x"}), http.StatusBadRequest, "INVALID_FIELD_FOR_INSERT_UPDATE", "")
	wantError(t, c.do(http.MethodDelete, v+"/tooling/sobjects/Layout/"+d.ID, nil), http.StatusBadRequest, "INSUFFICIENT_ACCESS_OR_READONLY", "")

	// The related list leaves with the package.
	if err := s.Uninstall(NorthpassNamespace); err != nil {
		t.Fatal(err)
	}
	for _, item := range relatedLists(contactLayout(t, c, "Contact Layout")) {
		if item.(map[string]any)["relatedList"] == enrollmentList {
			t.Fatal("enrollment related list survived the uninstall")
		}
	}
	// And can't be added without the package.
	bad(addList(map[string]any{"relatedList": enrollmentList}), "FIELD_INTEGRITY_EXCEPTION")
}

// An edit in Setup (the admin/Go API) changes what it changes: every other
// element of the stored layout keeps its XML, the customised action list,
// highlights panel and the element no client models included.
func TestLayoutSetupEditKeepsOtherElements(t *testing.T) {
	s, c := newOrg(t, Options{})
	before, _ := s.LayoutXML("Contact-Contact Layout")
	d := contactLayout(t, c, "Contact Layout")
	lists := relatedLists(d)
	d.Metadata["relatedLists"] = lists[:len(lists)-1]
	if err := s.Update("Layout", d.ID, map[string]any{"Metadata": d.Metadata}); err != nil {
		t.Fatal(err)
	}
	after, _ := s.LayoutXML("Contact-Contact Layout")
	removed := `<relatedLists><relatedList>RelatedEntityHistoryList</relatedList></relatedLists>`
	if !strings.Contains(before, removed) || after != strings.Replace(before, removed, "", 1) {
		t.Errorf("Setup edit:\nbefore %s\nafter  %s", before, after)
	}
	// SetLayoutRelatedLists puts them back where they were.
	if err := s.SetLayoutRelatedLists("Contact-Contact Layout", lists); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.LayoutXML("Contact-Contact Layout"); again != before {
		t.Errorf("SetLayoutRelatedLists:\nbefore %s\nafter  %s", before, again)
	}
}
