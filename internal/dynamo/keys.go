package dynamo

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Every key of the table is built here, so the layout in docs/data-model.md
// can be checked against one file.

// Attribute names of the keys.
const (
	attrPK     = "pk"
	attrSK     = "sk"
	attrGSI1PK = "gsi1pk"
	attrGSI1SK = "gsi1sk"
	attrGSI2PK = "gsi2pk"
	attrGSI2SK = "gsi2sk"
	attrGSI3PK = "gsi3pk"
	attrGSI3SK = "gsi3sk"
	attrGSI4PK = "gsi4pk"
	attrGSI4SK = "gsi4sk"
	attrTTL    = "ttl"
)

// Index names.
const (
	// IndexGSI1: users of an org by status, team members; each sorted by name.
	IndexGSI1 = "gsi1"
	// IndexGSI2: every user of an org sorted by name; open assignments of
	// every org by due day (DUEON#, for reminders).
	IndexGSI2 = "gsi2"
	// IndexGSI3 (sparse): admins of an org sorted by name; what expires in an
	// hour (one-time links, rate-limit windows, sessions) by expiry.
	IndexGSI3 = "gsi3"
	// IndexGSI4 (sparse): seat holders of an org by how long they have been
	// idle (IDLE, and the exception list KEEPSEAT); the audit entries that
	// took or freed a seat (AUDIT#SEATS), for the seat history.
	IndexGSI4 = "gsi4"
)

type key struct {
	PK string `dynamodbav:"pk"`
	SK string `dynamodbav:"sk"`
}

func orgPK(orgID string) string { return "ORG#" + orgID }

// readinessKey is the fixed key the readiness check reads; no item has it.
func readinessKey() key { return key{"READY", "READY"} }

func orgKey(orgID string) key          { return key{orgPK(orgID), "ORG"} }
func subscriptionKey(orgID string) key { return key{orgPK(orgID), "SUBSCRIPTION"} }
func userKey(orgID, userID string) key { return key{orgPK(orgID), "USER#" + userID} }
func emailKey(email string) key        { return key{"EMAIL#" + email, "EMAIL"} }
func sessionKey(hash string) key       { return key{"SESSION#" + hash, "SESSION"} }
func tokenKey(hash string) key         { return key{"TOKEN#" + hash, "TOKEN"} }
func rateKey(scope, k string, window int64) key {
	return key{"RATE#" + strings.ToUpper(scope) + "#" + k, "WINDOW#" + strconv.FormatInt(window, 10)}
}
func teamKey(orgID, teamID string) key { return key{orgPK(orgID), "TEAM#" + teamID} }

// teamsPrefix starts the sort key of every team of an org.
const teamsPrefix = "TEAM#"

// teamNameKey reserves a team name in an org, in the form names are unique in
// (domain.TeamNameKey). "TEAMNAME#" does not start with teamsPrefix.
func teamNameKey(orgID, nameKey string) key { return key{orgPK(orgID), "TEAMNAME#" + nameKey} }

// teamChangeKey is a change of many members of a team, beside its members.
func teamChangeKey(orgID, teamID, changeID string) key {
	return key{teamPK(orgID, teamID), "CHANGE#" + changeID}
}

// membersPrefix starts the sort key of every member of a team.
const membersPrefix = "MEMBER#"

// searchPK holds an org's search terms: first name, last name, their words and email.
func searchPK(orgID string) string { return orgPK(orgID) + "#SEARCH" }
func searchKey(orgID, term, userID string) key {
	return key{searchPK(orgID), term + "\x1f" + userID}
}

// teamPK holds a team's members (table); also the GSI1 partition of its members by name.
func teamPK(orgID, teamID string) string { return orgPK(orgID) + "#TEAM#" + teamID }
func memberKey(orgID, teamID, userID string) key {
	return key{teamPK(orgID, teamID), membersPrefix + userID}
}

// teamAdminsPK is the GSI3 partition of a team's admins (sparse).
func teamAdminsPK(orgID, teamID string) string { return teamPK(orgID, teamID) + "#ADMINS" }

// teamStatusPK is the GSI2 partition of a team's members with one status.
func teamStatusPK(orgID, teamID, status string) string {
	return teamPK(orgID, teamID) + "#" + strings.ToUpper(status)
}

// usersByStatusPK partitions an org's users by status (GSI1).
func usersByStatusPK(orgID, status string) string {
	return orgPK(orgID) + "#USERS#" + strings.ToUpper(status)
}

