package layoutdiff

import (
	"strings"
	"testing"
)

// seed is a Layout element's content, as readMetadata's client and the fake
// hand it over: its children, <fullName> first.
const seed = `<fullName>Contact-Contact Layout</fullName>` +
	`<layoutSections><label>Info</label></layoutSections>` +
	`<relatedLists><relatedList>RelatedContactList</relatedList></relatedLists>` +
	`<relatedLists><fields>Name</fields><relatedList>np__Enrollment__c.np__Contact__c</relatedList></relatedLists>` +
	`<pinnedActivitySettings a="1"/>`

func enrollments(e Element) bool { return strings.Contains(e.RelatedList, "__Enrollment__c.") }

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		name, after string
		skip        func(Element) bool
		wantErr     string
	}{
		{name: "identical", after: seed},
		{name: "owned list changed, skipped", after: strings.Replace(seed, "<fields>Name</fields>", "<fields>Status</fields>", 1), skip: enrollments},
		{name: "owned list changed, compared", after: strings.Replace(seed, "<fields>Name</fields>", "<fields>Status</fields>", 1), wantErr: "element 3 <relatedLists> changed"},
		{name: "unmodelled element lost", after: strings.Replace(seed, `<pinnedActivitySettings a="1"/>`, "", 1), skip: enrollments, wantErr: "lost element 3 <pinnedActivitySettings>"},
		{name: "attribute changed", after: strings.Replace(seed, `a="1"`, `a="2"`, 1), skip: enrollments, wantErr: "<pinnedActivitySettings> changed"},
		{name: "element gained", after: seed + "<miniLayout/>", wantErr: "gained element 5 <miniLayout>"},
		{name: "lists swapped", after: strings.Replace(strings.Replace(seed, "RelatedContactList", "X", 1), "<layoutSections>", "<relatedLists><relatedList>RelatedContactList</relatedList></relatedLists><layoutSections>", 1), skip: enrollments, wantErr: "changed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Compare("Contact-Contact Layout", []byte(seed), []byte(tc.after), tc.skip)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected difference: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestElements(t *testing.T) {
	els, err := Elements([]byte(seed))
	if err != nil {
		t.Fatal(err)
	}
	want := []Element{
		{Name: "fullName", XML: "<fullName>Contact-Contact Layout</fullName>"},
		{Name: "layoutSections", XML: "<layoutSections><label>Info</label></layoutSections>"},
		{Name: "relatedLists", RelatedList: "RelatedContactList", XML: "<relatedLists><relatedList>RelatedContactList</relatedList></relatedLists>"},
		{Name: "relatedLists", RelatedList: "np__Enrollment__c.np__Contact__c", XML: "<relatedLists><fields>Name</fields><relatedList>np__Enrollment__c.np__Contact__c</relatedList></relatedLists>"},
		{Name: "pinnedActivitySettings", XML: `<pinnedActivitySettings a="1"/>`},
	}
	if len(els) != len(want) {
		t.Fatalf("elements = %+v", els)
	}
	for i := range want {
		if els[i] != want[i] {
			t.Errorf("element %d = %+v, want %+v", i, els[i], want[i])
		}
	}
	if n, _ := Count([]byte(seed), enrollments); n != 4 {
		t.Errorf("Count = %d, want 4", n)
	}
	if _, err := Elements([]byte("<a><b>")); err == nil {
		t.Fatal("truncated XML was accepted")
	}
}
