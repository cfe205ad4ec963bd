package npapi

import (
	"testing"
)

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
