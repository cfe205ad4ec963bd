package sffake

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestConcurrentClients runs reads, writes, installs and clock moves at once;
// with -race it checks the fake is safe for parallel acceptance tests.
func TestConcurrentClients(t *testing.T) {
	s, c := newOrg(t, Options{PageSize: 3, InstallDuration: time.Second})
	contact, _ := s.Lookup("Contact", "Email", "jane.learner@example.com")
	v21, _ := s.CatalogVersion(NorthpassNamespace, "2.1")
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				ext := fmt.Sprintf("g%d-%d", g, i)
				r := c.do(http.MethodPatch, v+"/sobjects/northpass__Enrollment__c/northpass__External_Id__c/"+ext,
					map[string]any{"northpass__Contact__c": contact["Id"], "northpass__Progress_Percentage__c": float64(i)})
				if r.status != http.StatusCreated {
					errs <- fmt.Errorf("upsert %s: %d %s", ext, r.status, r.body)
					return
				}
				if q := c.query("SELECT Id, Assignee.Username FROM PermissionSetAssignment"); q.status != http.StatusOK {
					errs <- fmt.Errorf("query: %d", q.status)
					return
				}
				s.AdvanceClock(100 * time.Millisecond)
				_ = s.InstalledPackages()
			}
		}(g)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		r := c.do(http.MethodPost, v+"/tooling/sobjects/PackageInstallRequest", map[string]any{"SubscriberPackageVersionKey": v21.VersionID})
		if r.status != http.StatusCreated {
			errs <- fmt.Errorf("install: %d %s", r.status, r.body)
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := len(s.Records("northpass__Enrollment__c")); n != 80 {
		t.Fatalf("enrollments: %d", n)
	}
	s.AdvanceClock(time.Second)
	if got := s.InstalledPackages(); got[0].VersionName != "2.1" {
		t.Fatalf("install under load: %+v", got)
	}
}

// TestStandalone serves on a real listener, as the emulator does.
func TestStandalone(t *testing.T) {
	s := New(Options{})
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := http.Get(s.URL() + "/services/data/")
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("versions: %d", res.StatusCode)
	}
	s.Close()
	if _, err := http.Get(s.URL() + "/services/data/"); err == nil {
		t.Fatal("still serving after Close")
	}
}
