package sfapi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

const soapPath = "/services/Soap/m/65.0"

// layoutRecordXML is a customised Contact layout as readMetadata returns
// it: an action list and highlights panel set up in Setup, a quick action
// list, a mini layout, and elements this package has never heard of (at
// the top level and inside a related list), with escapes and a comment
// that must come back byte for byte.
const layoutRecordXML = `<fullName>Contact-Contact %28Marketing%29 Layout</fullName>` +
	`<excludeButtons>Submit</excludeButtons>` +
	`<futureElement kind="x"><deep>a &amp; b &lt;c&gt;</deep><!-- kept --><empty/></futureElement>` +
	`<layoutSections><customLabel>false</customLabel><detailHeading>true</detailHeading><editHeading>true</editHeading>` +
	`<label>Information</label><layoutColumns><layoutItems><behavior>Required</behavior><field>LastName</field></layoutItems></layoutColumns>` +
	`<style>TwoColumnsTopToBottom</style></layoutSections>` +
	`<miniLayout><fields>Name</fields><fields>Phone</fields></miniLayout>` +
	`<platformActionList><actionListContext>Record</actionListContext><platformActionListItems><actionName>Edit</actionName>` +
	`<actionType>StandardButton</actionType><sortOrder>0</sortOrder></platformActionListItems></platformActionList>` +
	`<quickActionList><quickActionListItems><quickActionName>LogACall</quickActionName></quickActionListItems></quickActionList>` +
	`<relatedLists><fields>TASK.SUBJECT</fields><relatedList>RelatedActivityList</relatedList></relatedLists>` +
	`<relatedLists><customButtons>Sync</customButtons><excludeButtons>New</excludeButtons><fields>NAME</fields><fields>CONTACT.TITLE</fields>` +
	`<quickActions>NewCase</quickActions><relatedList>RelatedContactList</relatedList><futureListSetting>7</futureListSetting>` +
	`<sortField>NAME</sortField><sortOrder>Asc</sortOrder></relatedLists>` +
	`<relatedObjects>AccountId</relatedObjects>` +
	`<showEmailCheckbox>false</showEmailCheckbox>` +
	`<summaryLayout><masterLabel>00h000000000001</masterLabel><sizeX>4</sizeX><sizeY>0</sizeY>` +
	`<summaryLayoutItems><field>Email</field><posX>0</posX><posY>0</posY></summaryLayoutItems><summaryLayoutStyle>Default</summaryLayoutStyle></summaryLayout>`

func readResponse(records string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ` +
		`xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>` +
		`<readMetadataResponse><result>` + records + `</result></readMetadataResponse></soapenv:Body></soapenv:Envelope>`
}

func saveResponse(result string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ` +
		`xmlns="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><updateMetadataResponse><result>` + result +
		`</result></updateMetadataResponse></soapenv:Body></soapenv:Envelope>`
}

func faultResponse(code, msg string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ` +
		`xmlns:sf="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><soapenv:Fault><faultcode>sf:` + code +
		`</faultcode><faultstring>` + code + `: ` + msg + `</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`
}

// soapOrg answers readMetadata with the layout above (or a nil record for
// any other name) and updateMetadata with success.
func soapOrg(t *testing.T) *org {
	o := layoutOrg(t)
	o.handle("POST "+soapPath, func(w http.ResponseWriter, _ *http.Request, s seen) {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		switch {
		case strings.Contains(s.Body, "<readMetadata") && strings.Contains(s.Body, "<fullNames>Contact-Contact %28Marketing%29 Layout</fullNames>"):
			writeRaw(w, 200, readResponse(`<records xsi:type="Layout">`+layoutRecordXML+`</records>`))
		case strings.Contains(s.Body, "<readMetadata"):
			writeRaw(w, 200, readResponse(`<records xsi:nil="true"/>`))
		default:
			writeRaw(w, 200, saveResponse(`<fullName>Contact-Contact %28Marketing%29 Layout</fullName><success>true</success>`))
		}
	})
	return o
}

// sentEnvelope decodes what the client posted.
type sentEnvelope struct {
	Header struct {
		SessionID string `xml:"SessionHeader>sessionId"`
	} `xml:"Header"`
	Body struct {
		Update *struct {
			Metadata struct {
				Type  string `xml:"http://www.w3.org/2001/XMLSchema-instance type,attr"`
				Inner []byte `xml:",innerxml"`
			} `xml:"metadata"`
		} `xml:"updateMetadata"`
		Read *struct {
			Type      string   `xml:"type"`
			FullNames []string `xml:"fullNames"`
		} `xml:"readMetadata"`
	} `xml:"Body"`
}

