package sffake

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi/sffake/soql"
)

// Packages: a catalog of installable versions ("AppExchange"), what the org
// has installed, and the Tooling requests that change it. An install takes
// Options.InstallDuration of emulated time: the request is IN_PROGRESS until
// then, so clients must poll, and tests move time with AdvanceClock.

// PackageVersion is one installable version of a managed package.
type PackageVersion struct {
	PackageID   string `json:"package_id"`   // 033…
	Namespace   string `json:"namespace"`    // e.g. "northpass"
	Name        string `json:"name"`         // the package's name, e.g. "Northpass"
	VersionID   string `json:"version_id"`   // 04t…
	VersionName string `json:"version_name"` // e.g. "2.1"
	Major       int    `json:"major"`
	Minor       int    `json:"minor"`
	Patch       int    `json:"patch"`
	Build       int    `json:"build"`
	// ContainerOptions is SubscriberPackageVersion.Package2ContainerOptions:
	// "Managed" or "Unlocked" for a second-generation package, "" (null on
	// the wire) for a first-generation one.
	ContainerOptions string `json:"container_options,omitempty"`
	// RemoteSites and CSPTrustedSites are the third-party sites the version
	// brings (SubscriberPackageVersion.RemoteSiteSettings, CspTrustedSites).
	RemoteSites     []RemoteSite `json:"remote_sites,omitempty"`
	CSPTrustedSites []string     `json:"csp_trusted_sites,omitempty"`
}

// RemoteSite is one SubscriberPackageRemoteSiteSetting.
type RemoteSite struct {
	URL    string `json:"url"`
	Secure bool   `json:"secure"`
}

// SecondGeneration says whether the version is a 2GP (managed or unlocked)
// package version, the only kind the uninstall request can remove.
func (v PackageVersion) SecondGeneration() bool { return v.ContainerOptions != "" }

// remoteSiteSettingsValue and cspTrustedSitesValue are the wire values of
// the two complexvalue fields; null when the version brings none.
func (v PackageVersion) remoteSiteSettingsValue() any {
	if len(v.RemoteSites) == 0 {
		return nil
	}
	list := make([]any, len(v.RemoteSites))
	for i, r := range v.RemoteSites {
		list[i] = map[string]any{"secure": r.Secure, "url": r.URL}
	}
	return map[string]any{"settings": list}
}

func (v PackageVersion) cspTrustedSitesValue() any {
	if len(v.CSPTrustedSites) == 0 {
		return nil
	}
	list := make([]any, len(v.CSPTrustedSites))
	for i, u := range v.CSPTrustedSites {
		list[i] = map[string]any{"endpointUrl": u}
	}
	return map[string]any{"settings": list}
}

// Number is the version as Salesforce prints it (2.1.0.2).
func (v PackageVersion) Number() string {
	return fmt.Sprintf("%d.%d.%d.%d", v.Major, v.Minor, v.Patch, v.Build)
}

func (v PackageVersion) less(o PackageVersion) bool {
	a := [4]int{v.Major, v.Minor, v.Patch, v.Build}
	b := [4]int{o.Major, o.Minor, o.Patch, o.Build}
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

type catalogEntry struct {
	PackageVersion
	key string // installation key; "" = none needed
}

// InstallRequestState is one PackageInstallRequest as the fake saw it.
type InstallRequestState struct {
	ID                     string    `json:"id"`
	VersionID              string    `json:"version_id"`
	Namespace              string    `json:"namespace,omitempty"`
	VersionName            string    `json:"version_name,omitempty"`
	SecurityType           string    `json:"security_type"`
	NameConflictResolution string    `json:"name_conflict_resolution"`
	EnableRss              bool      `json:"enable_rss"`
	Status                 string    `json:"status"` // IN_PROGRESS, SUCCESS, ERROR
	Errors                 []string  `json:"errors,omitempty"`
	CreatedAt              time.Time `json:"created_at"`
	CompletedAt            time.Time `json:"completed_at,omitzero"`
}

type installJob struct {
	InstallRequestState
	due time.Time
}

type uninstallJob struct {
	id        string
	versionID string
	namespace string
	created   time.Time
	due       time.Time
	status    string
}

const (
	statusInProgress = "IN_PROGRESS"
	statusSuccess    = "SUCCESS"
	statusError      = "ERROR"
)

func (s *Server) catalogByID(id string) (catalogEntry, bool) {
	if n, ok := normalizeID(id); ok {
		id = n
	}
	for _, e := range s.catalog {
		if e.VersionID == id {
			return e, true
		}
	}
	return catalogEntry{}, false
}

func (s *Server) installedEntry(ns string) (catalogEntry, bool) {
	if vid := s.installed[ns]; vid != "" {
		return s.catalogByID(vid)
	}
	return catalogEntry{}, false
}

// Catalog lists every version the fake can install.
func (s *Server) Catalog() []PackageVersion {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]PackageVersion, len(s.catalog))
	for i, e := range s.catalog {
		out[i] = e.PackageVersion
	}
	return out
}

