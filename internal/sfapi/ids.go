package sfapi

import (
	"fmt"
	"strings"
)

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

// ID18 returns the case-insensitive 18-character form of a Salesforce id.
// Ids pasted from the UI are often 15 characters; the API returns 18, so
// state always holds the 18-character form to avoid perpetual diffs.
func ID18(id string) (string, error) {
	if len(id) == 18 {
		return id, checkIDChars(id)
	}
	if len(id) != 15 {
		return "", fmt.Errorf("%q is not a Salesforce id: ids have 15 or 18 characters", id)
	}
	if err := checkIDChars(id); err != nil {
		return "", err
	}
	var suffix strings.Builder
	for chunk := 0; chunk < 3; chunk++ {
		bits := 0
		for i := 0; i < 5; i++ {
			c := id[chunk*5+i]
			if c >= 'A' && c <= 'Z' {
				bits |= 1 << i
			}
		}
		suffix.WriteByte(idAlphabet[bits])
	}
	return id + suffix.String(), nil
}

func checkIDChars(id string) error {
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return fmt.Errorf("%q is not a Salesforce id: only letters and digits are allowed", id)
		}
	}
	return nil
}

// IDKinds names the objects behind the key prefixes users are likely to mix
// up, for messages like "this is a user id, not a permission set id".
var IDKinds = map[string]string{
	"005": "user",
	"00e": "profile",
	"0PS": "permission set",
	"0Pa": "permission set assignment",
	"033": "package",
	"04t": "package version",
	"0Hf": "package install request",
	"00h": "page layout",
	"003": "contact",
	"00D": "organization",
}
