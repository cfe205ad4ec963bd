package npapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// APIError is a non-2xx answer from CE, with its JSON:API errors[].
type APIError struct {
	Status int
	Errors []ErrorObject
	// Method and Path name the call that failed (no query: it may hold an
	// email address), so messages say which object was involved.
	Method string
	Path   string
}

// ErrorObject is one entry of errors[]; Pointer comes from source.pointer
// and names the offending attribute, such as /data/attributes/instance_url.
type ErrorObject struct {
	Status, Code, Title, Detail, Pointer string
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("CE API")
	if e.Method != "" {
		b.WriteString(" " + e.Method + " " + e.Path)
	}
	fmt.Fprintf(&b, " returned %d %s", e.Status, http.StatusText(e.Status))
	for i, o := range e.Errors {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		msg := o.Detail
		if msg == "" {
			msg = o.Title
		} else if o.Title != "" && !strings.EqualFold(o.Title, http.StatusText(e.Status)) {
			msg = o.Title + ": " + msg
		}
		b.WriteString(msg)
		var extra []string
		if o.Code != "" {
			extra = append(extra, "code "+o.Code)
		}
		if o.Pointer != "" {
			extra = append(extra, "at "+o.Pointer)
		}
		if len(extra) > 0 {
			b.WriteString(" (" + strings.Join(extra, ", ") + ")")
		}
	}
	return b.String()
}

// HTTPStatus is the answer's HTTP status (httpkit.StatusError, read by
// httpkit.OutcomeUnknown).
func (e *APIError) HTTPStatus() int { return e.Status }

// IsNotFound reports whether err is a 404 from CE.
func IsNotFound(err error) bool { return statusIs(err, http.StatusNotFound) }

// ErrorCode returns the first non-empty errors[].code of an *APIError, such
// as "integration_enabled" or "not_configured"; "" otherwise.
func ErrorCode(err error) string {
	var e *APIError
	if !errors.As(err, &e) {
		return ""
	}
	for _, o := range e.Errors {
		if o.Code != "" {
			return o.Code
		}
	}
	return ""
}

func statusIs(err error, status int) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == status
}

type wireError struct {
	Status json.RawMessage `json:"status"` // JSON:API says string; some servers send a number
	Code   json.RawMessage `json:"code"`
	Title  string          `json:"title"`
	Detail string          `json:"detail"`
	Source struct {
		Pointer   string `json:"pointer"`
		Parameter string `json:"parameter"`
	} `json:"source"`
}

// parseAPIError builds the error for a non-2xx response. redact removes the
// API key, in case a proxy or a misbehaving server echoes request headers.
func parseAPIError(method, path string, status int, body []byte, redact func(string) string) *APIError {
	e := &APIError{Status: status, Method: method, Path: path}
	var doc struct {
		Errors []wireError `json:"errors"`
	}
	if json.Unmarshal(body, &doc) == nil {
		for _, w := range doc.Errors {
			pointer := w.Source.Pointer
			if pointer == "" && w.Source.Parameter != "" {
				pointer = "?" + w.Source.Parameter
			}
			e.Errors = append(e.Errors, ErrorObject{
				Status:  redact(rawString(w.Status)),
				Code:    redact(rawString(w.Code)),
				Title:   redact(w.Title),
				Detail:  redact(w.Detail),
				Pointer: redact(pointer),
			})
		}
	}
	if len(e.Errors) == 0 {
		// Load balancers and proxies answer with HTML or plain text.
		e.Errors = []ErrorObject{{Status: strconv.Itoa(status), Title: http.StatusText(status), Detail: redact(snippet(body))}}
	}
	return e
}

// rawString reads a JSON string or number as text.
func rawString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// snippet is a short one-line excerpt of a non-JSON body; HTML pages are
// summarised rather than quoted.
func snippet(body []byte) string {
	s := strings.TrimSpace(string(body))
	if s == "" {
		return ""
	}
	if strings.HasPrefix(s, "<") {
		return "non-JSON (HTML) response"
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		cut := 200
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
