package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// usernameSetType is a set of strings whose duplicate check and equality
// are linear. The framework's SetType.Validate compares every element with
// every other (its values cannot be map keys), and SetValue.Equal copies
// the other set for each element: at 10,000 usernames that was ~70% of a
// plan's CPU. Strings can be map keys, so both become one pass here.
type usernameSetType struct{ basetypes.SetType }

var (
	_ basetypes.SetTypable                    = usernameSetType{}
	_ basetypes.SetValuableWithSemanticEquals = usernameSetValue{}
)

func newUsernameSetType() usernameSetType {
	return usernameSetType{SetType: basetypes.SetType{ElemType: types.StringType}}
}

func (t usernameSetType) Equal(o attr.Type) bool {
	other, ok := o.(usernameSetType)
	return ok && t.SetType.Equal(other.SetType)
}

func (t usernameSetType) String() string { return "usernameSetType" }

func (t usernameSetType) ValueFromSet(_ context.Context, s basetypes.SetValue) (basetypes.SetValuable, diag.Diagnostics) {
	return usernameSetValue{SetValue: s}, nil
}

func (t usernameSetType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.SetType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.SetValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return usernameSetValue{SetValue: s}, nil
}

func (t usernameSetType) ValueType(_ context.Context) attr.Value {
	return usernameSetValue{SetValue: basetypes.NewSetNull(types.StringType)}
}

// Validate reports duplicate elements as SetType.Validate does (same
// summary and detail), with a map instead of nested loops.
func (t usernameSetType) Validate(_ context.Context, in tftypes.Value, p path.Path) diag.Diagnostics {
	var diags diag.Diagnostics
	if in.Type() == nil || !in.IsKnown() || in.IsNull() {
		return diags
	}
	var elems []tftypes.Value
	if err := in.As(&elems); err != nil {
		diags.AddAttributeError(p, "Set Type Validation Error",
			"An unexpected error was encountered trying to validate an attribute value. This is always an error in the provider. Please report the following to the provider developer:\n\n"+err.Error())
		return diags
	}
	seen := make(map[string]bool, len(elems))
	for _, e := range elems {
		if !e.IsFullyKnown() || e.IsNull() {
			continue
		}
		var s string
		if err := e.As(&s); err != nil {
			continue
		}
		if seen[s] {
			diags.AddAttributeError(p, "Duplicate Set Element", fmt.Sprintf("This attribute contains duplicate values of: %s", e))
			continue
		}
		seen[s] = true
	}
	return diags
}

// usernameSetValue is a value of usernameSetType. It implements semantic
// equality only to say "equal" in one pass when it is: otherwise the
// framework compares every element with every prior element after each
// Read, Create and Update (terraform-plugin-framework issue #1314), which
// for strings without semantic equality is 10^8 no-op steps at 10,000.
type usernameSetValue struct{ basetypes.SetValue }

func usernameSetOf(s basetypes.SetValue) usernameSetValue { return usernameSetValue{SetValue: s} }

func (v usernameSetValue) Type(_ context.Context) attr.Type { return newUsernameSetType() }

func (v usernameSetValue) ToSetValue(_ context.Context) (basetypes.SetValue, diag.Diagnostics) {
	return v.SetValue, nil
}

// Equal is SetValue.Equal with one map of the other set's strings instead
// of a scan (and a copy) of it per element.
func (v usernameSetValue) Equal(o attr.Value) bool {
	other, ok := o.(usernameSetValue)
	if !ok {
		return false
	}
	if v.IsNull() || v.IsUnknown() || other.IsNull() || other.IsUnknown() {
		return v.IsNull() == other.IsNull() && v.IsUnknown() == other.IsUnknown()
	}
	mine, theirs := v.Elements(), other.Elements()
	if len(mine) != len(theirs) {
		return false
	}
	have := make(map[string]bool, len(theirs))
	for _, e := range theirs {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			return v.SetValue.Equal(other.SetValue) // not plain strings: the framework's way
		}
		have[s.ValueString()] = true
	}
	for _, e := range mine {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			return v.SetValue.Equal(other.SetValue)
		}
		if !have[s.ValueString()] {
			return false
		}
	}
	return true
}

// SetSemanticEquals is Equal: the same usernames keep the prior value,
// which changes nothing but spares the framework its element-pair walk.
func (v usernameSetValue) SetSemanticEquals(_ context.Context, prior basetypes.SetValuable) (bool, diag.Diagnostics) {
	p, ok := prior.(usernameSetValue)
	return ok && v.Equal(p), nil
}
