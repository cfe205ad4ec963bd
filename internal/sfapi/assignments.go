package sfapi

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

const psaObject = "PermissionSetAssignment"

// PermissionSetAssignment gives one user one permission set (0Pa…).
type PermissionSetAssignment struct {
	ID              string
	PermissionSetID string
	AssigneeID      string
	// AssigneeUsername is filled when the assignment was read back from
	// Salesforce; a freshly created one only knows AssigneeID.
	AssigneeUsername string
	ExpirationDate   *time.Time
}

// expirationDateSince is the first API version with
// PermissionSetAssignment.ExpirationDate (object reference: "This field is
// available in API version 52.0 and later"). An older version refuses a
// query that names it with INVALID_FIELD, so reads leave it out there and
// every assignment reads as never expiring.
const expirationDateSince = 52

// assignmentFields is what every assignment query selects at the client's
// API version.
func (c *Client) assignmentFields() string {
	const fields = "Id, AssigneeId, Assignee.Username, PermissionSetId"
	if apiMajor(c.cfg.APIVersion) < expirationDateSince {
		return fields
	}
	return fields + ", ExpirationDate"
}

// apiMajor is the major number of an API version such as "65.0"; 0 when it
// cannot be read, which keeps a field out rather than risking INVALID_FIELD.
func apiMajor(v string) int {
	major, _, _ := strings.Cut(v, ".")
	n, err := strconv.Atoi(major)
	if err != nil {
		return 0
	}
	return n
}

type assignmentRecord struct {
	ID       string `json:"Id"`
	Assignee *struct {
		Username string `json:"Username"`
	} `json:"Assignee"`
	AssigneeID      string  `json:"AssigneeId"`
	PermissionSetID string  `json:"PermissionSetId"`
	ExpirationDate  *string `json:"ExpirationDate"`
}

func (r assignmentRecord) toAssignment() (PermissionSetAssignment, error) {
	a := PermissionSetAssignment{ID: r.ID, PermissionSetID: r.PermissionSetID, AssigneeID: r.AssigneeID}
	if r.Assignee != nil {
		a.AssigneeUsername = r.Assignee.Username
	}
	exp, err := parseSFTime(r.ExpirationDate)
	if err != nil {
		return a, fmt.Errorf("permission set assignment %s: ExpirationDate: %w", r.ID, err)
	}
	a.ExpirationDate = exp
	return a, nil
}

