package npapi

import (
	"context"
	"strings"
	"testing"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
)

type ctxMarker struct{}

func TestLogsMethodPathStatusAttemptWithCallerContext(t *testing.T) {
	logger := &recordingLogger{}
	fake, c := newFakeAndClient(t, func(cfg *Config) { cfg.Logger = logger })
	p := fake.AddPerson("a+b@x.com", "A", "B")
	fake.Kit().AddRule(fakekit.Rule{PathPrefix: "/v2/people", Sequence: []fakekit.Fault{fakekit.Fault503}})
	ctx := context.WithValue(t.Context(), ctxMarker{}, "run-42")
	if _, err := c.GetPerson(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	lines := logger.all()
	var responses []map[string]any
	retried := false
	for _, l := range lines {
		if l.ctx.Value(ctxMarker{}) != "run-42" {
			t.Fatalf("line %q logged without the caller's context", l.msg)
		}
		if l.level != "debug" {
			t.Fatalf("level %q", l.level)
		}
		switch l.msg {
		case "CE API response":
			responses = append(responses, l.fields)
		case "CE API request will be retried":
			retried = true
		}
	}
	if len(responses) != 2 || !retried {
		t.Fatalf("lines:\n%s", logger.text())
	}
	first, second := responses[0], responses[1]
	if first["method"] != "GET" || first["path"] != "/v2/people/"+p.ID || first["status"] != 503 || first["attempt"] != 1 ||
		second["status"] != 200 || second["attempt"] != 2 {
		t.Fatalf("responses %v / %v", first, second)
	}

	// Queries (paging here; filters could carry personal data) stay out of the logs.
	fake.Kit().ClearRules()
	if _, err := c.ListCourses(ctx); err != nil {
		t.Fatal(err)
	}
	for _, l := range logger.all() {
		for _, v := range l.fields {
			if s, ok := v.(string); ok && (strings.Contains(s, "?") || strings.Contains(s, "limit")) {
				t.Fatalf("query logged: %v", l.fields)
			}
		}
	}
}
