package sfapi

import (
	"context"
	"fmt"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

// NewAssignment is one assignment to create in bulk.
type NewAssignment struct {
	PermissionSetID string
	AssigneeID      string
	ExpirationDate  *time.Time
}

func pairKey(permissionSetID, assigneeID string) string {
	return idKey(permissionSetID) + "/" + idKey(assigneeID)
}

// CreatePermissionSetAssignments creates assignments through sObject
// Collections, 200 per call, allOrNone=false so one bad user does not block
// the others. Users who already have the permission set are adopted as in
// CreatePermissionSetAssignment, with one follow-up query per call. Other
// per-record failures come back as a *BatchError keyed by assignee id, next
// to the assignments that succeeded (in input order).
func (c *Client) CreatePermissionSetAssignments(ctx context.Context, as []NewAssignment) ([]PermissionSetAssignment, error) {
	for _, a := range as {
		if err := checkID("permission set id", a.PermissionSetID, ""); err != nil {
			return nil, err
		}
		if err := checkID("user id", a.AssigneeID, ""); err != nil {
			return nil, err
		}
	}
	out := make([]PermissionSetAssignment, 0, len(as))
	var failures []BatchFailure
	for lo := 0; lo < len(as); lo += collectionChunk {
		batch := as[lo:min(lo+collectionChunk, len(as))]
		recs := make([]map[string]any, len(batch))
		for i, a := range batch {
			recs[i] = assignmentBody(a.PermissionSetID, a.AssigneeID, a.ExpirationDate)
		}
		// One chunk per CreateCollection call, so adoption runs per call.
		// allOrNone=false and unique assignments make a lost answer safe to
		// resend (no Find): what the first call created comes back
		// DUPLICATE_VALUE.
		res, err := httpkit.SendWrite(ctx, httpkit.Write[[]SaveResult]{Send: func(ctx context.Context) ([]SaveResult, error) {
			return c.CreateCollection(ctx, psaObject, recs, false)
		}})
		if err != nil {
			return out, batchResult(fmt.Errorf("assign permission sets (records %d-%d of %d): %w", lo+1, lo+len(batch), len(as), err), failures)
		}
		done := make([]*PermissionSetAssignment, len(batch))
		var dups []int
		for i, r := range res {
			a := batch[i]
			switch {
			case r.Success:
				done[i] = &PermissionSetAssignment{ID: r.ID, PermissionSetID: a.PermissionSetID, AssigneeID: a.AssigneeID, ExpirationDate: a.ExpirationDate}
			case HasErrorCode(r.Err(), "DUPLICATE_VALUE"):
				dups = append(dups, i)
			default:
				failures = append(failures, failureOf(a.AssigneeID, r.Err()))
			}
		}
		if len(dups) > 0 {
			f, err := c.adoptAssignments(ctx, batch, dups, done)
			if err != nil {
				return out, batchResult(err, failures)
			}
			failures = append(failures, f...)
		}
		for _, a := range done {
			if a != nil {
				out = append(out, *a)
			}
		}
	}
	return out, batchResult(nil, failures)
}

// adoptAssignments looks up the existing assignments behind the
// DUPLICATE_VALUE results at batch[dups[i]] in one query, fixes their
// expiration where it differs, and stores them in done.
func (c *Client) adoptAssignments(ctx context.Context, batch []NewAssignment, dups []int, done []*PermissionSetAssignment) ([]BatchFailure, error) {
	var psIDs, userIDs []string
	seenPS, seenUser := map[string]bool{}, map[string]bool{}
	for _, i := range dups {
		a := batch[i]
		if !seenPS[idKey(a.PermissionSetID)] {
			seenPS[idKey(a.PermissionSetID)] = true
			psIDs = append(psIDs, a.PermissionSetID)
		}
		if !seenUser[idKey(a.AssigneeID)] {
			seenUser[idKey(a.AssigneeID)] = true
			userIDs = append(userIDs, a.AssigneeID)
		}
	}
	// The IN lists may match a few pairs nobody asked for (when several
	// permission sets are involved); the map below ignores them.
	soql := "SELECT " + c.assignmentFields() + " FROM PermissionSetAssignment WHERE PermissionSetId IN " + quoteList(psIDs) +
		" AND AssigneeId IN " + quoteList(userIDs)
	found, err := c.queryAssignments(ctx, soql)
	if err != nil {
		return nil, fmt.Errorf("look up %d existing permission set assignment(s): %w", len(dups), err)
	}
	byPair := make(map[string]PermissionSetAssignment, len(found))
	for _, a := range found {
		byPair[pairKey(a.PermissionSetID, a.AssigneeID)] = a
	}
	var failures []BatchFailure
	for _, i := range dups {
		want := batch[i]
		got, ok := byPair[pairKey(want.PermissionSetID, want.AssigneeID)]
		if !ok {
			failures = append(failures, BatchFailure{Key: want.AssigneeID, Code: "DUPLICATE_VALUE",
				Message: "Salesforce reports an existing assignment of permission set " + want.PermissionSetID + " that this user cannot read"})
			continue
		}
		if !sameTime(got.ExpirationDate, want.ExpirationDate) {
			if err := c.SetPermissionSetAssignmentExpiration(ctx, got.ID, want.ExpirationDate); err != nil {
				failures = append(failures, failureOf(want.AssigneeID, err))
				continue
			}
			got.ExpirationDate = want.ExpirationDate
		}
		done[i] = &got
	}
	return failures, nil
}

// DeletePermissionSetAssignments deletes assignments through sObject
// Collections, 200 per call, allOrNone=false. Ids already gone count as
// deleted; other failures come back as a *BatchError keyed by id.
func (c *Client) DeletePermissionSetAssignments(ctx context.Context, ids []string) error {
	for _, id := range ids {
		if err := checkID("permission set assignment id", id, ""); err != nil {
			return err
		}
	}
	res, err := c.DeleteCollection(ctx, ids, false)
	var failures []BatchFailure
	for i, r := range res { // on err, the results of the calls that completed
		if rerr := r.Err(); rerr != nil && !IsNotFound(rerr) {
			failures = append(failures, failureOf(ids[i], rerr))
		}
	}
	if err != nil {
		err = fmt.Errorf("delete permission set assignments: %w", err)
	}
	return batchResult(err, failures)
}

// SetPermissionSetAssignmentExpirations sets one expiration (nil removes
// it) on every assignment in ids through sObject Collections, 200 per call,
// allOrNone=false as in CreatePermissionSetAssignments. Per-record failures
// come back as a *BatchError keyed by assignment id; the others are saved.
func (c *Client) SetPermissionSetAssignmentExpirations(ctx context.Context, ids []string, expiration *time.Time) error {
	recs := make([]map[string]any, len(ids))
	for i, id := range ids {
		if err := checkID("permission set assignment id", id, ""); err != nil {
			return err
		}
		recs[i] = map[string]any{"Id": id, "ExpirationDate": formatSFTime(expiration)}
	}
	res, err := c.UpdateCollection(ctx, psaObject, recs, false)
	var failures []BatchFailure
	for i, r := range res { // on err, the results of the calls that completed
		if rerr := r.Err(); rerr != nil {
			failures = append(failures, failureOf(ids[i], rerr))
		}
	}
	if err != nil {
		err = fmt.Errorf("set expiration of permission set assignments: %w", err)
	}
	return batchResult(err, failures)
}
