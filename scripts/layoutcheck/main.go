// Command layoutcheck shows that the demo leaves a page layout alone except
// for the Enrollments related list: it reads the layout through the
// Metadata API (readMetadata) with the emulator's credentials, and either
// saves it or compares it, element by element, with what it saved.
//
//	layoutcheck snapshot "Contact-Contact Layout" FILE
//	layoutcheck compare  "Contact-Contact Layout" FILE        # all but the Enrollments list
//	layoutcheck compare -whole "Contact-Contact Layout" FILE  # everything
//
// The SALESFORCE_* variables of the emulator's emulator.env sign it in.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/layoutdiff"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

func read(ctx context.Context, layout string) ([]byte, error) {
	key, err := os.ReadFile(os.Getenv("SALESFORCE_PRIVATE_KEY_FILE"))
	if err != nil {
		return nil, fmt.Errorf("SALESFORCE_PRIVATE_KEY_FILE: %w", err)
	}
	c, err := sfapi.New(sfapi.Config{
		LoginURL: os.Getenv("SALESFORCE_LOGIN_URL"), InstanceURL: os.Getenv("SALESFORCE_INSTANCE_URL"),
		ClientID: os.Getenv("SALESFORCE_CLIENT_ID"), Username: os.Getenv("SALESFORCE_USERNAME"), PrivateKeyPEM: string(key),
	})
	if err != nil {
		return nil, err
	}
	l, err := c.ReadLayoutXML(ctx, layout)
	if err != nil {
		return nil, err
	}
	return l.Content(), nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "layoutcheck:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) < 2 {
		return errors.New("usage: layoutcheck snapshot|compare [-whole] LAYOUT FILE")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ContinueOnError)
	whole := fs.Bool("whole", false, "compare the whole layout, the Enrollments list included")
	except := fs.String("except", `__Enrollment__c\.`, "related lists whose name matches are left out of the comparison")
	if err := fs.Parse(os.Args[2:]); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return errors.New("usage: layoutcheck snapshot|compare [-whole] LAYOUT FILE")
	}
	layout, file := fs.Arg(0), fs.Arg(1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	now, err := read(ctx, layout)
	if err != nil {
		return err
	}
	switch os.Args[1] {
	case "snapshot":
		return os.WriteFile(file, now, 0o600)
	case "compare":
	default:
		return fmt.Errorf("unknown command %q", os.Args[1])
	}
	saved, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	exceptRE := regexp.MustCompile(*except)
	skip := func(e layoutdiff.Element) bool {
		return !*whole && e.Name == "relatedLists" && exceptRE.MatchString(e.RelatedList)
	}
	if err := layoutdiff.Compare(layout, saved, now, skip); err != nil {
		return err
	}
	n, err := layoutdiff.Count(saved, skip)
	if err != nil {
		return err
	}
	what := "every element but the Enrollments related list"
	if *whole {
		what = "the whole layout"
	}
	fmt.Printf("  %s: %s identical to the seed (%d elements, read with readMetadata)\n", layout, what, n)
	return nil
}
