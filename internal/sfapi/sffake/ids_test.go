package sffake

import (
	"strings"
	"testing"
)

func TestIDSuffix(t *testing.T) {
	// Real 18-character ids from the reference's Tooling response.
	for _, id := range []string{"0A38d000001djsXCAQ", "03330000000wDAbAAM", "04t30000001DUvrAAG"} {
		if got, ok := normalizeID(id[:15]); !ok || got != id {
			t.Errorf("normalizeID(%s) = %s, want %s", id[:15], got, id)
		}
	}
	if _, ok := normalizeID("short"); ok {
		t.Error("short ids accepted")
	}
	if _, ok := normalizeID("005ak00000!hvjJ"); ok {
		t.Error("bad characters accepted")
	}
	seen := map[string]bool{}
	for n := uint64(0); n < 5000; n++ {
		id := makeID("005", n)
		if len(id) != 18 || !strings.HasPrefix(id, "005") || seen[strings.ToLower(id)] {
			t.Fatalf("makeID(%d) = %s", n, id)
		}
		seen[strings.ToLower(id)] = true
	}
}

func TestSeed(t *testing.T) {
	s := New(Options{ExtraUsers: 3})
	if u, ok := s.Lookup("User", "Username", "user0003@acme.example"); !ok || u["IsActive"] != true {
		t.Fatal("extra users")
	}
	if u, _ := s.Lookup("User", "Username", "former.employee@acme.example"); u["IsActive"] != false {
		t.Fatal("inactive user")
	}
	users := s.Records("User")
	psas := s.Records("PermissionSetAssignment")
	if len(users) != 8 || len(psas) != 8 {
		t.Fatalf("every user has its profile's assignment: %d users, %d assignments", len(users), len(psas))
	}
	owned := 0
	for _, ps := range s.Records("PermissionSet") {
		if ps["IsOwnedByProfile"] == true {
			owned++
			if ps["ProfileId"] == nil {
				t.Fatal("profile-owned set without ProfileId")
			}
		}
	}
	if owned != 3 {
		t.Fatalf("profile-owned sets: %d", owned)
	}
	if org := s.Records("Organization"); len(org) != 1 || org[0]["Name"] != "Acme (emulated)" || !strings.HasPrefix(org[0]["Id"].(string), "00D") {
		t.Fatalf("org: %v", org)
	}
	if len(s.Records("Contact")) < 3 {
		t.Fatal("contacts")
	}
	if got := s.InstalledPackages(); len(got) != 1 || got[0].Name != "Northpass" || got[0].VersionName != "2.0" || got[0].Number() != "2.0.0.3" {
		t.Fatalf("installed: %+v", got)
	}
	// The seed is deterministic.
	again := New(Options{ExtraUsers: 3})
	if a, b := s.Records("User")[2]["Id"], again.Records("User")[2]["Id"]; a != b {
		t.Fatalf("ids differ between runs: %v %v", a, b)
	}
	if _, err := s.Insert("northpass__Enrollment__c", map[string]any{"northpass__External_Id__c": "x"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Uninstall(NorthpassNamespace); err != nil {
		t.Fatal(err)
	}
	if s.Records("northpass__Enrollment__c") != nil {
		t.Fatal("enrollments visible after uninstall")
	}
	if _, err := s.Insert("northpass__Enrollment__c", map[string]any{}); err == nil {
		t.Fatal("insert into an uninstalled package's object")
	}
}
