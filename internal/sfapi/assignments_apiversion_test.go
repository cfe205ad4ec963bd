package sfapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// Before API 52.0 PermissionSetAssignment has no ExpirationDate, and an org
// refuses a query that names it (INVALID_FIELD, as the fake does from its
// field table). A client pinned to 51.0 still creates, finds and lists
// assignments; they read as never expiring.
func TestAssignmentsReadBeforeExpirationDatesExist(t *testing.T) {
	for _, tc := range []struct {
		version        string
		wantExpiration bool
	}{{"51.0", false}, {"52.0", true}, {"65.0", true}} {
		t.Run(tc.version, func(t *testing.T) {
			org := sffake.NewTestServer(t, sffake.Options{APIVersions: []string{"51.0", "52.0", "65.0"}})
			rec := &sentRecorder{base: http.DefaultTransport, writes: map[string][]string{}}
			c := mustNew(t, Config{InstanceURL: org.URL(), AccessToken: org.IssueAccessToken(sffake.DefaultAdminUsername),
				RetryMax: -1, APIVersion: tc.version, HTTPClient: &http.Client{Transport: rec}})
			ctx := t.Context()
			sets, err := c.FindPermissionSets(ctx, PermissionSetFilter{Label: "Northpass Standard User"})
			if err != nil || len(sets) != 1 {
				t.Fatalf("permission set: %v %v", sets, err)
			}
			users, err := c.FindUsersByUsername(ctx, []string{"jane.doe@acme.example"})
			if err != nil || len(users) != 1 {
				t.Fatalf("user: %v %v", users, err)
			}
			var userID string
			for _, u := range users {
				userID = u.ID
			}
			a, _, err := c.CreatePermissionSetAssignment(ctx, sets[0].ID, userID, nil)
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			if _, err := c.GetPermissionSetAssignment(ctx, a.ID); err != nil {
				t.Fatalf("get: %v", err)
			}
			if found, err := c.FindPermissionSetAssignment(ctx, sets[0].ID, userID); err != nil || found == nil || found.ExpirationDate != nil {
				t.Fatalf("find: %+v %v", found, err)
			}
			if all, err := c.ListPermissionSetAssignments(ctx, sets[0].ID); err != nil || len(all) == 0 {
				t.Fatalf("list: %d %v", len(all), err)
			}
			named := false
			rec.mu.Lock()
			queries := append([]string(nil), rec.queries...)
			rec.mu.Unlock()
			for _, q := range queries {
				if strings.Contains(q, "FROM PermissionSetAssignment") && strings.Contains(q, "ExpirationDate") {
					named = true
				}
			}
			if named != tc.wantExpiration {
				t.Fatalf("queries named ExpirationDate: %v, want %v", named, tc.wantExpiration)
			}
		})
	}
}
