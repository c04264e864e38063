package domain_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"
	"github.com/google/go-cmp/cmp"

	"proportal/internal/domain"
	"proportal/internal/dynamo"
)

// sentQueue records the messages a service hands to the job; the tests run
// the job themselves (Teams.Continue), when and as often as they like.
type sentQueue struct {
	mu   sync.Mutex
	sent []string
}

func (q *sentQueue) Send(_ context.Context, message string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.sent = append(q.sent, message)
	return nil
}

func (q *sentQueue) messages() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.sent)
}

// teamsEnv is an organization with people to put in teams, and a teams
// service whose job the test runs.
type teamsEnv struct {
	*env
	admin *domain.Principal
	queue *sentQueue
	teams *domain.Teams
}

func newTeamsEnv(t *testing.T) *teamsEnv {
	t.Helper()
	e, admin := newSeats(t, 200)
	q := &sentQueue{}
	return &teamsEnv{env: e, admin: admin, queue: q, teams: newTeams(e, q)}
}

// newTeams is the service under test. Its requests may take their time over
// the first InlineTeamChange members, so that what a request does is the same
// on a busy machine (in production a request hands over after 2 s).
func newTeams(e *env, q domain.Queue) *domain.Teams {
	return domain.NewTeams(e.app.Store, q, e.clock.Now, slog.New(slog.DiscardHandler)).WithInlineTime(time.Minute)
}

// people stores n people of a status, named after prefix.
func (e *teamsEnv) addPeople(t *testing.T, prefix, status string, n int) []domain.User {
	t.Helper()
	users := make([]domain.User, n)
	for i := range users {
		users[i] = e.add(t, person(e.org.ID, prefix, fmt.Sprintf("Person%03d", i), status))
	}
	return users
}

func ids(users []domain.User) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}

// members are the ids of a team's members as the user list shows them.
func (e *teamsEnv) members(t *testing.T, teamID string) []string {
	t.Helper()
	users, next, err := e.app.Store.FindUsers(context.Background(), e.org.ID, domain.UserQuery{Status: domain.FilterAll, TeamID: teamID, Limit: domain.MaxPageSize})
	if err != nil || next != "" {
		t.Fatalf("FindUsers of team %s: next %q, %v", teamID, next, err)
	}
	out := ids(users)
	slices.Sort(out)
	return out
}

// inTeam are the ids of users whose own item names the team.
func (e *teamsEnv) inTeam(t *testing.T, teamID string, users []domain.User) []string {
	t.Helper()
	var out []string
	for _, u := range users {
		if got := e.stored(t, u); got.InTeam(teamID) {
			out = append(out, u.ID)
		}
	}
	slices.Sort(out)
	return out
}

func (e *teamsEnv) team(t *testing.T, id string) domain.Team {
	t.Helper()
	team, err := e.app.Store.FindTeam(context.Background(), e.org.ID, id)
	if err != nil {
		t.Fatalf("FindTeam: %v", err)
	}
	return team
}