func decodeSent(t *testing.T, s seen) sentEnvelope {
	t.Helper()
	var env sentEnvelope
	if err := xml.Unmarshal([]byte(s.Body), &env); err != nil {
		t.Fatalf("request is not XML: %v\n%s", err, s.Body)
	}
	return env
}

func soapRequests(o *org) []seen {
	var out []seen
	for _, s := range o.rec.all() {
		if s.Path == soapPath {
			out = append(out, s)
		}
	}
	return out
}

// partsByName groups top-level elements of content by name, as bytes.
func partsByName(t *testing.T, content []byte) map[string][]string {
	t.Helper()
	parts, err := splitChildren(content)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, p := range parts {
		out[p.local] = append(out[p.local], string(content[p.start:p.end]))
	}
	return out
}

// The request is a Metadata API SOAP call with the session in the header,
// and what goes back is what was read, byte for byte, except the one
// related list: the unknown element, the action list and the highlights
// panel included.
func TestLayoutXMLRoundTripKeepsEverythingElse(t *testing.T) {
	o := soapOrg(t)
	c := newTestClient(t, o)
	ctx := t.Context()
	l, err := c.ReadLayoutXML(ctx, "Contact-Contact %28Marketing%29 Layout")
	mustDo(t, err)
	if l.FullName != "Contact-Contact %28Marketing%29 Layout" || string(l.Content()) != layoutRecordXML {
		t.Fatalf("read %q, content differs:\n%s", l.FullName, l.Content())
	}
	enr := RelatedListItem{RelatedList: "acme__Enrollment__c.acme__Contact__c", Fields: []string{"NAME", "acme__Course_Name__c"},
		SortField: "acme__Enrollment_Date__c", SortOrder: "Desc", ExcludeButtons: []string{"New"}}
	edited, err := l.WithRelatedList(enr, 1)
	mustDo(t, err)
	mustDo(t, c.UpdateLayout(ctx, "00h000000000001AAA", edited))

	reqs := soapRequests(o)
	if len(reqs) != 2 {
		t.Fatalf("%d SOAP requests, want 2", len(reqs))
	}
	for _, s := range reqs {
		if ct := s.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") || s.Header.Get("SOAPAction") != `""` {
			t.Errorf("headers: Content-Type %q SOAPAction %q", ct, s.Header.Get("SOAPAction"))
		}
		if env := decodeSent(t, s); env.Header.SessionID != "tok" {
			t.Errorf("sessionId = %q, want the access token", env.Header.SessionID)
		}
	}
	if env := decodeSent(t, reqs[0]); env.Body.Read == nil || env.Body.Read.Type != "Layout" ||
		!reflect.DeepEqual(env.Body.Read.FullNames, []string{"Contact-Contact %28Marketing%29 Layout"}) {
		t.Errorf("readMetadata request: %+v", env.Body.Read)
	}
	env := decodeSent(t, reqs[1])
	if env.Body.Update == nil || env.Body.Update.Metadata.Type != "Layout" {
		t.Fatalf("updateMetadata request: %s", reqs[1].Body)
	}
	// The kept bytes are spliced verbatim, so innerxml is the content as read.
	sent := env.Body.Update.Metadata.Inner
	if !bytes.Contains(sent, []byte(`<futureElement kind="x"><deep>a &amp; b &lt;c&gt;</deep><!-- kept --><empty/></futureElement>`)) {
		t.Errorf("unknown element not sent back byte for byte:\n%s", sent)
	}
	before, after := partsByName(t, []byte(layoutRecordXML)), partsByName(t, sent)
	for name, els := range before {
		if name == relatedListsElement {
			continue
		}
		if !reflect.DeepEqual(after[name], els) {
			t.Errorf("<%s> changed:\n got %q\nwant %q", name, after[name], els)
		}
	}
	wantLists := []string{
		before[relatedListsElement][0],
		`<relatedLists><excludeButtons>New</excludeButtons><fields>NAME</fields><fields>acme__Course_Name__c</fields>` +
			`<relatedList>acme__Enrollment__c.acme__Contact__c</relatedList><sortField>acme__Enrollment_Date__c</sortField>` +
			`<sortOrder>Desc</sortOrder></relatedLists>`,
		before[relatedListsElement][1],
	}
	if !reflect.DeepEqual(after[relatedListsElement], wantLists) {
		t.Errorf("relatedLists\n got %q\nwant %q", after[relatedListsElement], wantLists)
	}
	// Decoded by namespace, the sent layout's elements are in the metadata
	// namespace: the declarations in scope when it was read went with it.
	var ns struct {
		Body struct {
			Update struct {
				Metadata struct {
					Lists []relatedListXML `xml:"http://soap.sforce.com/2006/04/metadata relatedLists"`
				} `xml:"http://soap.sforce.com/2006/04/metadata metadata"`
			} `xml:"http://soap.sforce.com/2006/04/metadata updateMetadata"`
		} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
	}
	mustDo(t, xml.Unmarshal([]byte(reqs[1].Body), &ns))
	if n := len(ns.Body.Update.Metadata.Lists); n != 3 {
		t.Errorf("%d related lists in the metadata namespace, want 3", n)
	}
}