// CatalogVersion finds a version by namespace and version name ("2.1").
func (s *Server) CatalogVersion(namespace, versionName string) (PackageVersion, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.catalog {
		if strings.EqualFold(e.Namespace, namespace) && e.VersionName == versionName {
			return e.PackageVersion, true
		}
	}
	return PackageVersion{}, false
}

// InstalledPackages lists the installed versions, by namespace.
func (s *Server) InstalledPackages() []PackageVersion {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	return s.installedLocked()
}

func (s *Server) installedLocked() []PackageVersion {
	var out []PackageVersion
	for ns := range s.installed {
		if e, ok := s.installedEntry(ns); ok {
			out = append(out, e.PackageVersion)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Namespace < out[j].Namespace })
	return out
}

// SetInstalledVersion installs, upgrades or downgrades a package at once,
// behind Terraform's back (drift tests).
func (s *Server) SetInstalledVersion(versionID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	e, ok := s.catalogByID(versionID)
	if !ok {
		return fmt.Errorf("sffake: version %s is not in the catalog", versionID)
	}
	s.applyInstall(e)
	return nil
}

// Uninstall removes a package at once, behind Terraform's back, together
// with what it brought (its permission set and assignments, its objects and
// their data, related lists on layouts).
func (s *Server) Uninstall(namespace string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	if s.installed[namespace] == "" {
		return fmt.Errorf("sffake: no package with namespace %q is installed", namespace)
	}
	s.applyUninstall(namespace)
	return nil
}

// StartSetupUninstall begins uninstalling a package from Setup → Installed
// Packages, the only way to uninstall a first-generation package (pkg1_dev
// packaging_uninstall.htm). Like the API's uninstall it runs in the
// background: Setup shows it in progress, installs of the package are
// refused meanwhile, and it finishes after the same emulated time. No
// Tooling uninstall request exists for it.
func (s *Server) StartSetupUninstall(namespace string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	vid := s.installed[namespace]
	if vid == "" {
		return fmt.Errorf("sffake: no package with namespace %q is installed", namespace)
	}
	for _, u := range s.uninstalls {
		if u.namespace == namespace && (u.status == "Queued" || u.status == "InProgress") {
			return fmt.Errorf("sffake: an uninstall of %q is already in progress", namespace)
		}
	}
	now := s.now()
	s.uninstalls = append(s.uninstalls, &uninstallJob{versionID: vid, namespace: namespace, created: now,
		due: now.Add(s.uninstallDuration()), status: "Queued"})
	return nil
}

// InstallRequests returns every PackageInstallRequest ever posted, oldest
// first, so tests can assert "one request per version".
func (s *Server) InstallRequests() []InstallRequestState {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	out := make([]InstallRequestState, len(s.installs))
	for i, j := range s.installs {
		out[i] = j.InstallRequestState
		out[i].Errors = append([]string(nil), j.Errors...)
	}
	return out
}

var trustedOp = &opCtx{trusted: true}

// setTrusted updates fields on a stored record, bypassing access rules.
func (s *Server) setTrusted(obj *objectDef, id string, fields map[string]any) {
	if _, err := s.updateLocked(obj, id, fields, trustedOp); err != nil {
		panic(fmt.Sprintf("sffake: internal update of %s %s: %v", obj.Name, id, err))
	}
}

