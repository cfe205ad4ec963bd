package sfapi

import "strings"

// LayoutMetadata is a Tooling Layout's Metadata exactly as Salesforce sent
// it (numbers as json.Number). Only related lists are interpreted; every
// other key is written back untouched, so an update never drops settings
// this package does not know about.
type LayoutMetadata map[string]any

// RelatedListItem is one entry of relatedLists. Its other keys
// (quickActions and whatever Salesforce adds) are kept by WithRelatedList.
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

func anyStrings(ss []string) []any {
	out := make([]any, len(ss)) // [] rather than null, as Salesforce writes empty lists
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func nullable(s string) any {
	if s == "" {
		return nil // Salesforce writes an unset sort as null
	}
	return s
}

// apply writes the item's keys into m, leaving m's other keys alone.
func (it RelatedListItem) apply(m map[string]any) {
	m["relatedList"] = it.RelatedList
	m["fields"] = anyStrings(it.Fields)
	m["sortField"] = nullable(it.SortField)
	m["sortOrder"] = nullable(it.SortOrder)
	m["excludeButtons"] = anyStrings(it.ExcludeButtons)
	m["customButtons"] = anyStrings(it.CustomButtons)
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

// WithRelatedList returns a copy with the item added or replaced. position
// is the index it gets in relatedLists; -1 keeps an existing item where it
// is and appends a new one. The replaced item's other keys are preserved.
func (m LayoutMetadata) WithRelatedList(item RelatedListItem, position int) LayoutMetadata {
	out := m.Clone()
	lists := out.lists()
	entry := map[string]any{}
	at := len(lists)
	for i, v := range lists {
		if e, ok := entryNamed(v, item.RelatedList); ok {
			entry, at = e, i
			lists = append(lists[:i:i], lists[i+1:]...)
			break
		}
	}
	item.apply(entry)
	if position >= 0 {
		at = min(position, len(lists))
	}
	lists = append(lists[:at:at], append([]any{entry}, lists[at:]...)...)
	out[relatedListsKey] = lists
	return out
}

// WithoutRelatedList returns a copy without the named related list.
func (m LayoutMetadata) WithoutRelatedList(name string) LayoutMetadata {
	out := m.Clone()
	lists := out.lists()
	if lists == nil {
		return out
	}
	kept := make([]any, 0, len(lists))
	for _, v := range lists {
		if _, ok := entryNamed(v, name); !ok {
			kept = append(kept, v)
		}
	}
	out[relatedListsKey] = kept
	return out
}

// Clone returns a deep copy, so edits never reach the layout a caller read.
func (m LayoutMetadata) Clone() LayoutMetadata {
	out := make(LayoutMetadata, len(m))
	for k, v := range m {
		out[k] = deepCopy(v)
	}
	return out
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(t))
		for k, x := range t {
			c[k] = deepCopy(x)
		}
		return c
	case []any:
		c := make([]any, len(t))
		for i, x := range t {
			c[i] = deepCopy(x)
		}
		return c
	}
	return v // strings, numbers, bools and nil are immutable
}

// forUpdate drops what Salesforce returns on GET but rejects on PATCH (the
// workarounds jetstream ships in deployLayouts):
//   - platformActionList whose actionListContext is a string and
//     summaryLayout whose summaryLayoutStyle is a string fail to
//     deserialize ("Cannot deserialize instance of complexvalue");
//   - an empty quickActions array makes Activity related lists fail. Like
//     jetstream, every empty one becomes null: null and [] mean the same
//     there, and the list names vary (RelatedActivityList, RelatedHistoryList…).
func (m LayoutMetadata) forUpdate() LayoutMetadata {
	out := m.Clone()
	if pal, ok := out["platformActionList"].(map[string]any); ok {
		if _, isStr := pal["actionListContext"].(string); isStr {
			delete(out, "platformActionList")
		}
	}
	if sl, ok := out["summaryLayout"].(map[string]any); ok {
		if _, isStr := sl["summaryLayoutStyle"].(string); isStr {
			delete(out, "summaryLayout")
		}
	}
	for _, v := range out.lists() {
		if e, ok := v.(map[string]any); ok {
			if qa, ok := e["quickActions"].([]any); ok && len(qa) == 0 {
				e["quickActions"] = nil
			}
		}
	}
	return out
}
