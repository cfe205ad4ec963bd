package sfapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// LayoutSummary is one page layout of an object, as listed.
type LayoutSummary struct {
	ID        string
	Name      string // without namespace prefix, e.g. "Contact Layout"
	Object    string // as asked for, e.g. "Contact"
	Namespace string // of a packaged layout; "" otherwise
	FullName  string // the Metadata API name, e.g. "Contact-Contact Layout"
}

// Layout is one page layout with its full metadata.
type Layout struct {
	ID       string
	Name     string
	Object   string
	FullName string
	Metadata LayoutMetadata
}

func validObjectName(object string) error {
	ok := object != "" && (object[0] >= 'A' && object[0] <= 'Z' || object[0] >= 'a' && object[0] <= 'z')
	for i := 0; ok && i < len(object); i++ {
		ch := object[i]
		ok = ch == '_' || ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z'
	}
	if !ok {
		return fmt.Errorf("invalid object name %q: expected an API name such as Contact or ns__Enrollment__c", object)
	}
	return nil
}

// ParseLayoutFullName splits "Contact-Contact %28Marketing%29 Layout" into
// "Contact" and "Contact (Marketing) Layout". The object is everything before
// the first '-' (API names contain none); %xx escapes in the name are
// decoded the way the Metadata API writes them (spaces stay as they are).
func ParseLayoutFullName(fullName string) (object, name string, err error) {
	object, rest, ok := strings.Cut(fullName, "-")
	if !ok || rest == "" {
		return "", "", fmt.Errorf("invalid layout name %q: expected <Object>-<Layout Name>, such as \"Contact-Contact Layout\"", fullName)
	}
	if err := validObjectName(object); err != nil {
		return "", "", fmt.Errorf("invalid layout name %q: %w", fullName, err)
	}
	return object, unescapeLayoutName(rest), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// unescapeLayoutName decodes %xx and leaves a stray '%' alone, unlike
// url.PathUnescape, which would fail on a name such as "100% Layout".
func unescapeLayoutName(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				b.WriteByte(hi<<4 | lo)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// escapeLayoutName is the inverse: letters, digits, space, '_', '-' and
// '.' stay; other ASCII bytes become %XX.
func escapeLayoutName(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 0x80 || ch == ' ' || ch == '_' || ch == '-' || ch == '.' ||
			ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' {
			b.WriteByte(ch)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", ch)
	}
	return b.String()
}

// LayoutFullName builds the Metadata API full name of a layout; a packaged
// layout carries its namespace in the name part.
func LayoutFullName(object, namespace, name string) string {
	if namespace != "" {
		name = namespace + "__" + name
	}
	return object + "-" + escapeLayoutName(name)
}

// layoutTable returns the value of Layout.TableEnumOrId for the object: the
// name for standard objects, the CustomObject id (01I…) for custom ones.
func (c *Client) layoutTable(ctx context.Context, object string) (string, error) {
	if !strings.HasSuffix(strings.ToLower(object), "__c") {
		return object, nil
	}
	recs, err := ToolingQueryAll[struct {
		DurableID string `json:"DurableId"`
	}](ctx, c, "SELECT DurableId FROM EntityDefinition WHERE QualifiedApiName="+QuoteSOQL(object))
	if err != nil {
		return "", fmt.Errorf("look up object %s: %w", object, err)
	}
	if len(recs) == 0 || recs[0].DurableID == "" {
		return "", notFound("object %s does not exist or this user cannot see it", object)
	}
	return recs[0].DurableID, nil
}

// ListLayouts returns the object's page layouts, unpackaged ones first,
// then by namespace and name.
func (c *Client) ListLayouts(ctx context.Context, object string) ([]LayoutSummary, error) {
	if err := validObjectName(object); err != nil {
		return nil, err
	}
	list, err := layoutListCache.get(ctx, c.cache, object, func(ctx context.Context) ([]LayoutSummary, error) {
		return c.listLayouts(ctx, object)
	})
	if err != nil {
		return nil, err
	}
	return slices.Clone(list), nil
}

// layoutListCache answers ListLayouts by object name in lower case. A
// layout created or deleted changes the lists; an update does not.
var layoutListCache = newCacheFamily("layouts", strings.ToLower, func(w write) drop[[]LayoutSummary] {
	if w.is("layout") && (w.created() || w.deleted()) {
		return dropAll[[]LayoutSummary]()
	}
	return dropNone[[]LayoutSummary]()
})

func (c *Client) listLayouts(ctx context.Context, object string) ([]LayoutSummary, error) {
	table, err := c.layoutTable(ctx, object)
	if err != nil {
		return nil, err
	}
	recs, err := ToolingQueryAll[struct {
		ID              string  `json:"Id"`
		Name            string  `json:"Name"`
		NamespacePrefix *string `json:"NamespacePrefix"`
	}](ctx, c, "SELECT Id, Name, NamespacePrefix, TableEnumOrId FROM Layout WHERE TableEnumOrId="+QuoteSOQL(table))
	if err != nil {
		return nil, fmt.Errorf("list layouts of %s: %w", object, err)
	}
	out := make([]LayoutSummary, len(recs))
	for i, r := range recs {
		ns := deref(r.NamespacePrefix)
		out[i] = LayoutSummary{ID: r.ID, Name: r.Name, Object: object, Namespace: ns, FullName: LayoutFullName(object, ns, r.Name)}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// MatchLayout finds the listed layout a configured name means: compared
// exactly first, then ignoring case when that singles one out. A packaged
// layout answers to its name with or without its namespace (ns__Name). It returns
// nil when none matches, or when several match only without case: the user
// must then write the exact name.
func MatchLayout(layouts []LayoutSummary, name string) *LayoutSummary {
	for i := range layouts {
		for _, n := range layoutNames(layouts[i]) {
			if n == name {
				return &layouts[i]
			}
		}
	}
	var hit *LayoutSummary
	for i := range layouts {
		for _, n := range layoutNames(layouts[i]) {
			if strings.EqualFold(n, name) {
				if hit != nil && hit != &layouts[i] {
					return nil // ambiguous without case: ask for the exact name
				}
				hit = &layouts[i]
			}
		}
	}
	return hit
}

// layoutNames are the names a layout answers to, decoded.
func layoutNames(l LayoutSummary) []string {
	out := []string{l.Name}
	if l.Namespace != "" {
		out = append(out, l.Namespace+"__"+l.Name)
	}
	if _, n, err := ParseLayoutFullName(l.FullName); err == nil {
		out = append(out, n)
	}
	return out
}

// layoutCache holds GetLayout's raw record by layout id; a write to the
// layout makes it stale.
var layoutCache = newCacheFamily("layout", idKey, func(w write) drop[json.RawMessage] {
	if w.is("layout") && w.id != "" {
		return drop[json.RawMessage]{keys: []string{w.id}}
	}
	return dropNone[json.RawMessage]()
})

// GetLayout reads one layout with its metadata. With the read cache on,
// the layout is fetched once for all its readers (each gets its own copy);
// read-modify-write must pass a context from WithFreshReads.
func (c *Client) GetLayout(ctx context.Context, id string) (*Layout, error) {
	if err := checkID("layout id", id, ""); err != nil {
		return nil, err
	}
	// The raw record is what is kept: decoding it per caller gives each one
	// metadata it may change without touching anyone else's.
	raw, err := layoutCache.get(ctx, c.cache, id, func(ctx context.Context) (json.RawMessage, error) {
		var raw json.RawMessage
		if err := c.Tooling().Get(ctx, "Layout", id, nil, &raw); err != nil {
			return nil, fmt.Errorf("read layout %s: %w", id, err)
		}
		return raw, nil
	})
	if err != nil {
		return nil, err
	}
	var rec struct {
		ID            string          `json:"Id"`
		Name          string          `json:"Name"`
		FullName      string          `json:"FullName"`
		TableEnumOrID string          `json:"TableEnumOrId"`
		Metadata      json.RawMessage `json:"Metadata"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, fmt.Errorf("read layout %s: decode: %w", id, err)
	}
	l := &Layout{ID: rec.ID, Name: rec.Name, FullName: rec.FullName, Object: rec.TableEnumOrID, Metadata: LayoutMetadata{}}
	if l.ID == "" {
		l.ID = id
	}
	// TableEnumOrId is an id for custom objects; the full name has the name.
	if obj, _, ok := strings.Cut(rec.FullName, "-"); ok && obj != "" {
		l.Object = obj
	}
	if len(rec.Metadata) > 0 && !bytes.Equal(rec.Metadata, []byte("null")) {
		// UseNumber keeps numbers exactly as sent when they are written back.
		d := json.NewDecoder(bytes.NewReader(rec.Metadata))
		d.UseNumber()
		if err := d.Decode(&l.Metadata); err != nil {
			return nil, fmt.Errorf("read layout %s: decode Metadata: %w", id, err)
		}
	}
	return l, nil
}

// LockLayout serializes read-modify-write of one layout within this client:
// Salesforce replaces the whole metadata on update, so two related lists
// changed concurrently on the same layout would otherwise overwrite each
// other. Call the returned func (once or more) to release.
func (c *Client) LockLayout(id string) (unlock func()) {
	return c.layoutLocks.lock(idKey(id))
}
