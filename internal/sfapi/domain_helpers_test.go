package sfapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const (
	restQuery    = "/services/data/v65.0/query"
	toolingQuery = "/services/data/v65.0/tooling/query"
)

// sfID builds a real-shaped 18-character id: 15 case-sensitive characters
// and the case checksum, which is "AAA" when there are no capital letters.
func sfID(prefix string, n int) string { return fmt.Sprintf("%s%012dAAA", prefix, n) }

// queryResult is a one-page query response in Salesforce's shape.
func queryResult(recs ...map[string]any) map[string]any {
	if recs == nil {
		recs = []map[string]any{}
	}
	return map[string]any{"totalSize": len(recs), "done": true, "records": recs}
}

// withAttrs adds the "attributes" every Salesforce record carries.
func withAttrs(typ string, rec map[string]any) map[string]any {
	rec["attributes"] = map[string]any{"type": typ, "url": "/services/data/v65.0/sobjects/" + typ + "/" + fmt.Sprint(rec["Id"])}
	return rec
}

// soqlOf returns the decoded SOQL of each query request to path.
func soqlOf(o *org, path string) []string {
	var out []string
	for _, s := range o.rec.all() {
		if s.Method == http.MethodGet && s.Path == path {
			out = append(out, s.Query.Get("q"))
		}
	}
	return out
}

// bodiesOf returns the decoded JSON bodies of requests with method and path.
func bodiesOf(t *testing.T, o *org, method, path string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, s := range o.rec.all() {
		if s.Method == method && s.Path == path {
			var m map[string]any
			if err := json.Unmarshal([]byte(s.Body), &m); err != nil {
				t.Fatalf("%s %s body %q: %v", method, path, s.Body, err)
			}
			out = append(out, m)
		}
	}
	return out
}

// soqlLiterals returns the string literals inside "IN (…)" after marker,
// undoing SOQL escapes.
func soqlLiterals(t *testing.T, soql, marker string) []string {
	t.Helper()
	i := strings.Index(soql, marker+" IN (")
	if i < 0 {
		t.Fatalf("no %q IN list in %q", marker, soql)
	}
	s := soql[i+len(marker)+len(" IN ("):]
	var out []string
	for len(s) > 0 && s[0] == '\'' {
		var b strings.Builder
		j := 1
		for ; j < len(s) && s[j] != '\''; j++ {
			if s[j] == '\\' {
				j++
			}
			b.WriteByte(s[j])
		}
		out = append(out, b.String())
		s = s[j+1:]
		s = strings.TrimPrefix(s, ",")
	}
	if !strings.HasPrefix(s, ")") {
		t.Fatalf("IN list of %q not closed: %q", marker, s)
	}
	return out
}

func newTestClient(t *testing.T, o *org) *Client {
	t.Helper()
	return mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
}
