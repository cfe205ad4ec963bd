package sfapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

const enrDescribePath = "/services/data/v65.0/sobjects/acme__Enr__c/describe"

var (
	isoDate     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	isoDateTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$`)
)

// dateOrg is an org whose Enrollment Date field (acme__Date__c) has the
// given describe type. Its collections upsert parses values by field type
// as Salesforce does (REST API Developer Guide, "Valid Date and DateTime
// Formats"): a Date field takes only YYYY-MM-DD, a Date/Time field a full
// dateTime, and any other value fails the whole call with
// JSON_PARSER_ERROR.
func dateOrg(t *testing.T, dateType string) (*Client, *recorder) {
	t.Helper()
	srv, rec := newServer(t, func(w http.ResponseWriter, r *http.Request, s seen) {
		switch {
		case s.Method == http.MethodGet && s.Path == enrDescribePath:
			writeRaw(w, http.StatusOK, describe("acme__Enr__c", "Enrollment", "Enrollments", true, []string{
				field("Id", "Record ID", "id", false, false),
				field("acme__Ext__c", "External id", "string", true, true),
				field("acme__Date__c", "Enrollment Date", dateType, true, false),
			}, nil))
		case s.Method == http.MethodPatch && s.Path == enrUpsertPath:
			var body struct {
				Records []map[string]any `json:"records"`
			}
			if err := json.Unmarshal([]byte(s.Body), &body); err != nil {
				t.Fatal(err)
			}
			var res []map[string]any
			for _, r := range body.Records {
				v, _ := r["acme__Date__c"].(string)
				ok := (dateType == "date" && isoDate.MatchString(v)) || (dateType == "datetime" && isoDateTime.MatchString(v))
				if !ok {
					writeJSON(w, http.StatusBadRequest, []map[string]any{{"errorCode": "JSON_PARSER_ERROR",
						"message": "Cannot deserialize instance of " + dateType + " from VALUE_STRING value " + v}})
					return
				}
				res = append(res, map[string]any{"id": "a0X000000000001AAA", "success": true, "created": true})
			}
			writeJSON(w, http.StatusOK, res)
		default:
			t.Errorf("unexpected %s %s", s.Method, s.Path)
			w.WriteHeader(http.StatusNotFound)
		}
	})
	return mustNew(t, Config{InstanceURL: srv.URL, AccessToken: "tok"}), rec
}

// namesOnly is the schema as the backfill resource builds it from its
// configuration: names, no types.
func namesOnly() *EnrollmentSchema {
	return &EnrollmentSchema{Object: "acme__Enr__c", ExternalIDField: "acme__Ext__c",
		Fields: map[string]string{EnrollmentLabelDate: "acme__Date__c"}}
}

func sentDates(t *testing.T, rec *recorder) []string {
	t.Helper()
	var out []string
	for _, s := range rec.all() {
		if s.Method != http.MethodPatch {
			continue
		}
		var body struct {
			Records []map[string]any `json:"records"`
		}
		if err := json.Unmarshal([]byte(s.Body), &body); err != nil {
			t.Fatal(err)
		}
		for _, r := range body.Records {
			v, _ := r["acme__Date__c"].(string)
			out = append(out, v)
		}
	}
	return out
}

// Late in the UTC day, so that a local-time conversion would show.
var lateEnrollment = time.Date(2025, 11, 21, 23, 30, 0, 0, time.FixedZone("PST", -8*3600))

// A Date field gets the UTC day; the client learns the type by describing
// the object when the schema does not carry it.
func TestUpsertEnrollmentsDateField(t *testing.T) {
	c, rec := dateOrg(t, "date")
	created, _, err := c.UpsertEnrollments(t.Context(), namesOnly(), []EnrollmentRecord{{ExternalID: "e-1", EnrolledAt: &lateEnrollment}})
	if err != nil || created != 1 {
		t.Fatalf("created %d, err %v", created, err)
	}
	if got := sentDates(t, rec); len(got) != 1 || got[0] != "2025-11-22" {
		t.Fatalf("sent %q, want the UTC day 2025-11-22", got)
	}
	if rec.count(http.MethodGet, enrDescribePath) != 1 {
		t.Fatalf("the object was described %d times, want once", rec.count(http.MethodGet, enrDescribePath))
	}
}

// The old behaviour, a dateTime into the Date field, is what the org
// refuses: a schema whose types say datetime (stale, or mistaken) sends
// one and fails the whole call.
func TestUpsertEnrollmentsDateTimeIntoDateFieldRefused(t *testing.T) {
	c, rec := dateOrg(t, "date")
	s := namesOnly()
	s.FieldTypes = map[string]string{"acme__date__c": "datetime"}
	_, _, err := c.UpsertEnrollments(t.Context(), s, []EnrollmentRecord{{ExternalID: "e-1", EnrolledAt: &lateEnrollment}})
	var ae *APIError
	if !errors.As(err, &ae) || ae.ErrorCode != "JSON_PARSER_ERROR" {
		t.Fatalf("err = %v, want JSON_PARSER_ERROR", err)
	}
	if got := sentDates(t, rec); len(got) != 1 || !isoDateTime.MatchString(got[0]) {
		t.Fatalf("sent %q, want one dateTime", got)
	}
	if rec.count(http.MethodGet, enrDescribePath) != 0 {
		t.Fatal("described although the schema carried the type")
	}
}

// A Date/Time field keeps the full timestamp, in UTC.
func TestUpsertEnrollmentsDateTimeField(t *testing.T) {
	c, rec := dateOrg(t, "datetime")
	if _, _, err := c.UpsertEnrollments(t.Context(), namesOnly(), []EnrollmentRecord{{ExternalID: "e-1", EnrolledAt: &lateEnrollment}}); err != nil {
		t.Fatal(err)
	}
	if got := sentDates(t, rec); len(got) != 1 || got[0] != "2025-11-22T07:30:00.000Z" {
		t.Fatalf("sent %q, want 2025-11-22T07:30:00.000Z", got)
	}
}

// A field that is neither, or that the object lacks, fails before
// anything is written.
func TestUpsertEnrollmentsDateFieldWrongType(t *testing.T) {
	for _, tc := range []struct{ typ, field, want string }{
		{"string", "acme__Date__c", "is a string field, not a Date or Date/Time field"},
		{"date", "acme__Other__c", "acme__Enr__c has no field acme__Other__c"},
	} {
		c, rec := dateOrg(t, tc.typ)
		s := namesOnly()
		s.Fields[EnrollmentLabelDate] = tc.field
		_, _, err := c.UpsertEnrollments(t.Context(), s, []EnrollmentRecord{{ExternalID: "e-1", EnrolledAt: &lateEnrollment}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: err = %v, want %q", tc.typ, tc.field, err, tc.want)
		}
		if rec.count(http.MethodPatch, enrUpsertPath) != 0 {
			t.Errorf("%s %s: records were sent", tc.typ, tc.field)
		}
	}
}
