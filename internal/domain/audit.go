package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kinds of audit entries: what was done. The first word is the kind of
// target; the Audit page filters on these.
const (
	AuditUserInvited      = "user.invited"
	AuditUserAccessAdded  = "user.access_added" // an invite of someone already in the organization
	AuditInviteResent     = "user.invite_resent"
	AuditUserDeactivated  = "user.deactivated"
	AuditUserActivated    = "user.activated"
	AuditAdminGranted     = "user.admin_granted"
	AuditAdminRemoved     = "user.admin_removed"
	AuditResetSent        = "user.reset_sent"
	AuditPasswordSet      = "user.password_set" // through an invite or reset link
	AuditUserTeamsChanged = "user.teams_changed"
	AuditSeatKept         = "user.seat_kept"     // put on the idle seats' exception list
	AuditSeatReleased     = "user.seat_released" // taken off it
	AuditIdleReminded     = "user.idle_reminded"

	AuditTeamCreated        = "team.created"
	AuditTeamRenamed        = "team.renamed"
	AuditTeamDeleted        = "team.deleted"
	AuditTeamMembersChanged = "team.members_changed"

	AuditModuleCreated = "module.created"
	AuditModuleUpdated = "module.updated"
	AuditModuleDeleted = "module.deleted"

	AuditAssignmentCreated     = "assignment.created"
	AuditAssignmentUpdated     = "assignment.updated"
	AuditAssignmentCancelled   = "assignment.cancelled"
	AuditAssignmentPeopleAdded = "assignment.people_added"

	AuditExportCreated = "export.created"

	AuditScheduleCreated = "schedule.created"
	AuditScheduleUpdated = "schedule.updated"
	AuditScheduleDeleted = "schedule.deleted"
	AuditScheduleSentNow = "schedule.sent_now"

	AuditOrganizationUpdated = "organization.updated"
	AuditOrganizationCreated = "organization.created" // by the operator tool

	AuditImportApplied = "import.applied" // a bulk CSV upload set going; each row's change has its own entry
)

// Kinds of actors: who acted.
const (
	ActorUser     = "user"     // a signed-in admin, or a person using their own link
	ActorOperator = "operator" // portalctl
	ActorPlatform = "platform" // the learning platform's key
)

// Kinds of targets: what was acted on.
const (
	TargetUser         = "user"
	TargetTeam         = "team"
	TargetModule       = "module"
	TargetAssignment   = "assignment"
	TargetExport       = "export"
	TargetSchedule     = "schedule"
	TargetOrganization = "organization"
	TargetImport       = "import"
)

// DefaultAuditRetention is how long entries are kept when the template says
// nothing else (AuditRetentionDays).
const DefaultAuditRetention = 400 * 24 * time.Hour

// AuditActor is who made a change, as they were at the time.
type AuditActor struct {
	Kind string
	// ID is the user's id for ActorUser, the platform's id for ActorPlatform,
	// "operator" for the operator tool.
	ID    string
	Name  string
	Email string
}

// AuditTarget is what a change was made to, named as it was at the time.
type AuditTarget struct {
	Kind string
	ID   string
	Name string
	// Email is the target person's email at the time (TargetUser only).
	Email string
}

// AuditChange is one field a change moved: before → after, as text.
type AuditChange struct {
	Field  string
	Before string
	After  string
}

// AuditEntry is one recorded change. It is written in the same transaction as
// the change itself, never edited, and expires after the retention period.
type AuditEntry struct {
	ID    string
	OrgID string
	At    time.Time
	Kind  string
	Actor AuditActor
	// Target is what was changed.
	Target  AuditTarget
	Changes []AuditChange
	// Source is the address the request came from ("" for jobs and the operator tool).
	Source string
	// SeatDelta is +1 when the change took a seat, -1 when it freed one: the
	// seat history is built from these entries.
	SeatDelta int
	// Via names the larger action this entry is part of ("import:<id>",
	// "team-change:<id>"), empty for a change of its own.
	Via string
	// Detail is a short free text for what the fields do not say (an
	// export's kind and period, a count of people), never a secret.
	Detail string
}

// NewAuditEntry begins an entry for a change made by the principal: who,
// when and from where; the caller adds the target and changes.
func NewAuditEntry(p *Principal, kind string, target AuditTarget, now time.Time) AuditEntry {
	return AuditEntry{
		ID: NewID(), OrgID: p.OrgID(), At: now.UTC(), Kind: kind,
		Actor: UserActor(p.User), Target: target, Source: p.Source,
	}
}

// UserActor is a person acting, as they are now.
func UserActor(u User) AuditActor {
	return AuditActor{Kind: ActorUser, ID: u.ID, Name: u.FullName(), Email: u.Email}
}

// OperatorActor is the operator tool acting.
func OperatorActor() AuditActor {
	return AuditActor{Kind: ActorOperator, ID: ActorOperator, Name: "Operator"}
}

// UserTarget names a person as a target.
func UserTarget(u User) AuditTarget {
	return AuditTarget{Kind: TargetUser, ID: u.ID, Name: u.FullName(), Email: u.Email}
}

// UserChanges are the fields of a person that differ between before and
// after, in a fixed order; secrets (password, links) are never listed.
func UserChanges(before, after User) []AuditChange {
	var out []AuditChange
	add := func(field, b, a string) {
		if b != a {
			out = append(out, AuditChange{Field: field, Before: b, After: a})
		}
	}
	add("firstName", before.FirstName, after.FirstName)
	add("lastName", before.LastName, after.LastName)
	add("email", before.Email, after.Email)
	add("status", before.Status, after.Status)
	add("seat", boolText(before.Seat, before.ID != ""), boolText(after.Seat, true))
	add("admin", boolText(before.Admin, before.ID != ""), boolText(after.Admin, true))
	b, a := slices.Sorted(slices.Values(before.TeamIDs)), slices.Sorted(slices.Values(after.TeamIDs))
	add("teamIds", strings.Join(b, ","), strings.Join(a, ","))
	return out
}

// SeatDelta is +1 when after holds a seat before did not, -1 the reverse.
func SeatDelta(before, after User) int {
	switch {
	case after.Seat && !before.Seat:
		return 1
	case before.Seat && !after.Seat:
		return -1
	}
	return 0
}

// boolText is "true"/"false", or "" for a field that did not exist yet.
func boolText(v, exists bool) string {
	if !exists {
		return ""
	}
	return strconv.FormatBool(v)
}

// persons is a count of people for an entry's Detail: "1 person", "3 people".
func persons(n int) string {
	if n == 1 {
		return "1 person"
	}
	return strconv.Itoa(n) + " people"
}

// teamsCount is a count of teams for an entry's Detail: "1 team", "0 teams".
func teamsCount(n int) string {
	if n == 1 {
		return "1 team"
	}
	return strconv.Itoa(n) + " teams"
}
