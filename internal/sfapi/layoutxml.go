package sfapi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
)

// LayoutXML is one page layout as readMetadata returned it: the content of
// its <records> element byte for byte, and the namespace declarations in
// scope there. updateMetadata sends that content back inside <metadata>
// with the same declarations, so every element this package does not edit
// (action lists, the highlights panel, elements newer than this code)
// returns to Salesforce exactly as it came. Only <relatedLists> elements are
// ever rewritten.
type LayoutXML struct {
	FullName string
	decls    []xml.Attr // xmlns / xmlns:p in scope at <records>, innermost last
	content  []byte
}

// Content returns the layout's XML content as read (or as edited).
func (d *LayoutXML) Content() []byte { return slices.Clone(d.content) }

// xmlPart is one top-level node of an element's content: a child element
// (local set) or the text, comment or whitespace between children.
type xmlPart struct {
	local      string // "" for a non-element node
	start, end int    // the whole node
	inner      [2]int // an element's content, between its tags
	selfClosed bool
}

// splitChildren cuts content into its top-level nodes. Every byte belongs
// to exactly one part, so joining the parts gives content back.
func splitChildren(content []byte) ([]xmlPart, error) {
	d := xml.NewDecoder(bytes.NewReader(content))
	var parts []xmlPart
	depth := 0
	for {
		off := int(d.InputOffset())
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("layout XML: %w", err)
		}
		now := int(d.InputOffset())
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				parts = append(parts, xmlPart{local: t.Name.Local, start: off, inner: [2]int{now, now}})
			}
			depth++
		case xml.EndElement:
			depth--
			if depth == 0 {
				p := &parts[len(parts)-1]
				p.end = now
				p.inner[1] = off
				p.selfClosed = off == now // the decoder's synthetic end of <x/>
			}
		default:
			if depth == 0 {
				parts = append(parts, xmlPart{start: off, end: now})
			}
		}
	}
	if depth != 0 {
		return nil, errors.New("layout XML: unclosed element")
	}
	return parts, nil
}

// relatedListXML is the RelatedListItem type of the Metadata API, as far as
// this package reads it.
type relatedListXML struct {
	CustomButtons  []string `xml:"customButtons"`
	ExcludeButtons []string `xml:"excludeButtons"`
	Fields         []string `xml:"fields"`
	RelatedList    string   `xml:"relatedList"`
	SortField      string   `xml:"sortField"`
	SortOrder      string   `xml:"sortOrder"`
}

const relatedListsElement = "relatedLists"

func (d *LayoutXML) parts() ([]xmlPart, error) { return splitChildren(d.content) }

func (d *LayoutXML) item(p xmlPart) (RelatedListItem, error) {
	var x relatedListXML
	if err := xml.Unmarshal(d.content[p.start:p.end], &x); err != nil {
		return RelatedListItem{}, fmt.Errorf("layout %s: related list: %w", d.FullName, err)
	}
	return RelatedListItem{RelatedList: x.RelatedList, Fields: x.Fields, SortField: x.SortField, SortOrder: x.SortOrder,
		ExcludeButtons: x.ExcludeButtons, CustomButtons: x.CustomButtons}, nil
}

// listParts returns the <relatedLists> children, in order, with their items.
func (d *LayoutXML) listParts() ([]xmlPart, []RelatedListItem, []xmlPart, error) {
	all, err := d.parts()
	if err != nil {
		return nil, nil, nil, err
	}
	var lists []xmlPart
	var items []RelatedListItem
	for _, p := range all {
		if p.local != relatedListsElement {
			continue
		}
		it, err := d.item(p)
		if err != nil {
			return nil, nil, nil, err
		}
		lists, items = append(lists, p), append(items, it)
	}
	return lists, items, all, nil
}

// RelatedLists returns the layout's related lists in order.
func (d *LayoutXML) RelatedLists() ([]RelatedListItem, error) {
	_, items, _, err := d.listParts()
	return items, err
}

