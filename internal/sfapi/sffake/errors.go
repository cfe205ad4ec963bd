package sffake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
)

// APIError is a Salesforce REST error. Over HTTP it is written as the
// one-element array Salesforce uses ([{"message","errorCode","fields"}]); in
// sObject Collections results it becomes {"statusCode","message","fields"}.
// The Go API (Insert, Update, …) returns it as an error so tests can assert on
// the code.
type APIError struct {
	Status  int
	Code    string
	Message string
	Fields  []string
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

func newErr(status int, code, format string, args ...any) *APIError {
	return &APIError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func (e *APIError) withFields(f ...string) *APIError {
	e.Fields = append(e.Fields, f...)
	return e
}

// restBody is the top-level REST error shape. "fields" is present only when
// known, as in the real responses the reference quotes.
func (e *APIError) restBody() []*jsonObject {
	o := newObject()
	o.set("message", e.Message)
	o.set("errorCode", e.Code)
	if e.Fields != nil {
		o.set("fields", e.Fields)
	}
	return []*jsonObject{o}
}

// saveError is the per-record error inside SaveResults: note statusCode, not
// errorCode, and fields always present.
func (e *APIError) saveError() *jsonObject {
	f := e.Fields
	if f == nil {
		f = []string{}
	}
	o := newObject()
	o.set("statusCode", e.Code)
	o.set("message", e.Message)
	o.set("fields", f)
	return o
}

func errNotFound() *APIError {
	return newErr(http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
}

func errDeleted() *APIError {
	return newErr(http.StatusNotFound, "ENTITY_IS_DELETED", "entity is deleted").withFields()
}

func errInvalidSession() *APIError {
	return newErr(http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
}

func errJSON(err error) *APIError {
	return newErr(http.StatusBadRequest, "JSON_PARSER_ERROR", "Unexpected content in the request body: %v", err)
}

func errMethod(method string, allowed ...string) *APIError {
	return newErr(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "HTTP Method '%s' not allowed. Allowed are %s", method, strings.Join(allowed, ","))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	if v == nil {
		return
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func writeAPIError(w http.ResponseWriter, e *APIError) {
	writeJSON(w, e.Status, e.restBody())
}

// oauthError is the token endpoint's error shape, which differs from REST's.
func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// renderFault writes an injected fault the way Salesforce would: REST-style
// arrays on the data API, OAuth-style objects on the OAuth endpoints (a client
// parses each endpoint's errors with different code, and both must cope).
func renderFault(w http.ResponseWriter, r *http.Request, f fakekit.Fault) {
	oauth := strings.HasPrefix(r.URL.Path, "/services/oauth2/") || strings.HasPrefix(r.URL.Path, "/id/")
	if strings.HasPrefix(r.URL.Path, "/services/Soap/") && renderSOAPFault(w, f) {
		return
	}
	switch f {
	case fakekit.Fault503:
		if oauth {
			writeOAuthError(w, http.StatusServiceUnavailable, "temporarily_unavailable", "Service Unavailable")
			return
		}
		writeAPIError(w, newErr(http.StatusServiceUnavailable, "SERVER_UNAVAILABLE", "Service Unavailable"))
	case fakekit.Fault429:
		w.Header().Set("Retry-After", "1")
		if oauth {
			writeOAuthError(w, http.StatusTooManyRequests, "rate_limit_exceeded", "Too Many Requests")
			return
		}
		writeAPIError(w, newErr(http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "Too Many Requests"))
	case fakekit.FaultRequestLimit:
		if oauth {
			writeOAuthError(w, http.StatusForbidden, "request_limit_exceeded", "TotalRequests Limit exceeded.")
			return
		}
		writeAPIError(w, newErr(http.StatusForbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))
	case fakekit.FaultExpiredSession:
		if oauth {
			writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "expired access/refresh token")
			return
		}
		writeAPIError(w, errInvalidSession())
	case fakekit.FaultBadRequest:
		if oauth {
			writeOAuthError(w, http.StatusBadRequest, "invalid_request", "invalid request (injected fault)")
			return
		}
		writeAPIError(w, newErr(http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION", "The request was refused (injected fault %q)", f))
	default:
		writeAPIError(w, newErr(http.StatusInternalServerError, "UNKNOWN_EXCEPTION", "An unexpected error occurred (injected fault %q)", f))
	}
}
