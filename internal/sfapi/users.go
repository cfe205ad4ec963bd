package sfapi

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
)

// User is a Salesforce user with the profile facts the provider checks.
type User struct {
	ID                   string
	Username             string
	Email                string
	Name                 string
	ProfileID            string
	ProfileName          string
	IsActive             bool
	ProfileModifyAllData bool // the profile grants Modify All Data (a System Administrator)
}

const userFields = "Id, Username, Email, Name, ProfileId, Profile.Name, Profile.PermissionsModifyAllData, IsActive"

type userRecord struct {
	ID        string  `json:"Id"`
	Username  string  `json:"Username"`
	Email     string  `json:"Email"`
	Name      string  `json:"Name"`
	ProfileID *string `json:"ProfileId"`
	Profile   *struct {
		Name                     string `json:"Name"`
		PermissionsModifyAllData bool   `json:"PermissionsModifyAllData"`
	} `json:"Profile"`
	IsActive bool `json:"IsActive"`
}

func (r userRecord) toUser() User {
	u := User{ID: r.ID, Username: r.Username, Email: r.Email, Name: r.Name, ProfileID: deref(r.ProfileID), IsActive: r.IsActive}
	if r.Profile != nil {
		u.ProfileName, u.ProfileModifyAllData = r.Profile.Name, r.Profile.PermissionsModifyAllData
	}
	return u
}

// Limits of one username query: Salesforce caps SOQL at 100,000 characters
// but the query travels in a GET URL, which proxies and Salesforce's own
// front end cut off far sooner; 8,000 characters stays well clear.
const (
	maxUsernamesPerQuery = 200
	maxUserSOQLLen       = 8000
)

// usernameQueries splits the names into IN (…) queries of at most
// maxUsernamesPerQuery names and maxUserSOQLLen characters each.
func usernameQueries(names []string) ([]string, error) {
	const head = "SELECT " + userFields + " FROM User WHERE Username IN ("
	var out []string
	var b strings.Builder
	n := 0
	flush := func() {
		if n > 0 {
			out = append(out, b.String()+")")
			b.Reset()
			n = 0
		}
	}
	for _, name := range names {
		lit := QuoteSOQL(name)
		if len(head)+len(lit)+1 > maxUserSOQLLen {
			return nil, fmt.Errorf("username %.40q… is too long to look up", name)
		}
		// +1 for the comma, +1 for the closing parenthesis.
		if n == maxUsernamesPerQuery || n > 0 && b.Len()+1+len(lit)+1 > maxUserSOQLLen {
			flush()
		}
		if n == 0 {
			b.WriteString(head)
		} else {
			b.WriteByte(',')
		}
		b.WriteString(lit)
		n++
	}
	flush()
	return out, nil
}

// FindUsersByUsername looks the usernames up, keyed by lower-case username
// (Salesforce usernames are case-insensitive). Names that match no user are
// simply absent from the map.
func (c *Client) FindUsersByUsername(ctx context.Context, usernames []string) (map[string]User, error) {
	seen := map[string]bool{}
	var names []string
	for _, n := range usernames {
		n = strings.TrimSpace(n)
		// Sent as given: SOQL compares case-insensitively anyway.
		if k := strings.ToLower(n); k != "" && !seen[k] {
			seen[k] = true
			names = append(names, n)
		}
	}
	if c.cache.enabled {
		return c.findUsersShared(ctx, names)
	}
	var scanned map[string]User
	if len(names) >= scanUsersFrom {
		var err error
		if scanned, names, err = c.scanUsers(ctx, names); err != nil {
			return nil, err
		}
	}
	queries, err := usernameQueries(names)
	if err != nil {
		return nil, err
	}
	out := make(map[string]User, len(names)+len(scanned))
	maps.Copy(out, scanned)
	for _, q := range queries {
		recs, err := QueryAll[userRecord](ctx, c, q)
		if err != nil {
			return nil, fmt.Errorf("look up users by username: %w", err)
		}
		for _, r := range recs {
			out[strings.ToLower(r.Username)] = r.toUser()
		}
	}
	return out, nil
}

// userByIDCache holds GetUser's answers by id (look-ups by username add what
// they find); a write to a user or a profile makes it stale.
var userByIDCache = newCacheFamily("userid", idKey, staleAfter[*User]("user", "profile"))