// allUsersPK holds every user of an org (GSI2).
func allUsersPK(orgID string) string { return orgPK(orgID) + "#USERS" }

// adminsPK holds an org's admins (GSI3).
func adminsPK(orgID string) string { return orgPK(orgID) + "#ADMINS" }

// userSortKey orders users by last name, first name, then id (to be unique).
func userSortKey(sortName, userID string) string { return sortName + "\x1f" + userID }

// expiresPK is the GSI3 partition of the items that expire in one UTC hour:
// one-time links, rate-limit windows and sessions.
func expiresPK(at time.Time) string { return "EXPIRES#" + at.UTC().Format("2006-01-02T15") }

// expiresSK orders an hour's expiring items by expiry; the item's pk keeps
// items that expire at the same instant apart.
func expiresSK(at time.Time, pk string) string { return expiryStamp(at) + "#" + pk }

// expiryStamp is an instant in RFC 3339, UTC, with all nine digits of the
// fraction: stamps of equal width sort as strings as the instants do in time.
func expiryStamp(at time.Time) string { return at.UTC().Format("2006-01-02T15:04:05.000000000Z07:00") }

// catalogPK holds the platform's catalog, the same for every organization.
const catalogPK = "CATALOG"

func catalogKey(itemID string) key { return key{catalogPK, catalogItemsPrefix + itemID} }

// catalogItemsPrefix starts the sort key of every catalog item.
const catalogItemsPrefix = "ITEM#"

// catalogVersionKey holds the catalog's version, changed by every load that
// changes the catalog: processes keep the catalog while it stays the same.
func catalogVersionKey() key { return key{catalogPK, "VERSION"} }

func moduleKey(orgID, moduleID string) key { return key{orgPK(orgID), "MODULE#" + moduleID} }

// modulesPrefix starts the sort key of every module of an org.
const modulesPrefix = "MODULE#"

// Assignments (docs/data-model.md): the assignment under the org, its people
// and its module copy under the assignment's own partition.
func assignmentKey(orgID, assignmentID string) key {
	return key{orgPK(orgID), "ASSIGNMENT#" + assignmentID}
}

// assignmentsPK is the GSI1 partition of an org's assignments of one status
// (open ones, by due date; cancelled ones apart).
func assignmentsPK(orgID, status string) string {
	if status == "cancelled" {
		return orgPK(orgID) + "#ASSIGNMENTS#CANCELLED"
	}
	return orgPK(orgID) + "#ASSIGNMENTS"
}

// assignmentsSK orders assignments by due date, then id.
func assignmentsSK(dueOn, assignmentID string) string { return dueOn + "#" + assignmentID }

// dueOnPK is the GSI2 partition of the open assignments of every
// organization due on one day (yyyy-mm-dd, in each one's time zone): the
// reminders read a few of these an hour.
func dueOnPK(day string) string { return "DUEON#" + day }

// dueOnSK orders a due day's assignments by organization, then id.
func dueOnSK(orgID, assignmentID string) string { return orgID + "#" + assignmentID }

// assigningOrgsPK is the GSI3 partition of the organizations that have made
// an assignment (their organization item carries it): the weekly digest of
// overdue assignments reads it rather than every organization.
const assigningOrgsPK = "ORGS#ASSIGNING"

// digestKey is the record of one week's digest of an organization (the
// admins it was mailed to), under the organization.
func digestKey(orgID, monday string) key { return key{orgPK(orgID), "DIGEST#" + monday} }

// assignmentPK holds an assignment's people and its copy of the module.
func assignmentPK(orgID, assignmentID string) string {
	return orgPK(orgID) + "#ASSIGNMENT#" + assignmentID
}

func assigneeKey(orgID, assignmentID, userID string) key {
	return key{assignmentPK(orgID, assignmentID), assigneesPrefix + userID}
}

// assigneesPrefix starts the sort key of every person of an assignment.
const assigneesPrefix = "USER#"

func assignmentContentKey(orgID, assignmentID string) key {
	return key{assignmentPK(orgID, assignmentID), "CONTENT"}
}

// assigneesByStatePK is the GSI1 partition of an assignment's people in one
// progress state, by name.
func assigneesByStatePK(orgID, assignmentID, state string) string {
	return assignmentPK(orgID, assignmentID) + "#" + strings.ToUpper(state)
}

// allAssigneesPK is the GSI3 partition of all of an assignment's people, by name.
func allAssigneesPK(orgID, assignmentID string) string {
	return assignmentPK(orgID, assignmentID) + "#ASSIGNEES"
}

