package sfapi

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	pirPath  = "/services/data/v65.0/tooling/sobjects/PackageInstallRequest"
	uninPath = "/services/data/v65.0/tooling/sobjects/SubscriberPackageVersionUninstallRequest"
)

var (
	versionID = sfID("04t", 1)
	pirID     = sfID("0Hf", 1)
	uninID    = sfID("06y", 1)
)

func TestStartPackageInstallBody(t *testing.T) {
	o := newOrg(t)
	o.handle("POST "+pirPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 201, map[string]any{"id": pirID, "success": true, "errors": []any{}})
	})
	c := newTestClient(t, o)
	ctx := t.Context()

	id, err := c.StartPackageInstall(ctx, InstallOptions{VersionID: versionID})
	if err != nil || id != pirID {
		t.Fatalf("start = %q, %v", id, err)
	}
	id, err = c.StartPackageInstall(ctx, InstallOptions{VersionID: versionID, SecurityType: "full", InstallationKey: "s3cr'et", NameConflictResolution: "RenameMetadata", EnableRss: true})
	if err != nil || id != pirID {
		t.Fatalf("start with key = %q, %v", id, err)
	}
	bodies := bodiesOf(t, o, http.MethodPost, pirPath)
	want := []map[string]any{
		{"SubscriberPackageVersionKey": versionID, "SecurityType": "None", "NameConflictResolution": "Block", "EnableRss": false},
		{"SubscriberPackageVersionKey": versionID, "SecurityType": "Full", "NameConflictResolution": "RenameMetadata", "Password": "s3cr'et", "EnableRss": true},
	}
	if !reflect.DeepEqual(bodies, want) {
		t.Errorf("bodies\n got %v\nwant %v", bodies, want)
	}
}

func TestStartPackageInstallValidates(t *testing.T) {
	o := newOrg(t)
	c := newTestClient(t, o)
	for _, opt := range []InstallOptions{
		{VersionID: sfID("033", 1)},
		{VersionID: "04tshort"},
		{VersionID: versionID, SecurityType: "Custom"},
	} {
		if _, err := c.StartPackageInstall(t.Context(), opt); err == nil {
			t.Errorf("%+v accepted", opt)
		}
	}
	if n := len(o.rec.all()); n != 0 {
		t.Errorf("%d requests sent for invalid options", n)
	}
}

// A 503 after the POST reached Salesforce may mean the install started:
// repeating it would start a second one.
func TestStartPackageInstallNeverRepeatsPOST(t *testing.T) {
	o := newOrg(t)
	o.handle("POST "+pirPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 503, `[{"errorCode":"SERVER_UNAVAILABLE","message":"try later"}]`)
	})
	c := newTestClient(t, o)
	_, err := c.StartPackageInstall(t.Context(), InstallOptions{VersionID: versionID})
	if !HasErrorCode(err, "SERVER_UNAVAILABLE") || !strings.Contains(err.Error(), versionID) {
		t.Errorf("err = %v", err)
	}
	if n := o.rec.count(http.MethodPost, pirPath); n != 1 {
		t.Errorf("POSTs = %d, want exactly 1", n)
	}
}

// sleepRecorder stands in for PollPolicy.Sleep.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

type progressCall struct {
	Attempt int
	Status  string
}

// installServer answers polls with the given statuses in turn.
func installServer(t *testing.T, statuses []string, errorsJSON string) *org {
	o := newOrg(t)
	var mu sync.Mutex
	n := 0
	o.handle("GET "+pirPath+"/"+pirID, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		mu.Lock()
		st := statuses[min(n, len(statuses)-1)]
		n++
		mu.Unlock()
		errs := "null"
		if st == "ERROR" {
			errs = errorsJSON
		}
		writeRaw(w, 200, `{"attributes":{"type":"PackageInstallRequest"},"Id":"`+pirID+`","Status":"`+st+
			`","SubscriberPackageVersionKey":"`+versionID+`","SecurityType":"None","Errors":`+errs+`}`)
	})
	return o
}

