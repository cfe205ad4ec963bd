package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

const ctlUsage = `usage: emulator ctl ACTION [ARGS]   (reads EMULATOR_*_ADMIN_URL from the environment: source emulator.env)

Changes the emulated org or CE account behind Terraform's back, as people and
incidents do in real ones:
  install-package NAMESPACE VERSION       an admin installs or upgrades a package in Setup
  uninstall-package NAMESPACE             an admin uninstalls a package
  remove-related-list LAYOUT RELATED_LIST someone edits the page layout in Setup
  delete-assignment USERNAME PERMSET_NAME someone removes a user's permission set assignment
  revoke-ce                               Salesforce revokes CE's tokens (November 2025)
  delete-enrollments N                    N enrollment records go missing in Salesforce
`

// ctl runs one admin action against a running emulator.
func ctl(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("no action\n%s", ctlUsage)
	}
	sf, np := os.Getenv("EMULATOR_SALESFORCE_ADMIN_URL"), os.Getenv("EMULATOR_NORTHPASS_ADMIN_URL")
	if sf == "" || np == "" {
		return fmt.Errorf("EMULATOR_SALESFORCE_ADMIN_URL and EMULATOR_NORTHPASS_ADMIN_URL are not set\n%s", ctlUsage)
	}
	a := admin{sf: sf + "/__admin", np: np + "/__admin", http: &http.Client{Timeout: 30 * time.Second}}
	need := func(n int) error {
		if len(args)-1 != n {
			return fmt.Errorf("%s takes %d argument(s)\n%s", args[0], n, ctlUsage)
		}
		return nil
	}
	switch args[0] {
	case "install-package":
		if err := need(2); err != nil {
			return err
		}
		return a.do("POST", a.sf+"/packages/install", map[string]string{"namespace": args[1], "version": args[2]}, nil)
	case "uninstall-package":
		if err := need(1); err != nil {
			return err
		}
		return a.do("POST", a.sf+"/packages/uninstall", map[string]string{"namespace": args[1]}, nil)
	case "remove-related-list":
		if err := need(2); err != nil {
			return err
		}
		return a.removeRelatedList(args[1], args[2])
	case "delete-assignment":
		if err := need(2); err != nil {
			return err
		}
		return a.deleteAssignment(args[1], args[2])
	case "revoke-ce":
		if err := need(0); err != nil {
			return err
		}
		return a.do("POST", a.np+"/integration/revoke", nil, nil)
	case "delete-enrollments":
		if err := need(1); err != nil {
			return err
		}
		var n int
		if _, err := fmt.Sscanf(args[1], "%d", &n); err != nil || n < 1 {
			return fmt.Errorf("delete-enrollments needs a positive count, got %q", args[1])
		}
		return a.deleteEnrollments(n)
	default:
		return fmt.Errorf("unknown action %q\n%s", args[0], ctlUsage)
	}
}

type admin struct {
	sf, np string
	http   *http.Client
}

type record = map[string]any

func (a admin) records(sobject string) ([]record, error) {
	var out []record
	err := a.do("GET", a.sf+"/records/"+sobject, nil, &out)
	return out, err
}

func (a admin) removeRelatedList(layout, relatedList string) error {
	layouts, err := a.records("Layout")
	if err != nil {
		return err
	}
	for _, l := range layouts {
		if l["FullName"] != layout {
			continue
		}
		meta, _ := l["Metadata"].(map[string]any)
		lists, _ := meta["relatedLists"].([]any)
		kept := lists[:0:0]
		for _, item := range lists {
			if m, _ := item.(map[string]any); m == nil || !strings.EqualFold(fmt.Sprint(m["relatedList"]), relatedList) {
				kept = append(kept, item)
			}
		}
		if len(kept) == len(lists) {
			return fmt.Errorf("layout %q has no related list %q", layout, relatedList)
		}
		meta["relatedLists"] = kept
		return a.do("PATCH", fmt.Sprintf("%s/records/Layout/%v", a.sf, l["Id"]), record{"Metadata": meta}, nil)
	}
	return fmt.Errorf("no layout %q", layout)
}

func (a admin) deleteAssignment(username, permSetName string) error {
	users, err := a.records("User")
	if err != nil {
		return err
	}
	sets, err := a.records("PermissionSet")
	if err != nil {
		return err
	}
	userID, setID := findID(users, "Username", username), findID(sets, "Name", permSetName)
	if userID == "" || setID == "" {
		return fmt.Errorf("no user %q or permission set %q", username, permSetName)
	}
	assignments, err := a.records("PermissionSetAssignment")
	if err != nil {
		return err
	}
	for _, r := range assignments {
		if r["AssigneeId"] == userID && r["PermissionSetId"] == setID {
			return a.do("DELETE", fmt.Sprintf("%s/records/PermissionSetAssignment/%v", a.sf, r["Id"]), nil, nil)
		}
	}
	return fmt.Errorf("%s has no assignment of %s", username, permSetName)
}

// deleteEnrollments removes the newest n Enrollment records, as records lost
// while the integration was disconnected.
func (a admin) deleteEnrollments(n int) error {
	const object = "northpass__Enrollment__c" // the emulator's own name, never the provider's
	recs, err := a.records(object)
	if err != nil {
		return err
	}
	if len(recs) < n {
		return fmt.Errorf("only %d enrollment records in the org", len(recs))
	}
	for _, r := range recs[len(recs)-n:] {
		if err := a.do("DELETE", fmt.Sprintf("%s/records/%s/%v", a.sf, object, r["Id"]), nil, nil); err != nil {
			return err
		}
	}
	return nil
}

func findID(recs []record, field, value string) string {
	for _, r := range recs {
		if strings.EqualFold(fmt.Sprint(r[field]), value) {
			return fmt.Sprint(r["Id"])
		}
	}
	return ""
}

func (a admin) do(method, url string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s %s", method, url, resp.Status, strings.TrimSpace(string(b)))
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}
