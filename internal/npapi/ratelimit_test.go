package npapi

import (
	"sync"
	"testing"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
)

// A burst of 30 concurrent calls with the default client limiter never
// trips the fake's 10 requests per second: no 429 in its log, and no call
// needed a retry.
func TestClientLimiterKeepsUnderServerLimit(t *testing.T) {
	fake := npfake.NewTestServer(t, npfake.Options{RateLimit: 10})
	p := fake.AddPerson("p@x.com", "P", "X")
	c, err := New(Config{BaseURL: fake.URL(), APIKey: fake.APIKey()}) // default RequestsPerSecond
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.GetPerson(t.Context(), p.ID); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	log := fake.Kit().Requests()
	for _, r := range log {
		if r.Status == 429 {
			t.Fatalf("the fake rate-limited a request: %+v", r)
		}
	}
	if len(log) != 30 {
		t.Fatalf("%d requests for 30 calls", len(log))
	}
}
