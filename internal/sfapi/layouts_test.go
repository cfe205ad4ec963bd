package sfapi

import (
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

const layoutPath = "/services/data/v65.0/tooling/sobjects/Layout"

func TestParseLayoutFullName(t *testing.T) {
	for _, tc := range []struct{ in, object, name string }{
		{"Contact-Contact Layout", "Contact", "Contact Layout"},
		{"Contact-Contact %28Marketing%29 Layout", "Contact", "Contact (Marketing) Layout"},
		{"Contact-Sales - EMEA", "Contact", "Sales - EMEA"},
		{"acme__Enrollment__c-acme__Enrollment Layout", "acme__Enrollment__c", "acme__Enrollment Layout"},
		{"Contact-100% Layout %2", "Contact", "100% Layout %2"},
		{"Contact-O%27Brien%2fx", "Contact", "O'Brien/x"},
	} {
		obj, name, err := ParseLayoutFullName(tc.in)
		if err != nil || obj != tc.object || name != tc.name {
			t.Errorf("%q = %q, %q, %v; want %q, %q", tc.in, obj, name, err, tc.object, tc.name)
		}
	}
	for _, bad := range []string{"Contact", "Contact-", "-Contact Layout", "Con tact-X", "1Contact-X", "Contact'-X"} {
		if o, n, err := ParseLayoutFullName(bad); err == nil {
			t.Errorf("%q accepted as %q, %q", bad, o, n)
		}
	}
	for _, tc := range []struct{ object, ns, name, want string }{
		{"Contact", "", "Contact (Marketing) Layout", "Contact-Contact %28Marketing%29 Layout"},
		{"acme__Enrollment__c", "acme", "Enrollment Layout", "acme__Enrollment__c-acme__Enrollment Layout"},
		{"Contact", "", "100% Sales-EMEA v1.2", "Contact-100%25 Sales-EMEA v1.2"},
	} {
		got := LayoutFullName(tc.object, tc.ns, tc.name)
		if got != tc.want {
			t.Errorf("LayoutFullName(%q, %q, %q) = %q, want %q", tc.object, tc.ns, tc.name, got, tc.want)
		}
		if _, name, err := ParseLayoutFullName(got); err != nil || name != strings.TrimPrefix(tc.ns+"__"+tc.name, "__") {
			t.Errorf("round trip of %q = %q, %v", got, name, err)
		}
	}
}

func layoutRow(id, name string, ns any) map[string]any {
	return withAttrs("Layout", map[string]any{"Id": id, "Name": name, "NamespacePrefix": ns, "TableEnumOrId": "Contact"})
}

// layoutJSON is a trimmed Tooling Layout as Salesforce returns it, with
// keys this package does not interpret and numbers it must not reformat.
const layoutJSON = `{"attributes":{"type":"Layout","url":"/services/data/v65.0/tooling/sobjects/Layout/00h000000000001AAA"},
 "Id":"00h000000000001AAA","Name":"Contact (Marketing) Layout","FullName":"Contact-Contact %28Marketing%29 Layout","TableEnumOrId":"Contact",
 "NamespacePrefix":null,"ManageableState":"unmanaged",
 "Metadata":{"customButtons":[],"customConsoleComponents":null,"emailDefault":null,"excludeButtons":["Submit"],
  "feedLayout":null,"headers":[],"layoutSections":[{"customLabel":false,"detailHeading":true,"editHeading":true,"label":"Information",
   "layoutColumns":[{"layoutItems":[{"behavior":"Required","field":"LastName","height":null,"width":null}],"reserved":null}],"style":"TwoColumnsTopToBottom"}],
  "miniLayout":{"fields":["Name","Phone"],"relatedLists":[]},"multilineLayoutFields":[],
  "platformActionList":{"actionListContext":"Record","platformActionListItems":[{"actionName":"Edit","actionType":"StandardButton","sortOrder":0,"subtype":null}],"relatedSourceEntity":null},
  "quickActionList":{"quickActionListItems":[{"quickActionName":"LogACall"}]},
  "relatedContent":null,
  "relatedLists":[
   {"customButtons":[],"excludeButtons":[],"fields":["TASK.SUBJECT","TASK.WHAT_NAME"],"quickActions":[],"relatedList":"RelatedActivityList","sortField":null,"sortOrder":null},
   {"customButtons":[],"excludeButtons":["New"],"fields":["NAME","CONTACT.TITLE"],"quickActions":["NewCase"],"relatedList":"RelatedContactList","sortField":"NAME","sortOrder":"Asc","futureKey":{"x":1}}],
  "relatedObjects":[],"runAssignmentRulesDefault":null,"showEmailCheckbox":null,"showHighlightsPanel":null,
  "summaryLayout":{"masterLabel":"00h000000000001","sizeX":4,"sizeY":0,"summaryLayoutItems":[],"summaryLayoutStyle":"Default"},
  "bigNumber":12345678901234567890,"ratio":1.50,"urls":null}}`

func layoutOrg(t *testing.T) *org {
	o := newOrg(t)
	o.handle("GET "+toolingQuery, func(w http.ResponseWriter, _ *http.Request, s seen) {
		q := s.Query.Get("q")
		switch {
		case strings.Contains(q, "FROM EntityDefinition"):
			writeJSON(w, 200, queryResult(withAttrs("EntityDefinition", map[string]any{"Id": "000000000000000AAA", "DurableId": sfID("01I", 5)})))
		case strings.Contains(q, "TableEnumOrId='Contact'"):
			writeJSON(w, 200, queryResult(
				layoutRow("00h000000000002AAA", "Contact Layout", nil),
				layoutRow("00h000000000001AAA", "Contact (Marketing) Layout", nil),
				layoutRow("00h000000000003AAA", "Contact Layout", "acme"),
			))
		default:
			writeJSON(w, 200, queryResult())
		}
	})
	o.handle("GET "+layoutPath+"/00h000000000001AAA", func(w http.ResponseWriter, _ *http.Request, _ seen) { writeRaw(w, 200, layoutJSON) })
	o.handle("PATCH "+layoutPath+"/00h000000000001AAA", func(w http.ResponseWriter, _ *http.Request, _ seen) { w.WriteHeader(204) })
	return o
}

func TestListLayouts(t *testing.T) {
	o := layoutOrg(t)
	c := newTestClient(t, o)
	got, err := c.ListLayouts(t.Context(), "Contact")
	if err != nil {
		t.Fatal(err)
	}
	want := []LayoutSummary{
		{ID: "00h000000000001AAA", Name: "Contact (Marketing) Layout", Object: "Contact", FullName: "Contact-Contact %28Marketing%29 Layout"},
		{ID: "00h000000000002AAA", Name: "Contact Layout", Object: "Contact", FullName: "Contact-Contact Layout"},
		{ID: "00h000000000003AAA", Name: "Contact Layout", Object: "Contact", Namespace: "acme", FullName: "Contact-acme__Contact Layout"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if q := soqlOf(o, toolingQuery); !reflect.DeepEqual(q, []string{"SELECT Id, Name, NamespacePrefix, TableEnumOrId FROM Layout WHERE TableEnumOrId='Contact'"}) {
		t.Errorf("soql = %q", q)
	}

	// A custom object's layouts hang off its CustomObject id.
	if _, err := c.ListLayouts(t.Context(), "acme__Enrollment__c"); err != nil {
		t.Fatal(err)
	}
	q := soqlOf(o, toolingQuery)[1:]
	if !reflect.DeepEqual(q, []string{"SELECT DurableId FROM EntityDefinition WHERE QualifiedApiName='acme__Enrollment__c'",
		"SELECT Id, Name, NamespacePrefix, TableEnumOrId FROM Layout WHERE TableEnumOrId='" + sfID("01I", 5) + "'"}) {
		t.Errorf("custom object soql = %q", q)
	}
	if _, err := c.ListLayouts(t.Context(), "Contact' OR Name!='"); err == nil {
		t.Error("accepted a malformed object name")
	}
}

func TestMatchLayout(t *testing.T) {
	o := layoutOrg(t)
	c := newTestClient(t, o)
	ctx := t.Context()
	listed, err := c.ListLayouts(ctx, "Contact")
	if err != nil {
		t.Fatal(err)
	}
	_, name, err := ParseLayoutFullName("Contact-Contact %28Marketing%29 Layout")
	mustDo(t, err)
	m := MatchLayout(listed, name)
	if m == nil {
		t.Fatalf("no match for %q in %+v", name, listed)
	}
	l, err := c.GetLayout(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if l.ID != "00h000000000001AAA" || l.Object != "Contact" || l.Name != "Contact (Marketing) Layout" || l.FullName != "Contact-Contact %28Marketing%29 Layout" {
		t.Errorf("layout = %+v", l)
	}
	if items := l.Metadata.RelatedLists(); len(items) != 2 || items[1].SortField != "NAME" {
		t.Errorf("related lists = %+v", items)
	}
	if n := o.rec.count(http.MethodGet, layoutPath+"/00h000000000001AAA"); n != 1 {
		t.Errorf("GETs = %d", n)
	}

	if m := MatchLayout(listed, "Partner Layout"); m != nil {
		t.Errorf("missing layout matched %+v", m)
	}
	// "Contact Layout" exists with and without namespace: exact match wins.
	if m := MatchLayout([]LayoutSummary{{ID: "a", Name: "Contact Layout", Namespace: "acme"}, {ID: "b", Name: "Contact Layout"}}, "Contact Layout"); m == nil || m.ID != "a" {
		t.Errorf("exact match = %+v", m)
	}
	ls := []LayoutSummary{{ID: "a", Name: "Contact Layout", Namespace: "acme"}, {ID: "b", Name: "CONTACT layout"}}
	if m := MatchLayout(ls, "acme__Contact Layout"); m == nil || m.ID != "a" {
		t.Errorf("namespaced match = %+v", m)
	}
	if m := MatchLayout(ls, "contact LAYOUT"); m != nil {
		t.Errorf("ambiguous case-insensitive match = %+v", m)
	}
	if m := MatchLayout(ls[1:], "contact LAYOUT"); m == nil || m.ID != "b" {
		t.Errorf("case-insensitive match = %+v", m)
	}
}

func TestLockLayoutSerializes(t *testing.T) {
	c := mustNew(t, Config{InstanceURL: "https://example.my.salesforce.com", AccessToken: "tok"})
	const workers, rounds = 8, 50
	var (
		counter int   // guarded only by LockLayout: -race flags any overlap
		inside  int32 // holders right now
		overlap atomic.Bool
		wg      sync.WaitGroup
	)
	id := "00h000000000001AAA"
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				key := id
				if w%2 == 1 {
					key = id[:15] // the same layout by its 15-character id
				}
				unlock := c.LockLayout(key)
				if atomic.AddInt32(&inside, 1) != 1 {
					overlap.Store(true)
				}
				v := counter
				runtime.Gosched()
				counter = v + 1
				atomic.AddInt32(&inside, -1)
				unlock()
				unlock() // a second call is harmless
			}
		}()
	}
	wg.Wait()
	if overlap.Load() || counter != workers*rounds {
		t.Errorf("overlap = %v, counter = %d, want %d", overlap.Load(), counter, workers*rounds)
	}
	c.layoutLocks.mu.Lock()
	left := len(c.layoutLocks.m)
	c.layoutLocks.mu.Unlock()
	if left != 0 {
		t.Errorf("%d lock entries left after all unlocked", left)
	}
	// Different layouts do not block each other: this would deadlock.
	u1 := c.LockLayout("00h000000000001AAA")
	u2 := c.LockLayout("00h000000000002AAA")
	u2()
	u1()
}
