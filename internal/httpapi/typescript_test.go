package httpapi

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"proportal/internal/devmail"
	"proportal/internal/domain"
)

var update = flag.Bool("update", false, "rewrite web/src/api/types.gen.ts from the Go JSON structs")

// typesFile is the portal's copy of the API's JSON shapes, from this package's directory.
const typesFile = "../../web/src/api/types.gen.ts"

// tsInterfaces are the JSON shapes the portal reads or sends, in the order the
// file declares them, with their TypeScript names. A nested struct listed here
// is referred to by name; one that is not is written out in place.
var tsInterfaces = []struct {
	name  string
	value any
}{
	{"User", userJSON{}},
	{"Organization", organizationJSON{}},
	{"Me", meJSON{}},
	{"Login", loginJSON{}},
	{"PasswordSet", passwordSetJSON{}},
	{"Seats", seatsJSON{}},
	{"AccessPeriod", accessJSON{}},
	{"Subscription", subscriptionJSON{}},
	{"UsageWeek", usageWeekJSON{}},
	{"AssignmentSummary", assignmentProgressJSON{}},
	{"Dashboard", dashboardJSON{}},
	{"UserCounts", countsJSON{}},
	{"UserPage", userPageJSON{}},
	{"Invite", inviteJSON{}},
	{"MemberCounts", memberCountsJSON{}},
	{"Team", teamJSON{}},
	{"TeamChangeFailure", changeFailureJSON{}},
	{"TeamChange", teamChangeJSON{}},
	{"TeamDetail", teamDetailJSON{}},
	{"NewTeam", newTeamJSON{}},
	{"CreatedTeam", createdTeamJSON{}},
	{"RenameTeam", renameTeamJSON{}},
	{"AddTeamMembers", addMembersJSON{}},
	{"CatalogItem", catalogItemJSON{}},
	{"CatalogPage", catalogPageJSON{}},
	{"ModuleSummary", moduleSummaryJSON{}},
	{"ModuleItem", moduleItemJSON{}},
	{"Module", moduleJSON{}},
	{"ModuleList", moduleListJSON{}},
	{"ModuleInput", moduleInputJSON{}},
	{"DuplicateModule", duplicateJSON{}},
	{"LearnerSummary", learnerSummaryJSON{}},
	{"CourseProgress", courseProgressJSON{}},
	{"EpisodeProgress", episodeProgressJSON{}},
	{"ViewedItems", viewedJSON{}},
	{"LabProgress", labProgressJSON{}},
	{"UserActivity", activityJSON{}},
	{"TeamActivity", teamActivityJSON{}},
	{"Notice", messageJSON{}},
	{"ImportRowError", importRowErrorJSON{}},
	{"ImportRow", importRowJSON{}},
	{"ImportCounts", importCountsJSON{}},
	{"ImportResults", importResultsJSON{}},
	{"ImportSeats", importSeatsJSON{}},
	{"ImportProgress", importProgressJSON{}},
	{"Import", importJSON{}},
	{"ApiErrorBody", errorBody{}},
	{"ApiErrorResponse", errorJSON{}},
	{"MailMessage", devmail.Message{}},
	{"OrganizationSettings", organizationSettingsJSON{}},
	{"OrganizationChange", organizationChangeJSON{}},
	{"AssignmentCounts", assignmentCountsJSON{}},
	{"Assignment", assignmentJSON{}},
	{"AssignmentItem", assignmentItemJSON{}},
	{"AssignmentDetails", assignmentDetailsJSON{}},
	{"AssignmentPage", assignmentPageJSON{}},
	{"NewAssignment", newAssignmentJSON{}},
	{"AssignmentChange", assignmentChangeJSON{}},
	{"AssigneeUser", assigneeUserJSON{}},
	{"AssignmentProgress", progressJSON{}},
	{"Assignee", assigneeJSON{}},
	{"AssigneePage", assigneePageJSON{}},
	{"AssigneeChange", assigneeChangeJSON{}},
	{"UserAssignment", userAssignmentJSON{}},
	{"UserAssignments", userAssignmentsJSON{}},
	{"NewExport", newExportJSON{}},
	{"Export", exportJSON{}},
	{"ScheduleInput", scheduleInputJSON{}},
	{"LastDelivery", lastDeliveryJSON{}},
	{"Schedule", scheduleJSON{}},
	{"ScheduleList", scheduleListJSON{}},
	{"DeliveryRecipient", deliveryRecipientJSON{}},
	{"Delivery", deliveryJSON{}},
	{"DeliveryList", deliveryListJSON{}},
	{"ReportDownload", reportDownloadJSON{}},
	{"TeamRef", teamRefJSON{}},
	{"IdleSeat", idleSeatJSON{}},
	{"IdlePage", idlePageJSON{}},
	{"KeepSeat", keepSeatJSON{}},
	{"UserSelection", userIDsJSON{}},
	{"IdleResult", idleResultJSON{}},
	{"IdleResults", idleResultsJSON{}},
	{"IdleSeatsTile", idleTileJSON{}},
	{"AuditActor", auditActorJSON{}},
	{"AuditTarget", auditTargetJSON{}},
	{"AuditChange", auditChangeJSON{}},
	{"AuditEntry", auditEntryJSON{}},
	{"AuditPage", auditPageJSON{}},
	{"SeatDay", seatDayJSON{}},
	{"SeatHistory", seatHistoryJSON{}},
}

