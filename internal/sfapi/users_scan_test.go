package sfapi

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

// userQueries are the SOQL texts (and next-batch paths) the client sent.
func userQueries(org *sffake.Server) (soqls []string, nextBatches int) {
	for _, r := range org.Kit().Requests() {
		if !strings.Contains(r.Path, "/query") {
			continue
		}
		q, _ := url.ParseQuery(r.RawQuery)
		if s := q.Get("q"); s != "" {
			soqls = append(soqls, s)
		} else {
			nextBatches++
		}
	}
	return soqls, nextBatches
}

// 5,000 names in an org of 5,000-odd users: one query over the User table,
// read in batches of 2,000 (3 calls), instead of 25 IN queries. A name no
// user has is looked up once more with SOQL's own comparison.
func TestFindUsersByUsernameReadsSmallOrgWhole(t *testing.T) {
	org := sffake.NewTestServer(t, sffake.Options{ExtraUsers: 5000})
	c := fakeClient(t, org)
	var names []string
	for i := 1; i <= 5000; i++ {
		names = append(names, fmt.Sprintf("user%04d@acme.example", i))
	}
	names[7] = strings.ToUpper(names[7])
	names = append(names, "former.employee@acme.example", "nobody@acme.example")
	org.Kit().Reset()
	got, err := c.FindUsersByUsername(t.Context(), names)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5001 {
		t.Errorf("found %d users, want 5001", len(got))
	}
	if u := got["user0008@acme.example"]; u.Username != "user0008@acme.example" || !u.IsActive || u.ProfileName != "Standard User" {
		t.Errorf("user0008 = %+v", u)
	}
	if u, ok := got["former.employee@acme.example"]; !ok || u.IsActive {
		t.Errorf("inactive user = %+v, %v", u, ok)
	}
	soqls, next := userQueries(org)
	if len(soqls) != 2 || !strings.HasSuffix(soqls[0], " FROM User") || !strings.HasSuffix(soqls[1], "IN ('nobody@acme.example')") || next != 2 {
		t.Errorf("queries = %q and %d next batches; want the User table (3 batches) and one IN for the unknown name", soqls, next)
	}
	// The apply's own check, in the same provider process, asks again.
	org.Kit().Reset()
	again, err := c.FindUsersByUsername(t.Context(), names)
	if err != nil || len(again) != 5001 || org.Kit().BillableCalls() != 0 {
		t.Errorf("second look-up: %d users, %v, %d calls; want 5001 from the read cache", len(again), err, org.Kit().BillableCalls())
	}
}

// In an org much larger than the list, the first batch shows that reading
// it whole would cost more than IN queries: the names it held are kept and
// only the rest are looked up.
func TestFindUsersByUsernameLargeOrgFallsBackToIN(t *testing.T) {
	org := sffake.NewTestServer(t, sffake.Options{ExtraUsers: 12000})
	c := fakeClient(t, org)
	var names []string
	for i := 11001; i <= 12000; i++ { // past the first batch, in any order the fake returns
		names = append(names, fmt.Sprintf("user%04d@acme.example", i))
	}
	org.Kit().Reset()
	got, err := c.FindUsersByUsername(t.Context(), names)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1000 {
		t.Errorf("found %d users, want 1000", len(got))
	}
	soqls, next := userQueries(org)
	// 12,000 users are 7 batches, 1,000 names 5 IN queries.
	if next != 0 || len(soqls) < 2 || len(soqls) > 6 || !strings.HasSuffix(soqls[0], " FROM User") {
		t.Errorf("queries = %d (%d next batches); want one batch of the User table, then at most 5 IN queries", len(soqls), next)
	}
}