func TestWaitPackageInstallBacksOff(t *testing.T) {
	statuses := []string{"IN_PROGRESS", "UNKNOWN", "IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS", "SUCCESS"}
	o := installServer(t, statuses, "")
	c := newTestClient(t, o)
	sl := &sleepRecorder{}
	var progress []progressCall
	r, err := c.WaitPackageInstall(t.Context(), pirID, PollPolicy{
		Sleep:    sl.sleep,
		Progress: func(a int, s string) { progress = append(progress, progressCall{a, s}) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (&InstallRequest{ID: pirID, Status: "SUCCESS", VersionID: versionID}); !reflect.DeepEqual(r, want) {
		t.Errorf("request = %+v", r)
	}
	s := time.Second
	if want := []time.Duration{2 * s, 4 * s, 8 * s, 16 * s, 30 * s, 30 * s}; !reflect.DeepEqual(sl.waits, want) {
		t.Errorf("waits = %v, want %v", sl.waits, want)
	}
	var wantProgress []progressCall
	for i, st := range statuses {
		wantProgress = append(wantProgress, progressCall{i + 1, st})
	}
	if !reflect.DeepEqual(progress, wantProgress) {
		t.Errorf("progress = %v", progress)
	}
	if n := o.rec.count(http.MethodGet, pirPath+"/"+pirID); n != len(statuses) {
		t.Errorf("polls = %d", n)
	}
}

func TestWaitPackageInstallCustomPolicy(t *testing.T) {
	o := installServer(t, []string{"IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS", "SUCCESS"}, "")
	c := newTestClient(t, o)
	sl := &sleepRecorder{}
	if _, err := c.WaitPackageInstall(t.Context(), pirID, PollPolicy{Initial: time.Second, Max: 3 * time.Second, Sleep: sl.sleep}); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}; !reflect.DeepEqual(sl.waits, want) {
		t.Errorf("waits = %v, want %v", sl.waits, want)
	}
}

func TestWaitPackageInstallError(t *testing.T) {
	o := installServer(t, []string{"IN_PROGRESS", "ERROR"},
		`{"errors":[{"message":"Package version is deprecated"},{"message":"ApexClass Foo: compile error"}]}`)
	c := newTestClient(t, o)
	r, err := c.WaitPackageInstall(t.Context(), pirID, PollPolicy{Sleep: (&sleepRecorder{}).sleep})
	var ie *InstallError
	if !errors.As(err, &ie) || ie.RequestID != pirID ||
		!reflect.DeepEqual(ie.Messages, []string{"Package version is deprecated", "ApexClass Foo: compile error"}) {
		t.Fatalf("err = %#v", err)
	}
	if r == nil || r.Status != "ERROR" || len(r.Errors) != 2 {
		t.Errorf("request = %+v", r)
	}
	if !strings.Contains(err.Error(), "compile error") {
		t.Errorf("message = %q", err)
	}
}

// The real timer (default Sleep) must give up when the deadline passes and
// leave the caller what it needs to resume.
func TestWaitPackageInstallDeadline(t *testing.T) {
	o := installServer(t, []string{"IN_PROGRESS"}, "")
	c := newTestClient(t, o)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	r, err := c.WaitPackageInstall(ctx, pirID, PollPolicy{Initial: time.Hour})
	var we *WaitError
	if !errors.As(err, &we) || we.RequestID != pirID || we.LastStatus != "IN_PROGRESS" || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(err.Error(), pirID) || !strings.Contains(err.Error(), "IN_PROGRESS") {
		t.Errorf("message = %q", err)
	}
	if r == nil || r.Status != "IN_PROGRESS" {
		t.Errorf("last state = %+v", r)
	}

	// A context already done before the first poll: no status known yet.
	done, cancel2 := context.WithCancel(t.Context())
	cancel2()
	_, err = c.WaitPackageInstall(done, pirID, PollPolicy{})
	if !errors.As(err, &we) || we.LastStatus != "" || !errors.Is(err, context.Canceled) {
		t.Errorf("err = %#v", err)
	}
}

func TestPackageUninstall(t *testing.T) {
	o := newOrg(t)
	o.handle("POST "+uninPath, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 201, map[string]any{"id": uninID, "success": true, "errors": []any{}})
	})
	var mu sync.Mutex
	statuses := []string{"Queued", "InProgress", "Success"}
	o.handle("GET "+uninPath+"/"+uninID, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		mu.Lock()
		st := statuses[0]
		if len(statuses) > 1 {
			statuses = statuses[1:]
		}
		mu.Unlock()
		writeJSON(w, 200, map[string]any{"Id": uninID, "Status": st, "SubscriberPackageVersionId": versionID})
	})
	c := newTestClient(t, o)
	ctx := t.Context()
	id, err := c.StartPackageUninstall(ctx, versionID)
	if err != nil || id != uninID {
		t.Fatalf("start = %q, %v", id, err)
	}
	if b := bodiesOf(t, o, http.MethodPost, uninPath); !reflect.DeepEqual(b, []map[string]any{{"SubscriberPackageVersionId": versionID}}) {
		t.Errorf("body = %v", b)
	}
	sl := &sleepRecorder{}
	var progress []progressCall
	if err := c.WaitPackageUninstall(ctx, id, PollPolicy{Sleep: sl.sleep, Progress: func(a int, s string) { progress = append(progress, progressCall{a, s}) }}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(progress, []progressCall{{1, "Queued"}, {2, "InProgress"}, {3, "Success"}}) || len(sl.waits) != 2 {
		t.Errorf("progress = %v, waits = %v", progress, sl.waits)
	}
	if q := soqlOf(o, toolingQuery); len(q) != 0 {
		t.Errorf("error query on success: %v", q)
	}
}

func TestPackageUninstallError(t *testing.T) {
	o := newOrg(t)
	o.handle("GET "+uninPath+"/"+uninID, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 200, map[string]any{"Id": uninID, "Status": "Error"})
	})
	o.handle("GET "+toolingQuery, func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeJSON(w, 200, queryResult(
			withAttrs("PackageVersionUninstallRequestError", map[string]any{"Id": sfID("07z", 1), "Message": "Enrollment__c is referenced by a flow"}),
			withAttrs("PackageVersionUninstallRequestError", map[string]any{"Id": sfID("07z", 2), "Message": "Tab in use"}),
		))
	})
	c := newTestClient(t, o)
	err := c.WaitPackageUninstall(t.Context(), uninID, PollPolicy{Sleep: (&sleepRecorder{}).sleep})
	var ue *UninstallError
	if !errors.As(err, &ue) || ue.RequestID != uninID || !reflect.DeepEqual(ue.Messages, []string{"Enrollment__c is referenced by a flow", "Tab in use"}) {
		t.Fatalf("err = %#v", err)
	}
	want := "SELECT Message FROM PackageVersionUninstallRequestError WHERE ParentRequest.Id='" + uninID + "'"
	if q := soqlOf(o, toolingQuery); !reflect.DeepEqual(q, []string{want}) {
		t.Errorf("soql = %q", q)
	}
}
