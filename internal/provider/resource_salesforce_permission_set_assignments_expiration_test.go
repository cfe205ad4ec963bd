package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// refusingOrg is a fake org behind a handler that refuses one record, by
// id, in every PATCH /composite/sobjects: the record is taken out of the
// call the fake carries out and its result replaced by a per-record error,
// as Salesforce answers with allOrNone=false for a record it cannot save.
type refusingOrg struct {
	*fakeOrg
	mu     sync.Mutex
	refuse string
}

func newRefusingOrg(t *testing.T, opts sffake.Options) *refusingOrg {
	t.Helper()
	key, cert, _ := testKeys(t)
	opts.CertificatePEM = cert
	s := sffake.New(opts)
	o := &refusingOrg{fakeOrg: &fakeOrg{Server: s, key: key}}
	front := httptest.NewServer(http.HandlerFunc(o.serve))
	s.SetBaseURL(front.URL)
	t.Cleanup(front.Close)
	t.Cleanup(s.Close)
	return o
}

func (o *refusingOrg) refuseID(id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.refuse = id
}

func (o *refusingOrg) serve(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	refuse := o.refuse
	o.mu.Unlock()
	if refuse == "" || r.Method != http.MethodPatch || !strings.HasSuffix(r.URL.Path, "/composite/sobjects") {
		o.Handler().ServeHTTP(w, r)
		return
	}
	var body struct {
		AllOrNone bool             `json:"allOrNone"`
		Records   []map[string]any `json:"records"`
	}
	raw, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(raw, &body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	at := -1
	for i, rec := range body.Records {
		if sameRecordID(fmt.Sprint(rec["Id"]), refuse) {
			at = i
		}
	}
	if at < 0 || body.AllOrNone {
		r.Body = io.NopCloser(bytes.NewReader(raw))
		o.Handler().ServeHTTP(w, r)
		return
	}
	body.Records = append(body.Records[:at:at], body.Records[at+1:]...)
	var results []any
	if len(body.Records) > 0 {
		fwd, _ := json.Marshal(body)
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(fwd)), int64(len(fwd))
		rec := httptest.NewRecorder()
		o.Handler().ServeHTTP(rec, r)
		if rec.Code != http.StatusOK {
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			return
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &results)
	}
	refused := map[string]any{"success": false, "errors": []any{map[string]any{
		"statusCode": "UNABLE_TO_LOCK_ROW", "message": "unable to obtain exclusive access to this record", "fields": []any{}}}}
	results = append(results[:at:at], append([]any{refused}, results[at:]...)...)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(results)
}

// 401 changed expirations are 3 PATCH /composite/sobjects calls of at most
// 200 records, not 450 single updates; a record Salesforce refuses is
// reported on its user, the others are saved, and the next apply changes
// only that one.
func TestAccPermissionSetAssignments_expirationBatches(t *testing.T) {
	skipOnRealOrg(t)
	const n = 401 // 200 + 200 + 1: the smallest count that shows the cap twice
	org := newRefusingOrg(t, sffake.Options{AssignmentExpirationDates: true, ExtraUsers: n})
	ps := org.nsuID(t)
	config := func(exp string) string {
		return org.jwtProvider() + fmt.Sprintf(`
resource "northpass_salesforce_permission_set_assignments" "standard_users" {
  permission_set_id = %q
  usernames         = [for i in range(1, %d) : format("user%%04d@acme.example", i)]
  expiration_date   = %q
}
`, ps, n+1, exp)
	}
	const exp1, exp2, exp3 = "2030-01-01T00:00:00Z", "2031-01-01T00:00:00Z", "2032-01-01T00:00:00Z"
	const refused = "user0007@acme.example"
	updates := func(wantCalls, wantRecords int) error {
		if c := org.Kit().Count("PATCH sobjects/PermissionSetAssignment/{id}"); c != 0 {
			return fmt.Errorf("%d single-record updates", c)
		}
		calls, records := 0, 0
		for _, r := range org.Kit().Requests() {
			if r.Method != http.MethodPatch || r.Endpoint != "PATCH composite/sobjects" {
				continue
			}
			var body struct {
				Records []map[string]any `json:"records"`
			}
			if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
				return err
			}
			if len(body.Records) > 200 {
				return fmt.Errorf("one update call carries %d records", len(body.Records))
			}
			calls++
			records += len(body.Records)
		}
		if calls != wantCalls || records != wantRecords {
			return fmt.Errorf("%d update calls of %d records in all, want %d of %d", calls, records, wantCalls, wantRecords)
		}
		return nil
	}
	expirations := func(want map[string]string, others string) error {
		for uid, rec := range org.assignmentsOf(ps) {
			exp := others
			for name, e := range want {
				if sameRecordID(uid, org.userID(t, name)) {
					exp = e
				}
			}
			if err := expectExpiration(rec, exp); err != nil {
				return err
			}
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactories(),
		Steps: []resource.TestStep{
			{Config: config(exp1)},
			{
				PreConfig: func() { org.Kit().Reset() },
				Config:    config(exp2),
				Check: func(*terraform.State) error {
					if err := updates(3, n); err != nil {
						return err
					}
					return expirations(nil, exp2)
				},
			},
			{
				PreConfig: func() {
					org.refuseID(fmt.Sprint(org.assignmentsOf(ps)[normalizeID(org.userID(t, refused))]["Id"]))
				},
				Config:      config(exp3),
				ExpectError: errorLike("Cannot change the expiration of every assignment", refused, "UNABLE_TO_LOCK_ROW", "No one was removed"),
			},
			{
				PreConfig: func() {
					if err := expirations(map[string]string{refused: exp2}, exp3); err != nil {
						t.Fatalf("after the refused record: %v", err)
					}
					org.refuseID("")
					org.Kit().Reset()
				},
				Config: config(exp3),
				Check: func(*terraform.State) error {
					if err := updates(1, 1); err != nil {
						return err
					}
					return expirations(nil, exp3)
				},
			},
		},
	})
}
