package provider

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// batchReadsEnv turns batched (shared) Salesforce reads off when "false".
// It is a troubleshooting aid, not a setting: with it off, every resource
// and data source asks Salesforce on its own, which is slower and costs
// more API calls, but rules the read cache out when something looks stale.
// `make bench` uses it for the comparison.
const batchReadsEnv = "NORTHPASS_BATCH_READS"

// batchReads reads the value of NORTHPASS_BATCH_READS: on unless set to a
// false value.
func batchReads(ctx context.Context, v string, diags *diag.Diagnostics) bool {
	if v == "" {
		return true
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		diags.AddWarning("Invalid "+batchReadsEnv,
			fmt.Sprintf("%q is not a boolean (use true or false); Salesforce reads stay batched.", v))
		return true
	}
	if !on {
		tflog.Info(ctx, "Batched Salesforce reads are off ("+batchReadsEnv+"=false): every read asks Salesforce on its own")
	}
	return on
}
