package sfapi

import (
	"net/http"
	"testing"
)

// The sample asks for the newest records with an external id, at most
// limit of them, and decodes them like any other Enrollment record.
func TestSampleEnrollments(t *testing.T) {
	srv, rec := newServer(t, func(w http.ResponseWriter, r *http.Request, s seen) {
		writeJSON(w, http.StatusOK, map[string]any{"totalSize": 3, "done": true, "records": []map[string]any{
			{"attributes": map[string]any{"type": "acme__Enr__c"}, "Id": "a0X000000000001AAA", "acme__Ext__c": "c-1:e-1", "acme__Course__c": "c-1", "acme__Date__c": "2025-11-03"},
			{"attributes": map[string]any{"type": "acme__Enr__c"}, "Id": "a0X000000000002AAA", "acme__Ext__c": "c-1:e-2", "acme__Course__c": "c-1"},
			{"attributes": map[string]any{"type": "acme__Enr__c"}, "Id": "a0X000000000003AAA", "acme__Ext__c": "c-2:e-3", "acme__Course__c": "c-2"},
		}})
	})
	c := mustNew(t, Config{InstanceURL: srv.URL, AccessToken: "tok"})
	got, err := c.SampleEnrollments(t.Context(), testEnrollmentSchema, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ExternalID != "c-1:e-1" || got[0].CourseID != "c-1" || got[1].ExternalID != "c-1:e-2" {
		t.Fatalf("sample %+v", got)
	}
	if got[0].EnrolledAt == nil || !got[0].dateOnly {
		t.Errorf("a Date value was not read as a day: %+v", got[0])
	}
	qs := enrQueries(rec)
	want := "SELECT Id, acme__Ext__c, acme__Learner__c, acme__Course__c, acme__Course_Name__c, acme__Date__c, acme__Pct__c, acme__Attempt__c " +
		"FROM acme__Enr__c WHERE acme__Ext__c != null ORDER BY CreatedDate DESC LIMIT 2"
	if len(qs) != 1 || qs[0] != want {
		t.Fatalf("queries %q, want %q", qs, want)
	}
}
