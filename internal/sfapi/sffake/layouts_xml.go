package sffake

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// A layout is stored as Metadata API XML: the content of the Layout
// element (<fullName>…</fullName><customButtons>…), in the metadata
// namespace as the default, without comments or whitespace between
// elements. That is what readMetadata returns and updateMetadata replaces
// whole. The Tooling API's Layout.Metadata is derived from it on every
// write, so a Tooling GET always shows what the last write stored, and a
// Tooling PATCH is turned into XML the same way (losing what JSON cannot
// carry, as on a real org).
//
// The record keeps the XML under layoutXMLKey, which is no field of the
// schema: REST and Tooling never render it.
const layoutXMLKey = "\x00LayoutXML"

const (
	mdNS  = "http://soap.sforce.com/2006/04/metadata"
	xsiNS = "http://www.w3.org/2001/XMLSchema-instance"
)

// xmlNode is a parsed element. Attributes in the xsi namespace keep it as
// their Space; others are plain.
type xmlNode struct {
	space    string // namespace URL, as the decoder resolved it
	name     string
	attrs    []xml.Attr
	children []*xmlNode
	text     string
	isNil    bool
}

// parseXMLNodes reads the children of an element's content (or a
// document's top level) from d until the end of the enclosing element.
func parseXMLNodes(d *xml.Decoder) ([]*xmlNode, error) {
	var out []*xmlNode
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xmlNode{space: t.Name.Space, name: t.Name.Local}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue // namespaces are re-declared where the XML is written
				}
				if a.Name.Space == xsiNS && a.Name.Local == "nil" && (a.Value == "true" || a.Value == "1") {
					n.isNil = true
				}
				n.attrs = append(n.attrs, a)
			}
			kids, err := parseXMLNodes(d)
			if err != nil {
				return nil, err
			}
			n.children = kids
			out = append(out, n)
		case xml.CharData:
			out = append(out, &xmlNode{text: string(t)}) // text node
		case xml.EndElement:
			return out, nil
		}
	}
}

// elements drops text nodes; leafText joins them.
func elements(ns []*xmlNode) []*xmlNode {
	var out []*xmlNode
	for _, n := range ns {
		if n.name != "" {
			out = append(out, n)
		}
	}
	return out
}

func leafText(ns []*xmlNode) string {
	var b strings.Builder
	for _, n := range ns {
		if n.name == "" {
			b.WriteString(n.text)
		}
	}
	return b.String()
}

// writeXMLNodes encodes nodes in the default namespace.
func writeXMLNodes(enc *xml.Encoder, ns []*xmlNode) error {
	for _, n := range ns {
		if n.name == "" {
			if len(elements(ns)) > 0 {
				continue // whitespace between elements is not kept
			}
			if err := enc.EncodeToken(xml.CharData(n.text)); err != nil {
				return err
			}
			continue
		}
		start := xml.StartElement{Name: xml.Name{Local: n.name}}
		for _, a := range n.attrs {
			name := a.Name.Local
			if a.Name.Space == xsiNS {
				name = "xsi:" + name
			}
			start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: name}, Value: a.Value})
		}
		if err := enc.EncodeToken(start); err != nil {
			return err
		}
		if err := writeXMLNodes(enc, n.children); err != nil {
			return err
		}
		if err := enc.EncodeToken(start.End()); err != nil {
			return err
		}
	}
	return nil
}

