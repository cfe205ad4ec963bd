package provider

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// Helpers shared by the permission set and user tests. The fake's names
// (the emulated package's namespace and API names) may appear here: only
// provider code must find them by label.

const (
	nsuLabel     = "Northpass Standard User"
	nsuQualified = sffake.NorthpassNamespace + "__Northpass_Standard_User"
	janeUsername = "jane.doe@acme.example"
	johnUsername = "john.smith@acme.example"
	formerUser   = "former.employee@acme.example"
)

func (o *fakeOrg) recordID(t *testing.T, sobject, field, value string) string {
	t.Helper()
	rec, ok := o.Lookup(sobject, field, value)
	if !ok {
		t.Fatalf("fake org has no %s with %s = %q", sobject, field, value)
	}
	return rec["Id"].(string)
}

func (o *fakeOrg) nsuID(t *testing.T) string {
	return o.recordID(t, "PermissionSet", "Label", nsuLabel)
}

func (o *fakeOrg) userID(t *testing.T, username string) string {
	return o.recordID(t, "User", "Username", username)
}

// assignmentsOf returns the fake's assignments of a permission set by
// assignee id (18 characters).
func (o *fakeOrg) assignmentsOf(psID string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, rec := range o.Records("PermissionSetAssignment") {
		if sameRecordID(fmt.Sprint(rec["PermissionSetId"]), psID) {
			out[normalizeID(fmt.Sprint(rec["AssigneeId"]))] = rec
		}
	}
	return out
}

func sameRecordID(a, b string) bool { return normalizeID(a) == normalizeID(b) }

// usernamesAssigned lists the usernames who have the permission set in the
// fake, sorted.
func (o *fakeOrg) usernamesAssigned(psID string) []string {
	byID := map[string]string{}
	for _, u := range o.Records("User") {
		byID[normalizeID(fmt.Sprint(u["Id"]))] = strings.ToLower(fmt.Sprint(u["Username"]))
	}
	var out []string
	for uid := range o.assignmentsOf(psID) {
		out = append(out, byID[uid])
	}
	sort.Strings(out)
	return out
}

// profileOwnedAssignments counts assignments of profiles' own permission
// sets, which no resource may touch.
func (o *fakeOrg) profileOwnedAssignments() int {
	owned := map[string]bool{}
	for _, ps := range o.Records("PermissionSet") {
		if ps["IsOwnedByProfile"] == true {
			owned[normalizeID(fmt.Sprint(ps["Id"]))] = true
		}
	}
	n := 0
	for _, a := range o.Records("PermissionSetAssignment") {
		if owned[normalizeID(fmt.Sprint(a["PermissionSetId"]))] {
			n++
		}
	}
	return n
}

// expirationOf is the fake's ExpirationDate of an assignment, nil if none.
func expirationOf(rec map[string]any) *time.Time {
	if t, ok := rec["ExpirationDate"].(time.Time); ok {
		return &t
	}
	return nil
}

func expectExpiration(rec map[string]any, want string) error {
	got := expirationOf(rec)
	if want == "" {
		if got != nil {
			return fmt.Errorf("assignment %v expires %s, want no expiration", rec["Id"], got)
		}
		return nil
	}
	w, err := time.Parse(time.RFC3339, want)
	if err != nil {
		return err
	}
	if got == nil || !got.Equal(w) {
		return fmt.Errorf("assignment %v expires %v, want %s", rec["Id"], got, want)
	}
	return nil
}

// soqlQueries returns the SOQL of every first-page query request (?q=)
// whose text contains fragment, e.g. "FROM User".
func soqlQueries(org *fakeOrg, fragment string) []string {
	var out []string
	for _, r := range org.Kit().Requests() {
		if !strings.HasSuffix(r.Path, "/query") {
			continue
		}
		v, err := url.ParseQuery(r.RawQuery)
		if err != nil {
			continue
		}
		if q := v.Get("q"); strings.Contains(q, fragment) {
			out = append(out, q)
		}
	}
	return out
}

func TestExpirationDateHelpers(t *testing.T) {
	t.Parallel()
	plus1 := types.StringValue("2026-12-31T01:00:00+01:00")
	utc, _ := time.Parse(time.RFC3339, "2026-12-31T00:00:00Z")
	if !sameExpiration(plus1, &utc) {
		t.Error("the same instant in two zones compared different")
	}
	later := utc.Add(time.Second)
	if sameExpiration(plus1, &later) {
		t.Error("different instants compared equal")
	}
	if !sameExpiration(types.StringNull(), nil) || sameExpiration(types.StringNull(), &utc) || sameExpiration(plus1, nil) {
		t.Error("null handling is wrong")
	}
	if got := keepExpiration(plus1, &utc); !got.Equal(plus1) {
		t.Errorf("keepExpiration replaced the user's spelling: %s", got)
	}
	if got := keepExpiration(plus1, &later); got.ValueString() != "2026-12-31T00:00:01Z" {
		t.Errorf("keepExpiration kept a stale value: %s", got)
	}
	ms := utc.Add(1500 * time.Microsecond)
	if got := expirationDateString(&ms).ValueString(); got != "2026-12-31T00:00:00.001Z" {
		t.Errorf("expirationDateString = %s, want millisecond precision in UTC", got)
	}
	if !expirationDateString(nil).IsNull() {
		t.Error("nil expiration is not null")
	}
}

func TestSplitPermissionSetName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][2]string{
		"northpass__Northpass_Standard_User": {"northpass", "Northpass_Standard_User"},
		"Sales_Ops":                          {"", "Sales_Ops"},
		"__odd":                              {"", "__odd"},
	} {
		ns, name := splitPermissionSetName(in)
		if ns != want[0] || name != want[1] {
			t.Errorf("splitPermissionSetName(%q) = %q, %q; want %q, %q", in, ns, name, want[0], want[1])
		}
	}
}

func TestUsernameProblems(t *testing.T) {
	t.Parallel()
	found := map[string]sfapi.User{
		"jane@x.example": {Username: "jane@x.example", IsActive: true},
		"old@x.example":  {Username: "old@x.example", IsActive: false},
	}
	unknown, inactive := usernameProblems([]string{"Jane@x.example", "old@x.example", "nobody@x.example"}, found)
	if fmt.Sprint(unknown) != "[nobody@x.example]" || fmt.Sprint(inactive) != "[old@x.example]" {
		t.Errorf("unknown %v, inactive %v", unknown, inactive)
	}
	detail := usernameProblemDetail(unknown, inactive)
	for _, want := range []string{"match no user", "nobody@x.example", "inactive", "old@x.example", "nothing was changed"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, detail)
		}
	}
	if usernameProblemDetail(nil, nil) != "" {
		t.Error("no problems should give no detail")
	}
}

func TestPSASBatchDetailNamesUsers(t *testing.T) {
	t.Parallel()
	err := &sfapi.BatchError{Failures: []sfapi.BatchFailure{{Key: "005000000000001AAA", Code: "INSUFFICIENT_ACCESS", Message: "no"}}}
	got := psasBatchDetail(err, map[string]string{"005000000000001AAA": "jane@x.example"})
	if !strings.Contains(got, "jane@x.example (005000000000001AAA): INSUFFICIENT_ACCESS no") {
		t.Errorf("detail = %q", got)
	}
}
