package provider

import (
	"fmt"
	"strings"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
)

// requestsTo returns the logged requests whose path contains fragment.
func requestsTo(org *fakeOrg, fragment string) []fakekit.Recorded {
	var out []fakekit.Recorded
	for _, r := range org.Kit().Requests() {
		if strings.Contains(r.Path, fragment) {
			out = append(out, r)
		}
	}
	return out
}

// expectPagedQueries checks that every read was one query plus its
// nextRecordsUrl follow-ups: `pages` requests per read, the first with ?q=.
func expectPagedQueries(org *fakeOrg, pages int) error {
	reqs := requestsTo(org, "/tooling/query")
	if len(reqs) == 0 || len(reqs)%pages != 0 {
		return fmt.Errorf("%d tooling query requests, want a multiple of %d: %+v", len(reqs), pages, reqs)
	}
	for i, r := range reqs {
		first := i%pages == 0
		if first != strings.Contains(r.RawQuery, "q=") {
			return fmt.Errorf("request %d (%s?%s): expected first-page=%v", i, r.Path, r.RawQuery, first)
		}
	}
	return nil
}

// expectStatusesInOrder checks that the first requests to a path answered
// with these statuses, in order: the faults, then the successful retry.
func expectStatusesInOrder(org *fakeOrg, fragment string, statuses ...int) error {
	reqs := requestsTo(org, fragment)
	if len(reqs) < len(statuses) {
		return fmt.Errorf("%d requests to %s, want at least %d", len(reqs), fragment, len(statuses))
	}
	for i, want := range statuses {
		if reqs[i].Status != want {
			return fmt.Errorf("request %d to %s answered %d, want %d (log: %+v)", i, fragment, reqs[i].Status, want, reqs[:len(statuses)])
		}
	}
	return nil
}

// expectReauthentication checks the log for: a 401 on a query, then a token
// request, then the same query answered 200.
func expectReauthentication(org *fakeOrg) error {
	log := org.Kit().Requests()
	for i, r := range log {
		if r.Status != 401 || !strings.Contains(r.Path, "/tooling/query") {
			continue
		}
		var sawToken bool
		for _, next := range log[i+1:] {
			if strings.HasSuffix(next.Path, "/services/oauth2/token") && next.Status == 200 {
				sawToken = true
				continue
			}
			if sawToken && strings.Contains(next.Path, "/tooling/query") && next.Status == 200 {
				return nil
			}
		}
		return fmt.Errorf("after the 401 at request %d: no new token followed by a successful query: %+v", i, log[i:])
	}
	return fmt.Errorf("no 401 on a query in the log: %+v", log)
}
