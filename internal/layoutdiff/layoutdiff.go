// Package layoutdiff compares two copies of a page layout's Metadata API XML
// element by element. The demo's layout check (scripts/layoutcheck) and the
// layout acceptance tests use it to prove a write changed nothing but the
// related lists it owns. It knows neither client nor fake: it reads XML text.
package layoutdiff

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// Element is one top-level element of a layout: its name, for a
// <relatedLists> element the related list it holds, and its exact XML text.
type Element struct{ Name, RelatedList, XML string }

// Elements splits a layout into its top-level elements, keeping each one's
// bytes as they are, so a comparison sees any change to whitespace,
// attributes or elements no client models.
func Elements(content []byte) ([]Element, error) {
	d := xml.NewDecoder(bytes.NewReader(content))
	var out []Element
	depth, start := 0, 0
	for {
		off := int(d.InputOffset())
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if depth != 0 {
				return nil, errors.New("layout XML ends inside an element")
			}
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				start = off
				out = append(out, Element{Name: t.Name.Local})
			}
			depth++
		case xml.EndElement:
			depth--
			if depth == 0 {
				e := &out[len(out)-1]
				e.XML = string(content[start:d.InputOffset()])
				if e.Name == "relatedLists" {
					var rl struct {
						Name string `xml:"relatedList"`
					}
					if err := xml.Unmarshal([]byte(e.XML), &rl); err != nil {
						return nil, err
					}
					e.RelatedList = rl.Name
				}
			}
		}
	}
}

// Compare fails on the first element that differs between before and after,
// leaving out the elements skip names (nil: compare everything). Order
// counts: moving a related list is a change.
func Compare(layout string, before, after []byte, skip func(Element) bool) error {
	keep := func(content []byte) ([]Element, error) {
		all, err := Elements(content)
		if err != nil || skip == nil {
			return all, err
		}
		var out []Element
		for _, e := range all {
			if !skip(e) {
				out = append(out, e)
			}
		}
		return out, nil
	}
	b, err := keep(before)
	if err != nil {
		return fmt.Errorf("layout %q before: %w", layout, err)
	}
	a, err := keep(after)
	if err != nil {
		return fmt.Errorf("layout %q after: %w", layout, err)
	}
	for i := 0; i < max(len(a), len(b)); i++ {
		switch {
		case i >= len(a):
			return fmt.Errorf("layout %q lost element %d <%s>: %s", layout, i, b[i].Name, b[i].XML)
		case i >= len(b):
			return fmt.Errorf("layout %q gained element %d <%s>: %s", layout, i, a[i].Name, a[i].XML)
		case a[i] != b[i]:
			return fmt.Errorf("layout %q element %d <%s> changed:\n  before %s\n  after  %s", layout, i, b[i].Name, b[i].XML, a[i].XML)
		}
	}
	return nil
}

// Count is how many top-level elements Compare looked at.
func Count(content []byte, skip func(Element) bool) (int, error) {
	all, err := Elements(content)
	n := 0
	for _, e := range all {
		if skip == nil || !skip(e) {
			n++
		}
	}
	return n, err
}
