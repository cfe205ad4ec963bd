package sffake

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

const dailyAPILimit = 15000

type ctxKey int

const (
	rawBodyKey ctxKey = iota
	rawQueryKey
)

// reqCtx is what a data-API handler needs about its request.
type reqCtx struct {
	r       *http.Request
	ver     string // "62.0"
	tooling bool
	api     apiKind
	segs    []string // path after /services/data/vXX.X[/tooling]
	body    []byte
	query   url.Values
	op      *opCtx
}

// resp is a handler's answer, written after the lock is released.
type resp struct {
	status int
	body   any
}

func ok(v any) resp         { return resp{status: http.StatusOK, body: v} }
func fail(e *APIError) resp { return resp{status: e.Status, body: e.restBody()} }
func noContent() resp       { return resp{status: http.StatusNoContent} }
func created(v any) resp    { return resp{status: http.StatusCreated, body: v} }

func (r resp) write(w http.ResponseWriter) {
	if r.status == http.StatusNoContent {
		w.WriteHeader(r.status)
		return
	}
	writeJSON(w, r.status, r.body)
}

func (s *Server) buildHandler() http.Handler {
	admin := s.adminHandler()
	api := redactForKit(s.kit.Wrap(http.HandlerFunc(s.serveAPI), s.classify, renderFault))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/__admin" || strings.HasPrefix(r.URL.Path, "/__admin/") {
			admin.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

// redactForKit reads the body once and hands the real one to the handlers
// through the context, while the kit (which logs bodies and query strings)
// sees a copy with secrets blanked: client secrets, assertions, tokens and
// installation keys must never reach the request log.
func redactForKit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		if r.Body != nil {
			body, _ = io.ReadAll(io.LimitReader(r.Body, 32<<20))
			_ = r.Body.Close()
		}
		ctx := context.WithValue(r.Context(), rawBodyKey, body)
		ctx = context.WithValue(ctx, rawQueryKey, r.URL.RawQuery)
		r2 := r.Clone(ctx)
		u := *r.URL
		u.RawQuery = redactQuery(r.URL.RawQuery)
		r2.URL = &u
		r2.Body = io.NopCloser(strings.NewReader(redactBody(body)))
		next.ServeHTTP(w, r2)
	})
}

func rawBody(r *http.Request) []byte {
	b, _ := r.Context().Value(rawBodyKey).([]byte)
	return b
}

func rawQuery(r *http.Request) url.Values {
	q, ok := r.Context().Value(rawQueryKey).(string)
	if !ok {
		q = r.URL.RawQuery
	}
	v, _ := url.ParseQuery(q)
	return v
}

// classify names each request for the kit's counters, independent of the
// API version, and marks /services/data/vXX.X/ calls as billable (they count
// against DailyApiRequests; the versions list and OAuth do not).
func (s *Server) classify(r *http.Request) (string, bool) {
	p := r.URL.Path
	m := r.Method
	switch {
	case p == "/services/data" || p == "/services/data/":
		return m + " /services/data/", false
	case strings.HasPrefix(p, "/services/oauth2/"):
		return m + " " + strings.TrimRight(p, "/"), false
	case strings.HasPrefix(p, "/id/"):
		return m + " /id/{orgId}/{userId}", false
	case strings.HasPrefix(p, "/services/data/v"):
		segs := splitPath(strings.TrimPrefix(p, "/services/data/"))
		return m + " " + endpointName(segs[1:]), true
	case strings.HasPrefix(p, "/services/Soap/m/"):
		return m + " /services/Soap/m", true // Metadata API calls count too
	}
	return m + " " + p, false
}

func splitPath(p string) []string {
	p = strings.TrimRight(p, "/")
	if p == "" {
		return []string{""}
	}
	return strings.Split(p, "/")
}

func endpointName(segs []string) string {
	prefix := ""
	if len(segs) > 0 && segs[0] == "tooling" {
		prefix, segs = "tooling/", segs[1:]
	}
	canon := func(name string) string {
		if o := schema.object(name); o != nil {
			return o.Name
		}
		return name
	}
	if len(segs) == 0 {
		return prefix + "resources"
	}
	switch segs[0] {
	case "query", "queryAll":
		if len(segs) > 1 {
			return prefix + segs[0] + "/{locator}"
		}
		return prefix + segs[0]
	case "sobjects":
		switch len(segs) {
		case 1:
			return prefix + "sobjects"
		case 2:
			return prefix + "sobjects/" + canon(segs[1])
		case 3:
			if segs[2] == "describe" {
				return prefix + "sobjects/" + canon(segs[1]) + "/describe"
			}
			return prefix + "sobjects/" + canon(segs[1]) + "/{id}"
		default:
			return prefix + "sobjects/" + canon(segs[1]) + "/" + segs[2] + "/{value}"
		}
	case "composite":
		if len(segs) >= 3 && segs[1] == "sobjects" {
			name := prefix + "composite/sobjects/" + canon(segs[2])
			if len(segs) >= 4 {
				name += "/" + segs[3]
			}
			return name
		}
		return prefix + strings.Join(segs, "/")
	}
	return prefix + strings.Join(segs, "/")
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/services/oauth2/token":
		s.handleToken(w, r)
	case p == "/services/oauth2/userinfo":
		s.handleUserInfo(w, r)
	case p == "/services/oauth2/revoke":
		s.handleRevoke(w, r)
	case strings.HasPrefix(p, "/id/"):
		s.handleIdentity(w, r)
	case p == "/services/data" || p == "/services/data/":
		s.handleVersions(w, r)
	case strings.HasPrefix(p, "/services/data/v"):
		s.handleData(w, r)
	case strings.HasPrefix(p, "/services/Soap/m/"):
		s.handleMetadataSOAP(w, r) // metadata_soap.go
	default:
		writeAPIError(w, errNotFound())
	}
}