// userAssignmentsPK is the GSI2 partition of a user's progress in every assignment.
func userAssignmentsPK(orgID, userID string) string {
	return orgPK(orgID) + "#USER#" + userID + "#ASSIGNMENTS"
}

// Activity (docs/data-model.md, "Activity"). An event is one item keyed by
// its sender's id, which makes it its own claim: putting it on condition that
// it is new is what counts it once. Its index keys place it in time among the
// organization's events of its kind (gsi1, spread over domain.ActivityShards
// partitions) and among the learner's (gsi2).
func eventKey(orgID, eventID string) key {
	return key{orgPK(orgID) + "#EVENT#" + eventID, "EVENT"}
}

// eventKindName is the upper-case plural that names a kind's partitions.
func eventKindName(kind string) string {
	switch kind {
	case "viewing":
		return "VIEWINGS"
	case "lab":
		return "LABS"
	default:
		return "LOGINS"
	}
}

// orgEventsPK is the GSI1 partition of one shard of an org's events of a kind.
func orgEventsPK(orgID, kind string, shard int) string {
	return orgPK(orgID) + "#" + eventKindName(kind) + "#" + strconv.Itoa(shard)
}

// userEventsPK is the GSI2 partition of a learner's events of a kind.
func userEventsPK(orgID, userID, kind string) string {
	return orgPK(orgID) + "#USER#" + userID + "#" + eventKindName(kind)
}

// eventSK orders events by time, then id (both index sort keys).
func eventSK(at time.Time, eventID string) string { return expiryStamp(at) + "#" + eventID }

// eventShard spreads an org's events of a kind by event id (FNV-1a).
func eventShard(eventID string, shards int) int {
	h := uint32(2166136261)
	for i := 0; i < len(eventID); i++ {
		h ^= uint32(eventID[i])
		h *= 16777619
	}
	return int(h % uint32(shards))
}

// learnerPK holds one learner's activity aggregates: SUMMARY, DAY#, WEEK#,
// EPISODE#, LAB#.
func learnerPK(orgID, userID string) string { return orgPK(orgID) + "#USER#" + userID + "#ACTIVITY" }

func learnerSummaryKey(orgID, userID string) key { return key{learnerPK(orgID, userID), "SUMMARY"} }
func learnerEpisodeKey(orgID, userID, episodeID string) key {
	return key{learnerPK(orgID, userID), "EPISODE#" + episodeID}
}
func learnerLabKey(orgID, userID, labID string) key {
	return key{learnerPK(orgID, userID), "LAB#" + labID}
}

// Sort key prefixes of aggregates: a day (yyyy-mm-dd) or a week (its
// Monday), in the organization's time zone; a learner's episodes and labs.
const (
	dayPrefix     = "DAY#"
	weekPrefix    = "WEEK#"
	episodePrefix = "EPISODE#"
	labPrefix     = "LAB#"
)

// orgUsagePK holds an org's usage per day and per week.
func orgUsagePK(orgID string) string { return orgPK(orgID) + "#USAGE" }

// teamUsagePK holds a team's usage per day and per week (its members'
// activity while they were in it).
func teamUsagePK(orgID, teamID string) string { return teamPK(orgID, teamID) + "#USAGE" }

// platformKeyKey finds the learning platform by the hash of its key.
func platformKeyKey(hash string) key { return key{"PLATFORMKEY#" + hash, "KEY"} }

// platformKey is the platform's record: its name and current key hashes.
func platformKey(platformID string) key { return key{"PLATFORM#" + platformID, "PLATFORM"} }

// exportKey is an export's record, among the organization's items.
func exportKey(orgID, exportID string) key { return key{orgPK(orgID), "EXPORT#" + exportID} }

// exportsPK is the GSI1 partition of an organization's exports, sorted by
// when each was asked for (newest last).
func exportsPK(orgID string) string { return orgPK(orgID) + "#EXPORTS" }

// exportsSK orders exports by creation time, then id.
func exportsSK(createdAt time.Time, exportID string) string {
	return expiryStamp(createdAt) + "#" + exportID
}

// scheduleKey is a report schedule, among the organization's items.
func scheduleKey(orgID, scheduleID string) key {
	return key{orgPK(orgID), schedulesPrefix + scheduleID}
}

// schedulesPrefix starts the sort keys of an organization's schedules.
const schedulesPrefix = "SCHEDULE#"

// scheduleCountKey counts an organization's schedules (at most
// domain.MaxSchedules): written in the transactions that create and delete one.
func scheduleCountKey(orgID string) key { return key{orgPK(orgID), "SCHEDULES"} }

