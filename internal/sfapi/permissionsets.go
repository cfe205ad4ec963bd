package sfapi

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// PermissionSet is a PermissionSet record (0PS…).
type PermissionSet struct {
	ID               string
	Name             string // API name, without the namespace prefix
	Label            string
	Namespace        string // NamespacePrefix; "" when not packaged
	IsOwnedByProfile bool
	ModifyAllData    bool
}

// PermissionSetFilter narrows FindPermissionSets; empty fields match all.
type PermissionSetFilter struct {
	Label     string
	Name      string
	Namespace string
	// NamespaceSet matches Namespace exactly even when it is "", which
	// selects permission sets that are not packaged.
	NamespaceSet bool
}

const permissionSetFields = "Id, Name, Label, NamespacePrefix, IsOwnedByProfile, PermissionsModifyAllData"

type permissionSetRecord struct {
	ID                       string  `json:"Id"`
	Name                     string  `json:"Name"`
	Label                    string  `json:"Label"`
	NamespacePrefix          *string `json:"NamespacePrefix"`
	IsOwnedByProfile         bool    `json:"IsOwnedByProfile"`
	PermissionsModifyAllData bool    `json:"PermissionsModifyAllData"`
}

func (r permissionSetRecord) toPermissionSet() PermissionSet {
	return PermissionSet{ID: r.ID, Name: r.Name, Label: r.Label, Namespace: deref(r.NamespacePrefix),
		IsOwnedByProfile: r.IsOwnedByProfile, ModifyAllData: r.PermissionsModifyAllData}
}

// permissionSetsSOQL never returns profile-owned permission sets: every
// profile has one, and assigning them is not how profiles work.
func permissionSetsSOQL(f PermissionSetFilter) string {
	where := []string{"IsOwnedByProfile=false"}
	if f.Label != "" {
		where = append(where, "Label="+QuoteSOQL(f.Label))
	}
	if f.Name != "" {
		where = append(where, "Name="+QuoteSOQL(f.Name))
	}
	switch {
	case f.Namespace != "":
		where = append(where, "NamespacePrefix="+QuoteSOQL(f.Namespace))
	case f.NamespaceSet:
		where = append(where, "NamespacePrefix=null")
	}
	return "SELECT " + permissionSetFields + " FROM PermissionSet WHERE " + strings.Join(where, " AND ")
}

// FindPermissionSets returns the matching permission sets, ordered by
// namespace then name. Label and Name compare case-insensitively, as SOQL
// string equality does.
//
// With the read cache on, one answer serves every caller with the same
// filter, and each permission set found also answers GetPermissionSet.
func (c *Client) FindPermissionSets(ctx context.Context, f PermissionSetFilter) ([]PermissionSet, error) {
	list, err := permissionSetFindCache.get(ctx, c.cache, fmt.Sprintf("%q|%q|%q|%t", f.Label, f.Name, f.Namespace, f.NamespaceSet),
		func(ctx context.Context) ([]PermissionSet, error) {
			sets, err := c.findPermissionSets(ctx, f)
			for i := range sets {
				ps := sets[i]
				permissionSetCache.put(c.cache, ps.ID, &ps)
			}
			return sets, err
		})
	if err != nil {
		return nil, err
	}
	return slices.Clone(list), nil
}

// permissionSetFindCache answers FindPermissionSets by filter; a write to
// any permission set makes it stale.
var permissionSetFindCache = newCacheFamily("psfind", nil, staleAfter[[]PermissionSet]("permissionset"))

func (c *Client) findPermissionSets(ctx context.Context, f PermissionSetFilter) ([]PermissionSet, error) {
	recs, err := QueryAll[permissionSetRecord](ctx, c, permissionSetsSOQL(f))
	if err != nil {
		return nil, fmt.Errorf("find permission sets: %w", err)
	}
	out := make([]PermissionSet, 0, len(recs))
	for _, r := range recs {
		if !r.IsOwnedByProfile { // in case a server ignores the filter
			out = append(out, r.toPermissionSet())
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// permissionSetCache holds GetPermissionSet's answers by id (FindPermissionSets
// adds what it finds); a write to any permission set makes it stale.
var permissionSetCache = newCacheFamily("ps", idKey, staleAfter[*PermissionSet]("permissionset"))

// GetPermissionSet reads one permission set; IsNotFound is true when it does
// not exist.
func (c *Client) GetPermissionSet(ctx context.Context, id string) (*PermissionSet, error) {
	if err := checkID("permission set id", id, ""); err != nil {
		return nil, err
	}
	cached, err := permissionSetCache.get(ctx, c.cache, id, func(ctx context.Context) (*PermissionSet, error) {
		return c.getPermissionSet(ctx, id)
	})
	if err != nil {
		return nil, err
	}
	if cached == nil {
		return nil, fmt.Errorf("read cache holds no permission set %s", id)
	}
	ps := *cached // a copy: callers may change what they get
	return &ps, nil
}

func (c *Client) getPermissionSet(ctx context.Context, id string) (*PermissionSet, error) {
	recs, err := QueryAll[permissionSetRecord](ctx, c, "SELECT "+permissionSetFields+" FROM PermissionSet WHERE Id="+QuoteSOQL(id))
	if err != nil {
		return nil, fmt.Errorf("read permission set %s: %w", id, err)
	}
	if len(recs) == 0 {
		return nil, notFound("permission set %s does not exist", id)
	}
	ps := recs[0].toPermissionSet()
	return &ps, nil
}
