package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// salesforceID validates a 15- or 18-character Salesforce id with the given
// key prefix ("005" user, "0PS" permission set, "04t" package version, …).
// A well-formed id of another kind gets a message naming both kinds: mixing
// up a user id and a permission set id is the usual mistake.
func salesforceID(prefix string) validator.String {
	return stringCheck{
		description: fmt.Sprintf("must be a 15- or 18-character Salesforce %s id starting with %s", kindOf(prefix), prefix),
		summary:     "Invalid Salesforce id",
		check:       func(s string) string { return checkSalesforceID(s, prefix) },
	}
}

// checkSalesforceID returns why id is not a valid id with prefix, or "".
func checkSalesforceID(id, prefix string) string {
	if _, err := sfapi.ID18(id); err != nil {
		return err.Error()
	}
	if len(id) >= 3 && id[:3] == prefix {
		return ""
	}
	want := kindOf(prefix)
	if len(id) >= 3 {
		if got, ok := sfapi.IDKinds[id[:3]]; ok {
			return fmt.Sprintf("%q is a %s id (prefix %s), but a %s id (prefix %s) is needed here.", id, got, id[:3], want, prefix)
		}
	}
	return fmt.Sprintf("%q is not a %s id: those start with %s.", id, want, prefix)
}

func kindOf(prefix string) string {
	if k, ok := sfapi.IDKinds[prefix]; ok {
		return k
	}
	return "record"
}

// normalizeID returns the 18-character form of an id already validated.
func normalizeID(id string) string {
	if long, err := sfapi.ID18(id); err == nil {
		return long
	}
	return id
}