// versionLabel names the release of an API version: v62.0 is Winter '25,
// and each release adds one (Winter, Spring, Summer).
func versionLabel(v string) string {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return "Version " + v
	}
	idx := int(f) - 62
	season := ((idx % 3) + 3) % 3
	year := 25 + floorDiv(idx, 3)
	return fmt.Sprintf("%s '%02d", []string{"Winter", "Spring", "Summer"}[season], year)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func (s *Server) handleVersions(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeAPIError(w, errMethod(r.Method, "GET", "HEAD"))
		return
	}
	vs := append([]string(nil), s.opts.APIVersions...)
	sort.Slice(vs, func(i, j int) bool {
		a, _ := strconv.ParseFloat(vs[i], 64)
		b, _ := strconv.ParseFloat(vs[j], 64)
		return a < b
	})
	out := make([]map[string]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, map[string]string{"label": versionLabel(v), "url": "/services/data/v" + v, "version": v})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) knownVersion(v string) bool {
	for _, k := range s.opts.APIVersions {
		if k == v {
			return true
		}
	}
	return false
}

// bearer extracts the access token from the Authorization header.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	for _, p := range []string{"Bearer ", "OAuth "} {
		if len(h) > len(p) && strings.EqualFold(h[:len(p)], p) {
			return strings.TrimSpace(h[len(p):])
		}
	}
	return ""
}

func (s *Server) handleData(w http.ResponseWriter, r *http.Request) {
	segs := splitPath(strings.TrimPrefix(r.URL.Path, "/services/data/"))
	verSeg, segs := segs[0], segs[1:]
	s.mu.Lock()
	userID, authed := s.accessTokens[bearer(r)]
	if !authed {
		s.mu.Unlock()
		writeAPIError(w, errInvalidSession())
		return
	}
	// Every authenticated call counts, errors included, as on a real org.
	s.apiUsage++
	w.Header().Set("Sforce-Limit-Info", fmt.Sprintf("api-usage=%d/%d", s.apiUsage, dailyAPILimit))
	ver := strings.TrimPrefix(verSeg, "v")
	if !s.knownVersion(ver) {
		s.mu.Unlock()
		writeAPIError(w, errNotFound())
		return
	}
	s.settle()
	c := &reqCtx{r: r, ver: ver, api: apiREST, body: rawBody(r), query: rawQuery(r), op: &opCtx{userID: userID, ver: ver, body: rawBody(r)}}
	if len(segs) > 0 && segs[0] == "tooling" {
		c.tooling, c.api, segs = true, apiTooling, segs[1:]
	}
	c.segs = segs
	res := s.route(c)
	s.mu.Unlock()
	res.write(w)
}

// route dispatches a data-API request. Callers hold s.mu.
func (s *Server) route(c *reqCtx) resp {
	if len(c.segs) == 0 {
		if c.r.Method != http.MethodGet {
			return fail(errMethod(c.r.Method, "GET"))
		}
		return ok(s.resources(c))
	}
	switch c.segs[0] {
	case "query", "queryAll":
		return s.handleQuery(c)
	case "sobjects":
		return s.handleSObjects(c)
	case "composite":
		if !c.tooling && len(c.segs) >= 2 && c.segs[1] == "sobjects" {
			return s.handleCollections(c)
		}
	case "limits":
		if !c.tooling {
			if c.r.Method != http.MethodGet {
				return fail(errMethod(c.r.Method, "GET"))
			}
			return ok(s.limits())
		}
	}
	return fail(errNotFound())
}

func (s *Server) resources(c *reqCtx) map[string]string {
	base := "/services/data/v" + c.ver
	if c.tooling {
		base += "/tooling"
		return map[string]string{"sobjects": base + "/sobjects", "query": base + "/query"}
	}
	return map[string]string{
		"tooling":      base + "/tooling",
		"query":        base + "/query",
		"queryAll":     base + "/queryAll",
		"sobjects":     base + "/sobjects",
		"composite":    base + "/composite",
		"limits":       base + "/limits",
		"identity":     s.baseURL + "/id/" + s.orgID + "/" + c.op.userID,
		"connect":      base + "/connect",
		"tabs":         base + "/tabs",
		"recent":       base + "/recent",
		"search":       base + "/search",
		"appMenu":      base + "/appMenu",
		"quickActions": base + "/quickActions",
	}
}

func (s *Server) limits() map[string]any {
	lim := func(limit, remaining int) map[string]int { return map[string]int{"Max": limit, "Remaining": remaining} }
	return map[string]any{
		"DailyApiRequests":                  lim(dailyAPILimit, max(0, dailyAPILimit-s.apiUsage)),
		"DailyAsyncApexExecutions":          lim(250000, 250000),
		"DailyBulkApiBatches":               lim(15000, 15000),
		"DailyBulkV2QueryJobs":              lim(10000, 10000),
		"DailyDurableStreamingApiEvents":    lim(10000, 10000),
		"DataStorageMB":                     lim(5, 5),
		"FileStorageMB":                     lim(20, 20),
		"ConcurrentAsyncGetReportInstances": lim(200, 200),
		"SingleEmail":                       lim(15, 15),
	}
}
