package npapi

import (
	"net/url"
	"testing"
)

func TestFindPersonByEmail(t *testing.T) {
	fake, c := newFakeAndClient(t)
	want := fake.AddPerson("a+b@x.com", "Ada", "Byron")
	fake.AddPerson("ab@x.com", "Decoy", "One")  // "+" dropped
	fake.AddPerson("a b@x.com", "Decoy", "Two") // "+" decoded as a space
	ctx := t.Context()

	got, err := c.FindPersonByEmail(ctx, "a+b@x.com")
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || got.ID != want.ID || got.FirstName != "Ada" || got.LastName != "Byron" || got.FullName != "Ada Byron" || got.Email != "a+b@x.com" {
		t.Fatalf("got %+v", got)
	}
	reqs := fake.Kit().Requests()
	q, _ := url.ParseQuery(reqs[len(reqs)-1].RawQuery)
	if q.Get("filter[email][eq]") != "a+b@x.com" {
		t.Fatalf("query sent: %q", reqs[len(reqs)-1].RawQuery)
	}

	none, err := c.FindPersonByEmail(ctx, "nobody@x.com")
	if err != nil || none != nil {
		t.Fatalf("no match: %+v %v", none, err)
	}
}

func TestGetPerson(t *testing.T) {
	fake, c := newFakeAndClient(t)
	want := fake.AddPerson("p@x.com", "P", "X")
	got, err := c.GetPerson(t.Context(), want.ID)
	if err != nil || got.ID != want.ID || got.Email != "p@x.com" || got.FullName != "P X" {
		t.Fatalf("%+v %v", got, err)
	}
	_, err = c.GetPerson(t.Context(), "no/such id")
	if !IsNotFound(err) {
		t.Fatalf("missing person: %v", err)
	}
	// The id is escaped into one path segment, not a different route.
	if fake.Kit().Count("GET /v2/people/{id}") != 2 {
		t.Fatalf("counters %v", fake.Kit().Counters())
	}
}
