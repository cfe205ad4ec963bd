package sfapi

import (
	"context"
	"fmt"
	"maps"
	"strings"
)

// The read cache's families are declared beside their reads (see
// readcache_family.go). Ids are keyed in their 15-character form, so a 15-
// and an 18-character spelling share one entry.

// assignmentSetCache holds every assignment of one permission set
// (assignmentSet), by permission set id. A write to an assignment makes its
// set stale: the set named in the body, or, when only the id is known, the
// set whose load holds it (an assignment belongs to one set for life).
var assignmentSetCache = newCacheFamily("psa", idKey, func(w write) drop[*assignmentSet] {
	switch {
	case !w.is("permissionsetassignment"):
		return dropNone[*assignmentSet]()
	case w.field("PermissionSetId") != "":
		return drop[*assignmentSet]{keys: []string{w.field("PermissionSetId")}}
	}
	return drop[*assignmentSet]{match: func(set *assignmentSet) bool {
		_, found := set.find(w.id)
		return found
	}}
})

// ReadPermissionSetAssignment reads one assignment of a known permission
// set. With the read cache on, it is answered from the set-wide load
// (ListPermissionSetAssignments), so reading every assignment of a set costs
// one paged query rather than one query each; an id the load does not hold
// does not exist (IsNotFound). With the cache off it is
// GetPermissionSetAssignment.
func (c *Client) ReadPermissionSetAssignment(ctx context.Context, permissionSetID, id string) (*PermissionSetAssignment, error) {
	if err := checkID("permission set assignment id", id, ""); err != nil {
		return nil, err
	}
	if !c.cache.enabled {
		return c.GetPermissionSetAssignment(ctx, id)
	}
	if err := checkID("permission set id", permissionSetID, ""); err != nil {
		return nil, err
	}
	set, err := c.assignmentSet(ctx, permissionSetID)
	if err != nil {
		return nil, fmt.Errorf("read permission set assignment %s: %w", id, err)
	}
	if a, ok := set.find(id); ok {
		return &a, nil
	}
	return nil, notFound("permission set assignment %s does not exist (permission set %s has no such assignment)", id, permissionSetID)
}

// LookupPermissionSetAssignment is FindPermissionSetAssignment answered from
// the set-wide load when the read cache is on. Use FindPermissionSetAssignment
// where the answer must be fresh (after a DUPLICATE_VALUE).
func (c *Client) LookupPermissionSetAssignment(ctx context.Context, permissionSetID, assigneeID string) (*PermissionSetAssignment, error) {
	if !c.cache.enabled {
		return c.FindPermissionSetAssignment(ctx, permissionSetID, assigneeID)
	}
	if err := checkID("user id", assigneeID, ""); err != nil {
		return nil, err
	}
	all, err := c.ListPermissionSetAssignments(ctx, permissionSetID)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if idKey(all[i].AssigneeID) == idKey(assigneeID) {
			return &all[i], nil
		}
	}
	return nil, nil
}

// invalidateAfterWrite drops what a write may have changed, as each
// family's stale func says. It runs after the request has ended, failed or
// not (a failed write may still have been carried out): loads that start
// later see the write; loads still running may not, so they are dropped
// too. sobject may be "" when only the id is known (collection deletes);
// the key prefix tells the object then.
func (c *Client) invalidateAfterWrite(sobject, id string, body any) {
	if !c.cache.enabled {
		return
	}
	if sobject == "" && len(id) >= 3 {
		sobject = map[string]string{"0Pa": psaObject, "00h": "Layout", "005": "User", "0PS": "PermissionSet", "00e": "Profile"}[id[:3]]
	}
	w := write{object: strings.ToLower(sobject), id: id, body: body}
	if w.is("packageinstallrequest", "subscriberpackageversionuninstallrequest") {
		c.packagesChanged()
		return
	}
	for _, f := range cacheFamilies {
		f.invalidateAfter(c.cache, w)
	}
}

// packagesChanged drops everything: an install or uninstall adds or removes
// layouts, permission sets and their assignments all at once.
func (c *Client) packagesChanged() {
	if c.cache.enabled {
		c.cache.clear()
	}
}

// userByNameCache answers FindUsersByUsername by username in lower case;
// nil is "no such user". A write to a user or a profile makes it stale.
var userByNameCache = newCacheFamily("user", strings.ToLower, staleAfter[*User]("user", "profile"))