func (s *Server) insertTrusted(obj string, fields map[string]any) *record {
	rec, err := s.insertLocked(schema.object(obj), fields, trustedOp)
	if err != nil {
		panic(fmt.Sprintf("sffake: internal insert of %s: %v", obj, err))
	}
	return rec
}

// applyInstall makes e the installed version of its package.
func (s *Server) applyInstall(e catalogEntry) {
	prev := s.installed[e.Namespace]
	s.installed[e.Namespace] = e.VersionID
	isp := schema.object(objInstalled)
	if existing := s.findBy(isp, "SubscriberPackageId", e.PackageID); len(existing) > 0 {
		s.setTrusted(isp, existing[0].id, map[string]any{"SubscriberPackageVersionId": e.VersionID, "MinPackageVersionId": e.VersionID})
	} else {
		s.insertTrusted(objInstalled, map[string]any{"SubscriberPackageId": e.PackageID, "SubscriberPackageVersionId": e.VersionID, "MinPackageVersionId": e.VersionID})
	}
	if prev == "" {
		s.packageAdded(e.Namespace)
	}
}

// packageAdded brings a package's components into the org. Northpass
// brings its permission set; its Enrollment object becomes visible through
// objectDef.Namespace.
func (s *Server) packageAdded(ns string) {
	if ns == NorthpassNamespace {
		s.insertTrusted(objPermissionSet, map[string]any{
			"Name": "Northpass_Standard_User", "Label": "Northpass Standard User", "NamespacePrefix": NorthpassNamespace,
			"Description":      "Gives access to the Enrollments object and tab.",
			"IsOwnedByProfile": false, "PermissionsModifyAllData": false, "PermissionsApiEnabled": true,
		})
	}
}

func (s *Server) applyUninstall(ns string) {
	delete(s.installed, ns)
	isp := schema.object(objInstalled)
	for _, r := range s.live(isp) {
		if e, ok := s.catalogByID(str(r.f["SubscriberPackageVersionId"])); ok && e.Namespace == ns {
			_ = s.deleteLocked(isp, r.id, trustedOp)
		}
	}
	ps := schema.object(objPermissionSet)
	for _, r := range s.findBy(ps, "NamespacePrefix", ns) {
		_ = s.deleteLocked(ps, r.id, trustedOp)
	}
	for _, obj := range schema.order {
		if obj.Namespace == ns {
			for _, r := range s.live(obj) {
				s.purge(r)
			}
		}
	}
	s.removeRelatedLists(ns)
}

// validateInstall decides at request time whether an install can go ahead;
// "" means it starts IN_PROGRESS.
func (s *Server) validateInstall(versionKey, password string) string {
	e, ok := s.catalogByID(versionKey)
	if !ok {
		return "The requested package doesn't yet exist or has been deleted: " + versionKey
	}
	if e.key != "" && password != e.key {
		return fmt.Sprintf("The installation key is missing or incorrect for %s %s (%s). Enter the installation key the publisher gave you.", e.Name, e.VersionName, e.VersionID)
	}
	if cur, ok := s.installedEntry(e.Namespace); ok {
		if cur.VersionID == e.VersionID {
			return fmt.Sprintf("%s %s (%s) is already installed.", e.Name, e.VersionName, e.Number())
		}
		if e.less(cur.PackageVersion) {
			return earlierVersionMessage(e, cur)
		}
	}
	for _, j := range s.installs {
		if j.Status == statusInProgress && j.Namespace == e.Namespace {
			return "unable to obtain exclusive access to this record or 1 records: another installation of " + e.Name + " is in progress"
		}
	}
	for _, u := range s.uninstalls {
		if u.status != "Success" && u.status != "Error" && u.namespace == e.Namespace {
			return "UNINSTALL_IN_PROGRESS: " + e.Name + " is being uninstalled"
		}
	}
	return ""
}

func earlierVersionMessage(e, cur catalogEntry) string {
	return fmt.Sprintf("CANNOT_INSTALL_EARLIER_VERSION: version %s (%s) of %s is older than the installed version %s (%s). Uninstall the package to install an earlier version.",
		e.VersionName, e.Number(), e.Name, cur.VersionName, cur.Number())
}

