package sffake

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
)

const soapURL = "/services/Soap/m/65.0"

// soapEnvelope writes a request the way jsforce does: prefixed envelope,
// the call in the metadata namespace declared on Body.
func soapEnvelope(session, call string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ` +
		`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata">` +
		`<SessionHeader><sessionId>` + session + `</sessionId></SessionHeader></soapenv:Header>` +
		`<soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata">` + call + `</soapenv:Body></soapenv:Envelope>`
}

func (c *client) soap(call string) response {
	c.t.Helper()
	tok := c.token
	c.token = "" // the session travels in the envelope, not in Authorization
	defer func() { c.token = tok }()
	return c.do(http.MethodPost, soapURL, soapEnvelope(tok, call))
}

type readResult struct {
	Body struct {
		Records []struct {
			Type  string `xml:"http://www.w3.org/2001/XMLSchema-instance type,attr"`
			Nil   string `xml:"http://www.w3.org/2001/XMLSchema-instance nil,attr"`
			Inner string `xml:",innerxml"`
		} `xml:"http://soap.sforce.com/2006/04/metadata readMetadataResponse>result>records"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

type metadataSaveResults struct {
	Body struct {
		Results []struct {
			FullName string `xml:"fullName"`
			Success  bool   `xml:"success"`
			Errors   []struct {
				Message    string `xml:"message"`
				StatusCode string `xml:"statusCode"`
			} `xml:"errors"`
		} `xml:"http://soap.sforce.com/2006/04/metadata updateMetadataResponse>result"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

type faultResult struct {
	Body struct {
		Fault struct {
			Code   string `xml:"faultcode"`
			String string `xml:"faultstring"`
		} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Fault"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

func decodeXML(t *testing.T, r response, v any) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		t.Fatalf("Content-Type %q", ct)
	}
	if err := xml.Unmarshal(r.body, v); err != nil {
		t.Fatalf("%v\n%s", err, r.body)
	}
}

func readLayout(t *testing.T, c *client, names ...string) readResult {
	t.Helper()
	call := `<readMetadata><type>Layout</type>`
	for _, n := range names {
		call += `<fullNames>` + n + `</fullNames>`
	}
	r := c.soap(call + `</readMetadata>`)
	mustStatus(t, r, http.StatusOK)
	var res readResult
	decodeXML(t, r, &res)
	return res
}

// readMetadata returns the stored layout whole, a missing name as a nil
// record; updateMetadata of what was read changes nothing, and its
// related lists show in the Tooling GET.
func TestMetadataReadUpdateRoundTrip(t *testing.T) {
	s, c := newOrg(t, Options{})
	stored, _ := s.LayoutXML("Contact-Contact %28Marketing%29 Layout")
	res := readLayout(t, c, "Contact-Contact %28Marketing%29 Layout", "Contact-No Such Layout")
	recs := res.Body.Records
	if len(recs) != 2 || recs[0].Type != "Layout" || recs[0].Inner != stored || recs[1].Nil != "true" {
		t.Fatalf("records: %+v", recs)
	}
	for _, want := range []string{"<platformActionList><actionListContext>Record", "<summaryLayoutItems><field>Email</field>",
		"<quickActionList>", "<miniLayout>", "<pinnedActivitySettings>"} {
		if !strings.Contains(stored, want) {
			t.Errorf("seeded layout lacks %s", want)
		}
	}

	update := func(content string) metadataSaveResults {
		t.Helper()
		r := c.soap(`<updateMetadata><metadata xsi:type="Layout">` + content + `</metadata></updateMetadata>`)
		mustStatus(t, r, http.StatusOK)
		var out metadataSaveResults
		decodeXML(t, r, &out)
		return out
	}
	if out := update(recs[0].Inner); len(out.Body.Results) != 1 || !out.Body.Results[0].Success {
		t.Fatalf("no-op update: %+v", out)
	}
	if again, _ := s.LayoutXML("Contact-Contact %28Marketing%29 Layout"); again != stored {
		t.Fatalf("a no-op update changed the layout:\n%s\n%s", stored, again)
	}

	// The whole layout is replaced: a related list added and the action
	// list left out both show, in the Tooling API too.
	edited := strings.Replace(recs[0].Inner, `<relatedLists><relatedList>RelatedNoteList</relatedList></relatedLists>`,
		`<relatedLists><relatedList>RelatedNoteList</relatedList></relatedLists><relatedLists><fields>NAME</fields>`+
			`<relatedList>`+enrollmentList+`</relatedList></relatedLists>`, 1)
	start, end := strings.Index(edited, "<platformActionList>"), strings.Index(edited, "</platformActionList>")
	edited = edited[:start] + edited[end+len("</platformActionList>"):]
	if out := update(edited); !out.Body.Results[0].Success {
		t.Fatalf("update: %+v", out)
	}
	d := contactLayout(t, c, "Contact (Marketing) Layout")
	found := false
	for _, item := range relatedLists(d) {
		found = found || item.(map[string]any)["relatedList"] == enrollmentList
	}
	if !found || d.Metadata["platformActionList"] != nil {
		t.Errorf("Tooling view after the update: related list found %v, platformActionList %v", found, d.Metadata["platformActionList"])
	}

	// A related list the object does not have is refused per component.
	bad := strings.Replace(edited, enrollmentList, "Nope__c.Contact__c", 1)
	out := update(bad)
	if r := out.Body.Results[0]; r.Success || len(r.Errors) != 1 || r.Errors[0].StatusCode != "FIELD_INTEGRITY_EXCEPTION" ||
		r.FullName != "Contact-Contact %28Marketing%29 Layout" {
		t.Errorf("bad related list: %+v", out)
	}
	if out := update(`<fullName>Contact-Nope</fullName>`); out.Body.Results[0].Success {
		t.Error("an update of a layout that does not exist succeeded")
	}
}

// Faults: a bad session, an unknown type, and injected limits are SOAP
// faults with HTTP 500; the session never reaches the request log.
func TestMetadataFaults(t *testing.T) {
	s, c := newOrg(t, Options{})
	fault := func(r response, code string) {
		t.Helper()
		mustStatus(t, r, http.StatusInternalServerError)
		var f faultResult
		decodeXML(t, r, &f)
		if f.Body.Fault.Code != "sf:"+code || !strings.HasPrefix(f.Body.Fault.String, code+": ") {
			t.Errorf("fault %+v, want %s", f.Body.Fault, code)
		}
	}
	good := c.token
	c.token = "not-a-session"
	fault(c.soap(`<readMetadata><type>Layout</type><fullNames>Contact-Contact Layout</fullNames></readMetadata>`), "INVALID_SESSION_ID")
	c.token = good
	fault(c.soap(`<readMetadata><type>CustomObject</type><fullNames>Contact</fullNames></readMetadata>`), "INVALID_TYPE")

	s.Kit().AddRule(fakekit.Rule{PathPrefix: "/services/Soap/m/", Sequence: []fakekit.Fault{fakekit.FaultRequestLimit}})
	fault(c.soap(`<readMetadata><type>Layout</type><fullNames>Contact-Contact Layout</fullNames></readMetadata>`), "REQUEST_LIMIT_EXCEEDED")
	for _, rec := range s.Kit().Requests() {
		if strings.Contains(rec.Body, good) {
			t.Fatalf("session id in the request log: %s", rec.Body)
		}
	}
}