// runJob runs the job on every message sent so far.
func (e *teamsEnv) runJob(t *testing.T, teams *domain.Teams) (domain.TeamChange, error) {
	t.Helper()
	var last domain.TeamChange
	for _, m := range e.queue.messages() {
		ref, err := domain.ParseChangeRef(m)
		if err != nil {
			t.Fatalf("message %q: %v", m, err)
		}
		c, err := teams.Continue(context.Background(), ref)
		if err != nil {
			return c, err
		}
		last = c
	}
	return last, nil
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func TestCreateTeamWithItsMembers(t *testing.T) {
	t.Parallel()
	e := newTeamsEnv(t)
	people := e.addPeople(t, "Ada", domain.StatusActive, 3)
	created, err := e.teams.Create(context.Background(), e.admin, domain.NewTeam{Name: "  Platform   Team ", UserIDs: ids(people)})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if created.Team.Name != "Platform Team" {
		t.Errorf("name %q, want the spaces tidied: Platform Team", created.Team.Name)
	}
	c := created.Change
	if c == nil || c.Status != domain.ChangeDone || c.Done != 3 || c.Total != 3 || len(c.Failures) != 0 {
		t.Fatalf("change %+v, want done with 3 of 3", c)
	}
	if created.Team.Members != (domain.MemberCounts{Active: 3}) {
		t.Errorf("members %+v, want 3 active", created.Team.Members)
	}
	if diff := cmp.Diff(sorted(ids(people)), e.members(t, created.Team.ID)); diff != "" {
		t.Errorf("team members (-want +got):\n%s", diff)
	}
	if got := e.inTeam(t, created.Team.ID, people); len(got) != 3 {
		t.Errorf("%d users name the team, want 3", len(got))
	}
	if len(e.queue.messages()) != 0 {
		t.Errorf("a small team went to the job: %v", e.queue.messages())
	}
	empty, err := e.teams.Create(context.Background(), e.admin, domain.NewTeam{Name: "Empty"})
	if err != nil || empty.Change != nil || empty.Team.Members.Total() != 0 {
		t.Errorf("Create without people: %+v, %v", empty, err)
	}
}

// orgSnapshot is what a refused request must leave as it was.
type orgSnapshot struct {
	Teams []domain.Team
	Users []domain.User
}

func (e *teamsEnv) snapshot(t *testing.T) orgSnapshot {
	t.Helper()
	ctx := context.Background()
	teams, err := e.app.Store.FindTeams(ctx, e.org.ID)
	if err != nil {
		t.Fatalf("FindTeams: %v", err)
	}
	users, _, err := e.app.Store.FindUsers(ctx, e.org.ID, domain.UserQuery{Status: domain.FilterAll, Limit: domain.MaxPageSize})
	if err != nil {
		t.Fatalf("FindUsers: %v", err)
	}
	return orgSnapshot{Teams: teams, Users: users}
}

func TestTeamBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	e := newTeamsEnv(t)
	ctx := context.Background()
	active := e.addPeople(t, "Alan", domain.StatusActive, 2)
	invited := e.add(t, person(e.org.ID, "Ivy", "Invited", domain.StatusInvited))
	inactive := e.add(t, person(e.org.ID, "Ian", "Inactive", domain.StatusInactive))
	other, _ := e.createOrg(t, "Globex", 5)
	stranger := e.add(t, person(other.ID, "Sam", "Stranger", domain.StatusActive))
	strangerTeam := domain.Team{ID: domain.NewID(), OrgID: other.ID, Name: "Theirs", CreatedAt: start}
	if err := e.app.Store.CreateTeam(ctx, strangerTeam); err != nil {
		t.Fatal(err)
	}
	existing, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "Sales", UserIDs: ids(active[:1])})
	if err != nil {
		t.Fatal(err)
	}
	tooMany := make([]string, domain.MaxTeamChangeUsers+1)
	for i := range tooMany {
		tooMany[i] = domain.NewID()
	}
	team := existing.Team.ID
	tests := []struct {
		name      string
		do        func() error
		wantCode  string
		wantField string
	}{
		{"create: empty name", func() error { _, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "   "}); return err }, domain.CodeValidationFailed, "name"},
		{"create: name too long", func() error {
			_, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: strings.Repeat("é", 81)})
			return err
		}, domain.CodeValidationFailed, "name"},
		{"create: name of another team in another case", func() error {
			_, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "SALES", UserIDs: ids(active[1:])})
			return err
		}, domain.CodeConflict, "name"},
		{"create: unknown person", func() error {
			_, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "New", UserIDs: []string{domain.NewID()}})
			return err
		}, domain.CodeNotFound, ""},
		{"create: another organization's person", func() error {
			_, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "New", UserIDs: []string{active[1].ID, stranger.ID}})
			return err
		}, domain.CodeNotFound, ""},
		{"create: inactive person", func() error {
			_, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "New", UserIDs: []string{active[1].ID, inactive.ID}})
			return err
		}, domain.CodeValidationFailed, "userIds[1]"},
		{"create: invited person", func() error {
			_, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "New", UserIDs: []string{invited.ID}})
			return err
		}, domain.CodeValidationFailed, "userIds[0]"},
		{"create: a person twice", func() error {
			_, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "New", UserIDs: []string{active[1].ID, active[1].ID}})
			return err
		}, domain.CodeValidationFailed, "userIds[1]"},
		{"create: too many people", func() error {
			_, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "New", UserIDs: tooMany})
			return err
		}, domain.CodeValidationFailed, "userIds"},
		{"add: empty list", func() error { _, err := e.teams.AddMembers(ctx, e.admin, team, nil); return err }, domain.CodeValidationFailed, "userIds"},
		{"add: too many", func() error { _, err := e.teams.AddMembers(ctx, e.admin, team, tooMany); return err }, domain.CodeValidationFailed, "userIds"},
		{"add: not an id", func() error { _, err := e.teams.AddMembers(ctx, e.admin, team, []string{"x"}); return err }, domain.CodeValidationFailed, "userIds[0]"},
		{"add: inactive person", func() error {
			_, err := e.teams.AddMembers(ctx, e.admin, team, []string{active[1].ID, inactive.ID})
			return err
		}, domain.CodeValidationFailed, "userIds[1]"},
		{"add: unknown person", func() error {
			_, err := e.teams.AddMembers(ctx, e.admin, team, []string{active[1].ID, domain.NewID()})
			return err
		}, domain.CodeNotFound, ""},
		{"add: another organization's person", func() error {
			_, err := e.teams.AddMembers(ctx, e.admin, team, []string{stranger.ID})
			return err
		}, domain.CodeNotFound, ""},
		{"add: another organization's team", func() error {
			_, err := e.teams.AddMembers(ctx, e.admin, strangerTeam.ID, []string{active[1].ID})
			return err
		}, domain.CodeNotFound, ""},
		{"add: unknown team", func() error {
			_, err := e.teams.AddMembers(ctx, e.admin, domain.NewID(), []string{active[1].ID})
			return err
		}, domain.CodeNotFound, ""},
		{"rename: empty", func() error { _, err := e.teams.Rename(ctx, e.admin, team, ""); return err }, domain.CodeValidationFailed, "name"},
		{"rename: another organization's team", func() error {
			_, err := e.teams.Rename(ctx, e.admin, strangerTeam.ID, "Mine")
			return err
		}, domain.CodeNotFound, ""},
		{"remove: another organization's person", func() error { return e.teams.RemoveMember(ctx, e.admin, team, stranger.ID) }, domain.CodeNotFound, ""},
		{"remove: another organization's team", func() error { return e.teams.RemoveMember(ctx, e.admin, strangerTeam.ID, active[0].ID) }, domain.CodeNotFound, ""},
		{"delete: another organization's team", func() error { _, err := e.teams.Delete(ctx, e.admin, strangerTeam.ID); return err }, domain.CodeNotFound, ""},
		{"change: another team's", func() error {
			_, err := e.teams.GetChange(ctx, e.admin, strangerTeam.ID, existing.Change.ID)
			return err
		}, domain.CodeNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.snapshot(t)
			err := tt.do()
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != tt.wantCode {
				t.Fatalf("error %v, want code %s", err, tt.wantCode)
			}
			if tt.wantField != "" && de.Fields[tt.wantField] == "" {
				t.Errorf("error %v does not name the field %s", err, tt.wantField)
			}
			if diff := cmp.Diff(before, e.snapshot(t)); diff != "" {
				t.Errorf("the organization changed (-before +after):\n%s", diff)
			}
		})
	}
}