func errorsValue(msgs []string) any {
	if len(msgs) == 0 {
		return nil
	}
	list := make([]any, len(msgs))
	for i, m := range msgs {
		list[i] = map[string]any{"message": m}
	}
	return map[string]any{"errors": list}
}

func installRequestBeforeInsert(s *Server, _ *opCtx, rec *record, writeOnly map[string]any) *APIError {
	key, _ := rec.f["SubscriberPackageVersionKey"].(string)
	password, _ := writeOnly["Password"].(string)
	if msg := s.validateInstall(key, password); msg != "" {
		rec.f["Status"] = statusError
		rec.f["Errors"] = errorsValue([]string{msg})
	} else {
		rec.f["Status"] = statusInProgress
		rec.f["Errors"] = nil
	}
	return nil
}

func installRequestAfterInsert(s *Server, _ *opCtx, rec *record) {
	now := s.now()
	key, _ := rec.f["SubscriberPackageVersionKey"].(string)
	j := &installJob{InstallRequestState: InstallRequestState{
		ID: rec.id, VersionID: key, CreatedAt: now,
		SecurityType:           str(rec.f["SecurityType"]),
		NameConflictResolution: str(rec.f["NameConflictResolution"]),
		EnableRss:              rec.f["EnableRss"] == true,
		Status:                 str(rec.f["Status"]),
	}, due: now.Add(s.opts.InstallDuration)}
	if e, ok := s.catalogByID(key); ok {
		j.VersionID, j.Namespace, j.VersionName = e.VersionID, e.Namespace, e.VersionName
	}
	if j.Status == statusError {
		j.CompletedAt = now
		j.Errors = errorMessages(rec.f["Errors"])
	}
	s.installs = append(s.installs, j)
}

func str(v any) string { s, _ := v.(string); return s }

// errorMessages reads the messages back out of an Errors value.
func errorMessages(v any) []string {
	ev, _ := v.(map[string]any)
	list, _ := ev["errors"].([]any)
	var out []string
	for _, e := range list {
		m, _ := e.(map[string]any)
		if msg, ok := m["message"].(string); ok {
			out = append(out, msg)
		}
	}
	return out
}

func (s *Server) uninstallDuration() time.Duration { return s.opts.InstallDuration / 3 }

func uninstallRequestBeforeInsert(s *Server, _ *opCtx, rec *record, _ map[string]any) *APIError {
	vid, _ := rec.f["SubscriberPackageVersionId"].(string)
	e, ok := s.catalogByID(vid)
	if ok && !e.SecondGeneration() {
		// The Tooling API reference describes this object as a request to
		// uninstall a second-generation package version, and `sf package
		// uninstall` (plugin-packaging messages/package_uninstall.md) sends
		// first-generation packages to Setup → Installed Packages
		// (pkg1_dev packaging_uninstall.htm: 1GP packages are uninstalled
		// from the Setup UI). What a real org answers is not documented
		// [U]; the fake refuses the create, the earliest and strictest
		// failure, so no client can rely on the request being accepted.
		return newErr(http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION",
			"SubscriberPackageVersionId: %s %s (%s) is a first-generation package version; an uninstall request can only "+
				"uninstall second-generation package versions. Uninstall it from Setup → Installed Packages.",
			e.Name, e.VersionName, e.VersionID).withFields("SubscriberPackageVersionId")
	}
	if !ok || s.installed[e.Namespace] != e.VersionID {
		rec.f["Status"] = "Error"
		return nil
	}
	for _, u := range s.uninstalls {
		if u.namespace == e.Namespace && u.status != "Success" && u.status != "Error" {
			rec.f["Status"] = "Error"
			return nil
		}
	}
	rec.f["Status"] = "Queued"
	return nil
}

func uninstallRequestAfterInsert(s *Server, _ *opCtx, rec *record) {
	vid, _ := rec.f["SubscriberPackageVersionId"].(string)
	now := s.now()
	u := &uninstallJob{id: rec.id, versionID: vid, created: now, due: now.Add(s.uninstallDuration()), status: str(rec.f["Status"])}
	if e, ok := s.catalogByID(vid); ok {
		u.namespace = e.Namespace
	}
	s.uninstalls = append(s.uninstalls, u)
	if u.status == "Error" {
		msg := "The package version " + vid + " is not installed in this organization."
		if s.installed[u.namespace] == vid {
			msg = "An uninstall request for this package is already in progress."
		}
		s.insertTrusted(objUninstallError, map[string]any{"ParentRequestId": rec.id, "Message": msg})
	}
}

