package sffake

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
)

// The Metadata API over SOAP, for what the provider uses: readMetadata and
// updateMetadata of Layout. Sources: Metadata API Developer Guide,
// "readMetadata()" (a name with no component gives a nil record, not an
// error: certinia/apex-mdapi#41), "updateMetadata()" (SaveResult per
// component, the whole component replaced), "SOAP Headers for Metadata
// API" (SessionHeader/sessionId) and "Error Handling for Metadata API
// Calls" (faults with HTTP 500, faultcode sf:CODE); salesforce-api.md §4.
// The envelope and Body carry the soapenv prefix, as Salesforce writes
// them and as jsforce looks them up (/:Envelope$/, /:Body$/).

const soapEnvNS = "http://schemas.xmlsoap.org/soap/envelope/"

func soapAttr(name, value string) xml.Attr {
	return xml.Attr{Name: xml.Name{Local: name}, Value: value}
}

// soapWriter encodes a response; raw splices stored layout XML.
type soapWriter struct {
	buf bytes.Buffer
	enc *xml.Encoder
}

func newSOAPWriter() *soapWriter {
	w := &soapWriter{}
	w.enc = xml.NewEncoder(&w.buf)
	w.buf.WriteString(xml.Header)
	return w
}

func (w *soapWriter) start(name string, attrs ...xml.Attr) {
	_ = w.enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: name}, Attr: attrs})
}
func (w *soapWriter) end(name string) {
	_ = w.enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: name}})
}
func (w *soapWriter) text(name, s string) {
	w.start(name)
	_ = w.enc.EncodeToken(xml.CharData(s))
	w.end(name)
}
func (w *soapWriter) raw(s string) {
	_ = w.enc.Flush()
	w.buf.WriteString(s)
}

func (w *soapWriter) send(rw http.ResponseWriter, status int) {
	_ = w.enc.Flush()
	rw.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	rw.WriteHeader(status)
	_, _ = rw.Write(w.buf.Bytes())
}

// envelope opens Envelope and Body with the namespaces every answer uses.
func (w *soapWriter) envelope() {
	w.start("soapenv:Envelope", soapAttr("xmlns:soapenv", soapEnvNS), soapAttr("xmlns", mdNS), soapAttr("xmlns:xsi", xsiNS))
	w.start("soapenv:Body")
}

func (w *soapWriter) closeEnvelope() {
	w.end("soapenv:Body")
	w.end("soapenv:Envelope")
}

// writeSOAPFault answers with a fault: HTTP 500, faultcode "sf:CODE" and
// faultstring "CODE: message", as the Metadata API does.
func writeSOAPFault(rw http.ResponseWriter, status int, code, msg string) {
	w := newSOAPWriter()
	w.start("soapenv:Envelope", soapAttr("xmlns:soapenv", soapEnvNS), soapAttr("xmlns:sf", mdNS))
	w.start("soapenv:Body")
	w.start("soapenv:Fault")
	faultCode := "sf:" + code
	if strings.Contains(code, ":") {
		faultCode = code // soapenv:Client for a malformed request
	}
	w.text("faultcode", faultCode)
	w.text("faultstring", strings.TrimPrefix(code+": ", "soapenv:Client: ")+msg)
	w.end("soapenv:Fault")
	w.closeEnvelope()
	w.send(rw, status)
}

func child(n *xmlNode, name string) *xmlNode {
	for _, c := range elements(n.children) {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (s *Server) handleMetadataSOAP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeSOAPFault(w, http.StatusMethodNotAllowed, "soapenv:Client", "Metadata API calls are POSTed")
		return
	}
	ver := strings.TrimPrefix(r.URL.Path, "/services/Soap/m/")
	top, err := parseXMLNodes(xml.NewDecoder(bytes.NewReader(rawBody(r))))
	var env *xmlNode
	if err == nil && len(elements(top)) == 1 {
		env = elements(top)[0]
	}
	if env == nil || env.name != "Envelope" || env.space != soapEnvNS || child(env, "Body") == nil {
		writeSOAPFault(w, http.StatusInternalServerError, "soapenv:Client", fmt.Sprintf("not a SOAP 1.1 envelope (%v)", err))
		return
	}
	session := ""
	if h := child(env, "Header"); h != nil {
		if sh := child(h, "SessionHeader"); sh != nil {
			if sid := child(sh, "sessionId"); sid != nil {
				session = strings.TrimSpace(leafText(sid.children))
			}
		}
	}
	calls := elements(child(env, "Body").children)
	s.mu.Lock()
	userID, authed := s.accessTokens[session]
	if !authed {
		s.mu.Unlock()
		writeSOAPFault(w, http.StatusInternalServerError, "INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session")
		return
	}
	s.apiUsage++
	if !s.knownVersion(ver) {
		s.mu.Unlock()
		writeSOAPFault(w, http.StatusInternalServerError, "UNSUPPORTED_API_VERSION", fmt.Sprintf("Invalid Api version specified on URL: %s", ver))
		return
	}
	s.settle()
	_ = userID
	if len(calls) != 1 || calls[0].space != mdNS {
		s.mu.Unlock()
		writeSOAPFault(w, http.StatusInternalServerError, "soapenv:Client", "No operation available for this request")
		return
	}
	out := newSOAPWriter()
	out.envelope()
	var fault *APIError
	switch calls[0].name {
	case "readMetadata":
		fault = s.readMetadata(calls[0], out)
	case "updateMetadata":
		s.updateMetadata(calls[0], out) // failures are per component, in the results
	default:
		fault = newErr(http.StatusInternalServerError, "INVALID_OPERATION", "%s is not supported by this fake", calls[0].name)
	}
	s.mu.Unlock()
	if fault != nil {
		writeSOAPFault(w, http.StatusInternalServerError, fault.Code, fault.Message)
		return
	}
	out.closeEnvelope()
	out.send(w, http.StatusOK)
}