// tsUnions are the string fields that hold one of a few words, with the words
// taken from the domain's constants.
var tsUnions = []struct {
	name   string
	values []string
}{
	{"UserStatus", []string{domain.StatusInvited, domain.StatusActive, domain.StatusInactive}},
	{"StatusFilter", []string{domain.FilterActive, domain.FilterInvited, domain.FilterInactive, domain.FilterAdmins, domain.FilterAll}},
	{"Access", []string{domain.AccessSubscription, domain.AccessAdmin, domain.AccessBoth}},
	{"SubscriptionStatus", []string{domain.SubscriptionUpcoming, domain.SubscriptionActive, domain.SubscriptionEnded}},
	{"Feature", domain.AllFeatures},
	{"TeamChangeKind", []string{domain.ChangeAdd, domain.ChangeDelete}},
	{"TeamChangeStatus", []string{domain.ChangeRunning, domain.ChangeDone, domain.ChangeFailed}},
	{"CatalogKind", domain.CatalogKinds},
	{"AssignmentStatus", []string{domain.AssignmentOpen, domain.AssignmentCancelled}},
	{"ProgressState", []string{domain.ProgressNotStarted, domain.ProgressInProgress, domain.ProgressCompleted}},
	{"ExportKind", domain.ExportKinds},
	{"ExportStatus", []string{domain.ExportPending, domain.ExportRunning, domain.ExportDone, domain.ExportFailed}},
	{"ScheduleKind", domain.ScheduleKinds},
	{"ScheduleFrequency", []string{domain.Weekly, domain.Monthly}},
	{"Weekday", append(domain.Weekdays[1:len(domain.Weekdays):len(domain.Weekdays)], domain.Weekdays[0])},
	{"SchedulePeriod", []string{domain.PeriodWeek, domain.PeriodMonth}},
	{"DeliveryTrigger", []string{domain.TriggerSchedule, domain.TriggerManual}},
	{"DeliveryStatus", []string{domain.DeliveryPending, domain.DeliveryRunning, domain.DeliveryDelivered, domain.DeliveryPartial, domain.DeliveryFailed}},
	{"RecipientStatus", []string{domain.RecipientPending, domain.RecipientSent, domain.RecipientFailed, domain.RecipientBounced}},
}

