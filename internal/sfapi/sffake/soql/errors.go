package soql

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error codes this package produces. They are the errorCode values Salesforce
// puts in its REST error body, so the fake can render
// [{"message":…,"errorCode":…}] without translating.
const (
	// CodeMalformedQuery is for anything the SOQL grammar rejects.
	CodeMalformedQuery = "MALFORMED_QUERY"
	// CodeInvalidField is for a path the record cannot resolve. The store
	// normally reports this itself (it knows the schema) before evaluating.
	CodeInvalidField = "INVALID_FIELD"
	// CodeInvalidQueryFilterOperator is for a literal whose type does not fit
	// the field, e.g. a number compared with a text field.
	CodeInvalidQueryFilterOperator = "INVALID_QUERY_FILTER_OPERATOR"
	// CodeNumberOutsideValidRange is for OFFSET above Salesforce's 2000 cap.
	CodeNumberOutsideValidRange = "NUMBER_OUTSIDE_VALID_RANGE"
)

// Error is a Salesforce-style query error.
//
// Row and Column (both 1-based) locate the offending token when there is
// one, and are 0 otherwise. Salesforce shows them as
// "ERROR at Row:1:Column:30". They are kept out of Message so that callers
// can use Message as the short text ("unexpected token: 'FROM'").
type Error struct {
	Code    string
	Message string
	Row     int
	Column  int
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// errAt builds an error for the token at byte offset pos of src.
func errAt(src string, pos int, code, format string, args ...any) *Error {
	row, col := position(src, pos)
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Row: row, Column: col}
}

// position converts a byte offset into a 1-based row and a 1-based
// column counted in characters, the way Salesforce counts them.
func position(src string, pos int) (row, col int) {
	if pos > len(src) {
		pos = len(src)
	}
	before := src[:pos]
	row = 1 + strings.Count(before, "\n")
	if i := strings.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return row, 1 + utf8.RuneCountInString(before)
}

// unsupportedMessage marks SOQL that Salesforce accepts but this fake
// does not implement. The code stays MALFORMED_QUERY so clients fail the
// usual way, but the text makes clear the fake is the limit, not the query.
func unsupportedMessage(what string) string {
	return "the Salesforce fake's SOQL engine does not support " + what
}
