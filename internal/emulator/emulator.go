package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/npapi/npfake"
	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake"
)

type options struct {
	dir             string
	salesforceAddr  string
	northpassAddr   string
	installDuration time.Duration
	autoApprove     time.Duration
	latency         time.Duration
	extraUsers      int
}

type emulator struct {
	salesforce   *sffake.Server
	northpass    *npfake.Server
	northpassURL string
	northpassSrv *http.Server
}

// start brings both fakes up, seeds them and writes emulator.env. The env
// file is written last and atomically: its presence means "ready".
func start(o options) (*emulator, error) {
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return nil, err
	}
	keyPEM, certPEM, err := sffake.GenerateKeyPair()
	if err != nil {
		return nil, fmt.Errorf("generating the connected app's key pair: %w", err)
	}
	keyFile := filepath.Join(o.dir, "salesforce.key")
	if err := os.WriteFile(keyFile, []byte(keyPEM), 0o600); err != nil {
		return nil, err
	}

	e := &emulator{}
	e.salesforce = sffake.New(sffake.Options{
		CertificatePEM:  certPEM,
		InstallDuration: o.installDuration,
		ExtraUsers:      o.extraUsers,
		// The guide assigns the permission set "with expiration", which a
		// real org allows only once this User Management Setting is on.
		AssignmentExpirationDates: true,
	})
	if err := e.salesforce.Start(o.salesforceAddr); err != nil {
		return nil, fmt.Errorf("starting the fake Salesforce org: %w", err)
	}

	ln, err := net.Listen("tcp", o.northpassAddr)
	if err != nil {
		e.salesforce.Close()
		return nil, fmt.Errorf("starting the fake CE API: %w", err)
	}
	e.northpassURL = "http://" + ln.Addr().String()
	e.northpass = npfake.New(npfake.Options{})
	e.northpassSrv = &http.Server{Handler: e.northpass.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = e.northpassSrv.Serve(ln) }()

	if o.autoApprove > 0 {
		e.northpass.SetAutoApprove(sffake.DefaultIntegrationUsername, o.autoApprove)
	}
	if o.latency > 0 {
		e.salesforce.Kit().SetLatency(o.latency)
		e.northpass.Kit().SetLatency(o.latency)
	}
	seedLearning(e.northpass)

	if err := writeEnv(filepath.Join(o.dir, "emulator.env"), e.env(keyFile)); err != nil {
		e.close()
		return nil, err
	}
	return e, nil
}

func (e *emulator) close() {
	e.salesforce.Close()
	_ = e.northpassSrv.Close()
	e.northpass.Close()
}

// env is what the provider and the demo need, as shell assignments.
func (e *emulator) env(keyFile string) [][2]string {
	sf := e.salesforce.URL()
	northpass, _ := e.salesforce.CatalogVersion(sffake.NorthpassNamespace, "2.1")
	connector, _ := e.salesforce.CatalogVersion(sffake.ConnectorNamespace, "1.0")
	return [][2]string{
		{"SALESFORCE_INSTANCE_URL", sf},
		{"SALESFORCE_LOGIN_URL", sf},
		{"SALESFORCE_CLIENT_ID", sffake.DefaultConsumerKey},
		{"SALESFORCE_USERNAME", sffake.DefaultAdminUsername},
		{"SALESFORCE_PRIVATE_KEY_FILE", keyFile},
		{"NORTHPASS_API_URL", e.northpassURL},
		{"NORTHPASS_API_KEY", npfake.DefaultAPIKey},
		{"EMULATOR_SALESFORCE_ADMIN_URL", sf},
		{"EMULATOR_NORTHPASS_ADMIN_URL", e.northpassURL},
		{"EMULATOR_INTEGRATION_USERNAME", sffake.DefaultIntegrationUsername},
		// Inputs of examples/complete, as the guide's install links and Setup would give them.
		{"TF_VAR_northpass_version_id", northpass.VersionID},
		{"TF_VAR_data_connector_version_id", connector.VersionID},
		{"TF_VAR_salesforce_instance_url", sf},
		{"TF_VAR_integration_username", sffake.DefaultIntegrationUsername},
		{"TF_VAR_standard_users", `["jane.doe@acme.example","john.smith@acme.example"]`},
	}
}

func writeEnv(path string, vars [][2]string) error {
	var b strings.Builder
	b.WriteString("# Written by the northpass emulator; source it in a shell.\n")
	for _, kv := range vars {
		fmt.Fprintf(&b, "export %s='%s'\n", kv[0], strings.ReplaceAll(kv[1], "'", `'\''`))
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// seedLearning gives the CE account a few courses, learners and enrollments
// whose emails match Contacts in the fake org.
func seedLearning(np *npfake.Server) {
	onboarding := np.AddCourse("Product Onboarding")
	admin := np.AddCourse("Admin Certification")
	jane := np.AddPerson("jane.learner@example.com", "Jane", "Learner")
	sam := np.AddPerson("sam.learner@example.com", "Sam", "Learner")
	nobody := np.AddPerson("walk.in@example.org", "Walk", "In")
	start := time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC)
	np.AddEnrollment(onboarding.ID, jane.ID, 100, start)
	np.AddEnrollment(onboarding.ID, sam.ID, 40, start.Add(24*time.Hour))
	np.AddEnrollment(admin.ID, jane.ID, 10, start.Add(30*24*time.Hour))
	np.AddEnrollment(admin.ID, nobody.ID, 0, start.Add(40*24*time.Hour))
}
