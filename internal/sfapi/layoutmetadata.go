package sfapi

import "strings"

// LayoutMetadata is a Tooling Layout's Metadata exactly as Salesforce sent
// it (numbers as json.Number). It is only read (drift detection, listing):
// layouts are written through the Metadata API's XML (LayoutXML), because
// the Tooling API cannot take back what its GET returns.
type LayoutMetadata map[string]any

// RelatedListItem is one entry of relatedLists. Its other elements
// (quickActions and whatever Salesforce adds) are kept by
// LayoutXML.WithRelatedList.
type RelatedListItem struct {
	RelatedList    string   // "RelatedContactList", or "<ChildObject>.<LookupField>" for a custom object
	Fields         []string // columns: "NAME", "CONTACT.TITLE", or a custom field's API name
	SortField      string
	SortOrder      string // "Asc", "Desc" or ""
	ExcludeButtons []string
	CustomButtons  []string
}

const relatedListsKey = "relatedLists"

func stringsOf(v any) []string {
	arr, _ := v.([]any)
	if arr == nil {
		return nil
	}
	out := make([]string, 0, len(arr))
	for _, x := range arr {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func itemOf(m map[string]any) RelatedListItem {
	return RelatedListItem{
		RelatedList:    str(m["relatedList"]),
		Fields:         stringsOf(m["fields"]),
		SortField:      str(m["sortField"]),
		SortOrder:      str(m["sortOrder"]),
		ExcludeButtons: stringsOf(m["excludeButtons"]),
		CustomButtons:  stringsOf(m["customButtons"]),
	}
}

// lists returns relatedLists; entries that are not objects are kept as they
// are but never match a name.
func (m LayoutMetadata) lists() []any {
	arr, _ := m[relatedListsKey].([]any)
	return arr
}

// entryNamed reports whether v is the related list called name
// (case-insensitive, like API names) and returns it.
func entryNamed(v any, name string) (map[string]any, bool) {
	e, ok := v.(map[string]any)
	return e, ok && strings.EqualFold(str(e["relatedList"]), name)
}

// RelatedLists returns the layout's related lists in order.
func (m LayoutMetadata) RelatedLists() []RelatedListItem {
	var out []RelatedListItem
	for _, v := range m.lists() {
		if e, ok := v.(map[string]any); ok {
			out = append(out, itemOf(e))
		}
	}
	return out
}

// RelatedList finds a related list by name (case-insensitive, like API
// names) and returns it with its index in relatedLists.
func (m LayoutMetadata) RelatedList(name string) (RelatedListItem, int, bool) {
	for i, v := range m.lists() {
		if e, ok := entryNamed(v, name); ok {
			return itemOf(e), i, true
		}
	}
	return RelatedListItem{}, -1, false
}
