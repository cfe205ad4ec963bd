package provider

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type bigValueKey struct{}

// A request's context, and what it carries, can be collected once the
// request has returned. The framework's server alone keeps every request's
// context until StopProvider (registerContext), which grew a plan of 10,000
// resources to a gigabyte.
func TestProtocol6ServerLetsGoOfRequestContexts(t *testing.T) {
	srv := NewProtocol6Server("test")()
	if _, ok := srv.(releasingServer); !ok {
		t.Fatalf("the server is a %T, not wrapped: the framework's server no longer implements fullServer", srv)
	}
	freed := make(chan struct{})
	func() {
		big := new([1 << 20]byte)
		runtime.AddCleanup(big, func(ch chan struct{}) { close(ch) }, freed)
		ctx := context.WithValue(t.Context(), bigValueKey{}, big)
		_, err := srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: string(typePermissionSetAssignment)})
		if err != nil {
			t.Fatal(err)
		}
	}()
	deadline := time.After(5 * time.Second)
	for {
		runtime.GC()
		select {
		case <-freed:
			return
		case <-deadline:
			t.Fatal("the request's context is still held after the request returned")
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Until released, a releasingContext is the request's context; afterwards
// it is cancelled and carries no values.
func TestReleasingContext(t *testing.T) {
	parent, cancel := context.WithCancel(context.WithValue(t.Context(), bigValueKey{}, "v"))
	rc := newReleasingContext(parent)
	child, cancelChild := context.WithCancel(rc)
	defer cancelChild()
	if rc.Value(bigValueKey{}) != "v" || rc.Err() != nil || child.Err() != nil {
		t.Fatal("before release: not the request's context")
	}
	cancel()
	<-child.Done() // the request's cancellation reaches contexts made from it
	rc.release()
	if rc.Value(bigValueKey{}) != nil || rc.Err() == nil {
		t.Fatal("after release: still carries the request's values, or is not cancelled")
	}
	select {
	case <-rc.Done():
	default:
		t.Fatal("after release: Done is open")
	}
}
