package sfapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake/soql"
)

// sentRecorder keeps every SOQL query and every write body the client sends.
type sentRecorder struct {
	mu      sync.Mutex
	queries []string            // as sent
	writes  map[string][]string // sObject → field names written
	base    http.RoundTripper
}

func (r *sentRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	if q := req.URL.Query().Get("q"); q != "" {
		r.queries = append(r.queries, q)
	}
	if req.Body != nil && (req.Method == http.MethodPost || req.Method == http.MethodPatch) && strings.Contains(req.URL.Path, "/services/data/") {
		b, _ := io.ReadAll(req.Body)
		_ = req.Body.Close()
		req.Body = io.NopCloser(strings.NewReader(string(b)))
		r.addWrite(req.URL.Path, b)
	}
	r.mu.Unlock()
	return r.base.RoundTrip(req)
}

// addWrite records the fields of /sobjects/{type}[/{id}] and of sObject
// Collections bodies (records[].attributes.type).
func (r *sentRecorder) addWrite(path string, body []byte) {
	add := func(obj string, rec map[string]any) {
		for k := range rec {
			if k != "attributes" {
				r.writes[obj] = append(r.writes[obj], k)
			}
		}
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if s == "sobjects" && i+1 < len(segs) && segs[i-1] != "composite" {
			var rec map[string]any
			if json.Unmarshal(body, &rec) == nil {
				add(segs[i+1], rec)
			}
			return
		}
	}
	var coll struct {
		Records []map[string]any `json:"records"`
	}
	if json.Unmarshal(body, &coll) == nil {
		for _, rec := range coll.Records {
			attrs, _ := rec["attributes"].(map[string]any)
			typ, _ := attrs["type"].(string)
			add(typ, rec)
		}
	}
}

