package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
	"proportal/internal/dynamo"
	"proportal/internal/testenv"
)

// entry is an audit entry with a fixed id and time, so a test can put
// something at its key first.
func entry(orgID, kind string, target domain.AuditTarget) domain.AuditEntry {
	return domain.AuditEntry{
		ID: domain.NewID(), OrgID: orgID, At: t0, Kind: kind,
		Actor:  domain.AuditActor{Kind: domain.ActorUser, ID: "actor", Name: "Grace Hopper", Email: "grace@acme.example"},
		Target: target, Source: "203.0.113.7",
	}
}

// block puts an item at the key the entry will be written to: the entry's
// put, and with it the change it records, must then fail.
func (e *env) block(t *testing.T, en domain.AuditEntry) {
	t.Helper()
	pk, sk := dynamo.AuditKey(en.OrgID, en.At, en.ID)
	item, err := attributevalue.MarshalMap(map[string]string{"pk": pk, "sk": sk, "id": "blocker"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(e.table), Item: item}); err != nil {
		t.Fatalf("put the blocker: %v", err)
	}
}

// audited returns the organization's stored entry with the entry's id, and
// how many entries carry that id.
func (e *env) audited(t *testing.T, en domain.AuditEntry) (domain.AuditEntry, int) {
	t.Helper()
	var got domain.AuditEntry
	n := 0
	for _, x := range testenv.AuditEntries(t, e.client, e.table, en.OrgID) {
		if x.ID == en.ID {
			got, n = x, n+1
		}
	}
	return got, n
}

// atomic checks that a change and its entry are one transaction: with the
// entry's key taken the change fails and is not made (made reports whether
// it was), and then it succeeds with a fresh entry, stored once as given.
func (e *env) atomic(t *testing.T, en domain.AuditEntry, change func(domain.AuditEntry) error, made func() bool) {
	t.Helper()
	e.block(t, en)
	if err := change(en); err == nil {
		t.Errorf("the change succeeded though its entry could not be written")
	}
	if made() {
		t.Errorf("the change was made though its entry could not be written")
	}
	fresh := en
	fresh.ID = domain.NewID()
	if err := change(fresh); err != nil {
		t.Fatalf("the change with a free entry: %v", err)
	}
	if !made() {
		t.Errorf("the change with a free entry was not made")
	}
	got, n := e.audited(t, fresh)
	if n != 1 {
		t.Fatalf("%d entries %s, want 1", n, fresh.ID)
	}
	want := fresh
	want.At = t0.UTC()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored entry (-want +got):\n%s", diff)
	}
}

// refused checks that a change its own rules refuse writes no entry.
func (e *env) refused(t *testing.T, en domain.AuditEntry, change func(domain.AuditEntry) error, code string) {
	t.Helper()
	wantCode(t, "the refused change", change(en), code)
	if _, n := e.audited(t, en); n != 0 {
		t.Errorf("a refused change wrote its entry")
	}
}

func TestSaveUserWritesItsEntryInTheSameTransaction(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, _, _ := e.createOrg(t, 1, "grace@acme.example")
	u := user(o.ID, "ada@acme.example", false)
	u.Admin = true
	if err := e.store.CreateUser(ctx, u, nil); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	u.Revision = 1
	after := u
	after.Seat = true
	en := entry(o.ID, domain.AuditUserActivated, domain.UserTarget(u))
	en.Changes, en.SeatDelta = domain.UserChanges(u, after), 1
	save := func(en domain.AuditEntry) error {
		return e.store.SaveUser(ctx, domain.UserChange{Before: u, After: after, Audit: &en})
	}

	t.Run("a stale revision", func(t *testing.T) {
		stale := u
		stale.Revision = 7
		e.refused(t, en, func(en domain.AuditEntry) error {
			return e.store.SaveUser(ctx, domain.UserChange{Before: stale, After: after, Audit: &en})
		}, domain.CodeConflict)
	})
	t.Run("the entry cannot be written", func(t *testing.T) {
		e.atomic(t, en, save, func() bool { return e.seatsUsed(t, o.ID) == 1 })
	})
	t.Run("no seat left", func(t *testing.T) {
		v := user(o.ID, "vera@acme.example", true)
		en := entry(o.ID, domain.AuditUserInvited, domain.UserTarget(v))
		e.refused(t, en, func(en domain.AuditEntry) error {
			return e.store.SaveUser(ctx, domain.UserChange{After: v, Audit: &en})
		}, domain.CodeSeatLimitReached)
	})
}

