package urlcheck

import "testing"

func TestService(t *testing.T) {
	ok := map[string]string{
		"https://acme.my.salesforce.com":   "https://acme.my.salesforce.com",
		"https://api.northpass.com/":       "https://api.northpass.com",
		"http://127.0.0.1:8080":            "http://127.0.0.1:8080",
		"http://localhost:1234/":           "http://localhost:1234",
		"http://[::1]:99":                  "http://[::1]:99",
		"https://test.salesforce.com/base": "https://test.salesforce.com/base",
	}
	for in, want := range ok {
		got, err := Service(in)
		if err != nil || got != want {
			t.Errorf("Service(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := []string{
		"", "acme.my.salesforce.com", "http://acme.my.salesforce.com", "ftp://x.com",
		"http://10.0.0.1", "http://localhost.evil.com", "https://u:p@x.com", "https://x.com/?a=b",
		"https://x.com/#f", "://", "http://127.0.0.1.nip.io",
	}
	for _, in := range bad {
		if got, err := Service(in); err == nil {
			t.Errorf("Service(%q) = %q, want an error", in, got)
		}
	}
}