// Changing an existing list rewrites only what the resource manages and
// keeps the rest of the element (custom buttons, quick actions, an element
// added in a later release) where it was.
func TestWithRelatedListReplacesManagedElementsOnly(t *testing.T) {
	l := &LayoutXML{FullName: "Contact-X", decls: []xml.Attr{attr("xmlns", metadataNS)}, content: []byte(layoutRecordXML)}
	edited, err := l.WithRelatedList(RelatedListItem{RelatedList: "relatedcontactlist", Fields: []string{"NAME"}}, -1)
	mustDo(t, err)
	got := partsByName(t, edited.content)[relatedListsElement]
	want := `<relatedLists><customButtons>Sync</customButtons><fields>NAME</fields><quickActions>NewCase</quickActions>` +
		`<relatedList>relatedcontactlist</relatedList><futureListSetting>7</futureListSetting></relatedLists>`
	if len(got) != 2 || got[1] != want {
		t.Errorf("got %q\nwant [_ %q]", got, want)
	}
	// Moved to the top, then removed: the other list is untouched.
	moved, err := l.WithRelatedList(RelatedListItem{RelatedList: "RelatedContactList", Fields: []string{"NAME"}}, 0)
	mustDo(t, err)
	items, err := moved.RelatedLists()
	mustDo(t, err)
	if len(items) != 2 || items[0].RelatedList != "RelatedContactList" || items[1].RelatedList != "RelatedActivityList" {
		t.Errorf("after move: %+v", items)
	}
	gone, found, err := moved.WithoutRelatedList("RELATEDCONTACTLIST")
	mustDo(t, err)
	if !found {
		t.Fatal("not found")
	}
	rest := partsByName(t, gone.content)
	if len(rest[relatedListsElement]) != 1 || rest[relatedListsElement][0] != partsByName(t, l.content)[relatedListsElement][0] {
		t.Errorf("after remove: %q", rest[relatedListsElement])
	}
	if _, found, _ := gone.WithoutRelatedList("RelatedContactList"); found {
		t.Error("removed twice")
	}
	it, idx, ok, err := l.RelatedList("RelatedContactList")
	mustDo(t, err)
	wantItem := RelatedListItem{RelatedList: "RelatedContactList", Fields: []string{"NAME", "CONTACT.TITLE"}, SortField: "NAME",
		SortOrder: "Asc", ExcludeButtons: []string{"New"}, CustomButtons: []string{"Sync"}}
	if !ok || idx != 1 || !reflect.DeepEqual(it, wantItem) {
		t.Errorf("RelatedList = %+v %d %v", it, idx, ok)
	}
}

// The first related list of a layout goes where the WSDL puts it: before
// relatedObjects and the show… flags, not at the end.
func TestFirstRelatedListGoesInWSDLOrder(t *testing.T) {
	content := `<fullName>Contact-X</fullName><headers>PersonalTagging</headers><relatedObjects>AccountId</relatedObjects><showEmailCheckbox>true</showEmailCheckbox>`
	l := &LayoutXML{FullName: "Contact-X", decls: []xml.Attr{attr("xmlns", metadataNS)}, content: []byte(content)}
	edited, err := l.WithRelatedList(RelatedListItem{RelatedList: "RelatedNoteList", Fields: []string{"NAME"}}, 5)
	mustDo(t, err)
	want := `<fullName>Contact-X</fullName><headers>PersonalTagging</headers><relatedLists><fields>NAME</fields>` +
		`<relatedList>RelatedNoteList</relatedList></relatedLists><relatedObjects>AccountId</relatedObjects><showEmailCheckbox>true</showEmailCheckbox>`
	if string(edited.content) != want {
		t.Errorf("got  %s\nwant %s", edited.content, want)
	}
	if string(l.content) != content {
		t.Error("the original was changed")
	}
}