// metadataType is the type name without a prefix ("met:Layout" → Layout).
func metadataType(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

func (s *Server) readMetadata(call *xmlNode, out *soapWriter) *APIError {
	typ := ""
	if t := child(call, "type"); t != nil {
		typ = leafText(t.children)
	}
	if typ != "Layout" {
		return newErr(http.StatusInternalServerError, "INVALID_TYPE", "Unknown type name '%s' specified (this fake serves Layout)", typ)
	}
	out.start("readMetadataResponse")
	out.start("result")
	for _, n := range elements(call.children) {
		if n.name != "fullNames" {
			continue
		}
		l := s.layoutByFullName(leafText(n.children))
		if l == nil {
			out.start("records", soapAttr("xsi:nil", "true"))
			out.end("records")
			continue
		}
		x, _ := l.f[layoutXMLKey].(string)
		out.start("records", soapAttr("xsi:type", "Layout"))
		out.raw(x)
		out.end("records")
	}
	out.end("result")
	out.end("readMetadataResponse")
	return nil
}

func (s *Server) updateMetadata(call *xmlNode, out *soapWriter) {
	out.start("updateMetadataResponse")
	for _, m := range elements(call.children) {
		if m.name != "metadata" {
			continue
		}
		name := ""
		if fn := child(m, "fullName"); fn != nil {
			name = strings.TrimSpace(leafText(fn.children))
		}
		out.start("result")
		if e := s.updateLayout(m, name); e != nil {
			out.start("errors")
			out.text("message", e.Message)
			out.text("statusCode", e.Code)
			out.end("errors")
			out.text("fullName", name)
			out.text("success", "false")
		} else {
			out.text("fullName", name)
			out.text("success", "true")
		}
		out.end("result")
	}
	out.end("updateMetadataResponse")
}

// updateLayout replaces a layout with the sent one, after the checks the
// Tooling PATCH makes (every related list a child relationship of the
// object, every column a field of the child).
func (s *Server) updateLayout(m *xmlNode, name string) *APIError {
	typ := ""
	for _, a := range m.attrs {
		if a.Name.Space == xsiNS && a.Name.Local == "type" {
			typ = metadataType(a.Value)
		}
	}
	if typ != "Layout" {
		return newErr(0, "INVALID_TYPE", "This fake updates Layout only, not %q", typ)
	}
	l := s.layoutByFullName(name)
	if l == nil {
		return newErr(0, "INVALID_CROSS_REFERENCE_KEY", "In field: fullName - no Layout named %s found", name)
	}
	content, err := canonicalLayoutXML(m.children)
	if err != nil {
		return newErr(0, "INVALID_XML", "%v", err)
	}
	md, err := layoutJSONFromXML(content)
	if err != nil {
		return newErr(0, "INVALID_XML", "%v", err)
	}
	object, _ := l.f["TableEnumOrId"].(string)
	if _, e := s.validateRelatedLists(object, md["relatedLists"]); e != nil {
		return e
	}
	nl := l.clone()
	if err := setLayoutXML(nl, content); err != nil {
		return newErr(0, "INVALID_XML", "%v", err)
	}
	s.put(nl)
	return nil
}

// renderSOAPFault writes an injected fault as the Metadata API reports it:
// a SOAP fault with HTTP 500 where REST has its own status. Faults with no
// SOAP form (a 503 from the load balancer) fall through to renderFault.
func renderSOAPFault(w http.ResponseWriter, f fakekit.Fault) bool {
	switch f {
	case fakekit.FaultExpiredSession:
		writeSOAPFault(w, http.StatusInternalServerError, "INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session")
	case fakekit.FaultRequestLimit:
		writeSOAPFault(w, http.StatusInternalServerError, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
	case fakekit.FaultBadRequest:
		writeSOAPFault(w, http.StatusInternalServerError, "INVALID_OPERATION", fmt.Sprintf("The request was refused (injected fault %q)", f))
	default:
		return false
	}
	return true
}