func TestManageATeam(t *testing.T) {
	t.Parallel()
	e := newTeamsEnv(t)
	ctx := context.Background()
	people := e.addPeople(t, "Grace", domain.StatusActive, 4)
	created, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "Support", UserIDs: ids(people[:2])})
	if err != nil {
		t.Fatal(err)
	}
	team := created.Team.ID

	renamed, err := e.teams.Rename(ctx, e.admin, team, "Customer Support")
	if err != nil || renamed.Name != "Customer Support" {
		t.Fatalf("Rename: %+v, %v", renamed, err)
	}
	// The old name is free again; the new one is taken, in any case.
	if _, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "support"}); err != nil {
		t.Errorf("Create with the old name: %v", err)
	}
	if _, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "customer SUPPORT"}); domain.ErrorCode(err) != domain.CodeConflict {
		t.Errorf("Create with the new name in another case: %v, want conflict", err)
	}

	// Adding people, one of them a member already: a no-op for them.
	c, err := e.teams.AddMembers(ctx, e.admin, team, ids(people[1:]))
	if err != nil || c.Status != domain.ChangeDone || c.Done != 3 {
		t.Fatalf("AddMembers: %+v, %v", c, err)
	}
	if diff := cmp.Diff(sorted(ids(people)), e.members(t, team)); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	if got := e.team(t, team).Members; got != (domain.MemberCounts{Active: 4}) {
		t.Errorf("counts %+v, want 4 active", got)
	}

	// A member deactivated stays a member, counted as inactive.
	if _, err := e.people().Deactivate(ctx, e.admin, people[3].ID); err != nil {
		t.Fatal(err)
	}
	if got := e.team(t, team).Members; got != (domain.MemberCounts{Active: 3, Inactive: 1}) {
		t.Errorf("counts after a deactivation %+v, want 3 active, 1 inactive", got)
	}

	// Removing a member, twice: the second changes nothing.
	for range 2 {
		if err := e.teams.RemoveMember(ctx, e.admin, team, people[0].ID); err != nil {
			t.Fatalf("RemoveMember: %v", err)
		}
	}
	if diff := cmp.Diff(sorted(ids(people[1:])), e.members(t, team)); diff != "" {
		t.Errorf("members after the removal (-want +got):\n%s", diff)
	}
	if removed := e.stored(t, people[0]); removed.InTeam(team) {
		t.Error("the removed member's user still names the team")
	}

	// Deleting: members stay users, the team and its name go.
	del, err := e.teams.Delete(ctx, e.admin, team)
	if err != nil || del.Status != domain.ChangeDone || del.Done != 3 {
		t.Fatalf("Delete: %+v, %v", del, err)
	}
	if _, err := e.app.Store.FindTeam(ctx, e.org.ID, team); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("the team is still there: %v", err)
	}
	for _, u := range people {
		if got := e.stored(t, u); got.InTeam(team) || got.Status == "" {
			t.Errorf("%s after the delete: %+v", u.ID, got)
		}
	}
	if _, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "Customer Support"}); err != nil {
		t.Errorf("the deleted team's name is still taken: %v", err)
	}
	got, err := e.teams.GetChange(ctx, e.admin, team, del.ID)
	if err != nil || got.Status != domain.ChangeDone {
		t.Errorf("the delete can still be read: %+v, %v", got, err)
	}
}

