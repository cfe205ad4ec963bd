package provider

import "github.com/ceiac/terraform-provider-northpass/internal/httpkit"

// outcomeUnknown reports whether a failed POST to either API may have been
// carried out all the same (5xx, or a connection broken mid-request). Both
// clients' errors answer it through httpkit, which is also what
// httpkit.SendWrite asks before it looks for what a lost request did.
var outcomeUnknown = httpkit.OutcomeUnknown
