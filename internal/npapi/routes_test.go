package npapi

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
)

// calledRoutes is what a fake saw, as Routes writes it: the fake names each
// request by its route pattern ("GET /v2/courses/{id}/enrollments"), and the
// query by its parameter names.
func calledRoutes(fake *npfake.Server) []string {
	seen := map[string]bool{}
	for _, r := range fake.Kit().Requests() {
		if !strings.HasPrefix(r.Path, "/v2/") {
			continue
		}
		q, _ := url.ParseQuery(r.RawQuery)
		names := make([]string, 0, len(q))
		for k := range q {
			names = append(names, k)
		}
		sort.Strings(names)
		seen[Route{Method: r.Method, Path: strings.TrimPrefix(r.Endpoint, r.Method+" "), Query: names}.String()] = true
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func routeStrings() []string {
	var out []string
	for _, r := range Routes() {
		out = append(out, r.String())
	}
	sort.Strings(out)
	return out
}

// Every exported call of the client, through every branch that changes
// which endpoint it uses, calls exactly the routes Routes lists.
func TestRoutesAreExactlyTheCallsMade(t *testing.T) {
	fake, c := newFakeAndClient(t)
	ctx := t.Context()

	course := fake.AddCourse("Intro")
	since := time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)
	// More learners than fetchPeopleOneByOne, so the people list is used
	// as well as GET /v2/people/{id}.
	for i := range fetchPeopleOneByOne + 5 {
		p := fake.AddPerson("p"+strings.Repeat("x", i)+"@x.com", "P", "X")
		fake.AddEnrollment(course.ID, p.ID, 50, since.Add(time.Hour))
	}
	if _, err := c.ListEnrollmentsSince(ctx, since, nil); err != nil {
		t.Fatal(err)
	}
	// A few learners are fetched one by one.
	small := fake.AddCourse("Advanced")
	fake.AddEnrollment(small.ID, fake.AddPerson("solo@x.com", "S", "O").ID, 10, since.Add(time.Hour))
	if _, err := c.ListEnrollmentsSince(ctx, since, []string{small.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetIntegration(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateIntegration(ctx, IntegrationUpdate{InstanceURL: ptr("https://acme.my.salesforce.com"), Enabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RequestAuthorization(ctx); err != nil {
		t.Fatal(err)
	}
	if err := fake.ApprovePendingAuthorization("int@acme.com"); err != nil {
		t.Fatal(err)
	}
	if err := c.RevokeAuthorization(ctx); err != nil {
		t.Fatal(err)
	}

	if got, want := calledRoutes(fake), routeStrings(); !slices.Equal(got, want) {
		t.Errorf("the client called\n  %s\nRoutes() lists\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