func TestLargeChangesGoOnInTheJob(t *testing.T) {
	t.Parallel()
	e := newTeamsEnv(t)
	ctx := context.Background()
	people := e.addPeople(t, "Linus", domain.StatusActive, 32)
	created, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "Kernel", UserIDs: ids(people)})
	if err != nil {
		t.Fatal(err)
	}
	team := created.Team.ID
	c := created.Change
	if c.Status != domain.ChangeRunning || c.Done != domain.InlineTeamChange || c.Total != 32 {
		t.Fatalf("change %+v, want running with %d of 32 done", c, domain.InlineTeamChange)
	}
	if got := len(e.members(t, team)); got != c.Done {
		t.Errorf("%d members after the request, want %d", got, c.Done)
	}
	if len(e.queue.messages()) != 1 {
		t.Fatalf("messages to the job: %v, want one", e.queue.messages())
	}
	done, err := e.runJob(t, e.teams)
	if err != nil || done.Status != domain.ChangeDone || done.Done != 32 {
		t.Fatalf("the job: %+v, %v", done, err)
	}
	if got := e.team(t, team).Members; got != (domain.MemberCounts{Active: 32}) {
		t.Errorf("counts %+v, want 32 active", got)
	}
	// Run again (SQS delivers at least once): nothing changes.
	if again, err := e.runJob(t, e.teams); err != nil || again.Done != 32 {
		t.Errorf("the job again: %+v, %v", again, err)
	}

	e.queue.sent = nil
	del, err := e.teams.Delete(ctx, e.admin, team)
	if err != nil || del.Status != domain.ChangeRunning || del.Done != domain.InlineTeamChange {
		t.Fatalf("Delete: %+v, %v", del, err)
	}
	if tm := e.team(t, team); !tm.Deleting || tm.Members.Total() != 32-del.Done {
		t.Errorf("team while deleting: %+v", tm)
	}
	if _, err := e.teams.AddMembers(ctx, e.admin, team, ids(people[:1])); domain.ErrorCode(err) != domain.CodeConflict {
		t.Errorf("AddMembers while deleting: %v, want conflict", err)
	}
	if done, err := e.runJob(t, e.teams); err != nil || done.Status != domain.ChangeDone || done.Done != 32 {
		t.Fatalf("the job: %+v, %v", done, err)
	}
	if _, err := e.app.Store.FindTeam(ctx, e.org.ID, team); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("the team is still there: %v", err)
	}
	if got := e.inTeam(t, team, people); len(got) != 0 {
		t.Errorf("%d users still name the deleted team", len(got))
	}
}

