// Package urlcheck holds the one rule every URL the provider talks to must
// follow: HTTPS, except on loopback hosts, where the local emulator runs
// without TLS. Credentials are never sent in clear text to anything else.
package urlcheck

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Service parses raw as the base URL of a service and returns it without a
// trailing slash. It must be absolute, without query or fragment, and use
// https unless its host is loopback.
func Service(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%q is not a valid URL: %v", raw, err)
	}
	if u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute URL such as https://example.my.salesforce.com", raw)
	}
	if u.User != nil {
		return "", fmt.Errorf("%q must not contain credentials", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q must not have a query or fragment", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return "", fmt.Errorf("%q must use https (plain http is only accepted for loopback hosts such as 127.0.0.1)", raw)
		}
	default:
		return "", fmt.Errorf("%q must use https", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

// IsLoopback reports whether host (without port) is localhost or a loopback IP.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
