package provider

import (
	"errors"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// maxCreateAttempts bounds how often a create whose outcome was lost is
// sent again, after a read-back found nothing.
const maxCreateAttempts = 3

// outcomeUnknown reports whether a failed POST to either API may have been
// carried out all the same (5xx, or a connection broken mid-request); see
// sfapi.OutcomeUnknown. The caller looks for what the first request made
// before sending it again.
func outcomeUnknown(err error) bool {
	var np *npapi.APIError
	if errors.As(err, &np) {
		return np.Status >= 500
	}
	return sfapi.OutcomeUnknown(err)
}
