package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// BenchmarkPermissionSetAssignmentsPlan10000 validates and plans one
// assignments resource of 10,000 usernames through the provider's protocol
// server, as terraform does, without signing in. Profile it with
//
//	go test ./internal/provider -run '^$' -bench PermissionSetAssignmentsPlan -cpuprofile cpu.out
//	go tool pprof -top cpu.out
func BenchmarkPermissionSetAssignmentsPlan10000(b *testing.B) {
	ctx := context.Background()
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		b.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	const typeName = "northpass_salesforce_permission_set_assignments"
	typ, ok := schemas.ResourceSchemas[typeName].ValueType().(tftypes.Object)
	if !ok {
		b.Fatal("no object type for " + typeName)
	}
	names := make([]tftypes.Value, 10000)
	for i := range names {
		names[i] = tftypes.NewValue(tftypes.String, fmt.Sprintf("user%05d@acme.example", i))
	}
	object := func(assignments tftypes.Value) *tfprotov6.DynamicValue {
		v := tftypes.NewValue(typ, map[string]tftypes.Value{
			"id":                tftypes.NewValue(tftypes.String, nil),
			"permission_set_id": tftypes.NewValue(tftypes.String, "0PS000000000001AAA"),
			"usernames":         tftypes.NewValue(typ.AttributeTypes["usernames"], names),
			"expiration_date":   tftypes.NewValue(tftypes.String, nil),
			"assignments":       assignments,
		})
		dv, err := tfprotov6.NewDynamicValue(typ, v)
		if err != nil {
			b.Fatal(err)
		}
		return &dv
	}
	config := object(tftypes.NewValue(typ.AttributeTypes["assignments"], nil))
	proposed := object(tftypes.NewValue(typ.AttributeTypes["assignments"], tftypes.UnknownValue))
	prior, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		v, err := srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: config})
		if err != nil || len(v.Diagnostics) > 0 {
			b.Fatalf("validate: %v %v", err, v.Diagnostics)
		}
		p, err := srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, Config: config, ProposedNewState: proposed, PriorState: &prior,
		})
		if err != nil || len(p.Diagnostics) > 0 {
			b.Fatalf("plan: %v %v", err, p.Diagnostics)
		}
	}
}
