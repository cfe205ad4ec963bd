package provider

import (
	"context"
	"encoding/json"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// Private state keeps what a resource must remember between operations but
// the user never sees: a package request still running, an authorization
// CE is waiting on, a refused integration user. Each is a small JSON value
// under its own key.

// privateGetter is the reading half of the framework's private state
// (ReadRequest.Private, …).
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// privateSetter is the writing half (UpdateResponse.Private, …).
type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// readPrivateJSON is the value under key, or nil when there is none, it is
// not JSON of T, or complete says a field it needs is missing. Private state
// is a hint: an unreadable one is forgotten, never a reason to fail.
func readPrivateJSON[T any](ctx context.Context, p privateGetter, key string, complete func(*T) bool) *T {
	if isNilPointer(p) {
		return nil
	}
	raw, diags := p.GetKey(ctx, key)
	if diags.HasError() || len(raw) == 0 {
		return nil
	}
	var v T
	if json.Unmarshal(raw, &v) != nil || !complete(&v) {
		return nil
	}
	return &v
}

// encodePrivateJSON is v as the value of a private state key; nil, which
// removes the key, when v is nil. The values are plain structs, which
// always encode.
func encodePrivateJSON[T any](v *T) []byte {
	if v == nil {
		return nil
	}
	b, _ := json.Marshal(v)
	return b
}

// isNilPointer sees through an interface holding a nil pointer: the
// framework hands a nil *privatestate.ProviderData where there is none.
func isNilPointer(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}
