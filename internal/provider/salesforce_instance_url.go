package provider

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ceiac/terraform-provider-northpass/internal/urlcheck"
)

// salesforceHostSuffixes are the domains Salesforce serves orgs from
// (commercial, Government Cloud and the legacy cloudforce domain).
var salesforceHostSuffixes = []string{".salesforce.com", ".force.com", ".salesforce.mil", ".cloudforce.com"}

// legacySandboxInstance matches the pre-My-Domain sandbox instances
// (cs1.salesforce.com … cs220.my.salesforce.com).
var legacySandboxInstance = regexp.MustCompile(`^cs[0-9]+\.(my\.)?salesforce\.com$`)

// parseInstanceURL checks what CE accepts as the org's instance URL — the
// https URL of a Salesforce host, nothing after the host — and returns it
// normalised (lower-case scheme and host, no trailing slash). A loopback
// host is accepted over http too, for the local emulator.
func parseInstanceURL(raw string) (string, error) {
	if _, err := urlcheck.Service(raw); err != nil {
		return "", err
	}
	u, err := url.Parse(raw)
	if err != nil { // urlcheck.Service parsed it already
		return "", err
	}
	if u.Path != "" && u.Path != "/" {
		return "", fmt.Errorf("%q has a path: use only the scheme and host of the org, such as https://acme.my.salesforce.com", raw)
	}
	host := strings.ToLower(u.Hostname())
	if !urlcheck.IsLoopback(host) && !isSalesforceHost(host) {
		return "", fmt.Errorf("%q is not a Salesforce host: the instance URL is the org's My Domain URL, such as "+
			"https://acme.my.salesforce.com (hosts end in .salesforce.com, .force.com, .salesforce.mil or .cloudforce.com)", raw)
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host), nil
}

// normalizeInstanceURL is parseInstanceURL for values already validated
// (or coming from CE): on a parse failure the raw value is returned.
func normalizeInstanceURL(raw string) string {
	if n, err := parseInstanceURL(raw); err == nil {
		return n
	}
	return strings.TrimRight(raw, "/")
}

// sameInstanceURL reports whether two instance URLs name the same org.
func sameInstanceURL(a, b string) bool { return normalizeInstanceURL(a) == normalizeInstanceURL(b) }

func isSalesforceHost(host string) bool {
	for _, suffix := range salesforceHostSuffixes {
		if strings.HasSuffix(host, suffix) {
			return true
		}
	}
	return false
}

// looksLikeSandbox reports whether a Salesforce host is a sandbox's, by the
// naming Salesforce uses: enhanced domains (acme--uat.sandbox.my.salesforce.com),
// the "--" joining org and sandbox names in any My Domain, the sandbox login
// host and the legacy csNN instances. Loopback hosts are neither.
func looksLikeSandbox(host string) (sandbox, known bool) {
	host = strings.ToLower(host)
	if urlcheck.IsLoopback(host) || !isSalesforceHost(host) {
		return false, false
	}
	first, _, _ := strings.Cut(host, ".")
	switch {
	case host == "test.salesforce.com",
		strings.HasSuffix(host, ".sandbox.my.salesforce.com"),
		strings.HasSuffix(host, ".sandbox.lightning.force.com"),
		strings.Contains(first, "--"),
		legacySandboxInstance.MatchString(host):
		return true, true
	}
	return false, true
}

// salesforceInstanceURL validates the integration's instance_url at plan time.
func salesforceInstanceURL() validator.String {
	return stringCheck{
		description: "must be the https URL of a Salesforce org (its My Domain URL), without a path; http only for loopback hosts",
		summary:     "Invalid Salesforce instance URL",
		check:       errorText(parseInstanceURL),
	}
}
