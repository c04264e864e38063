package domain_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"proportal/internal/domain"
	"proportal/internal/testenv"
)

// auditWatch hands out the entries of the env's organization not seen yet.
type auditWatch struct {
	e    *env
	seen map[string]bool
}

func (e *env) watchAudit() *auditWatch { return &auditWatch{e: e, seen: map[string]bool{}} }

// next returns the entries written since the last call, in sort key order
// (entries of one instant in no particular order).
func (w *auditWatch) next(t *testing.T) []domain.AuditEntry {
	t.Helper()
	var out []domain.AuditEntry
	for _, en := range w.e.auditEntries(t) {
		if !w.seen[en.ID] {
			w.seen[en.ID] = true
			out = append(out, en)
		}
	}
	return out
}

// auditLine is what the team tests compare of an entry.
type auditLine struct {
	Kind, Actor, Target, Source, Via, Detail string
}

func auditLines(entries []domain.AuditEntry) map[auditLine]int {
	out := map[auditLine]int{}
	for _, en := range entries {
		out[auditLine{en.Kind, en.Actor.ID, en.Target.ID, en.Source, en.Via, en.Detail}]++
	}
	return out
}

func TestTeamActionsAreAudited(t *testing.T) {
	t.Parallel()
	e := newTeamsEnv(t)
	ctx := context.Background()
	e.admin.Source = adminSource
	admin := e.admin.User.ID
	people := e.addPeople(t, "Linus", domain.StatusActive, domain.InlineTeamChange+2)
	w := e.watchAudit()
	members := func(kind string, users []domain.User, changeID, detail string) map[auditLine]int {
		out := map[auditLine]int{}
		for _, u := range users {
			out[auditLine{kind, admin, u.ID, adminSource, "team-change:" + changeID, detail}]++
		}
		return out
	}
	plus := func(a map[auditLine]int, b ...map[auditLine]int) map[auditLine]int {
		for _, m := range b {
			for k, v := range m {
				a[k] += v
			}
		}
		return a
	}
	check := func(what string, want map[auditLine]int) {
		t.Helper()
		if diff := cmp.Diff(want, auditLines(w.next(t)), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s wrote (-want +got):\n%s", what, diff)
		}
	}

	created, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "Kernel", UserIDs: ids(people)})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	team := created.Team.ID
	inline := people[:domain.InlineTeamChange]
	check("creating a team with its members", plus(
		map[auditLine]int{{domain.AuditTeamCreated, admin, team, adminSource, "", "+12 −0"}: 1},
		members(domain.AuditUserTeamsChanged, inline, created.Change.ID, "added to Kernel")))
	if _, err := e.runJob(t, e.teams); err != nil {
		t.Fatalf("the job: %v", err)
	}
	check("the job's members", members(domain.AuditUserTeamsChanged, people[domain.InlineTeamChange:], created.Change.ID, "added to Kernel"))
	if _, err := e.runJob(t, e.teams); err != nil {
		t.Fatalf("the job again: %v", err)
	}
	check("the job again", nil)

	if _, err := e.teams.Rename(ctx, e.admin, team, "Core"); err != nil {
		t.Fatalf("Rename: %v", err)
	}
	entries := w.next(t)
	if len(entries) != 1 || entries[0].Kind != domain.AuditTeamRenamed ||
		!cmp.Equal(entries[0].Changes, []domain.AuditChange{{Field: "name", Before: "Kernel", After: "Core"}}) || entries[0].Target.Name != "Kernel" {
		t.Errorf("rename wrote %+v, want one team.renamed of Kernel, name Kernel → Core", entries)
	}
	if _, err := e.teams.Rename(ctx, e.admin, team, "Core"); err != nil {
		t.Fatalf("Rename to the same name: %v", err)
	}
	check("a rename to the same name", nil)

	if err := e.teams.RemoveMember(ctx, e.admin, team, people[0].ID); err != nil {
		t.Fatalf("RemoveMember: %v", err)
	}
	check("removing a member", map[auditLine]int{
		{domain.AuditTeamMembersChanged, admin, team, adminSource, "", "+0 −1"}:                   1,
		{domain.AuditUserTeamsChanged, admin, people[0].ID, adminSource, "", "removed from Core"}: 1,
	})
	if err := e.teams.RemoveMember(ctx, e.admin, team, people[0].ID); err != nil {
		t.Fatalf("RemoveMember again: %v", err)
	}
	check("removing someone not in the team", nil)

	e.queue.sent = nil
	added, err := e.teams.AddMembers(ctx, e.admin, team, ids(people[:1]))
	if err != nil {
		t.Fatalf("AddMembers: %v", err)
	}
	check("adding a member", plus(
		map[auditLine]int{{domain.AuditTeamMembersChanged, admin, team, adminSource, "", "+1 −0"}: 1},
		members(domain.AuditUserTeamsChanged, people[:1], added.ID, "added to Core")))

	del, err := e.teams.Delete(ctx, e.admin, team)
	if err != nil {
		t.Fatalf("Delete: %v", err)
	}
	entries = w.next(t)
	if _, err := e.runJob(t, e.teams); err != nil {
		t.Fatalf("the job: %v", err)
	}
	entries = append(entries, w.next(t)...)
	if diff := cmp.Diff(plus(
		map[auditLine]int{{domain.AuditTeamDeleted, admin, team, adminSource, "", "+0 −12"}: 1},
		members(domain.AuditUserTeamsChanged, people, del.ID, "removed from Core")), auditLines(entries)); diff != "" {
		t.Errorf("deleting the team wrote (-want +got):\n%s", diff)
	}
	for _, en := range entries {
		if en.Kind == domain.AuditUserTeamsChanged && (len(en.Changes) != 1 || en.Changes[0].Field != "teamIds" || en.Changes[0].Before != team || en.Changes[0].After != "") {
			t.Errorf("a member's entry changes %+v, want teamIds %s → none", en.Changes, team)
			break
		}
	}
	if got := testenv.AuditKinds(w.next(t)); len(got) != 0 {
		t.Errorf("entries left over: %q", got)
	}
}

// TestRefusedTeamChangesWriteNoEntry: a name taken, or members added to a
// team being deleted, leave no entry.
func TestRefusedTeamChangesWriteNoEntry(t *testing.T) {
	t.Parallel()
	e := newTeamsEnv(t)
	ctx := context.Background()
	if _, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "Red"}); err != nil {
		t.Fatal(err)
	}
	blue, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "Blue"})
	if err != nil {
		t.Fatal(err)
	}
	w := e.watchAudit()
	w.next(t)
	_, err = e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "red"})
	codedError(t, "a second team named red", err, domain.CodeConflict)
	_, err = e.teams.Rename(ctx, e.admin, blue.Team.ID, "RED")
	codedError(t, "a rename to a name taken", err, domain.CodeConflict)
	if got := testenv.AuditKinds(w.next(t)); len(got) != 0 {
		t.Errorf("refused changes wrote %q", got)
	}
}