// failingTeams is a teams service whose store fails the nth
// TransactWriteItems call (counting from 1) and every one after it, as a
// stalled DynamoDB would.
func failingTeams(e *teamsEnv, n int32) *domain.Teams {
	var count atomic.Int32
	client := dynamodb.NewFromConfig(e.app.AWS, func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("failNth",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					if middleware.GetOperationName(ctx) == "TransactWriteItems" && count.Add(1) >= n {
						return middleware.InitializeOutput{}, middleware.Metadata{}, errors.New("injected: DynamoDB is not answering")
					}
					return next.HandleInitialize(ctx, in)
				}), middleware.After)
		})
	})
	store := dynamo.New(client, e.app.Config.TableName)
	return domain.NewTeams(store, e.queue, e.clock.Now, slog.New(slog.DiscardHandler))
}

// A job that fails half way leaves an exact state: the change counts
// exactly the members written, the team counts them, and running the job
// again finishes the change without doing anyone twice.
func TestTeamChangeFailingHalfWayIsExactAndResumes(t *testing.T) {
	t.Parallel()
	e := newTeamsEnv(t)
	ctx := context.Background()
	people := e.addPeople(t, "Edsger", domain.StatusActive, 40)
	created, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "Algorithms", UserIDs: ids(people)})
	if err != nil {
		t.Fatal(err)
	}
	team := created.Team.ID

	// The job fails at its 6th transaction: 5 more members are in.
	_, err = e.runJob(t, failingTeams(e, 6))
	if err == nil {
		t.Fatal("the failing job reported no error")
	}
	want := created.Change.Done + 5
	c, err := e.teams.GetChange(ctx, e.admin, team, created.Change.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != domain.ChangeRunning || c.Done != want || c.Next != want || len(c.Failures) != 0 {
		t.Errorf("change after the failure: %+v, want running with %d done", c, want)
	}
	if diff := cmp.Diff(sorted(ids(people[:want])), e.inTeam(t, team, people)); diff != "" {
		t.Errorf("users naming the team are not exactly the first %d (-want +got):\n%s", want, diff)
	}
	if diff := cmp.Diff(sorted(ids(people[:want])), e.members(t, team)); diff != "" {
		t.Errorf("member entries are not exactly the first %d (-want +got):\n%s", want, diff)
	}
	if got := e.team(t, team).Members; got != (domain.MemberCounts{Active: want}) {
		t.Errorf("counts %+v, want %d active", got, want)
	}

	// The retry finishes it.
	done, err := e.runJob(t, e.teams)
	if err != nil || done.Status != domain.ChangeDone || done.Done != 40 || len(done.Failures) != 0 {
		t.Fatalf("the retry: %+v, %v", done, err)
	}
	if got := e.team(t, team).Members; got != (domain.MemberCounts{Active: 40}) {
		t.Errorf("counts after the retry %+v, want 40 active", got)
	}
	if diff := cmp.Diff(sorted(ids(people)), e.members(t, team)); diff != "" {
		t.Errorf("members after the retry (-want +got):\n%s", diff)
	}

	// The same for deleting the team.
	e.queue.sent = nil
	del, err := e.teams.Delete(ctx, e.admin, team)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.runJob(t, failingTeams(e, 6)); err == nil {
		t.Fatal("the failing delete reported no error")
	}
	left := 40 - del.Done - 5
	if tm := e.team(t, team); !tm.Deleting || tm.Members.Total() != left {
		t.Errorf("team after the failed delete: %+v, want deleting with %d members", tm, left)
	}
	if got := len(e.members(t, team)); got != left {
		t.Errorf("%d member entries, want %d", got, left)
	}
	if got := len(e.inTeam(t, team, people)); got != left {
		t.Errorf("%d users name the team, want %d", got, left)
	}
	done, err = e.runJob(t, e.teams)
	if err != nil || done.Status != domain.ChangeDone || done.Done != 40 {
		t.Fatalf("the delete's retry: %+v, %v", done, err)
	}
	if _, err := e.app.Store.FindTeam(ctx, e.org.ID, team); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("the team is still there: %v", err)
	}
}