// A name the org does not have is a nil record, reported as not found.
func TestReadLayoutXMLMissing(t *testing.T) {
	o := soapOrg(t)
	_, err := newTestClient(t, o).ReadLayoutXML(t.Context(), "Contact-No Such Layout")
	if !IsNotFound(err) {
		t.Errorf("err = %v, want not found", err)
	}
}

// An expired session (fault sf:INVALID_SESSION_ID) gets one new sign-in and
// the call is sent again with the new session in the header.
func TestSOAPInvalidSessionSignsInAgain(t *testing.T) {
	o := soapOrg(t)
	calls := 0
	o.handle("POST "+soapPath, func(w http.ResponseWriter, _ *http.Request, s seen) {
		calls++
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		if calls == 1 {
			writeRaw(w, 500, faultResponse("INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session"))
			return
		}
		writeRaw(w, 200, readResponse(`<records xsi:type="Layout">`+layoutRecordXML+`</records>`))
	})
	c := mustNew(t, fastConfig(o.jwtConfig(t)))
	if _, err := c.ReadLayoutXML(t.Context(), "Contact-Contact %28Marketing%29 Layout"); err != nil {
		t.Fatal(err)
	}
	reqs := soapRequests(o)
	if len(reqs) != 2 {
		t.Fatalf("%d SOAP requests, want 2", len(reqs))
	}
	first, second := decodeSent(t, reqs[0]).Header.SessionID, decodeSent(t, reqs[1]).Header.SessionID
	if first != "tok-1" || second != "tok-2" {
		t.Errorf("sessions %q then %q, want tok-1 then tok-2", first, second)
	}
}

// Faults and failed save results become the typed errors REST gives.
func TestSOAPErrorsAreTyped(t *testing.T) {
	o := soapOrg(t)
	o.handle("POST "+soapPath, func(w http.ResponseWriter, _ *http.Request, s seen) {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		if strings.Contains(s.Body, "<readMetadata") {
			writeRaw(w, 500, faultResponse("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))
			return
		}
		writeRaw(w, 200, saveResponse(`<errors><message>Invalid field:Bogus__c in related list:RelatedContactList</message>`+
			`<statusCode>FIELD_INTEGRITY_EXCEPTION</statusCode></errors><fullName>Contact-X</fullName><success>false</success>`))
	})
	c := mustNew(t, fastConfig(Config{InstanceURL: o.URL, AccessToken: "tok"}))
	_, err := c.ReadLayoutXML(t.Context(), "Contact-Contact Layout")
	var ae *APIError
	if !errors.As(err, &ae) || ae.ErrorCode != "REQUEST_LIMIT_EXCEEDED" || ae.Message != "TotalRequests Limit exceeded." {
		t.Errorf("limit: %v", err)
	}
	if n := len(soapRequests(o)); n < 2 {
		t.Errorf("the limit fault was sent %d time(s); it is retried like REST's 403", n)
	}
	l := &LayoutXML{FullName: "Contact-X", decls: []xml.Attr{attr("xmlns", metadataNS)}, content: []byte(layoutRecordXML)}
	err = c.UpdateLayout(t.Context(), "00h000000000001AAA", l)
	if !errors.As(err, &ae) || ae.ErrorCode != "FIELD_INTEGRITY_EXCEPTION" || !strings.Contains(ae.Message, "Bogus__c") || ae.Status != 0 {
		t.Errorf("save error: %#v", ae)
	}
	// Other faults are answers: one request, no retry.
	before := len(soapRequests(o))
	o.handle("POST "+soapPath, func(w http.ResponseWriter, _ *http.Request, s seen) {
		writeRaw(w, 500, faultResponse("INVALID_TYPE", "This type of metadata is not available for this organization"))
	})
	_, err = c.ReadLayoutXML(t.Context(), "Contact-Contact Layout")
	if !HasErrorCode(err, "INVALID_TYPE") || len(soapRequests(o)) != before+1 {
		t.Errorf("INVALID_TYPE: %v after %d request(s)", err, len(soapRequests(o))-before)
	}
}
