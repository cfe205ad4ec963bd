package sfapi

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/httpkit"
)

// newRetryPolicy is httpkit's policy plus what only Salesforce says: a 403
// REQUEST_LIMIT_EXCEEDED is a refusal (the request was not processed), so
// any method may repeat it after a backoff, like a 429.
func newRetryPolicy(waitMin, waitMax time.Duration) httpkit.Policy {
	return httpkit.Policy{WaitMin: waitMin, WaitMax: waitMax, Jitter: httpkit.DefaultJitter, Refused: requestLimitExceeded}
}

// requestLimitExceeded is httpkit.Policy.Refused: Salesforce reports the
// org's daily API limit as HTTP 403 with errorCode REQUEST_LIMIT_EXCEEDED,
// not as 429, so the body has to be read.
func requestLimitExceeded(resp *http.Response) string {
	if resp.StatusCode == http.StatusForbidden && bodyHasErrorCode(resp, "REQUEST_LIMIT_EXCEEDED") {
		return "403 REQUEST_LIMIT_EXCEEDED"
	}
	return ""
}

// bodyHasErrorCode peeks at a REST error body and puts it back, so the
// caller can still read the whole body when no retry happens.
func bodyHasErrorCode(resp *http.Response, code string) bool {
	if resp.Body == nil || resp.Body == http.NoBody {
		return false
	}
	head, err := peekBody(resp)
	if err != nil {
		return false
	}
	return parseAPIError(resp.StatusCode, head, false).ErrorCode == code
}

// peekBody reads the first 64 KiB of an error body and puts them back.
func peekBody(resp *http.Response) ([]byte, error) {
	head, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	return head, err
}