// findUsersShared is FindUsersByUsername with the read cache on: names
// looked up before are answered from the cache, and the rest join the
// batch of whatever other look-ups are waiting (usersByName).
func (c *Client) findUsersShared(ctx context.Context, names []string) (map[string]User, error) {
	out := make(map[string]User, len(names))
	var missing []string
	for _, n := range names {
		k := strings.ToLower(n)
		if u, ok := userByNameCache.peek(c.cache, k); ok {
			if u != nil {
				out[k] = *u
			}
			continue
		}
		// Checked here so that one unusable name fails its own caller,
		// not everyone in the batch.
		if _, err := usernameQueries([]string{n}); err != nil {
			return nil, err
		}
		// Sent as written: Salesforce matches usernames without regard to
		// case by its own rules, which strings.ToLower does not reproduce
		// for every alphabet (İ lower-cases to i plus a combining dot).
		missing = append(missing, n)
	}
	if len(missing) >= scanUsersFrom {
		scanned, rest, err := c.scanUsers(ctx, missing)
		if err != nil {
			return nil, err
		}
		maps.Copy(out, scanned)
		missing = rest
	}
	if len(missing) == 0 {
		return out, nil
	}
	got, err := c.usersByName.load(ctx, missing)
	if err != nil {
		return nil, fmt.Errorf("look up users by username: %w", err)
	}
	for n, v := range got {
		if u, _ := v.(*User); u != nil {
			out[strings.ToLower(n)] = *u
		}
	}
	return out, nil
}

// loadUsersByName runs one batch of username look-ups (names as callers
// wrote them; SOQL compares them without regard to case) and remembers every
// answer, "no such user" included, under the lower-case name.
func (c *Client) loadUsersByName(ctx context.Context, names []string) (map[string]any, error) {
	queries, err := usernameQueries(names)
	if err != nil {
		return nil, err
	}
	found := make(map[string]*User, len(names))
	for _, q := range queries {
		recs, err := QueryAll[userRecord](ctx, c, q)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			u := r.toUser()
			found[strings.ToLower(u.Username)] = &u
			userByIDCache.put(c.cache, u.ID, &u)
		}
	}
	out := make(map[string]any, len(names))
	for _, n := range names {
		u := found[strings.ToLower(n)] // nil: no such user
		userByNameCache.put(c.cache, n, u)
		out[n] = u
	}
	return out, nil
}

// modifyAllDataCache answers whether a user holds Modify All Data through
// a permission set, by user id. Assignments, users, profiles and permission
// sets all decide it.
var modifyAllDataCache = newCacheFamily("admin", idKey,
	staleAfter[bool]("permissionsetassignment", "user", "profile", "permissionset"))

// modifyAllDataShared is the permission-set half of UserHasModifyAllData
// with the read cache on: checks of several users are asked in one query.
func (c *Client) modifyAllDataShared(ctx context.Context, userID string) (bool, error) {
	id, err := ID18(userID)
	if err != nil {
		return false, err
	}
	if admin, ok := modifyAllDataCache.peek(c.cache, id); ok {
		return admin, nil
	}
	got, err := c.adminChecks.load(ctx, []string{id})
	if err != nil {
		return false, fmt.Errorf("check permission sets of user %s for Modify All Data: %w", userID, err)
	}
	has, _ := got[id].(bool)
	return has, nil
}

// maxIDsPerQuery keeps an IN list of 18-character ids near 4,400 characters.
const maxIDsPerQuery = 200

func (c *Client) loadAdminChecks(ctx context.Context, ids []string) (map[string]any, error) {
	admins := map[string]bool{}
	for lo := 0; lo < len(ids); lo += maxIDsPerQuery {
		chunk := ids[lo:min(lo+maxIDsPerQuery, len(ids))]
		soql := "SELECT AssigneeId FROM PermissionSetAssignment WHERE AssigneeId IN " + quoteList(chunk) +
			" AND PermissionSet.PermissionsModifyAllData=true"
		recs, err := QueryAll[struct {
			AssigneeID string `json:"AssigneeId"`
		}](ctx, c, soql)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			admins[idKey(r.AssigneeID)] = true
		}
	}
	out := make(map[string]any, len(ids))
	for _, id := range ids {
		has := admins[idKey(id)]
		modifyAllDataCache.put(c.cache, id, has)
		out[id] = has
	}
	return out, nil
}