func (c *Client) queryAssignments(ctx context.Context, soql string) ([]PermissionSetAssignment, error) {
	recs, err := QueryAll[assignmentRecord](ctx, c, soql)
	if err != nil {
		return nil, err
	}
	out := make([]PermissionSetAssignment, 0, len(recs))
	for _, r := range recs {
		a, err := r.toAssignment()
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// ListPermissionSetAssignments returns every assignment of the permission
// set, in one paged query; assignments through a profile are left out.
// With the read cache on, the answer is shared with every other reader of
// the set until a write through this client touches one of its assignments.
func (c *Client) ListPermissionSetAssignments(ctx context.Context, permissionSetID string) ([]PermissionSetAssignment, error) {
	if err := checkID("permission set id", permissionSetID, ""); err != nil {
		return nil, err
	}
	set, err := c.assignmentSet(ctx, permissionSetID)
	if err != nil {
		return nil, err
	}
	return slices.Clone(set.list), nil
}

// assignmentSet is the cached form of a set-wide load, indexed so that a
// plan reading 1,000 assignments does not scan and copy 1,000 × 1,000.
type assignmentSet struct {
	list []PermissionSetAssignment
	byID map[string]int // idKey → index in list
}

func (s *assignmentSet) find(id string) (PermissionSetAssignment, bool) {
	i, ok := s.byID[idKey(id)]
	if !ok {
		return PermissionSetAssignment{}, false
	}
	return s.list[i], true
}

func (c *Client) assignmentSet(ctx context.Context, permissionSetID string) (*assignmentSet, error) {
	return assignmentSetCache.get(ctx, c.cache, permissionSetID, func(ctx context.Context) (*assignmentSet, error) {
		list, err := c.listPermissionSetAssignments(ctx, permissionSetID)
		if err != nil {
			return nil, err
		}
		set := &assignmentSet{list: list, byID: make(map[string]int, len(list))}
		for i, a := range list {
			set.byID[idKey(a.ID)] = i
		}
		return set, nil
	})
}

func (c *Client) listPermissionSetAssignments(ctx context.Context, permissionSetID string) ([]PermissionSetAssignment, error) {
	soql := "SELECT " + c.assignmentFields() + " FROM PermissionSetAssignment WHERE PermissionSetId=" + QuoteSOQL(permissionSetID) +
		" AND PermissionSet.IsOwnedByProfile=false"
	out, err := c.queryAssignments(ctx, soql)
	if err != nil {
		return nil, fmt.Errorf("list assignments of permission set %s: %w", permissionSetID, err)
	}
	return out, nil
}

// GetPermissionSetAssignment reads one assignment; IsNotFound is true when it
// does not exist. It queries rather than GETs to get the assignee's username.
func (c *Client) GetPermissionSetAssignment(ctx context.Context, id string) (*PermissionSetAssignment, error) {
	if err := checkID("permission set assignment id", id, ""); err != nil {
		return nil, err
	}
	out, err := c.queryAssignments(ctx, "SELECT "+c.assignmentFields()+" FROM PermissionSetAssignment WHERE Id="+QuoteSOQL(id))
	if err != nil {
		return nil, fmt.Errorf("read permission set assignment %s: %w", id, err)
	}
	if len(out) == 0 {
		return nil, notFound("permission set assignment %s does not exist", id)
	}
	return &out[0], nil
}

// FindPermissionSetAssignment returns the user's assignment of the
// permission set, or nil, nil when there is none.
func (c *Client) FindPermissionSetAssignment(ctx context.Context, permissionSetID, assigneeID string) (*PermissionSetAssignment, error) {
	if err := checkID("permission set id", permissionSetID, ""); err != nil {
		return nil, err
	}
	if err := checkID("user id", assigneeID, ""); err != nil {
		return nil, err
	}
	soql := "SELECT " + c.assignmentFields() + " FROM PermissionSetAssignment WHERE PermissionSetId=" + QuoteSOQL(permissionSetID) +
		" AND AssigneeId=" + QuoteSOQL(assigneeID)
	out, err := c.queryAssignments(ctx, soql)
	if err != nil {
		return nil, fmt.Errorf("find assignment of permission set %s to user %s: %w", permissionSetID, assigneeID, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return &out[0], nil
}

func assignmentBody(permissionSetID, assigneeID string, expiration *time.Time) map[string]any {
	body := map[string]any{"AssigneeId": assigneeID, "PermissionSetId": permissionSetID}
	if expiration != nil {
		body["ExpirationDate"] = formatSFTime(expiration)
	}
	return body
}

// CreatePermissionSetAssignment assigns the permission set. When the user
// already has it (DUPLICATE_VALUE: assigned by hand, or our own earlier POST
// whose response was lost), the existing assignment is adopted, its
// expiration brought in line, and adopted is true.
func (c *Client) CreatePermissionSetAssignment(ctx context.Context, permissionSetID, assigneeID string, expiration *time.Time) (*PermissionSetAssignment, bool, error) {
	if err := checkID("permission set id", permissionSetID, ""); err != nil {
		return nil, false, err
	}
	if err := checkID("user id", assigneeID, ""); err != nil {
		return nil, false, err
	}
	// An assignment is unique per user and permission set, so a create whose
	// answer was lost can be sent again (no Find): if the first one went
	// through, the second comes back DUPLICATE_VALUE and the assignment is
	// adopted below.
	id, err := httpkit.SendWrite(ctx, httpkit.Write[string]{Send: func(ctx context.Context) (string, error) {
		return c.SObjects().Create(ctx, psaObject, assignmentBody(permissionSetID, assigneeID, expiration))
	}})
	if err == nil {
		return &PermissionSetAssignment{ID: id, PermissionSetID: permissionSetID, AssigneeID: assigneeID, ExpirationDate: expiration}, false, nil
	}
	if !HasErrorCode(err, "DUPLICATE_VALUE") {
		return nil, false, fmt.Errorf("assign permission set %s to user %s: %w", permissionSetID, assigneeID, err)
	}
	existing, ferr := c.FindPermissionSetAssignment(ctx, permissionSetID, assigneeID)
	if ferr != nil {
		return nil, false, ferr
	}
	if existing == nil {
		return nil, false, fmt.Errorf("assign permission set %s to user %s: Salesforce reports an existing assignment that this user cannot read: %w",
			permissionSetID, assigneeID, err)
	}
	if !sameTime(existing.ExpirationDate, expiration) {
		if err := c.SetPermissionSetAssignmentExpiration(ctx, existing.ID, expiration); err != nil {
			return nil, false, err
		}
		existing.ExpirationDate = expiration
	}
	return existing, true, nil
}

// SetPermissionSetAssignmentExpiration changes ExpirationDate in place
// (updatable since API v52); nil removes the expiration.
func (c *Client) SetPermissionSetAssignmentExpiration(ctx context.Context, id string, expiration *time.Time) error {
	if err := checkID("permission set assignment id", id, ""); err != nil {
		return err
	}
	if err := c.SObjects().Update(ctx, psaObject, id, map[string]any{"ExpirationDate": formatSFTime(expiration)}); err != nil {
		return fmt.Errorf("set expiration of permission set assignment %s: %w", id, err)
	}
	return nil
}

// DeletePermissionSetAssignment removes the assignment; one that is already
// gone counts as removed.
func (c *Client) DeletePermissionSetAssignment(ctx context.Context, id string) error {
	if err := checkID("permission set assignment id", id, ""); err != nil {
		return err
	}
	if err := c.SObjects().Delete(ctx, psaObject, id); err != nil && !IsNotFound(err) {
		return fmt.Errorf("delete permission set assignment %s: %w", id, err)
	}
	return nil
}
