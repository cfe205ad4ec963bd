package sfapi

import (
	"encoding/json"
	"reflect"
	"testing"
)

func testMetadata(t *testing.T) LayoutMetadata {
	t.Helper()
	var m LayoutMetadata
	if err := json.Unmarshal([]byte(`{"headers":[],"relatedLists":[
	  {"customButtons":[],"excludeButtons":[],"fields":["TASK.SUBJECT"],"quickActions":[],"relatedList":"RelatedActivityList","sortField":null,"sortOrder":null},
	  {"customButtons":["Sync"],"excludeButtons":["New"],"fields":["NAME","CONTACT.TITLE"],"quickActions":["NewCase"],"relatedList":"RelatedContactList","sortField":"NAME","sortOrder":"Asc","futureKey":7},
	  {"customButtons":[],"excludeButtons":[],"fields":["NAME"],"relatedList":"RelatedNoteList","sortField":null,"sortOrder":null}]}`), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func names(m LayoutMetadata) []string {
	var out []string
	for _, it := range m.RelatedLists() {
		out = append(out, it.RelatedList)
	}
	return out
}

func TestRelatedListsRead(t *testing.T) {
	m := testMetadata(t)
	if got := names(m); !reflect.DeepEqual(got, []string{"RelatedActivityList", "RelatedContactList", "RelatedNoteList"}) {
		t.Errorf("names = %v", got)
	}
	it, idx, ok := m.RelatedList("relatedcontactlist")
	want := RelatedListItem{RelatedList: "RelatedContactList", Fields: []string{"NAME", "CONTACT.TITLE"}, SortField: "NAME", SortOrder: "Asc",
		ExcludeButtons: []string{"New"}, CustomButtons: []string{"Sync"}}
	if !ok || idx != 1 || !reflect.DeepEqual(it, want) {
		t.Errorf("RelatedList = %+v, %d, %v", it, idx, ok)
	}
	if _, idx, ok := m.RelatedList("acme__Enrollment__c.acme__Contact__c"); ok || idx != -1 {
		t.Errorf("missing list found at %d", idx)
	}
	if got := (LayoutMetadata{"relatedLists": nil}).RelatedLists(); got != nil {
		t.Errorf("null relatedLists = %v", got)
	}
}

func TestWithRelatedList(t *testing.T) {
	enr := RelatedListItem{RelatedList: "acme__Enrollment__c.acme__Contact__c", Fields: []string{"NAME", "acme__Course_Name__c"},
		SortField: "acme__Enrollment_Date__c", SortOrder: "Desc", ExcludeButtons: []string{"New"}}
	m := testMetadata(t)
	orig, _ := json.Marshal(m)

	appended := m.WithRelatedList(enr, -1)
	if got := names(appended); !reflect.DeepEqual(got, []string{"RelatedActivityList", "RelatedContactList", "RelatedNoteList", enr.RelatedList}) {
		t.Errorf("append: %v", got)
	}
	if it, idx, _ := appended.RelatedList(enr.RelatedList); idx != 3 || !reflect.DeepEqual(it, RelatedListItem{RelatedList: enr.RelatedList,
		Fields: enr.Fields, SortField: enr.SortField, SortOrder: "Desc", ExcludeButtons: []string{"New"}, CustomButtons: []string{}}) {
		t.Errorf("appended item = %+v at %d", it, idx)
	}
	if got := names(m.WithRelatedList(enr, 0)); got[0] != enr.RelatedList || len(got) != 4 {
		t.Errorf("insert at 0: %v", got)
	}
	if got := names(m.WithRelatedList(enr, 99)); got[3] != enr.RelatedList {
		t.Errorf("position past the end: %v", got)
	}

	// Replace in place: position kept, other keys of the item kept, unset
	// sort written as null like Salesforce does.
	repl := RelatedListItem{RelatedList: "RelatedContactList", Fields: []string{"NAME"}}
	r := m.WithRelatedList(repl, -1)
	if got := names(r); !reflect.DeepEqual(got, names(m)) {
		t.Errorf("replace moved the list: %v", got)
	}
	entry := r["relatedLists"].([]any)[1].(map[string]any)
	if !reflect.DeepEqual(entry["quickActions"], []any{"NewCase"}) || entry["futureKey"] != float64(7) || entry["sortField"] != nil ||
		!reflect.DeepEqual(entry["excludeButtons"], []any{}) || !reflect.DeepEqual(entry["fields"], []any{"NAME"}) {
		t.Errorf("replaced entry = %v", entry)
	}
	if entry := appended["relatedLists"].([]any)[3].(map[string]any); len(entry) != 6 {
		t.Errorf("new entry has keys %v", entry)
	}

	// Move an existing list, by a differently cased name.
	moved := m.WithRelatedList(RelatedListItem{RelatedList: "relatednotelist", Fields: []string{"NAME"}}, 0)
	if got := names(moved); !reflect.DeepEqual(got, []string{"relatednotelist", "RelatedActivityList", "RelatedContactList"}) {
		t.Errorf("move: %v", got)
	}
	if got := names(m.WithRelatedList(RelatedListItem{RelatedList: "RelatedActivityList"}, 2)); !reflect.DeepEqual(got, []string{"RelatedContactList", "RelatedNoteList", "RelatedActivityList"}) {
		t.Errorf("move to end: %v", got)
	}

	if after, _ := json.Marshal(m); string(after) != string(orig) {
		t.Errorf("WithRelatedList modified its receiver:\n%s\n%s", orig, after)
	}
	if got := names(LayoutMetadata(nil).WithRelatedList(enr, -1)); !reflect.DeepEqual(got, []string{enr.RelatedList}) {
		t.Errorf("on empty metadata: %v", got)
	}
}

func TestWithoutRelatedList(t *testing.T) {
	m := testMetadata(t)
	orig, _ := json.Marshal(m)
	got := m.WithoutRelatedList("RELATEDCONTACTLIST")
	if n := names(got); !reflect.DeepEqual(n, []string{"RelatedActivityList", "RelatedNoteList"}) {
		t.Errorf("without: %v", n)
	}
	if !reflect.DeepEqual(got["headers"], []any{}) {
		t.Errorf("other keys lost: %v", got)
	}
	if n := names(m.WithoutRelatedList("Nope")); len(n) != 3 {
		t.Errorf("removing a missing list: %v", n)
	}
	if after, _ := json.Marshal(m); string(after) != string(orig) {
		t.Error("WithoutRelatedList modified its receiver")
	}
	if _, ok := (LayoutMetadata{"x": 1}).WithoutRelatedList("A")["relatedLists"]; ok {
		t.Error("added relatedLists to metadata without any")
	}
}
