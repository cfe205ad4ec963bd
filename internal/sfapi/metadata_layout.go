package sfapi

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Layouts are written through the Metadata API (readMetadata, then
// updateMetadata of the same XML with only <relatedLists> changed): the
// route Salesforce's own tools use to round-trip a layout. The Tooling
// API's PATCH of Layout.Metadata cannot send back what its GET returns
// (platformActionList and summaryLayout fail to deserialize), and a PATCH
// replaces the whole layout, so writing there resets a customised action
// list and highlights panel. (salesforce-api.md §4, "Do not write layouts
// this way".)

// ReadLayoutXML reads one layout by its Metadata API full name, such as
// "Contact-Contact Layout" or "Contact-Contact %28Marketing%29 Layout". A
// name the org does not have comes back as <records xsi:nil="true"/>, not as
// a fault; it is reported here as IsNotFound. Never cached: it is the read
// of a read-modify-write.
func (c *Client) ReadLayoutXML(ctx context.Context, fullName string) (*LayoutXML, error) {
	if _, _, err := ParseLayoutFullName(fullName); err != nil {
		return nil, err
	}
	body, err := c.soapCall(ctx, "readMetadata", func(w *xmlWriter) {
		w.start("readMetadata", attr("xmlns", metadataNS))
		w.text("type", "Layout")
		w.text("fullNames", fullName)
		w.end("readMetadata")
	})
	if err != nil {
		return nil, fmt.Errorf("read layout %s: %w", fullName, err)
	}
	recs, err := parseReadMetadata(body)
	if err != nil {
		return nil, fmt.Errorf("read layout %s: %w", fullName, err)
	}
	if len(recs) == 0 || recs[0] == nil {
		return nil, notFound("no layout %q", fullName)
	}
	if recs[0].FullName == "" {
		recs[0].FullName = fullName
	}
	return recs[0], nil
}

// nsFrame is one open element while walking a response: its local name
// and the namespace declarations it makes.
type nsFrame struct {
	local string
	decls []xml.Attr
}

// scopeDecls returns the declarations in scope at the top of the stack,
// one per prefix, the innermost winning.
func scopeDecls(stack []nsFrame) []xml.Attr {
	seen := map[string]int{}
	var out []xml.Attr
	for _, f := range stack {
		for _, a := range f.decls {
			if i, ok := seen[a.Name.Local]; ok {
				out[i] = a
				continue
			}
			seen[a.Name.Local] = len(out)
			out = append(out, a)
		}
	}
	return out
}

// isRecordsPath reports whether the stack ends in
// Envelope/Body/readMetadataResponse/result/records.
func isRecordsPath(stack []nsFrame) bool {
	want := []string{"Envelope", "Body", "readMetadataResponse", "result", "records"}
	if len(stack) != len(want) {
		return false
	}
	for i, w := range want {
		if stack[i].local != w {
			return false
		}
	}
	return true
}

// parseReadMetadata finds Body/readMetadataResponse/result/records and keeps
// each one's content as bytes; a nil record (xsi:nil="true") is nil.
func parseReadMetadata(body []byte) ([]*LayoutXML, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	var stack []nsFrame
	var out []*LayoutXML
	var cur *LayoutXML
	curStart, recDepth := 0, -1
	for {
		before := int(d.InputOffset())
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("decode readMetadata response: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			var decls []xml.Attr
			nilRec := false
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					decls = append(decls, attr("xmlns:"+a.Name.Local, a.Value))
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					decls = append(decls, attr("xmlns", a.Value))
				case a.Name.Space == xsiNS && a.Name.Local == "nil":
					nilRec = a.Value == "true" || a.Value == "1"
				}
			}
			stack = append(stack, nsFrame{local: t.Name.Local, decls: decls})
			if recDepth >= 0 {
				if cur != nil && len(stack) == recDepth+2 && t.Name.Local == "fullName" && cur.FullName == "" {
					var s string
					if err := d.DecodeElement(&s, &t); err != nil {
						return nil, fmt.Errorf("decode layout fullName: %w", err)
					}
					cur.FullName = strings.TrimSpace(s)
					stack = stack[:len(stack)-1]
				}
				continue
			}
			if isRecordsPath(stack) {
				recDepth = len(stack) - 1
				if nilRec {
					out = append(out, nil)
					continue
				}
				cur = &LayoutXML{decls: scopeDecls(stack)}
				curStart = int(d.InputOffset())
			}
		case xml.EndElement:
			if recDepth == len(stack)-1 {
				if cur != nil {
					cur.content = bytes.Clone(body[curStart:before])
					out = append(out, cur)
				}
				cur, recDepth = nil, -1
			}
			stack = stack[:len(stack)-1]
		}
	}
	return out, nil
}

// saveResult is one updateMetadata result.
type saveResult struct {
	FullName string `xml:"fullName"`
	Success  bool   `xml:"success"`
	Errors   []struct {
		Message    string   `xml:"message"`
		StatusCode string   `xml:"statusCode"`
		Fields     []string `xml:"fields"`
	} `xml:"errors"`
}

// UpdateLayout writes the layout back with updateMetadata, which replaces
// the whole layout with what is sent. id is the layout's 00h id, whose
// cached Tooling read is dropped. Callers doing read-modify-write must hold
// LockLayout(id) across ReadLayoutXML and this call.
func (c *Client) UpdateLayout(ctx context.Context, id string, l *LayoutXML) error {
	if err := checkID("layout id", id, ""); err != nil {
		return err
	}
	// Dropped whatever happens: a failed or lost answer may hide a write.
	defer c.invalidateAfterWrite("Layout", id, l)
	body, err := c.soapCall(ctx, "updateMetadata", func(w *xmlWriter) {
		w.start("updateMetadata", attr("xmlns", metadataNS))
		// The content goes back inside the declarations it was read in.
		w.start("metadata", append([]xml.Attr{attr("xsi:type", "Layout")}, l.decls...)...)
		w.raw(l.content)
		w.end("metadata")
		w.end("updateMetadata")
	})
	if err != nil {
		return fmt.Errorf("update layout %s: %w", l.FullName, err)
	}
	var env struct {
		Body struct {
			Response struct {
				Results []saveResult `xml:"result"`
			} `xml:"updateMetadataResponse"`
		} `xml:"Body"`
	}
	if err := xml.Unmarshal(body, &env); err != nil {
		return fmt.Errorf("update layout %s: decode response: %w", l.FullName, err)
	}
	res := env.Body.Response.Results
	if len(res) != 1 {
		return fmt.Errorf("update layout %s: expected one result, got %d", l.FullName, len(res))
	}
	if res[0].Success {
		return nil
	}
	// Like a collection's per-record error: no HTTP status of its own.
	ae := &APIError{ErrorCode: "UNKNOWN_EXCEPTION", Message: "updateMetadata reported failure without errors"}
	if len(res[0].Errors) > 0 {
		msgs := make([]string, 0, len(res[0].Errors))
		for _, e := range res[0].Errors {
			msgs = append(msgs, e.Message)
		}
		ae = &APIError{ErrorCode: res[0].Errors[0].StatusCode, Message: strings.Join(msgs, "; "), Fields: res[0].Errors[0].Fields}
	}
	return fmt.Errorf("update layout %s: %w", l.FullName, ae)
}