// GetUser reads one user; IsNotFound is true when there is none.
func (c *Client) GetUser(ctx context.Context, id string) (*User, error) {
	if err := checkID("user id", id, ""); err != nil {
		return nil, err
	}
	cached, err := userByIDCache.get(ctx, c.cache, id, func(ctx context.Context) (*User, error) { return c.getUser(ctx, id) })
	if err != nil {
		return nil, err
	}
	if cached == nil {
		return nil, fmt.Errorf("read cache holds no user %s", id)
	}
	u := *cached // a copy: callers may change what they get
	return &u, nil
}

func (c *Client) getUser(ctx context.Context, id string) (*User, error) {
	recs, err := QueryAll[userRecord](ctx, c, "SELECT "+userFields+" FROM User WHERE Id="+QuoteSOQL(id))
	if err != nil {
		return nil, fmt.Errorf("read user %s: %w", id, err)
	}
	if len(recs) == 0 {
		return nil, notFound("user %s does not exist", id)
	}
	u := recs[0].toUser()
	return &u, nil
}

// UserHasModifyAllData reports whether the user holds Modify All Data,
// the mark of an administrator, through the profile or any assigned
// permission set (the profile's own permission set included).
func (c *Client) UserHasModifyAllData(ctx context.Context, userID string) (bool, error) {
	u, err := c.GetUser(ctx, userID)
	if err != nil {
		return false, err
	}
	if u.ProfileModifyAllData {
		return true, nil
	}
	if c.cache.enabled {
		return c.modifyAllDataShared(ctx, u.ID)
	}
	soql := "SELECT Id FROM PermissionSetAssignment WHERE AssigneeId=" + QuoteSOQL(userID) +
		" AND PermissionSet.PermissionsModifyAllData=true LIMIT 1"
	recs, err := QueryAll[struct {
		ID string `json:"Id"`
	}](ctx, c, soql)
	if err != nil {
		return false, fmt.Errorf("check permission sets of user %s for Modify All Data: %w", userID, err)
	}
	return len(recs) > 0, nil
}

// Reading the whole User table pays for long lists: a query returns up to
// queryBatch records per call (Salesforce's default and largest batch,
// "Change the Batch Size in Queries", SOQL and SOSL Reference), against
// maxUsernamesPerQuery names per IN query. 10,000 names in an org of
// 10,000 users take 5 or 6 calls instead of 50.
const (
	scanUsersFrom = 1000
	queryBatch    = 2000
)

// scanUsers reads the org's users a batch at a time while that costs fewer
// calls than IN queries for the names would, judged by the first batch's
// totalSize; it stops as soon as every name is found. It returns the users
// found, keyed by lower-case username, and the names still to look up: all
// but those found in the first batch when the org is too large to read
// whole, and otherwise names no user matched (looked up again with SOQL's
// own case rules, which strings.ToLower does not reproduce everywhere).
func (c *Client) scanUsers(ctx context.Context, names []string) (map[string]User, []string, error) {
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[strings.ToLower(n)] = true
	}
	inQueries := (len(names) + maxUsernamesPerQuery - 1) / maxUsernamesPerQuery
	found := make(map[string]User, len(names))
	err := c.queryPages(ctx, c.apiPath+"/query", "SELECT "+userFields+" FROM User", func(total int, recs []json.RawMessage) (bool, error) {
		for _, raw := range recs {
			var r userRecord
			if err := json.Unmarshal(raw, &r); err != nil {
				return false, fmt.Errorf("decode user record: %w", err)
			}
			if k := strings.ToLower(r.Username); want[k] {
				u := r.toUser()
				found[k] = u
				// With the read cache on, the apply's own check finds them here.
				userByNameCache.put(c.cache, k, &u)
				userByIDCache.put(c.cache, u.ID, &u)
			}
		}
		pages := (total + queryBatch - 1) / queryBatch
		return pages <= inQueries && len(found) < len(want), nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read users: %w", err)
	}
	var rest []string
	for _, n := range names {
		if _, ok := found[strings.ToLower(n)]; !ok {
			rest = append(rest, n)
		}
	}
	return found, rest, nil
}
