package httpkit

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
)

// permanentError marks a failure a retry cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as one no retry can fix, such as a refused redirect or
// a client-side rate limit that cannot be met before the deadline.
func Permanent(err error) error { return &permanentError{err: err} }

// IsPermanent reports transport failures that repeating cannot fix: errors
// marked with Permanent, certificate and TLS verification failures, too many
// redirects, an unsupported URL scheme and an invalid header. The two
// clients used to know different halves of this list (sfapi the messages,
// npapi the marker); both now refuse to retry all of it.
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	var (
		p         *permanentError
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		certErr   x509.CertificateInvalidError
		verifyErr *tls.CertificateVerificationError
	)
	if errors.As(err, &p) || errors.As(err, &unknownCA) || errors.As(err, &hostErr) ||
		errors.As(err, &certErr) || errors.As(err, &verifyErr) {
		return true
	}
	// net/http reports these as plain strings, with no type to match.
	msg := err.Error()
	return strings.Contains(msg, "stopped after") && strings.Contains(msg, "redirects") ||
		strings.Contains(msg, "unsupported protocol scheme") ||
		strings.Contains(msg, "invalid header")
}