// Two runs of the same change at once (SQS may deliver a message twice)
// change everyone exactly once.
func TestTeamChangeRunTwiceAtOnce(t *testing.T) {
	t.Parallel()
	e := newTeamsEnv(t)
	ctx := context.Background()
	people := e.addPeople(t, "Barbara", domain.StatusActive, 34)
	created, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "Abstractions", UserIDs: ids(people)})
	if err != nil {
		t.Fatal(err)
	}
	// The runs race through the service; moto gets their calls one by one, as
	// DynamoDB isolates transactions and moto does not (see serialized).
	e.serialized()
	e.teams = newTeams(e.env, e.queue)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() { _, errs[i] = e.runJob(t, e.teams) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Errorf("a run failed: %v", err)
		}
	}
	c, err := e.teams.GetChange(ctx, e.admin, created.Team.ID, created.Change.ID)
	if err != nil || c.Status != domain.ChangeDone || c.Done != 34 || len(c.Failures) != 0 {
		t.Errorf("change: %+v, %v", c, err)
	}
	if got := e.team(t, created.Team.ID).Members; got != (domain.MemberCounts{Active: 34}) {
		t.Errorf("counts %+v, want 34 active", got)
	}
}

// Someone who stops being active between the request and the job is
// reported, exactly, and the others join.
func TestTeamChangeReportsWhoDidNotJoin(t *testing.T) {
	t.Parallel()
	e := newTeamsEnv(t)
	ctx := context.Background()
	people := e.addPeople(t, "Tony", domain.StatusActive, 27)
	created, err := e.teams.Create(ctx, e.admin, domain.NewTeam{Name: "Logic", UserIDs: ids(people)})
	if err != nil {
		t.Fatal(err)
	}
	gone := people[26]
	if _, err := e.people().Deactivate(ctx, e.admin, gone.ID); err != nil {
		t.Fatal(err)
	}
	c, err := e.runJob(t, e.teams)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != domain.ChangeFailed || c.Done != 26 || len(c.Failures) != 1 || c.Failures[0].UserID != gone.ID {
		t.Errorf("change %+v, want failed with 26 done and %s not", c, gone.ID)
	}
	d, err := e.teams.Get(ctx, e.admin, created.Team.ID)
	if err != nil || d.LastChange == nil || d.LastChange.ID != c.ID || d.Team.Members.Active != 26 {
		t.Errorf("Get: %+v, %v", d, err)
	}
}