func TestTeamChangesWriteTheirEntryInTheSameTransaction(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, _, _ := e.createOrg(t, 5, "grace@acme.example")
	team := domain.Team{ID: domain.NewID(), OrgID: o.ID, Name: "Red", CreatedAt: t0}
	target := domain.AuditTarget{Kind: domain.TargetTeam, ID: team.ID, Name: team.Name}
	created := entry(o.ID, domain.AuditTeamCreated, target)
	e.atomic(t, created, func(en domain.AuditEntry) error {
		return e.store.CreateTeamAndChange(ctx, team, nil, en)
	}, func() bool {
		_, err := e.store.FindTeam(ctx, o.ID, team.ID)
		return err == nil
	})

	var change domain.TeamChange
	start := func(en domain.AuditEntry) error {
		change = domain.TeamChange{ID: domain.NewID(), OrgID: o.ID, TeamID: team.ID, Kind: domain.ChangeDelete, Status: domain.ChangeRunning, CreatedAt: t0, UpdatedAt: t0}
		return e.store.StartTeamChange(ctx, change, en)
	}
	e.atomic(t, entry(o.ID, domain.AuditTeamDeleted, target), start, func() bool {
		got, err := e.store.FindTeam(ctx, o.ID, team.ID)
		return err == nil && got.Deleting && got.LastChangeID == change.ID
	})
	t.Run("members added to a team being deleted", func(t *testing.T) {
		e.refused(t, entry(o.ID, domain.AuditTeamMembersChanged, target), func(en domain.AuditEntry) error {
			add := domain.TeamChange{ID: domain.NewID(), OrgID: o.ID, TeamID: team.ID, Kind: domain.ChangeAdd, Status: domain.ChangeRunning, CreatedAt: t0, UpdatedAt: t0}
			return e.store.StartTeamChange(ctx, add, en)
		}, domain.CodeConflict)
	})
	t.Run("a rename to a name taken", func(t *testing.T) {
		blue := domain.Team{ID: domain.NewID(), OrgID: o.ID, Name: "Blue", CreatedAt: t0}
		if err := e.store.CreateTeam(ctx, blue); err != nil {
			t.Fatal(err)
		}
		e.refused(t, entry(o.ID, domain.AuditTeamRenamed, target), func(en domain.AuditEntry) error {
			return e.store.RenameTeam(ctx, blue, "red", en)
		}, domain.CodeConflict)
	})
}