// RelatedList finds a related list by name (case-insensitive, like API
// names) and returns it with its index among the related lists.
func (d *LayoutXML) RelatedList(name string) (RelatedListItem, int, bool, error) {
	_, items, _, err := d.listParts()
	if err != nil {
		return RelatedListItem{}, -1, false, err
	}
	for i, it := range items {
		if strings.EqualFold(it.RelatedList, name) {
			return it, i, true, nil
		}
	}
	return RelatedListItem{}, -1, false, nil
}

// defaultNS is the default namespace in scope at the layout's content: new
// elements are written without a prefix and need it to be the metadata
// namespace (it is, on every answer Salesforce sends).
func (d *LayoutXML) defaultNS() string {
	ns := ""
	for _, a := range d.decls {
		if a.Name.Space == "" && a.Name.Local == "xmlns" {
			ns = a.Value
		}
	}
	return ns
}

func (d *LayoutXML) nsAttrs() []xml.Attr {
	if d.defaultNS() == metadataNS {
		return nil
	}
	return []xml.Attr{attr("xmlns", metadataNS)}
}

// The order of RelatedListItem's elements in the Metadata API's WSDL.
var relatedListOrder = map[string]int{
	"customButtons": 0, "excludeButtons": 1, "fields": 2, "quickActions": 3, "relatedList": 4, "sortField": 5, "sortOrder": 6,
}

// managedRelatedListElements are the elements WithRelatedList writes; a
// related list's other elements (customButtons, quickActions, anything
// newer) are kept as they are.
var managedRelatedListElements = map[string]bool{
	"excludeButtons": true, "fields": true, "relatedList": true, "sortField": true, "sortOrder": true,
}

type rankedXML struct {
	rank int
	b    []byte
}

// managedXML encodes the managed elements of it, each ranked in WSDL order
// (ranks are doubled so that kept nodes can sit between them).
func (d *LayoutXML) managedXML(it RelatedListItem, withCustomButtons bool) ([]rankedXML, error) {
	var out []rankedXML
	add := func(name string, values ...string) error {
		for _, v := range values {
			if v == "" {
				continue
			}
			w := newXMLWriter()
			w.text(name, v, d.nsAttrs()...)
			b, err := w.bytes()
			if err != nil {
				return err
			}
			out = append(out, rankedXML{rank: 2 * relatedListOrder[name], b: slices.Clone(b)})
		}
		return nil
	}
	var err error
	if withCustomButtons {
		err = errors.Join(err, add("customButtons", it.CustomButtons...))
	}
	err = errors.Join(err,
		add("excludeButtons", it.ExcludeButtons...),
		add("fields", it.Fields...),
		add("relatedList", it.RelatedList),
		add("sortField", it.SortField),
		add("sortOrder", it.SortOrder))
	return out, err
}

// encodeRelatedList writes a <relatedLists> element for it. When old is an
// existing element, its tags and every child it does not manage are kept
// byte for byte, in place relative to the managed ones.
func (d *LayoutXML) encodeRelatedList(it RelatedListItem, old *xmlPart) ([]byte, error) {
	pieces, err := d.managedXML(it, old == nil)
	if err != nil {
		return nil, err
	}
	if old != nil && !old.selfClosed {
		children, err := splitChildren(d.content[old.inner[0]:old.inner[1]])
		if err != nil {
			return nil, err
		}
		base, last := old.inner[0], -1
		for _, c := range children {
			if managedRelatedListElements[c.local] {
				last = 2 * relatedListOrder[c.local]
				continue
			}
			rank := last + 1 // unknown nodes stay just after what preceded them
			if r, known := relatedListOrder[c.local]; known {
				rank, last = 2*r, 2*r
			}
			pieces = append(pieces, rankedXML{rank: rank, b: d.content[base+c.start : base+c.end]})
		}
	}
	sort.SliceStable(pieces, func(i, j int) bool { return pieces[i].rank < pieces[j].rank })
	w := newXMLWriter()
	if old != nil && !old.selfClosed {
		w.raw(d.content[old.start:old.inner[0]]) // the start tag as it was
	} else {
		w.start(relatedListsElement, d.nsAttrs()...)
	}
	for _, p := range pieces {
		w.raw(p.b)
	}
	if old != nil && !old.selfClosed {
		w.raw(d.content[old.inner[1]:old.end])
	} else {
		w.end(relatedListsElement)
	}
	b, err := w.bytes()
	return slices.Clone(b), err
}