// tsFieldUnions says which union a string field (or the strings of a list
// field) holds: "goStruct.GoField" -> union name.
var tsFieldUnions = map[string]string{
	"userJSON.Status":              "UserStatus",
	"inviteJSON.Access":            "Access",
	"accessJSON.Status":            "SubscriptionStatus",
	"subscriptionJSON.Features":    "Feature",
	"teamChangeJSON.Kind":          "TeamChangeKind",
	"teamChangeJSON.Status":        "TeamChangeStatus",
	"catalogItemJSON.Kind":         "CatalogKind",
	"moduleItemJSON.Kind":          "CatalogKind",
	"assignmentJSON.Status":        "AssignmentStatus",
	"progressJSON.State":           "ProgressState",
	"assigneeUserJSON.Status":      "UserStatus",
	"newExportJSON.Kind":           "ExportKind",
	"exportJSON.Kind":              "ExportKind",
	"exportJSON.Status":            "ExportStatus",
	"scheduleInputJSON.Kind":       "ScheduleKind",
	"scheduleInputJSON.Frequency":  "ScheduleFrequency",
	"scheduleInputJSON.Weekday":    "Weekday",
	"scheduleInputJSON.Period":     "SchedulePeriod",
	"scheduleJSON.Kind":            "ScheduleKind",
	"scheduleJSON.Frequency":       "ScheduleFrequency",
	"scheduleJSON.Weekday":         "Weekday",
	"scheduleJSON.Period":          "SchedulePeriod",
	"lastDeliveryJSON.Status":      "DeliveryStatus",
	"deliveryJSON.Trigger":         "DeliveryTrigger",
	"deliveryJSON.Status":          "DeliveryStatus",
	"deliveryRecipientJSON.Status": "RecipientStatus",
}

// tsConstants are numbers of the API the portal needs too.
var tsConstants = []struct {
	name  string
	value int
}{
	{"DEFAULT_PAGE_SIZE", domain.DefaultPageSize},
	{"MAX_PAGE_SIZE", domain.MaxPageSize},
	{"MAX_TEAM_NAME_LENGTH", domain.MaxTeamNameLength},
	{"MAX_TEAM_CHANGE_USERS", domain.MaxTeamChangeUsers},
	{"DEFAULT_CATALOG_PAGE_SIZE", domain.DefaultCatalogPageSize},
	{"MAX_MODULE_NAME", domain.MaxModuleName},
	{"MAX_EXPORT_DAYS", domain.MaxExportDays},
	{"DEFAULT_EXPORT_DAYS", domain.DefaultExportDays},
	{"MAX_MODULE_DESCRIPTION", domain.MaxModuleDescription},
	{"MAX_MODULE_ITEMS", domain.MaxModuleItems},
	{"MAX_ASSIGNEES", domain.MaxAssignees},
	{"MAX_ASSIGN_TEAMS", domain.MaxAssignTeams},
	{"MAX_SCHEDULE_NAME", domain.MaxScheduleName},
	{"MAX_SCHEDULES", domain.MaxSchedules},
	{"MAX_RECIPIENTS", domain.MaxRecipients},
	{"RECENT_DELIVERIES", domain.RecentDeliveries},
}

// TestTypeScriptTypes keeps the portal's types in step with the JSON the API
// encodes: it renders them from the Go structs and compares the committed file.
func TestTypeScriptTypes(t *testing.T) {
	got := renderTypeScript(t)
	if *update {
		if err := os.WriteFile(typesFile, []byte(got), 0o644); err != nil {
			t.Fatalf("write %s: %v", typesFile, err)
		}
		return
	}
	committed, err := os.ReadFile(typesFile)
	if err != nil {
		t.Fatalf("read %s: %v\nCreate it with: go test ./internal/httpapi -run TestTypeScriptTypes -update", typesFile, err)
	}
	if diff := cmp.Diff(strings.Split(string(committed), "\n"), strings.Split(got, "\n")); diff != "" {
		t.Errorf("%s is out of step with the Go JSON structs (-committed +rendered):\n%s\n"+
			"Regenerate it with: go test ./internal/httpapi -run TestTypeScriptTypes -update",
			filepath.Clean(typesFile), diff)
	}
}

func TestTypeScriptFieldUnionsExist(t *testing.T) {
	known := map[string]bool{}
	for _, u := range tsUnions {
		known[u.name] = true
	}
	fields := map[string]bool{}
	for _, it := range tsInterfaces {
		typ := reflect.TypeOf(it.value)
		for i := range typ.NumField() {
			fields[typ.Name()+"."+typ.Field(i).Name] = true
		}
	}
	for field, union := range tsFieldUnions {
		if !fields[field] {
			t.Errorf("tsFieldUnions names %s, which no struct in tsInterfaces has", field)
		}
		if !known[union] {
			t.Errorf("tsFieldUnions gives %s the union %s, which tsUnions does not declare", field, union)
		}
	}
}

