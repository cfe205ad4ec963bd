package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// errLayoutNotFound is returned by resolveLayout when the object has no
// layout of that name; its message lists the layouts it has.
type errLayoutNotFound struct{ msg string }

func (e *errLayoutNotFound) Error() string { return e.msg }

// resolveLayout finds a layout's id from its full name with the listing
// query alone, so that the layout can be locked before its one GET. Names
// compare as sfapi.MatchLayout says.
func resolveLayout(ctx context.Context, client *sfapi.Client, fullName string) (*sfapi.LayoutSummary, error) {
	object, name, err := sfapi.ParseLayoutFullName(fullName)
	if err != nil {
		return nil, err
	}
	layouts, err := client.ListLayouts(ctx, object)
	if err != nil {
		return nil, err
	}
	if l := sfapi.MatchLayout(layouts, name); l != nil {
		return l, nil
	}
	names := make([]string, len(layouts))
	for i, l := range layouts {
		names[i] = fmt.Sprintf("%q", l.FullName)
	}
	avail := "it has none this user can see"
	if len(names) > 0 {
		avail = "its layouts are " + strings.Join(names, ", ")
	}
	return nil, &errLayoutNotFound{msg: fmt.Sprintf("no page layout %q on %s: %s", fullName, object, avail)}
}

// sameLayout reports whether a layout read by id still carries the name the
// configuration gives (it may have been renamed in Setup since).
func sameLayout(configured string, l *sfapi.Layout) bool {
	if l.FullName == "" {
		return true // nothing to compare with; the id is authoritative
	}
	o1, n1, err1 := sfapi.ParseLayoutFullName(configured)
	o2, n2, err2 := sfapi.ParseLayoutFullName(l.FullName)
	if err1 != nil || err2 != nil {
		return strings.EqualFold(configured, l.FullName)
	}
	if !strings.EqualFold(o1, o2) {
		return false
	}
	if strings.EqualFold(n1, n2) {
		return true
	}
	// A packaged layout's full name carries the namespace in the name part.
	_, bare, ok := strings.Cut(n2, "__")
	return ok && strings.EqualFold(n1, bare)
}