// canonicalLayoutXML re-encodes parsed Layout content the way the fake
// stores it.
func canonicalLayoutXML(ns []*xmlNode) (string, error) {
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	if err := writeXMLNodes(enc, elements(ns)); err != nil {
		return "", err
	}
	if err := enc.Flush(); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// parseLayoutContent parses stored content (default namespace implied).
func parseLayoutContent(content string) ([]*xmlNode, error) {
	doc := `<Layout xmlns="` + mdNS + `" xmlns:xsi="` + xsiNS + `">` + content + `</Layout>`
	d := xml.NewDecoder(strings.NewReader(doc))
	top, err := parseXMLNodes(d)
	if err != nil {
		return nil, err
	}
	if len(top) != 1 {
		return nil, errors.New("layout XML: expected one root")
	}
	return elements(top[0].children), nil
}

// Elements that are lists in the Layout WSDL (maxOccurs="unbounded"); the
// Tooling API renders them as JSON arrays even with one entry.
var layoutArrayElements = map[string]bool{
	"customButtons": true, "excludeButtons": true, "headers": true, "layoutSections": true, "layoutColumns": true,
	"layoutItems": true, "multilineLayoutFields": true, "relatedLists": true, "fields": true, "quickActions": true,
	"relatedObjects": true, "platformActionListItems": true, "quickActionListItems": true, "summaryLayoutItems": true,
	"customConsoleComponents": true, "feedFilters": true, "leftComponents": true, "rightComponents": true,
}

// Numeric elements (xsd:int / double in the WSDL).
var layoutNumberElements = map[string]bool{
	"sortOrder": true, "sizeX": true, "sizeY": true, "sizeZ": true, "posX": true, "posY": true, "posZ": true,
	"height": true, "width": true,
}

// The top-level Layout keys a Tooling GET always shows, null when unset.
var layoutJSONKeys = []string{
	"customButtons", "customConsoleComponents", "emailDefault", "excludeButtons", "feedLayout", "headers",
	"layoutSections", "miniLayout", "multilineLayoutFields", "platformActionList", "quickActionList", "relatedContent",
	"relatedLists", "relatedObjects", "runAssignmentRulesDefault", "showEmailCheckbox", "showHighlightsPanel",
	"showInteractionLogPanel", "showKnowledgeComponent", "showRunAssignmentRulesCheckbox", "showSolutionSection",
	"showSubmitAndAttachButton", "summaryLayout", "urls",
}

func leafJSON(n *xmlNode) any {
	if n.isNil {
		return nil
	}
	s := leafText(n.children)
	switch {
	case s == "true":
		return true
	case s == "false":
		return false
	case layoutNumberElements[n.name]:
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return json.Number(s)
		}
	}
	return s
}

func nodeJSON(n *xmlNode) any {
	kids := elements(n.children)
	if len(kids) == 0 {
		return leafJSON(n)
	}
	obj := map[string]any{}
	count := map[string]int{}
	for _, k := range kids {
		count[k.name]++
	}
	for _, k := range kids {
		v := nodeJSON(k)
		if layoutArrayElements[k.name] || count[k.name] > 1 {
			arr, _ := obj[k.name].([]any)
			obj[k.name] = append(arr, v)
			continue
		}
		obj[k.name] = v
	}
	return obj
}

// layoutJSONFromXML is the Tooling API's view of stored layout XML.
func layoutJSONFromXML(content string) (map[string]any, error) {
	ns, err := parseLayoutContent(content)
	if err != nil {
		return nil, err
	}
	md := map[string]any{}
	for _, k := range layoutJSONKeys {
		md[k] = nil
	}
	for _, k := range []string{"customButtons", "excludeButtons", "headers", "multilineLayoutFields", "relatedLists", "relatedObjects"} {
		md[k] = []any{}
	}
	obj, _ := nodeJSON(&xmlNode{name: "Layout", children: ns}).(map[string]any)
	for k, v := range obj {
		if k != "fullName" {
			md[k] = v
		}
	}
	// Related lists show every key, as layoutBeforeUpdate normalizes them.
	lists, _ := md["relatedLists"].([]any)
	for _, item := range lists {
		rl, ok := item.(map[string]any)
		if !ok {
			continue
		}
		for _, k := range []string{"customButtons", "excludeButtons", "fields", "quickActions"} {
			if rl[k] == nil {
				rl[k] = []any{}
			}
		}
		for _, k := range []string{"sortField", "sortOrder"} {
			if _, ok := rl[k]; !ok {
				rl[k] = nil
			}
		}
	}
	return md, nil
}

// jsonToXMLNodes turns a Tooling Metadata value into elements: keys in
// alphabetical order (the Layout WSDL's order is alphabetical), arrays as
// repeated elements, nulls left out.
func jsonToXMLNodes(name string, v any) []*xmlNode {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		var out []*xmlNode
		for _, x := range t {
			out = append(out, jsonToXMLNodes(name, x)...)
		}
		return out
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		n := &xmlNode{name: name}
		for _, k := range keys {
			n.children = append(n.children, jsonToXMLNodes(k, t[k])...)
		}
		return []*xmlNode{n}
	default:
		return []*xmlNode{{name: name, children: []*xmlNode{{text: fmt.Sprint(t)}}}}
	}
}

