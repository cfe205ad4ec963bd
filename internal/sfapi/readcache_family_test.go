package sfapi

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Which entries each kind of write drops, family by family: one entry per
// family (two sets of assignments, two layouts) is stored, a write goes
// through invalidateAfterWrite, and what is left is compared.
func TestCacheFamiliesStaleAfterWrites(t *testing.T) {
	setA, setB := sfID("0PS", 1), sfID("0PS", 2)
	inA := sfID("0Pa", 1)
	layoutA, layoutB := sfID("00h", 1), sfID("00h", 2)
	fill := func(c *Client) {
		rc := c.cache
		assignmentSetCache.put(rc, setA, &assignmentSet{byID: map[string]int{idKey(inA): 0}, list: []PermissionSetAssignment{{ID: inA}}})
		assignmentSetCache.put(rc, setB, &assignmentSet{byID: map[string]int{}})
		modifyAllDataCache.put(rc, sfID("005", 1), true)
		layoutListCache.put(rc, "Contact", nil)
		layoutCache.put(rc, layoutA, json.RawMessage(`{}`))
		layoutCache.put(rc, layoutB, json.RawMessage(`{}`))
		installedPackagesCache.put(rc, "", nil)
		permissionSetCache.put(rc, setA, &PermissionSet{ID: setA})
		permissionSetFindCache.put(rc, "filter", nil)
		userByIDCache.put(rc, sfID("005", 1), &User{})
		userByNameCache.put(rc, "jane@example.com", &User{})
	}
	all := []string{"admin", "installed-packages", "layout:A", "layout:B", "layouts", "ps", "psa:A", "psa:B", "psfind", "user", "userid"}
	for _, tc := range []struct {
		name    string
		sobject string
		id      string
		body    any
		dropped []string
	}{
		{"assignment created in set A", "PermissionSetAssignment", "", map[string]any{"PermissionSetId": setA}, []string{"admin", "psa:A"}},
		{"assignment of set A updated by id", "PermissionSetAssignment", inA, map[string]any{"ExpirationDate": nil}, []string{"admin", "psa:A"}},
		{"assignment deleted, object known by its id only", "", inA, nil, []string{"admin", "psa:A"}},
		{"assignment held by no load deleted", "", sfID("0Pa", 9), nil, []string{"admin"}},
		{"layout A updated", "Layout", layoutA, map[string]any{}, []string{"layout:A"}},
		{"layout A deleted", "Layout", layoutA, nil, []string{"layout:A", "layouts"}},
		{"layout created", "Layout", "", map[string]any{}, []string{"layouts"}},
		{"user updated", "User", sfID("005", 1), map[string]any{}, []string{"admin", "user", "userid"}},
		{"profile updated", "Profile", sfID("00e", 1), map[string]any{}, []string{"admin", "user", "userid"}},
		{"permission set updated", "PermissionSet", setA, map[string]any{}, []string{"admin", "ps", "psfind"}},
		{"account created", "Account", "", map[string]any{}, nil},
		{"package install requested", "PackageInstallRequest", "", map[string]any{}, all},
		{"package uninstall requested", "SubscriberPackageVersionUninstallRequest", "", map[string]any{}, all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Client{cache: newReadCache(true, 0)}
			fill(c)
			c.invalidateAfterWrite(tc.sobject, tc.id, tc.body)
			var dropped []string
			names := map[string]string{
				"psa:" + idKey(setA): "psa:A", "psa:" + idKey(setB): "psa:B",
				"layout:" + idKey(layoutA): "layout:A", "layout:" + idKey(layoutB): "layout:B",
			}
			kept := map[string]bool{}
			for k := range c.cache.entries {
				kept[k] = true
			}
			for _, k := range []string{
				"psa:" + idKey(setA), "psa:" + idKey(setB), "admin:" + idKey(sfID("005", 1)), "layouts:contact",
				"layout:" + idKey(layoutA), "layout:" + idKey(layoutB), "installed-packages:", "ps:" + idKey(setA),
				"psfind:filter", "userid:" + idKey(sfID("005", 1)), "user:jane@example.com",
			} {
				if !kept[k] {
					name := names[k]
					if name == "" {
						name, _, _ = strings.Cut(k, ":")
					}
					dropped = append(dropped, name)
				}
			}
			slices.Sort(dropped)
			if !reflect.DeepEqual(dropped, tc.dropped) {
				t.Errorf("dropped %v, want %v", dropped, tc.dropped)
			}
		})
	}
}

// Every cached read goes through a family, which says what makes it stale:
// no code outside the cache itself reaches the untyped get, peek or put.
func TestCachedReadsDeclareTheirFamily(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := gotoken.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "readcache.go" || f == "readcache_family.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			inner, ok := sel.X.(*ast.SelectorExpr)
			if ok && inner.Sel.Name == "cache" && slices.Contains([]string{"get", "peek", "put"}, sel.Sel.Name) {
				t.Errorf("%s: %s reaches the read cache without a family; declare one with newCacheFamily",
					fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
}
