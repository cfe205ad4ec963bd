package sfapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const queryPath = "/services/data/v65.0/query"

// pagedOrg serves one query as three pages linked by nextRecordsUrl.
func pagedOrg(t *testing.T) *org {
	o := newOrg(t)
	page := func(recs []string, next string) string {
		done := next == ""
		s := fmt.Sprintf(`{"totalSize":5,"done":%v,"records":[%s]`, done, strings.Join(recs, ","))
		if !done {
			s += fmt.Sprintf(`,"nextRecordsUrl":%q`, next)
		}
		return s + "}"
	}
	rec := func(id string) string {
		return fmt.Sprintf(`{"attributes":{"type":"User","url":"/services/data/v65.0/sobjects/User/%s"},"Id":"%s"}`, id, id)
	}
	o.handle("GET "+queryPath, func(w http.ResponseWriter, _ *http.Request, s seen) {
		writeRaw(w, 200, page([]string{rec("005a"), rec("005b")}, "/services/data/v65.0/query/01gRO0000016PIAYA2-2000"))
	})
	o.handle("GET "+queryPath+"/01gRO0000016PIAYA2-2000", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 200, page([]string{rec("005c"), rec("005d")}, "/services/data/v65.0/query/01gRO0000016PIAYA2-4000"))
	})
	o.handle("GET "+queryPath+"/01gRO0000016PIAYA2-4000", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 200, page([]string{rec("005e")}, ""))
	})
	return o
}

func TestQueryPaging(t *testing.T) {
	o := pagedOrg(t)
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	const soql = "SELECT Id FROM User WHERE Username = 'a+b@example.com'"
	type user struct{ Id string }
	users, err := QueryAll[user](context.Background(), c, soql)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range users {
		ids = append(ids, u.Id)
	}
	if strings.Join(ids, ",") != "005a,005b,005c,005d,005e" {
		t.Errorf("ids = %v", ids)
	}
	reqs := o.rec.all()
	if len(reqs) != 3 {
		t.Fatalf("requests = %d, want 3", len(reqs))
	}
	if reqs[0].Query.Get("q") != soql {
		t.Errorf("q = %q, want %q", reqs[0].Query.Get("q"), soql)
	}
	if reqs[1].Path != queryPath+"/01gRO0000016PIAYA2-2000" || reqs[2].Path != queryPath+"/01gRO0000016PIAYA2-4000" {
		t.Errorf("paths = %s, %s", reqs[1].Path, reqs[2].Path)
	}
	for _, r := range reqs {
		if bearer(r) != "tok" {
			t.Errorf("%s without bearer", r.Path)
		}
	}
}

func TestQueryCallbackErrorStops(t *testing.T) {
	o := pagedOrg(t)
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	stop := errors.New("stop")
	n := 0
	err := c.Query(context.Background(), "SELECT Id FROM User", func(json.RawMessage) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 || len(o.rec.all()) != 1 {
		t.Errorf("err=%v calls=%d requests=%d", err, n, len(o.rec.all()))
	}
}

func TestQueryRefusesForeignNextRecordsURL(t *testing.T) {
	for _, next := range []string{
		"https://evil.example.com/services/data/v65.0/query/01g-2000",
		"//evil.example.com/services/data/v65.0/query/01g-2000",
		"/some/other/path",
		"/services/data/v65.0/../../secret",
		"/services/data/v65.0/query/%2e%2e",
	} {
		o := newOrg(t)
		o.handle("GET "+queryPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
			writeJSON(w, 200, map[string]any{"totalSize": 2, "done": false, "records": []any{map[string]any{"Id": "1"}}, "nextRecordsUrl": next})
		})
		c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
		err := c.Query(context.Background(), "SELECT Id FROM User", func(json.RawMessage) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "refusing nextRecordsUrl") {
			t.Errorf("%s: err = %v, want refusal", next, err)
		}
		if got := len(o.rec.all()); got != 1 {
			t.Errorf("%s: requests = %d, want 1", next, got)
		}
	}
}

func TestQueryAcceptsAbsoluteNextOnInstance(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+queryPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 200, map[string]any{"done": false, "records": []any{map[string]any{"Id": "1"}}, "nextRecordsUrl": o.URL + queryPath + "/01g-2000"})
	})
	o.handle("GET "+queryPath+"/01g-2000", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 200, map[string]any{"done": true, "records": []any{map[string]any{"Id": "2"}}})
	})
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	got, err := QueryAll[map[string]string](context.Background(), c, "SELECT Id FROM X")
	if err != nil || len(got) != 2 || got[1]["Id"] != "2" {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestToolingQueryPathAndError(t *testing.T) {
	o := newOrg(t)
	o.handle("GET /services/data/v65.0/tooling/query", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 400, `[{"message":"unexpected token: FORM","errorCode":"MALFORMED_QUERY"}]`)
	})
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	_, err := ToolingQueryAll[json.RawMessage](context.Background(), c, "SELECT Id FORM Layout")
	if !HasErrorCode(err, "MALFORMED_QUERY") || !strings.Contains(err.Error(), "GET /services/data/v65.0/tooling/query") {
		t.Errorf("err = %v", err)
	}
	if got := o.rec.count("GET", "/services/data/v65.0/tooling/query"); got != 1 {
		t.Errorf("requests = %d, want 1 (400 is not retried)", got)
	}
}
