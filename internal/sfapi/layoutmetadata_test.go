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
