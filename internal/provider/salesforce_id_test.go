package provider

import (
	"strings"
	"testing"
)

func TestCheckSalesforceID(t *testing.T) {
	t.Parallel()
	if msg := checkSalesforceID("0PSak00000M9uBB", "0PS"); msg != "" {
		t.Errorf("valid 15-character id refused: %s", msg)
	}
	if msg := checkSalesforceID("0PSak00000M9uBBGAZ", "0PS"); msg != "" {
		t.Errorf("valid 18-character id refused: %s", msg)
	}
	cases := map[[2]string]string{
		{"005ak000005hvjJAAQ", "0PS"}: "is a user id (prefix 005), but a permission set id (prefix 0PS)",
		{"0PSak00000M9uBB", "04t"}:    "is a permission set id (prefix 0PS), but a package version id (prefix 04t)",
		{"a0Xak00000M9uBB", "005"}:    "is not a user id: those start with 005",
		{"005ak", "005"}:              "15 or 18 characters",
	}
	for in, want := range cases {
		if msg := checkSalesforceID(in[0], in[1]); !strings.Contains(msg, want) {
			t.Errorf("checkSalesforceID(%q, %q) = %q, want it to contain %q", in[0], in[1], msg, want)
		}
	}
	if normalizeID("0PSak00000M9uBB") != "0PSak00000M9uBBGAZ" {
		t.Error("normalizeID did not lengthen a 15-character id")
	}
}