// settle completes every request that is due by the emulated clock. It runs
// at the start of every API call and Go accessor (with s.mu held), so state
// only ever changes at observable points.
func (s *Server) settle() {
	now := s.now()
	pir := schema.object(objInstallRequest)
	for _, j := range s.installs {
		if j.Status != statusInProgress || now.Before(j.due) {
			continue
		}
		e, _ := s.catalogByID(j.VersionID)
		if cur, ok := s.installedEntry(e.Namespace); ok && e.less(cur.PackageVersion) {
			// Someone installed a newer version in the meantime.
			j.Status, j.Errors = statusError, []string{earlierVersionMessage(e, cur)}
		} else {
			s.applyInstall(e)
			j.Status = statusSuccess
		}
		j.CompletedAt = j.due
		s.setTrusted(pir, j.ID, map[string]any{"Status": j.Status, "Errors": errorsValue(j.Errors)})
	}
	uir := schema.object(objUninstallRequest)
	for _, u := range s.uninstalls {
		if u.status != "Queued" && u.status != "InProgress" {
			continue
		}
		next := u.status
		switch {
		case !now.Before(u.due):
			if s.installed[u.namespace] == u.versionID {
				s.applyUninstall(u.namespace)
			}
			next = "Success"
		case !now.Before(u.created.Add(s.uninstallDuration() / 2)):
			next = "InProgress"
		}
		if next != u.status {
			u.status = next
			if u.id != "" { // a Setup uninstall has no request record
				s.setTrusted(uir, u.id, map[string]any{"Status": next})
			}
		}
	}
}

// installValidationStatus is SubscriberPackageVersion.InstallValidationStatus,
// the pre-flight check the sf CLI runs.
func installValidationStatus(s *Server, r *record) any {
	e, ok := s.catalogByID(r.id)
	if !ok {
		return "PACKAGE_UNAVAILABLE"
	}
	for _, u := range s.uninstalls {
		if u.namespace == e.Namespace && (u.status == "Queued" || u.status == "InProgress") {
			return "UNINSTALL_IN_PROGRESS"
		}
	}
	if cur, ok := s.installedEntry(e.Namespace); ok && e.less(cur.PackageVersion) {
		return "CANNOT_INSTALL_EARLIER_VERSION"
	}
	return "NO_ERRORS_DETECTED"
}

// installationKeyFilter backs "WHERE Id='04t…' AND InstallationKey='…'":
// the real key for protected versions, and for unprotected ones whatever
// the query compares with (any key works there). It is never projected.
func installationKeyFilter(s *Server, r *record) any {
	e, ok := s.catalogByID(r.id)
	if !ok {
		return nil
	}
	if e.key != "" {
		return e.key
	}
	return s.keyProbe
}

// installationKeyLiteral finds the literal a query compares InstallationKey
// with, so installationKeyFilter can echo it for unprotected versions.
func installationKeyProbe(e soql.Expr) any {
	switch x := e.(type) {
	case *soql.Comparison:
		if len(x.Path) == 1 && strings.EqualFold(x.Path[0], "InstallationKey") && x.Op == soql.OpEq && len(x.Values) == 1 {
			return x.Values[0].Value
		}
	case *soql.And:
		for _, t := range x.Terms {
			if v := installationKeyProbe(t); v != nil {
				return v
			}
		}
	}
	return nil
}

// errNoSuchVersion is what admin install answers for an unknown version.
var errNoSuchVersion = errors.New("no such package version in the catalog")

func (s *Server) catalogLookup(namespace, versionName, versionID string) (catalogEntry, error) {
	if versionID != "" {
		if e, ok := s.catalogByID(versionID); ok {
			return e, nil
		}
		return catalogEntry{}, errNoSuchVersion
	}
	for _, e := range s.catalog {
		if strings.EqualFold(e.Namespace, namespace) && e.VersionName == versionName {
			return e, nil
		}
	}
	return catalogEntry{}, errNoSuchVersion
}
