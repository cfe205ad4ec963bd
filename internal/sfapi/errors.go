package sfapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// APIError is an error response from Salesforce: a REST error array
// ([{"message","errorCode","fields"}]) or an OAuth error body
// ({"error","error_description"}, mapped to ErrorCode and Message).
type APIError struct {
	Status    int
	ErrorCode string
	Message   string
	Fields    []string
}

func (e *APIError) Error() string {
	var b strings.Builder
	if e.Status != 0 {
		fmt.Fprintf(&b, "Salesforce returned HTTP %d", e.Status)
	} else {
		b.WriteString("Salesforce reported an error") // per-record result, no HTTP status of its own
	}
	if e.ErrorCode != "" {
		b.WriteString(" " + e.ErrorCode)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if len(e.Fields) > 0 {
		b.WriteString(" (fields: " + strings.Join(e.Fields, ", ") + ")")
	}
	return b.String()
}

// HTTPStatus is the answer's HTTP status, 0 for a per-record result
// (httpkit.StatusError, read by httpkit.OutcomeUnknown).
func (e *APIError) HTTPStatus() int { return e.Status }

// IsNotFound reports whether err means the object does not exist (any more).
func IsNotFound(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	return ae.Status == http.StatusNotFound || ae.ErrorCode == "NOT_FOUND" || ae.ErrorCode == "ENTITY_IS_DELETED"
}

// HasErrorCode reports whether err is an *APIError with the given errorCode
// (or OAuth "error").
func HasErrorCode(err error, code string) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.ErrorCode == code
}

// CollectionError is one per-record error of an sObject collection call.
// Salesforce names the code "statusCode" here, not "errorCode".
type CollectionError struct {
	StatusCode string   `json:"statusCode"`
	Message    string   `json:"message"`
	Fields     []string `json:"fields"`
}

func (e CollectionError) Error() string {
	s := e.StatusCode + ": " + e.Message
	if len(e.Fields) > 0 {
		s += " (fields: " + strings.Join(e.Fields, ", ") + ")"
	}
	return s
}

type restError struct {
	Message   string   `json:"message"`
	ErrorCode string   `json:"errorCode"`
	Fields    []string `json:"fields"`
}

type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// parseAPIError turns an error response body into an *APIError. Unknown
// bodies (a proxy's HTML page) keep a short excerpt unless includeRaw is
// false, which the token endpoint uses so its bodies never reach an error.
func parseAPIError(status int, body []byte, includeRaw bool) *APIError {
	ae := &APIError{Status: status}
	var arr []restError
	if err := json.Unmarshal(body, &arr); err == nil && len(arr) > 0 {
		ae.ErrorCode, ae.Fields = arr[0].ErrorCode, arr[0].Fields
		msgs := make([]string, 0, len(arr))
		for _, e := range arr {
			if e.Message != "" {
				msgs = append(msgs, e.Message)
			}
		}
		ae.Message = strings.Join(msgs, "; ")
		return ae
	}
	var oe oauthError
	if err := json.Unmarshal(body, &oe); err == nil && oe.Error != "" {
		ae.ErrorCode, ae.Message = oe.Error, oe.ErrorDescription
		return ae
	}
	var one restError // some endpoints send a single object instead of an array
	if err := json.Unmarshal(body, &one); err == nil && one.ErrorCode != "" {
		ae.ErrorCode, ae.Message, ae.Fields = one.ErrorCode, one.Message, one.Fields
		return ae
	}
	ae.Message = http.StatusText(status)
	if code := bareErrorCode(body); code != "" {
		ae.ErrorCode = code
		return ae
	}
	if includeRaw {
		if s := excerpt(body, 200); s != "" {
			ae.Message += ": " + s
		}
	}
	return ae
}

// bareErrorCode recognises the plain-text answers of the identity URL and
// userinfo endpoints, such as "Bad_OAuth_Token" with HTTP 403 for a session
// that is no longer valid (help remoteaccess_using_openid / mobile_sdk
// oauth_using_identity_urls: Bad_OAuth_Token, Wrong_Org, Bad_Id, …).
func bareErrorCode(body []byte) string {
	s := strings.TrimSpace(string(body))
	if s == "" || len(s) > 40 {
		return ""
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') && r != '_' {
			return ""
		}
	}
	if !strings.Contains(s, "_") {
		return "" // a single word ("Forbidden") is not a code
	}
	return s
}

func excerpt(b []byte, n int) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if !utf8.ValidString(s) {
		return ""
	}
	if len(s) > n {
		s = s[:n]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}

// grantCause classifies a refused token request by what the user must fix.
type grantCause int

const (
	causeNone grantCause = iota
	causeAudience
	causeAppNotFound
	causeNotApproved
	causeInactiveUser
	causeExpired
	causeClientID
	causeOtherGrant // invalid_grant with no more specific description
)

// grantFailureCause reads the token endpoint's {"error","error_description"}.
// Descriptions seen from Salesforce: "audience is invalid", "user hasn't
// approved this consumer", "invalid assertion", "expired authorization
// code", "inactive user" (help remoteaccess_oauth_jwt_flow.htm; omniphx/
// forrest#278, Talend/components#1423); External Client Apps answer
// app_not_found "External client app is not installed in this org"
// (n8n-io/n8n#28990).
func grantFailureCause(ae *APIError) grantCause {
	msg := strings.ToLower(ae.Message)
	switch {
	case ae.ErrorCode == "app_not_found":
		return causeAppNotFound
	case ae.ErrorCode == "invalid_client_id":
		return causeClientID
	case ae.ErrorCode != "invalid_grant":
		return causeNone
	case strings.Contains(msg, "audience"):
		return causeAudience
	case strings.Contains(msg, "hasn't approved") || strings.Contains(msg, "not approved"):
		return causeNotApproved
	case strings.Contains(msg, "inactive user"):
		return causeInactiveUser
	case strings.Contains(msg, "expired"):
		return causeExpired
	}
	return causeOtherGrant
}

// audienceRefused: the assertion was turned down for its "aud", as far as
// the answer tells; app_not_found counts because External Client Apps give
// it for an audience they do not accept.
func audienceRefused(ae *APIError) bool {
	c := grantFailureCause(ae)
	return c == causeAudience || c == causeAppNotFound
}
