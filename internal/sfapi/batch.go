package sfapi

import (
	"errors"
	"fmt"
	"strings"
)

// BatchFailure is one record of a collection call that failed.
type BatchFailure struct {
	Key     string // what the caller knows the record by: the assignee id on create, the record id on delete
	Code    string // Salesforce statusCode, e.g. INSUFFICIENT_ACCESS_OR_READONLY
	Message string
}

// BatchError reports the records of a partly successful collection call
// (allOrNone=false); the records not listed were applied.
type BatchError struct {
	Failures []BatchFailure
}

// maxListedFailures keeps the message readable when hundreds fail alike.
const maxListedFailures = 10

func (e *BatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d record(s) failed: ", len(e.Failures))
	for i, f := range e.Failures {
		if i == maxListedFailures {
			fmt.Fprintf(&b, "; and %d more", len(e.Failures)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Key + ": ")
		if f.Code != "" {
			b.WriteString(f.Code + " ")
		}
		b.WriteString(f.Message)
	}
	return b.String()
}

// failureOf turns a per-record result or error into a BatchFailure.
func failureOf(key string, err error) BatchFailure {
	var ae *APIError
	if errors.As(err, &ae) {
		return BatchFailure{Key: key, Code: ae.ErrorCode, Message: ae.Message}
	}
	return BatchFailure{Key: key, Message: err.Error()}
}

// batchResult combines a call-level error with the per-record failures
// gathered before it, so neither hides the other.
func batchResult(callErr error, failures []BatchFailure) error {
	switch {
	case callErr != nil && len(failures) > 0:
		return fmt.Errorf("%w (earlier: %w)", callErr, &BatchError{Failures: failures})
	case callErr != nil:
		return callErr
	case len(failures) > 0:
		return &BatchError{Failures: failures}
	}
	return nil
}