// One method of each other aggregate: with its entry's key taken the change
// is not made, and a change its own condition refuses writes no entry.
func TestChangesWriteTheirEntryInTheSameTransaction(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, _, _ := e.createOrg(t, 5, "grace@acme.example")
	target := func(kind, id string) domain.AuditTarget { return domain.AuditTarget{Kind: kind, ID: id, Name: "it"} }

	t.Run("module", func(t *testing.T) {
		m := module(o.ID, "Network fundamentals")
		if err := e.store.CreateModule(ctx, m, entry(o.ID, domain.AuditModuleCreated, target(domain.TargetModule, m.ID))); err != nil {
			t.Fatal(err)
		}
		edit := m
		edit.Name, edit.Revision = "Networking 101", 2
		en := entry(o.ID, domain.AuditModuleUpdated, target(domain.TargetModule, m.ID))
		en.Changes = domain.ModuleChanges(m, edit)
		e.refused(t, en, func(en domain.AuditEntry) error { return e.store.UpdateModule(ctx, edit, 7, en) }, domain.CodeConflict)
		e.atomic(t, en, func(en domain.AuditEntry) error { return e.store.UpdateModule(ctx, edit, 1, en) }, func() bool {
			got, err := e.store.FindModule(ctx, o.ID, m.ID)
			return err == nil && got.Name == edit.Name
		})
	})
	t.Run("assignment", func(t *testing.T) {
		a, c := newAssignment(t, e, o.ID, people(2, ""))
		if err := e.store.CreateAssignment(ctx, a, c, entry(o.ID, domain.AuditAssignmentCreated, target(domain.TargetAssignment, a.ID))); err != nil {
			t.Fatal(err)
		}
		due := a.DueOn.AddDate(0, 0, 7)
		en := entry(o.ID, domain.AuditAssignmentUpdated, target(domain.TargetAssignment, a.ID))
		e.refused(t, en, func(en domain.AuditEntry) error {
			_, err := e.store.SetAssignmentDue(ctx, o.ID, domain.NewID(), due, en)
			return err
		}, domain.CodeNotFound)
		e.atomic(t, en, func(en domain.AuditEntry) error {
			_, err := e.store.SetAssignmentDue(ctx, o.ID, a.ID, due, en)
			return err
		}, func() bool {
			got, err := e.store.FindAssignment(ctx, o.ID, a.ID)
			return err == nil && got.DueOn.Equal(due)
		})
	})
	t.Run("export", func(t *testing.T) {
		x := domain.Export{ID: domain.NewID(), OrgID: o.ID, Kind: domain.ExportViewings, Status: domain.ExportPending, CreatedAt: t0}
		en := entry(o.ID, domain.AuditExportCreated, target(domain.TargetExport, x.ID))
		en.Detail = "viewings, 2026-03-01 to 2026-03-31"
		e.atomic(t, en, func(en domain.AuditEntry) error { return e.store.CreateExport(ctx, x, en) }, func() bool {
			_, err := e.store.FindExport(ctx, o.ID, x.ID)
			return err == nil
		})
		e.refused(t, entry(o.ID, domain.AuditExportCreated, target(domain.TargetExport, x.ID)), func(en domain.AuditEntry) error {
			return e.store.CreateExport(ctx, x, en)
		}, domain.CodeConflict)
	})
	t.Run("schedule", func(t *testing.T) {
		sc := schedule(o.ID, t0)
		if err := e.store.CreateSchedule(ctx, sc, 50, entry(o.ID, domain.AuditScheduleCreated, target(domain.TargetSchedule, sc.ID))); err != nil {
			t.Fatal(err)
		}
		paused := sc
		paused.Paused, paused.NextRunAt, paused.Rev = true, time.Time{}, 2
		en := entry(o.ID, domain.AuditScheduleUpdated, target(domain.TargetSchedule, sc.ID))
		en.Changes = domain.ScheduleChanges(sc, paused)
		e.refused(t, en, func(en domain.AuditEntry) error { return e.store.UpdateSchedule(ctx, paused, 5, en) }, domain.CodeConflict)
		e.atomic(t, en, func(en domain.AuditEntry) error { return e.store.UpdateSchedule(ctx, paused, 1, en) }, func() bool {
			got, err := e.store.FindSchedule(ctx, o.ID, sc.ID)
			return err == nil && got.Paused
		})
	})
	t.Run("organization", func(t *testing.T) {
		zone := "Europe/Berlin"
		en := entry(o.ID, domain.AuditOrganizationUpdated, target(domain.TargetOrganization, o.ID))
		en.Changes = []domain.AuditChange{{Field: "timeZone", After: zone}}
		e.refused(t, en, func(en domain.AuditEntry) error {
			return e.store.UpdateOrganization(ctx, domain.NewID(), domain.OrganizationChange{TimeZone: &zone}, en)
		}, domain.CodeNotFound)
		e.atomic(t, en, func(en domain.AuditEntry) error {
			return e.store.UpdateOrganization(ctx, o.ID, domain.OrganizationChange{TimeZone: &zone}, en)
		}, func() bool {
			got, err := e.store.FindOrganization(ctx, o.ID)
			return err == nil && got.TimeZone == zone
		})
	})
	t.Run("import", func(t *testing.T) {
		en := entry(o.ID, domain.AuditImportApplied, target(domain.TargetImport, domain.NewID()))
		en.Actor, en.Source, en.SeatDelta = domain.OperatorActor(), "", 2
		e.block(t, en)
		if err := e.store.ImportUsers(ctx, o.ID, importedUsers(o.ID, 2, nil), en); err == nil {
			t.Errorf("the import succeeded though its entry could not be written")
		}
		if got := e.seatsUsed(t, o.ID); got != 0 {
			t.Errorf("%d seats used after an import whose entry could not be written, want 0", got)
		}
		fresh := en
		fresh.ID = domain.NewID()
		e.refused(t, fresh, func(en domain.AuditEntry) error {
			return e.store.ImportUsers(ctx, o.ID, importedUsers(o.ID, 7, nil), en) // 6 seats of 5
		}, domain.CodeSeatLimitReached)
	})
}
