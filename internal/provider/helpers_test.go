package provider

import (
	"os"
	"regexp"
	"strings"
)

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }

// errorLike builds a pattern from phrases that must appear in order.
// Terraform wraps diagnostics at ~80 columns, so a space in a phrase matches
// any run of whitespace, newlines included.
func errorLike(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}