// Every field the client names, in a query or a write, has an entry in the
// fake's field table citing its reference page, and the stricter fake
// accepts every call: the domain methods run one after the other against it.
func TestClientFieldsAreInTheFieldTable(t *testing.T) {
	org := sffake.NewTestServer(t, sffake.Options{InstallDuration: time.Minute, AssignmentExpirationDates: true})
	rec := &sentRecorder{writes: map[string][]string{}, base: http.DefaultTransport}
	c := mustNew(t, Config{InstanceURL: org.URL(), AccessToken: org.IssueAccessToken(sffake.DefaultAdminUsername),
		RetryMax: -1, HTTPClient: &http.Client{Transport: rec}})
	ctx := t.Context()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	np, _ := org.CatalogVersion(sffake.NorthpassNamespace, "2.1")
	dc, _ := org.CatalogVersion(sffake.ConnectorNamespace, "1.0")
	must("install Northpass", org.SetInstalledVersion(np.VersionID))
	poll := PollPolicy{Sleep: func(context.Context, time.Duration) error { org.AdvanceClock(time.Minute); return nil }}

	// Packages.
	_, err := c.GetOrg(ctx)
	must("GetOrg", err)
	_, err = c.ListInstalledPackages(ctx)
	must("ListInstalledPackages", err)
	_, err = c.GetPackageVersion(ctx, dc.VersionID, "")
	must("GetPackageVersion", err)
	pir, err := c.StartPackageInstall(ctx, InstallOptions{VersionID: dc.VersionID})
	must("StartPackageInstall", err)
	_, err = c.RunningPackageInstalls(ctx, dc.VersionID)
	must("RunningPackageInstalls", err)
	_, err = c.GetPackageInstall(ctx, pir)
	must("GetPackageInstall", err)
	_, err = c.WaitPackageInstall(ctx, pir, poll)
	must("WaitPackageInstall", err)
	unin, err := c.StartPackageUninstall(ctx, dc.VersionID)
	must("StartPackageUninstall", err)
	_, err = c.RunningPackageUninstalls(ctx, dc.VersionID)
	must("RunningPackageUninstalls", err)
	must("WaitPackageUninstall", c.WaitPackageUninstall(ctx, unin, poll))

	// Permission sets, users, assignments.
	sets, err := c.FindPermissionSets(ctx, PermissionSetFilter{Label: "Northpass Standard User"})
	must("FindPermissionSets", err)
	if len(sets) != 1 {
		t.Fatalf("permission sets = %+v", sets)
	}
	ps := sets[0].ID
	_, err = c.GetPermissionSet(ctx, ps)
	must("GetPermissionSet", err)
	users, err := c.FindUsersByUsername(ctx, []string{sffake.DefaultIntegrationUsername, sffake.DefaultAdminUsername})
	must("FindUsersByUsername", err)
	integ, admin := users[sffake.DefaultIntegrationUsername].ID, users[sffake.DefaultAdminUsername].ID
	_, err = c.GetUser(ctx, integ)
	must("GetUser", err)
	_, err = c.UserHasModifyAllData(ctx, integ)
	must("UserHasModifyAllData", err)
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	a, _, err := c.CreatePermissionSetAssignment(ctx, ps, integ, &exp)
	must("CreatePermissionSetAssignment", err)
	must("SetPermissionSetAssignmentExpiration", c.SetPermissionSetAssignmentExpiration(ctx, a.ID, nil))
	_, err = c.GetPermissionSetAssignment(ctx, a.ID)
	must("GetPermissionSetAssignment", err)
	_, err = c.FindPermissionSetAssignment(ctx, ps, integ)
	must("FindPermissionSetAssignment", err)
	_, err = c.ListPermissionSetAssignments(ctx, ps)
	must("ListPermissionSetAssignments", err)
	batch, err := c.CreatePermissionSetAssignments(ctx, []NewAssignment{{PermissionSetID: ps, AssigneeID: admin, ExpirationDate: &exp}})
	must("CreatePermissionSetAssignments", err)
	must("DeletePermissionSetAssignments", c.DeletePermissionSetAssignments(ctx, []string{batch[0].ID}))
	must("DeletePermissionSetAssignment", c.DeletePermissionSetAssignment(ctx, a.ID))

	// Enrollments and layouts.
	_, err = org.Insert("Contact", map[string]any{"LastName": "Lovelace", "Email": "ada@example.com"})
	must("seed a contact", err)
	s, err := c.DiscoverEnrollmentSchema(ctx)
	must("DiscoverEnrollmentSchema", err)
	contacts, err := c.FindContactIDsByEmail(ctx, []string{"ada@example.com"})
	must("FindContactIDsByEmail", err)
	progress, attempt := 50.0, 1.0
	_, _, err = c.UpsertEnrollments(ctx, s, []EnrollmentRecord{{ExternalID: "ce-1", ContactID: contacts["ada@example.com"],
		CourseID: "c1", CourseName: "Course", EnrolledAt: &exp, Progress: &progress, Attempt: &attempt}})
	must("UpsertEnrollments", err)
	if contacts["ada@example.com"] == "" {
		t.Error("the contact was not found by email")
	}
	_, err = c.ListEnrollments(ctx, s, []string{"ce-1"})
	must("ListEnrollments", err)
	_, err = c.ListLayouts(ctx, "Contact")
	must("ListLayouts", err)

	// The uninstall errors query only runs when an uninstall fails; it is
	// checked as WaitPackageUninstall builds it.
	rec.queries = append(rec.queries, "SELECT Message FROM PackageVersionUninstallRequestError WHERE ParentRequest.Id="+QuoteSOQL(unin))

	var named []string
	for _, q := range rec.queries {
		pq, err := soql.Parse(q)
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		for _, p := range pq.Paths() {
			if _, ok := sffake.FieldReference(pq.Object, p); !ok {
				t.Errorf("%s.%s (in %q) has no entry in the fake's field table", pq.Object, p, q)
			}
			named = append(named, pq.Object+"."+p.String())
		}
	}
	for obj, fields := range rec.writes {
		for _, f := range fields {
			if _, ok := sffake.FieldReference(obj, []string{f}); !ok {
				t.Errorf("%s.%s (written) has no entry in the fake's field table", obj, f)
			}
			named = append(named, obj+"."+f+" (written)")
		}
	}
	sort.Strings(named)
	t.Logf("%d queries; fields named:\n%s", len(rec.queries), strings.Join(dedupe(named), "\n"))
	if len(rec.queries) < 15 || len(rec.writes) < 4 {
		t.Errorf("only %d queries and writes to %d objects were seen", len(rec.queries), len(rec.writes))
	}
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