// afterRelatedLists are the Layout elements the WSDL puts after
// relatedLists; a first related list goes before the first of them.
var afterRelatedLists = map[string]bool{
	"relatedObjects": true, "runAssignmentRulesDefault": true, "showEmailCheckbox": true, "showHighlightsPanel": true,
	"showInteractionLogPanel": true, "showKnowledgeComponent": true, "showRunAssignmentRulesCheckbox": true,
	"showSolutionSection": true, "showSubmitAndAttachButton": true, "summaryLayout": true,
}

// rewriteLists returns a copy whose related lists are lists, in order. The
// related lists go where the old ones were (one slot each, in order; a new
// one after the last slot, or where the WSDL puts the first one); the
// bytes between and around them are untouched.
func (d *LayoutXML) rewriteLists(slots []xmlPart, all []xmlPart, lists [][]byte) *LayoutXML {
	var out []byte
	pos := 0
	emit := func(upto int) { out = append(out, d.content[pos:upto]...); pos = upto }
	if len(slots) == 0 {
		at := len(d.content)
		for _, p := range all {
			if afterRelatedLists[p.local] {
				at = p.start
				break
			}
		}
		emit(at)
		for _, l := range lists {
			out = append(out, l...)
		}
		emit(len(d.content))
		return &LayoutXML{FullName: d.FullName, decls: d.decls, content: out}
	}
	for i, s := range slots {
		emit(s.start)
		pos = s.end // the old element is replaced
		switch {
		case i < len(lists) && i == len(slots)-1:
			for _, l := range lists[i:] {
				out = append(out, l...)
			}
		case i < len(lists):
			out = append(out, lists[i]...)
		}
	}
	emit(len(d.content))
	return &LayoutXML{FullName: d.FullName, decls: d.decls, content: out}
}

// WithRelatedList returns a copy with the item added or replaced. position
// is the index it gets among the related lists; -1 keeps an existing item
// where it is and appends a new one. A replaced item keeps its elements
// other than relatedList, fields, sortField, sortOrder and excludeButtons.
func (d *LayoutXML) WithRelatedList(item RelatedListItem, position int) (*LayoutXML, error) {
	slots, items, all, err := d.listParts()
	if err != nil {
		return nil, err
	}
	lists := make([][]byte, 0, len(slots)+1)
	at, found := len(slots), -1
	for i, s := range slots {
		if found < 0 && strings.EqualFold(items[i].RelatedList, item.RelatedList) {
			found, at = i, i
			continue
		}
		lists = append(lists, d.content[s.start:s.end])
	}
	var old *xmlPart
	if found >= 0 {
		old = &slots[found]
	}
	el, err := d.encodeRelatedList(item, old)
	if err != nil {
		return nil, err
	}
	if position >= 0 {
		at = position
	}
	at = min(at, len(lists))
	lists = slices.Insert(lists, at, el)
	return d.rewriteLists(slots, all, lists), nil
}

// WithoutRelatedList returns a copy without the named related list, and
// whether it was there.
func (d *LayoutXML) WithoutRelatedList(name string) (*LayoutXML, bool, error) {
	slots, items, all, err := d.listParts()
	if err != nil {
		return nil, false, err
	}
	var lists [][]byte
	found := false
	for i, s := range slots {
		if strings.EqualFold(items[i].RelatedList, name) {
			found = true
			continue
		}
		lists = append(lists, d.content[s.start:s.end])
	}
	if !found {
		return d, false, nil
	}
	return d.rewriteLists(slots, all, lists), true, nil
}