// renderTypeScript writes the file types.gen.ts should hold.
func renderTypeScript(t *testing.T) string {
	t.Helper()
	names := map[reflect.Type]string{}
	for _, it := range tsInterfaces {
		names[reflect.TypeOf(it.value)] = it.name
	}
	r := tsRenderer{t: t, names: names}

	var b strings.Builder
	b.WriteString("// Code generated by internal/httpapi/typescript_test.go from the API's Go JSON structs. DO NOT EDIT.\n")
	b.WriteString("// Regenerate after changing them: go test ./internal/httpapi -run TestTypeScriptTypes -update\n")
	for _, c := range tsConstants {
		fmt.Fprintf(&b, "\nexport const %s = %d;\n", c.name, c.value)
	}
	for _, u := range tsUnions {
		quoted := make([]string, len(u.values))
		for i, v := range u.values {
			quoted[i] = fmt.Sprintf("'%s'", v)
		}
		fmt.Fprintf(&b, "\nexport type %s = %s;\n", u.name, strings.Join(quoted, " | "))
	}
	for _, it := range tsInterfaces {
		b.WriteString("\n")
		b.WriteString(r.declare(it.name, reflect.TypeOf(it.value)))
	}
	return b.String()
}

type tsRenderer struct {
	t     *testing.T
	names map[reflect.Type]string
}

// declare renders one named struct as an interface; embedded structs that
// have a name become what it extends.
func (r tsRenderer) declare(name string, typ reflect.Type) string {
	var extends []string
	var body strings.Builder
	r.fields(&body, typ, "  ", &extends)
	head := "export interface " + name
	if len(extends) > 0 {
		head += " extends " + strings.Join(extends, ", ")
	}
	return head + " {\n" + body.String() + "}\n"
}

// fields writes the JSON fields of a struct the way encoding/json names them.
func (r tsRenderer) fields(b *strings.Builder, typ reflect.Type, indent string, extends *[]string) {
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag, hasTag := f.Tag.Lookup("json")
		if tag == "-" {
			continue
		}
		jsonName, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && !hasTag && f.Type.Kind() == reflect.Struct {
			// encoding/json lifts the fields of an untagged embedded struct.
			if name, ok := r.names[f.Type]; ok && extends != nil {
				*extends = append(*extends, name)
			} else {
				r.fields(b, f.Type, indent, nil)
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if jsonName == "" {
			jsonName = f.Name
		}
		optional := ""
		if slices.Contains(strings.Split(opts, ","), "omitempty") || slices.Contains(strings.Split(opts, ","), "omitzero") {
			optional = "?"
		}
		fmt.Fprintf(b, "%s%s%s: %s;\n", indent, jsonName, optional, r.typeOf(f.Type, typ.Name()+"."+f.Name, indent))
	}
}

var timeType = reflect.TypeFor[time.Time]()

// typeOf is the TypeScript for the JSON encoding of a Go type; field names
// the struct field, for the unions of tsFieldUnions.
func (r tsRenderer) typeOf(typ reflect.Type, field, indent string) string {
	if typ == timeType {
		return "string"
	}
	if name, ok := r.names[typ]; ok {
		return name
	}
	switch typ.Kind() {
	case reflect.Pointer:
		return r.typeOf(typ.Elem(), field, indent) + " | null"
	case reflect.String:
		if union, ok := tsFieldUnions[field]; ok {
			return union
		}
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		elem := r.typeOf(typ.Elem(), field, indent)
		if strings.Contains(elem, "|") {
			elem = "(" + elem + ")"
		}
		return elem + "[]"
	case reflect.Map:
		if typ.Key().Kind() != reflect.String {
			r.t.Fatalf("%s: a map with %s keys has no JSON object form", field, typ.Key())
		}
		return "Record<string, " + r.typeOf(typ.Elem(), field, indent) + ">"
	case reflect.Interface:
		return "unknown"
	case reflect.Struct:
		var b strings.Builder
		r.fields(&b, typ, indent+"  ", nil)
		return "{\n" + b.String() + indent + "}"
	default:
		r.t.Fatalf("%s: no TypeScript for the Go type %s", field, typ)
		return ""
	}
}