// layoutXMLFromJSON is what a Tooling PATCH stores: fullName first, then
// the metadata.
func layoutXMLFromJSON(fullName string, md map[string]any) (string, error) {
	root := jsonToXMLNodes("Layout", md)
	ns := []*xmlNode{{name: "fullName", children: []*xmlNode{{text: fullName}}}}
	if len(root) == 1 {
		ns = append(ns, root[0].children...)
	}
	return canonicalLayoutXML(ns)
}

// setLayoutXML stores content on a layout record and derives Metadata.
func setLayoutXML(rec *record, content string) error {
	md, err := layoutJSONFromXML(content)
	if err != nil {
		return err
	}
	rec.f[layoutXMLKey] = content
	rec.f["Metadata"] = md
	return nil
}

// LayoutXML returns the stored Metadata API XML of the layout with this
// full name (the content of its Layout element), for tests that compare a
// whole layout before and after.
func (s *Server) LayoutXML(fullName string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.layoutByFullName(fullName); l != nil {
		x, _ := l.f[layoutXMLKey].(string)
		return x, true
	}
	return "", false
}

// SetLayoutXML replaces a layout with the given content, as a change made
// in Setup would (content is the Layout element's content, fullName first).
func (s *Server) SetLayoutXML(fullName, content string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.layoutByFullName(fullName)
	if l == nil {
		return fmt.Errorf("no layout %q", fullName)
	}
	ns, err := parseLayoutContent(content)
	if err != nil {
		return err
	}
	canon, err := canonicalLayoutXML(ns)
	if err != nil {
		return err
	}
	nl := l.clone()
	if err := setLayoutXML(nl, canon); err != nil {
		return err
	}
	s.put(nl)
	return nil
}

// layoutByFullName finds a live layout by its exact full name, as the
// Metadata API names it. Callers hold s.mu.
func (s *Server) layoutByFullName(fullName string) *record {
	for _, l := range s.live(schema.object(objLayout)) {
		if fn, _ := l.f["FullName"].(string); fn == fullName {
			return l
		}
	}
	return nil
}

// SetLayoutRelatedLists replaces a layout's related lists, as an admin
// would in Setup, and leaves every other element as it is. lists are items
// in the Tooling API's JSON form (as the layout's Metadata shows them).
func (s *Server) SetLayoutRelatedLists(fullName string, lists []any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.layoutByFullName(fullName)
	if l == nil {
		return fmt.Errorf("no layout %q", fullName)
	}
	x, _ := l.f[layoutXMLKey].(string)
	nodes, err := parseLayoutContent(x)
	if err != nil {
		return err
	}
	var fresh []*xmlNode
	for _, item := range lists {
		fresh = append(fresh, jsonToXMLNodes("relatedLists", item)...)
	}
	out := make([]*xmlNode, 0, len(nodes)+len(fresh))
	placed := false
	for _, n := range nodes {
		if n.name == "relatedLists" || (!placed && afterRelatedListsXML[n.name]) {
			if !placed {
				out, placed = append(out, fresh...), true
			}
			if n.name == "relatedLists" {
				continue
			}
		}
		out = append(out, n)
	}
	if !placed {
		out = append(out, fresh...)
	}
	canon, err := canonicalLayoutXML(out)
	if err != nil {
		return err
	}
	nl := l.clone()
	if err := setLayoutXML(nl, canon); err != nil {
		return err
	}
	s.put(nl)
	return nil
}

// afterRelatedListsXML are the Layout elements after relatedLists in the
// WSDL's order.
var afterRelatedListsXML = map[string]bool{
	"relatedObjects": true, "runAssignmentRulesDefault": true, "showEmailCheckbox": true, "showHighlightsPanel": true,
	"showInteractionLogPanel": true, "showKnowledgeComponent": true, "showRunAssignmentRulesCheckbox": true,
	"showSolutionSection": true, "showSubmitAndAttachButton": true, "summaryLayout": true, "urls": true,
}
