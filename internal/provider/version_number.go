package provider

import (
	"fmt"
	"strconv"
	"strings"
)

// versionNumber is a dotted numeric package version such as "2.1.0.3".
type versionNumber []int

// parseVersion accepts one to four (or more) dot-separated non-negative
// integers. Salesforce shows package versions as major.minor.patch.build; the
// guide says "Version 2.1", so shorter forms must compare too.
func parseVersion(s string) (versionNumber, error) {
	if strings.TrimSpace(s) != s || s == "" {
		return nil, fmt.Errorf("%q is not a version number such as \"2.1\" or \"2.1.0.3\"", s)
	}
	parts := strings.Split(s, ".")
	v := make(versionNumber, len(parts))
	for i, p := range parts {
		if p == "" || strings.TrimLeft(p, "0123456789") != "" {
			return nil, fmt.Errorf("%q is not a version number such as \"2.1\" or \"2.1.0.3\": part %d (%q) is not a non-negative integer", s, i+1, p)
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("%q is not a version number: part %d is too large", s, i+1)
		}
		v[i] = n
	}
	return v, nil
}

// compare returns -1, 0 or 1; missing parts count as 0, so "2.1" == "2.1.0.0".
func (v versionNumber) compare(w versionNumber) int {
	for i := 0; i < len(v) || i < len(w); i++ {
		a, b := 0, 0
		if i < len(v) {
			a = v[i]
		}
		if i < len(w) {
			b = w[i]
		}
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
	}
	return 0
}
