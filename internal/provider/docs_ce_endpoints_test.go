package provider

import (
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi"
	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
)

// checkCERoutesListed fails an acceptance test in which the provider called
// a CE route that npapi.Routes (and so the docs' table) does not list.
func checkCERoutesListed(t *testing.T, ce *npfake.Server) {
	t.Helper()
	listed := map[string]bool{}
	for _, r := range npapi.Routes() {
		listed[r.String()] = true
	}
	for _, r := range ce.Kit().Requests() {
		if !strings.HasPrefix(r.Path, "/v2/") {
			continue
		}
		q, _ := url.ParseQuery(r.RawQuery)
		names := make([]string, 0, len(q))
		for k := range q {
			names = append(names, k)
		}
		sort.Strings(names)
		route := npapi.Route{Method: r.Method, Path: strings.TrimPrefix(r.Endpoint, r.Method+" "), Query: names}.String()
		if !listed[route] {
			t.Errorf("the provider called CE's %s, which npapi.Routes and the docs' endpoint table do not list", route)
		}
	}
}

const ceEndpointsHeading = "## Which CE endpoints the provider uses"

// tableRow is one row of the CE endpoints table: the endpoint, and whether
// the API column says public API or the integration-settings contract.
var tableRow = regexp.MustCompile("^\\| `([A-Z]+ /[^`]+)` \\| ([^|]+) \\|")

// documentedCERoutes reads the endpoint table of the provider docs' CE
// section, as "METHOD /path?query=…" → API column.
func documentedCERoutes(t *testing.T, file string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, ceEndpointsHeading)
	if start < 0 {
		t.Fatalf("%s has no %q section", file, ceEndpointsHeading)
	}
	section := text[start+len(ceEndpointsHeading):]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	rows := map[string]string{}
	for _, line := range strings.Split(section, "\n") {
		if m := tableRow.FindStringSubmatch(line); m != nil {
			if _, dup := rows[m[1]]; dup {
				t.Errorf("%s lists %s twice", file, m[1])
			}
			rows[m[1]] = strings.TrimSpace(m[2])
		}
	}
	return rows
}

// The docs' table lists exactly the CE calls the code makes: npapi.Routes,
// which npapi's tests hold to the calls the client really sends.
func TestDocsListExactlyTheCECallsMade(t *testing.T) {
	t.Parallel()
	var want []string
	public := map[string]bool{}
	for _, r := range npapi.Routes() {
		want = append(want, r.String())
		public[r.String()] = r.Public
	}
	sort.Strings(want)
	for _, file := range []string{"../../templates/index.md.tmpl", "../../docs/index.md"} {
		rows := documentedCERoutes(t, file)
		var got []string
		for r, api := range rows {
			got = append(got, r)
			isPublic, known := public[r]
			switch {
			case !known:
			case isPublic && !strings.Contains(api, "public CE API"):
				t.Errorf("%s: %s is public CE API, the table says %q", file, r, api)
			case !isPublic && !strings.Contains(api, "integration-settings contract"):
				t.Errorf("%s: %s is the integration-settings contract, the table says %q", file, r, api)
			}
		}
		sort.Strings(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s lists the CE endpoints\n  %s\nbut the code calls\n  %s", file,
				strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
	}
}
