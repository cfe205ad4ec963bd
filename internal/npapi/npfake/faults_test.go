package npfake

import (
	"testing"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
)

func TestFaultsRenderAsCEErrors(t *testing.T) {
	s := newFake(t)
	s.Kit().AddRule(fakekit.Rule{PathPrefix: "/v2/courses", Sequence: []fakekit.Fault{
		fakekit.Fault503, fakekit.Fault429, fakekit.FaultRequestLimit, fakekit.FaultExpiredSession,
	}})
	for _, want := range []int{503, 429, 429, 401} {
		r := call(t, s, "GET", "/v2/courses", "", "")
		mustStatus(t, r, want)
		if want == 401 {
			if string(r.body) != unauthorizedBody {
				t.Fatalf("expired session body: %s", r.body)
			}
			continue
		}
		if e := firstError(t, r); e["status"] != itoa(want) || e["title"] == "" {
			t.Fatalf("%d body: %s", want, r.body)
		}
	}
	mustStatus(t, call(t, s, "GET", "/v2/courses", "", ""), 200)
	log := s.Kit().Requests()
	if len(log) != 5 || log[0].Fault != fakekit.Fault503 || log[0].Status != 503 || log[4].Status != 200 {
		t.Fatalf("log %+v", log)
	}
}
