package npfake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/fakekit"
)

// unauthorizedBody is the 401 a real CE account sent (northpasser's VCR
// cassettes), byte for byte.
const unauthorizedBody = `{"errors":[{"status":"401","title":"Unauthorized","detail":"You don't have the necessary credentials","source":{}}]}`

type errorObject struct {
	Status string  `json:"status"`
	Code   string  `json:"code,omitempty"`
	Title  string  `json:"title"`
	Detail string  `json:"detail,omitempty"`
	Source *source `json:"source,omitempty"`
}

type source struct {
	Pointer string `json:"pointer,omitempty"`
}

// writeJSON writes a body the way CE does (application/json, not
// application/vnd.api+json).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError writes a one-entry errors[] document.
func writeError(w http.ResponseWriter, status int, code, detail, pointer string) {
	e := errorObject{Status: strconv.Itoa(status), Code: code, Title: http.StatusText(status), Detail: detail}
	if pointer != "" {
		e.Source = &source{Pointer: pointer}
	}
	writeJSON(w, status, map[string]any{"errors": []errorObject{e}})
}

func writeUnauthorized(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write([]byte(unauthorizedBody))
}

// renderFault writes injected faults in CE's own format. Salesforce's
// REQUEST_LIMIT_EXCEEDED has no CE equivalent other than the 429.
func renderFault(w http.ResponseWriter, _ *http.Request, f fakekit.Fault) {
	switch f {
	case fakekit.Fault503:
		writeError(w, http.StatusServiceUnavailable, "", "The service is temporarily unavailable; try again shortly", "")
	case fakekit.Fault429, fakekit.FaultRequestLimit:
		writeError(w, http.StatusTooManyRequests, "", "Rate limit exceeded", "")
	case fakekit.FaultExpiredSession:
		writeUnauthorized(w)
	case fakekit.FaultBadRequest:
		writeError(w, http.StatusUnprocessableEntity, "invalid_attribute", "The request was refused (injected fault)", "")
	default:
		writeError(w, http.StatusInternalServerError, "", "Injected fault "+string(f), "")
	}
}

// pageWindow reads ?page and ?limit leniently (bad values fall back to the
// defaults, as Rails paginators do), clamps limit, and builds self/prev/next
// links that keep every other query parameter. next is absent on the last
// page and prev on the first, as the reference describes.
func (s *Server) pageWindow(r *http.Request, total int) (start, end int, links map[string]string) {
	q := r.URL.Query()
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit < 1 {
		limit = s.opts.DefaultPageSize
	}
	limit = min(limit, s.opts.MaxPageSize)
	start = min((page-1)*limit, total)
	end = min(start+limit, total)

	link := func(p int) string {
		lq := url.Values{}
		for k, v := range q {
			lq[k] = v
		}
		lq.Set("page", strconv.Itoa(p))
		lq.Set("limit", strconv.Itoa(limit))
		return s.baseURL(r) + r.URL.Path + "?" + lq.Encode()
	}
	links = map[string]string{"self": link(page)}
	if page > 1 {
		links["prev"] = link(page - 1)
	}
	if page*limit < total {
		links["next"] = link(page + 1)
	}
	return start, end, links
}

// timestamp renders CE's "2020-03-31T17:15:17Z"; unset is null.
func timestamp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func timestampPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	return timestamp(*t)
}

func itoa(n int) string { return strconv.Itoa(n) }

// newUUID returns a random (version 4) UUID, as CE uses for ids.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
