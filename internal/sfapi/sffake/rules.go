package sffake

import (
	"net/http"
	"regexp"
	"strings"
)

// Object-specific rules Salesforce enforces on permission sets, their
// assignments and contacts. Each hook runs with s.mu held.

var apiName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

func validAPIName(n string) bool {
	return len(n) <= 80 && apiName.MatchString(n) && !strings.Contains(n, "__") && n[len(n)-1] != '_'
}

func errAPIName() *APIError {
	return newErr(http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION",
		"The API Name can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.").withFields("Name")
}

func isManaged(ps *record) bool { return ps.f["NamespacePrefix"] != nil }

func isProfileOwned(ps *record) bool { v, _ := ps.f["IsOwnedByProfile"].(bool); return v }

func errManaged(rec *record) *APIError {
	return newErr(http.StatusBadRequest, "CANNOT_MODIFY_MANAGED_OBJECT",
		"Cannot modify managed object: entity=PermissionSet, component=%s, state=installed", id15(rec.id))
}

func permissionSetBeforeInsert(_ *Server, _ *opCtx, rec *record, _ map[string]any) *APIError {
	if n, _ := rec.f["Name"].(string); !validAPIName(n) {
		return errAPIName()
	}
	return nil
}

func permissionSetBeforeUpdate(_ *Server, c *opCtx, old, rec *record, _ map[string]any) *APIError {
	if isManaged(old) && !c.trusted {
		return errManaged(old)
	}
	if n, _ := rec.f["Name"].(string); !validAPIName(n) {
		return errAPIName()
	}
	return nil
}

func permissionSetBeforeDelete(_ *Server, c *opCtx, rec *record) *APIError {
	if c.trusted {
		return nil
	}
	if isManaged(rec) {
		return errManaged(rec)
	}
	if isProfileOwned(rec) {
		return newErr(http.StatusBadRequest, "CANNOT_DELETE_OWNED_OBJECT", "You can't delete a permission set that's owned by a profile.")
	}
	return nil
}

// permissionSetAfterDelete removes the set's assignments with it.
func permissionSetAfterDelete(s *Server, c *opCtx, rec *record) {
	trusted := &opCtx{userID: c.userID, trusted: true}
	for _, a := range s.findBy(schema.object(objPSA), "PermissionSetId", rec.id) {
		_ = s.deleteLocked(a.obj, a.id, trusted)
	}
}

func errProfileOwnedAssignment() *APIError {
	return newErr(http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION",
		"You can't assign or unassign this permission set because it's associated with a profile.").withFields("PermissionSetId")
}

func (s *Server) assignmentPermissionSet(rec *record) *record {
	id, _ := rec.f["PermissionSetId"].(string)
	return s.get(schema.object(objPermissionSet), id)
}

func psaBeforeInsert(s *Server, c *opCtx, rec *record, _ map[string]any) *APIError {
	if ps := s.assignmentPermissionSet(rec); ps != nil && isProfileOwned(ps) && !c.trusted {
		return errProfileOwnedAssignment()
	}
	return s.checkAssignmentExpiration(rec)
}

// psaBeforeUpdate: ExpirationDate is the one updatable field (object
// reference, PermissionSetAssignment: "Create, Filter, Nillable, Sort,
// Update"); clearing it is always allowed, setting it follows the insert rules.
func psaBeforeUpdate(s *Server, _ *opCtx, _, rec *record, _ map[string]any) *APIError {
	return s.checkAssignmentExpiration(rec)
}

// orgSettings are the Setup switches the fake models.
type orgSettings struct {
	// assignmentExpirationDates: User Management Settings → "Permission Set
	// & Permission Set Group Assignments with Expiration Dates".
	assignmentExpirationDates bool
}

// SetAssignmentExpirationDates turns the User Management Settings switch
// for assignment expiration dates on or off, as an admin does in Setup.
func (s *Server) SetAssignmentExpirationDates(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings.assignmentExpirationDates = on
}

// expirationBlockingPermissions are the permissions that keep a permission
// set's assignments from expiring. Help "Set Assignment Expiration Details
// for Users in Permission Sets and Permission Set Groups"
// (platform.permissions_assign_expire_how.htm): a permission set with Assign
// Permission Sets, Manage Profiles and Permission Sets, or Manage Users
// "can't have an expiration date associated with it". The fake's
// PermissionSet has the first and the last of these fields.
var expirationBlockingPermissions = []struct{ field, label string }{
	{"PermissionsAssignPermissionSets", "Assign Permission Sets"},
	{"PermissionsManageUsers", "Manage Users"},
}

// checkAssignmentExpiration refuses an ExpirationDate the org does not
// allow. Same help page: the feature must be enabled in User Management
// Settings first, and some permission sets can never expire.
//
// The exact status codes and messages a real org sends for these two
// refusals were not found in any reference; FIELD_INTEGRITY_EXCEPTION on
// ExpirationDate, the code Salesforce uses for its other assignment rules
// (errProfileOwnedAssignment), and messages in the help page's words stand
// in for them. Clients should key on the field, not the wording.
func (s *Server) checkAssignmentExpiration(rec *record) *APIError {
	if rec.f["ExpirationDate"] == nil {
		return nil
	}
	if !s.settings.assignmentExpirationDates {
		return newErr(http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION",
			"Assignments with expiration dates aren't enabled in this org. To use them, enable Permission Set & "+
				"Permission Set Group Assignments with Expiration Dates in User Management Settings.").withFields("ExpirationDate")
	}
	ps := s.assignmentPermissionSet(rec)
	if ps == nil {
		return nil
	}
	var granted []string
	for _, p := range expirationBlockingPermissions {
		if on, _ := ps.f[p.field].(bool); on {
			granted = append(granted, p.label)
		}
	}
	if len(granted) > 0 {
		return newErr(http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION",
			"This permission set can't have an expiration date because it includes the %s permission.",
			strings.Join(granted, " and ")).withFields("ExpirationDate")
	}
	return nil
}

// psaBeforeDelete: the assignment that ties a user to their profile's own
// permission set goes away only with the profile change, never by DELETE.
func psaBeforeDelete(s *Server, c *opCtx, rec *record) *APIError {
	if ps := s.assignmentPermissionSet(rec); ps != nil && isProfileOwned(ps) && !c.trusted {
		return errProfileOwnedAssignment()
	}
	return nil
}

// contactAfterDelete clears Enrollment lookups to the contact, the default
// "clear the value of this field" behaviour of a lookup.
func contactAfterDelete(s *Server, _ *opCtx, rec *record) {
	enr := schema.object(objEnrollment)
	if !s.visible(enr) {
		return
	}
	for _, e := range s.findBy(enr, "northpass__Contact__c", rec.id) {
		n := e.clone()
		n.f["northpass__Contact__c"] = nil
		s.put(n)
	}
}
