package sfapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseAPIError(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		body       string
		includeRaw bool
		want       APIError
	}{
		{"rest array", 400,
			`[{"message":"Duplicate PermissionSetAssignment.  Assignee: 005ak000005hvjJ; Permission Set: 0PSak00000M9uBB","errorCode":"DUPLICATE_VALUE","fields":["AssigneeId","PermissionSetId"]}]`,
			true, APIError{400, "DUPLICATE_VALUE", "Duplicate PermissionSetAssignment.  Assignee: 005ak000005hvjJ; Permission Set: 0PSak00000M9uBB", []string{"AssigneeId", "PermissionSetId"}}},
		{"rest array without fields", 401, `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`,
			true, APIError{401, "INVALID_SESSION_ID", "Session expired or invalid", nil}},
		{"several errors", 400, `[{"message":"a","errorCode":"X"},{"message":"b","errorCode":"Y"}]`,
			true, APIError{400, "X", "a; b", nil}},
		{"oauth body", 400, `{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}`,
			false, APIError{400, "invalid_grant", "user hasn't approved this consumer", nil}},
		{"single object", 404, `{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}`,
			true, APIError{404, "NOT_FOUND", "The requested resource does not exist", nil}},
		{"html with excerpt", 502, "<html>\n  <body>Bad gateway</body>\n</html>",
			true, APIError{502, "", "Bad Gateway: <html> <body>Bad gateway</body> </html>", nil}},
		{"html without excerpt", 502, "<html>secret-ish</html>", false, APIError{502, "", "Bad Gateway", nil}},
		{"empty body", 503, "", true, APIError{503, "", "Service Unavailable", nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseAPIError(tt.status, []byte(tt.body), tt.includeRaw)
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got %#v\nwant %#v", *got, tt.want)
			}
		})
	}
}

func TestAPIErrorHelpers(t *testing.T) {
	wrap := func(e *APIError) error { return fmt.Errorf("DELETE /services/data/v65.0/sobjects/X/1: %w", e) }
	if !IsNotFound(wrap(&APIError{Status: 404})) {
		t.Error("404 not NotFound")
	}
	if !IsNotFound(wrap(&APIError{Status: 400, ErrorCode: "ENTITY_IS_DELETED"})) {
		t.Error("ENTITY_IS_DELETED not NotFound")
	}
	if !IsNotFound(wrap(&APIError{Status: 400, ErrorCode: "NOT_FOUND"})) {
		t.Error("NOT_FOUND not NotFound")
	}
	if IsNotFound(wrap(&APIError{Status: 400, ErrorCode: "INVALID_FIELD"})) || IsNotFound(fmt.Errorf("plain")) || IsNotFound(nil) {
		t.Error("false positive")
	}
	if !HasErrorCode(wrap(&APIError{Status: 400, ErrorCode: "DUPLICATE_VALUE"}), "DUPLICATE_VALUE") ||
		HasErrorCode(wrap(&APIError{Status: 400, ErrorCode: "DUPLICATE_VALUE"}), "INVALID_FIELD") {
		t.Error("HasErrorCode")
	}
	msg := (&APIError{Status: 400, ErrorCode: "DUPLICATE_VALUE", Message: "dup", Fields: []string{"A", "B"}}).Error()
	if msg != "Salesforce returned HTTP 400 DUPLICATE_VALUE: dup (fields: A, B)" {
		t.Errorf("Error() = %q", msg)
	}
}

func TestCollectionErrorDecoding(t *testing.T) {
	// Per-record errors say statusCode, not errorCode (reference §3).
	const body = `[{"id":"0Pa000000000001AAA","success":true,"errors":[]},
	 {"success":false,"errors":[{"statusCode":"DUPLICATE_VALUE","message":"Duplicate PermissionSetAssignment","fields":["AssigneeId","PermissionSetId"]}]},
	 {"success":false,"errors":[{"statusCode":"ALL_OR_NONE_OPERATION_ROLLED_BACK","message":"Record rolled back because not all records were valid and the request was using AllOrNone header","fields":[]}]}]`
	var res []SaveResult
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || !res[0].Success || res[0].ID != "0Pa000000000001AAA" || res[0].Err() != nil {
		t.Fatalf("first result: %+v", res)
	}
	want := CollectionError{StatusCode: "DUPLICATE_VALUE", Message: "Duplicate PermissionSetAssignment", Fields: []string{"AssigneeId", "PermissionSetId"}}
	if !reflect.DeepEqual(res[1].Errors, []CollectionError{want}) {
		t.Errorf("errors = %+v", res[1].Errors)
	}
	if err := res[1].Err(); !HasErrorCode(err, "DUPLICATE_VALUE") || !strings.Contains(err.Error(), "Duplicate PermissionSetAssignment") {
		t.Errorf("Err() = %v", err)
	}
	if !HasErrorCode(res[2].Err(), "ALL_OR_NONE_OPERATION_ROLLED_BACK") {
		t.Errorf("Err() = %v", res[2].Err())
	}
	if got := want.Error(); got != "DUPLICATE_VALUE: Duplicate PermissionSetAssignment (fields: AssigneeId, PermissionSetId)" {
		t.Errorf("CollectionError.Error() = %q", got)
	}
}
