package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

type mapPrivate map[string][]byte

func (m mapPrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return m[key], nil
}

// A private value comes back as written; a missing, unreadable or
// incomplete one, or no private state at all, is forgotten, not an error.
func TestPrivateJSON(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	complete := func(pr *pendingRequest) bool { return pr.RequestID != "" }
	want := &pendingRequest{Kind: pendingInstall, RequestID: "0Hf000000000001", VersionID: "04t000000000001"}
	p := mapPrivate{
		"good":       encodePrivateJSON(want),
		"bad":        []byte("{not json"),
		"incomplete": encodePrivateJSON(&pendingRequest{Kind: pendingInstall}),
	}
	if got := readPrivateJSON(ctx, p, "good", complete); got == nil || *got != *want {
		t.Errorf("good: %+v, want %+v", got, want)
	}
	for _, key := range []string{"bad", "incomplete", "missing"} {
		if got := readPrivateJSON(ctx, p, key, complete); got != nil {
			t.Errorf("%s: %+v, want nil", key, got)
		}
	}
	var none *nilPrivate
	if got := readPrivateJSON(ctx, none, "good", complete); got != nil {
		t.Errorf("nil private state: %+v", got)
	}
	if b := encodePrivateJSON[pendingRequest](nil); b != nil {
		t.Errorf("nil encodes as %q, want nil (the key removed)", b)
	}
}

// nilPrivate panics if used: a nil one must not be.
type nilPrivate struct{ data map[string][]byte }

func (n *nilPrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return n.data[key], nil
}

func TestDescribeEach(t *testing.T) {
	t.Parallel()
	if got := describeEach([]string{}, func(s string) string { return s }); got != "  (none)" {
		t.Errorf("empty: %q", got)
	}
	if got := describeEach([]string{"a", "b"}, func(s string) string { return "<" + s + ">" }); got != "  - <a>\n  - <b>" {
		t.Errorf("two: %q", got)
	}
}
