package sffake

import (
	"strings"
)

// Salesforce record ids are 15 case-sensitive characters: a 3-character key
// prefix naming the object, 2 for the pod, 1 reserved and 9 of counter. The
// 18-character form appends a case-safe checksum so ids survive
// case-insensitive systems. Clients compare, store and send both forms, so the
// fake produces real 18-character ids and accepts 15-character ones as input.

const idChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// idSuffix computes the 3-character case-safe suffix of a 15-character id:
// each 5-character chunk contributes one character whose index is the bitmask
// of which of its characters are upper-case letters.
func idSuffix(id15 string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
	var b strings.Builder
	for chunk := 0; chunk < 3; chunk++ {
		n := 0
		for i := 0; i < 5; i++ {
			c := id15[chunk*5+i]
			if c >= 'A' && c <= 'Z' {
				n |= 1 << i
			}
		}
		b.WriteByte(alphabet[n])
	}
	return b.String()
}

// makeID builds an 18-character id from a key prefix and a counter.
func makeID(prefix string, n uint64) string {
	var digits [9]byte
	for i := 8; i >= 0; i-- {
		digits[i] = idChars[n%62]
		n /= 62
	}
	id15 := prefix + "ak0" + string(digits[:])
	return id15 + idSuffix(id15)
}

// normalizeID turns a 15- or 18-character id into its 18-character form. The
// suffix of an 18-character input is recomputed, which is what Salesforce
// effectively does: it only looks at the first 15 characters.
func normalizeID(s string) (string, bool) {
	if len(s) != 15 && len(s) != 18 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(idChars, s[i]) < 0 {
			return "", false
		}
	}
	id15 := s[:15]
	return id15 + idSuffix(id15), true
}

// id15 returns the 15-character form, which Salesforce uses in some error
// messages (the duplicate PermissionSetAssignment message, for one).
func id15(id string) string {
	if len(id) >= 15 {
		return id[:15]
	}
	return id
}