// duePK is the GSI1 partition of the schedules whose next run falls in the
// UTC hour of at (pattern #21): the dispatcher reads the last day's hours.
func duePK(at time.Time) string { return "DUE#" + at.UTC().Format("2006-01-02T15") }

// dueSK orders a DUE# hour's schedules by next run, then organization and id.
func dueSK(at time.Time, orgID, scheduleID string) string {
	return expiryStamp(at) + "#" + orgID + "#" + scheduleID
}

// schedulePK is the partition of a schedule's deliveries and run claims.
func schedulePK(orgID, scheduleID string) string {
	return orgPK(orgID) + "#SCHEDULE#" + scheduleID
}

// deliveryKey is one delivery (run) of a schedule.
func deliveryKey(orgID, scheduleID, deliveryID string) key {
	return key{schedulePK(orgID, scheduleID), "DELIVERY#" + deliveryID}
}

// deliveriesPK is the GSI1 partition of a schedule's deliveries, by creation.
func deliveriesPK(orgID, scheduleID string) string {
	return schedulePK(orgID, scheduleID) + "#DELIVERIES"
}

// deliveriesSK orders deliveries by creation time, then id.
func deliveriesSK(createdAt time.Time, deliveryID string) string {
	return expiryStamp(createdAt) + "#" + deliveryID
}

// runClaimKey claims a schedule's run of the days from..to: it exists once
// that period was delivered (or is being), so a retried or overlapping
// dispatch never delivers it again.
func runClaimKey(orgID, scheduleID string, from, to time.Time) key {
	return key{schedulePK(orgID, scheduleID), "RUN#" + from.Format("2006-01-02") + "#" + to.Format("2006-01-02")}
}

// auditPK holds an organization's audit entries (table), newest last.
func auditPK(orgID string) string { return orgPK(orgID) + "#AUDIT" }

// auditSK orders entries by time; the id keeps two at the same instant apart.
func auditSK(at time.Time, entryID string) string { return expiryStamp(at) + "#" + entryID }

// auditKey is one audit entry.
func auditKey(orgID string, at time.Time, entryID string) key {
	return key{auditPK(orgID), auditSK(at, entryID)}
}

// The audit entries' index partitions, each sorted by auditSK: by actor
// (gsi1), by target (gsi2), by kind (gsi3), and the seat changes (gsi4).
func auditByActorPK(orgID, actorID string) string   { return auditPK(orgID) + "#ACTOR#" + actorID }
func auditByTargetPK(orgID, targetID string) string { return auditPK(orgID) + "#TARGET#" + targetID }
func auditByKindPK(orgID, kind string) string       { return auditPK(orgID) + "#KIND#" + kind }
func auditSeatsPK(orgID string) string              { return auditPK(orgID) + "#SEATS" }

// idleSeatsPK (gsi4) holds the organization's seat holders sorted by
// idleSK; keepSeatPK holds those on the exception list instead.
func idleSeatsPK(orgID string) string { return orgPK(orgID) + "#IDLE" }
func keepSeatPK(orgID string) string  { return orgPK(orgID) + "#KEEPSEAT" }

// idleSK sorts seat holders by the moment they were last seen (their last
// sign-in or viewing, or when they got the seat if later), oldest first.
func idleSK(since time.Time, userID string) string { return expiryStamp(since) + "#" + userID }

// importKey is an upload's record (its dry run, status and progress).
func importKey(orgID, importID string) key { return key{orgPK(orgID), "IMPORT#" + importID} }

// importPK holds an upload's plan parts (PLAN#) and its rows' markers (ROW#).
func importPK(orgID, importID string) string { return orgPK(orgID) + "#IMPORT#" + importID }

// Prefixes of the items under importPK.
const (
	importPartPrefix = "PLAN#"
	importRowPrefix  = "ROW#"
)

// importPartKey is the part'th part of an upload's plan.
func importPartKey(orgID, importID string, part int) key {
	return key{importPK(orgID, importID), fmt.Sprintf("%s%04d", importPartPrefix, part)}
}

// importRowSK orders row markers by row number (at most 5 digits: 5,000 rows).
func importRowSK(row int) string { return fmt.Sprintf("%s%05d", importRowPrefix, row) }

// importRowKey is the marker of an upload's row: it exists once the row is done.
func importRowKey(orgID, importID string, row int) key {
	return key{importPK(orgID, importID), importRowSK(row)}
}
