package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func usernamesTF(names ...string) tftypes.Value {
	elems := make([]tftypes.Value, len(names))
	for i, n := range names {
		elems[i] = tftypes.NewValue(tftypes.String, n)
	}
	return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, elems)
}

func TestUsernameSetTypeValidateReportsDuplicates(t *testing.T) {
	ctx := context.Background()
	typ := newUsernameSetType()
	if d := typ.Validate(ctx, usernamesTF("a@x.com", "b@x.com"), path.Root("usernames")); d.HasError() {
		t.Fatalf("distinct names: %v", d)
	}
	d := typ.Validate(ctx, usernamesTF("a@x.com", "b@x.com", "a@x.com"), path.Root("usernames"))
	if d.ErrorsCount() != 1 || d[0].Summary() != "Duplicate Set Element" || !strings.Contains(d[0].Detail(), `"a@x.com"`) {
		t.Fatalf("want one duplicate error for a@x.com, got %v", d)
	}
	unknown := tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, tftypes.UnknownValue)
	if d := typ.Validate(ctx, unknown, path.Root("usernames")); d.HasError() {
		t.Fatalf("unknown set: %v", d)
	}
}

// At 20,000 names the framework's nested loops take seconds; this checks
// that the linear versions give the same answers at that size.
func TestUsernameSetTypeLargeSetsValidateAndCompare(t *testing.T) {
	ctx := context.Background()
	names := make([]string, 20000)
	for i := range names {
		names[i] = fmt.Sprintf("user%05d@x.com", i)
	}
	typ := newUsernameSetType()
	if d := typ.Validate(ctx, usernamesTF(names...), path.Root("usernames")); d.HasError() {
		t.Fatalf("distinct names: %v", d[0])
	}
	v, err := typ.ValueFromTerraform(ctx, usernamesTF(names...))
	if err != nil {
		t.Fatal(err)
	}
	reversed := make([]attr.Value, len(names))
	for i, n := range names {
		reversed[len(names)-1-i] = types.StringValue(n)
	}
	other := usernameSetOf(types.SetValueMust(types.StringType, reversed))
	if !v.Equal(other) {
		t.Fatal("the same names in another order compare unequal")
	}
	changed := append([]attr.Value(nil), reversed...)
	changed[0] = types.StringValue("someone.else@x.com")
	if v.Equal(usernameSetOf(types.SetValueMust(types.StringType, changed))) {
		t.Fatal("sets differing in one name compare equal")
	}
	if same, _ := usernameSetOf(types.SetValueMust(types.StringType, changed)).SetSemanticEquals(ctx, v.(usernameSetValue)); same {
		t.Fatal("semantic equality of sets differing in one name")
	}
	if same, _ := other.SetSemanticEquals(ctx, v.(usernameSetValue)); !same {
		t.Fatal("no semantic equality for the same names in another order")
	}
	if v.Equal(usernameSetOf(types.SetNull(types.StringType))) || !usernameSetOf(types.SetNull(types.StringType)).Equal(usernameSetOf(types.SetNull(types.StringType))) {
		t.Fatal("null handling")
	}
}
