package sffake

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
)

// Keys whose values are secrets wherever they appear: form fields of the
// OAuth endpoints, JSON bodies (PackageInstallRequest.Password), query
// parameters.
var secretKeys = map[string]bool{
	"password": true, "client_secret": true, "assertion": true, "client_assertion": true,
	"refresh_token": true, "access_token": true, "oauth_token": true, "token": true, "code": true, "code_verifier": true,
	"installationkey": true, "secret": true,
}

const redacted = "REDACTED"

// installationKeyLiteral finds InstallationKey='…' in SOQL
// (SubscriberPackageVersion pre-flight queries carry the key).
var installationKeyLiteral = regexp.MustCompile(`(?i)(InstallationKey\s*=\s*)'(?:[^'\\]|\\.)*'`)

// jsonSecret is the fallback for bodies that are not valid JSON.
var jsonSecret = regexp.MustCompile(`(?i)("(?:password|client_secret|client_assertion|assertion|refresh_token|access_token|oauth_token|token|installationkey|secret)"\s*:\s*)"(?:[^"\\]|\\.)*"`)

// soapSessionID finds <sessionId>…</sessionId>, with or without a prefix.
var soapSessionID = regexp.MustCompile(`(<(?:[A-Za-z0-9_]+:)?sessionId(?:\s[^>]*)?>)[^<]*(</(?:[A-Za-z0-9_]+:)?sessionId>)`)

func redactQuery(raw string) string {
	if raw == "" {
		return raw
	}
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return installationKeyLiteral.ReplaceAllString(raw, "${1}'"+redacted+"'")
	}
	changed := false
	for k, vs := range vals {
		for i, v := range vs {
			nv := redacted
			if !secretKeys[strings.ToLower(k)] {
				nv = installationKeyLiteral.ReplaceAllString(v, "${1}'"+redacted+"'")
			}
			if nv != v {
				vs[i], changed = nv, true
			}
		}
	}
	if !changed {
		return raw
	}
	return vals.Encode()
}

func redactBody(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '<' {
		// A SOAP envelope carries the session id in its SessionHeader.
		return soapSessionID.ReplaceAllString(string(body), "${1}"+redacted+"${2}")
	}
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		var v any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return jsonSecret.ReplaceAllString(string(body), "${1}\""+redacted+"\"")
		}
		v = redactJSON(v)
		out, err := json.Marshal(v)
		if err != nil {
			return redacted
		}
		return string(out)
	}
	// Form-encoded (the OAuth endpoints).
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return redacted
	}
	for k := range vals {
		if secretKeys[strings.ToLower(k)] {
			for i := range vals[k] {
				vals[k][i] = redacted
			}
		}
	}
	return vals.Encode()
}

func redactJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if secretKeys[strings.ToLower(k)] && val != nil {
				x[k] = redacted
			} else {
				x[k] = redactJSON(val)
			}
		}
	case []any:
		for i := range x {
			x[i] = redactJSON(x[i])
		}
	case string:
		return installationKeyLiteral.ReplaceAllString(x, "${1}'"+redacted+"'")
	}
	return v
}
