package domain_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"proportal/catalog"
	"proportal/internal/domain"
	"proportal/internal/s3"
)

// recordingWriter is a ReportWriter that keeps the rows of every sheet (as
// text) and writes a few bytes, failing while failures > 0.
type recordingWriter struct {
	mu       sync.Mutex
	calls    atomic.Int32
	failures atomic.Int32
	reports  []domain.Report
	rows     map[string][][]any
	// started, when set, is closed when a write starts, which then waits
	// for release.
	started, release chan struct{}
}

func (w *recordingWriter) WriteReport(out io.Writer, r domain.Report) error {
	w.calls.Add(1)
	if w.started != nil {
		close(w.started)
		<-w.release
	}
	if w.failures.Add(-1) >= 0 {
		return errors.New("the disk is full")
	}
	rows := map[string][][]any{}
	for _, sh := range r.Sheets {
		err := sh.Rows(func(row []any) error {
			if len(row) != len(sh.Columns) {
				return fmt.Errorf("sheet %s: a row of %d values for %d columns", sh.Name, len(row), len(sh.Columns))
			}
			rows[sh.Name] = append(rows[sh.Name], row)
			return nil
		})
		if err != nil {
			return err
		}
	}
	w.mu.Lock()
	w.reports, w.rows = append(w.reports, r), rows
	w.mu.Unlock()
	_, err := io.WriteString(out, "PK fake workbook")
	return err
}

// exportsEnv is an organization with people and events, and an exports
// service whose job the test runs itself.
type exportsEnv struct {
	*env
	admin   *domain.Principal
	queue   *sentQueue
	writer  *recordingWriter
	exports *domain.Exports
	ada     domain.User
	bob     domain.User
}

func newExportsEnv(t *testing.T) *exportsEnv {
	t.Helper()
	e, admin := newSeats(t, 20)
	q, w := &sentQueue{}, &recordingWriter{}
	files := s3.FromConfig(e.app.AWS, e.app.Config.ReportsBucket)
	x := &exportsEnv{env: e, admin: admin, queue: q, writer: w,
		exports: domain.NewExports(e.app.Store, q, files, w, e.clock.Now, slog.New(slog.DiscardHandler))}
	items, err := domain.ParseCatalog(catalog.Demo)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Operator.LoadCatalog(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	x.ada = e.add(t, person(e.org.ID, "Ada", "Lovelace", domain.StatusActive))
	x.bob = e.add(t, person(e.org.ID, "=HYPERLINK(\"http://x\",\"y\")", "Bobbins", domain.StatusInactive))
	return x
}

// viewings stores n viewings of each user, an hour apart, ending now.
func (x *exportsEnv) viewings(t *testing.T, orgID string, users []domain.User, n int) {
	t.Helper()
	var evs []domain.Event
	for i := range n {
		for _, u := range users {
			evs = append(evs, domain.Event{
				ID: domain.NewID(), OrgID: orgID, UserID: u.ID, Kind: domain.EventViewing,
				At:       x.clock.Now().Add(-time.Duration(i+1) * time.Hour),
				CourseID: "course-ccna", EpisodeID: "ep-ccna-01", Seconds: 60 * (i + 1), Completed: i%2 == 0,
			})
		}
	}
	if err := x.app.Store.ImportEvents(context.Background(), evs, x.clock.Now()); err != nil {
		t.Fatal(err)
	}
}

func (x *exportsEnv) run(t *testing.T, e domain.Export) (domain.Export, error) {
	t.Helper()
	return x.exports.Run(context.Background(), domain.ExportRef{OrgID: e.OrgID, ExportID: e.ID})
}

func TestCreateExportRefusesBadInput(t *testing.T) {
	x := newExportsEnv(t)
	other, otherAdmin := x.createOrg(t, "Other Corp", 5)
	_ = other
	ctx := context.Background()
	stranger := x.add(t, person(otherAdmin.OrgID, "Stan", "Stranger", domain.StatusActive))
	strangeTeam, err := x.app.Services.Teams.Create(ctx, principal(otherAdmin), domain.NewTeam{Name: "Theirs"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		give  domain.ExportRequest
		code  string
		field string
	}{
		{"unknown kind", domain.ExportRequest{Kind: "everything"}, domain.CodeValidationFailed, "kind"},
		{"no kind", domain.ExportRequest{}, domain.CodeValidationFailed, "kind"},
		{"user activity of nobody", domain.ExportRequest{Kind: domain.ExportUserActivity}, domain.CodeValidationFailed, "userId"},
		{"team activity of no team", domain.ExportRequest{Kind: domain.ExportTeamActivity}, domain.CodeValidationFailed, "teamId"},
		{"assignment activity of none", domain.ExportRequest{Kind: domain.ExportAssignmentActivity}, domain.CodeValidationFailed, "assignmentId"},
		{"a user on an org-wide export", domain.ExportRequest{Kind: domain.ExportViewings, UserID: x.ada.ID}, domain.CodeValidationFailed, "userId"},
		{"another organization's user", domain.ExportRequest{Kind: domain.ExportUserActivity, UserID: stranger.ID}, domain.CodeNotFound, ""},
		{"a malformed user id", domain.ExportRequest{Kind: domain.ExportUserActivity, UserID: "../../x"}, domain.CodeNotFound, ""},
		{"another organization's team", domain.ExportRequest{Kind: domain.ExportTeamActivity, TeamID: strangeTeam.Team.ID}, domain.CodeNotFound, ""},
		{"an unknown assignment", domain.ExportRequest{Kind: domain.ExportAssignmentActivity, AssignmentID: domain.NewID()}, domain.CodeNotFound, ""},
		{"from after to", domain.ExportRequest{Kind: domain.ExportViewings, From: "2026-03-05", To: "2026-03-01"}, domain.CodeValidationFailed, "from"},
		{"a malformed day", domain.ExportRequest{Kind: domain.ExportViewings, From: "5 March"}, domain.CodeValidationFailed, "from"},
		{"a range over a year", domain.ExportRequest{Kind: domain.ExportViewings, From: "2025-01-01", To: "2026-01-02"}, domain.CodeValidationFailed, "to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := x.exports.Create(ctx, x.admin, tt.give)
			e := codedError(t, "Create", err, tt.code)
			if tt.field != "" {
				if _, ok := e.Fields[tt.field]; !ok {
					t.Errorf("fields = %v, want one for %s", e.Fields, tt.field)
				}
			}
		})
	}
	list, err := x.app.Store.FindExports(ctx, x.org.ID, 100)
	if err != nil || len(list) != 0 || len(x.queue.messages()) != 0 {
		t.Errorf("refused exports left %d records (%v) and %d messages", len(list), err, len(x.queue.messages()))
	}
	// A whole year (366 days, a leap year) is accepted.
	if _, err := x.exports.Create(ctx, x.admin, domain.ExportRequest{Kind: domain.ExportViewings, From: "2024-01-01", To: "2024-12-31"}); err != nil {
		t.Errorf("a leap year's export: %v", err)
	}
}

func TestExportOfViewings(t *testing.T) {
	x := newExportsEnv(t)
	ctx := context.Background()
	x.viewings(t, x.org.ID, []domain.User{x.ada, x.bob}, 3)
	_, otherAdmin := x.createOrg(t, "Other Corp", 5)
	stranger := x.add(t, person(otherAdmin.OrgID, "Stan", "Stranger", domain.StatusActive))
	x.viewings(t, otherAdmin.OrgID, []domain.User{stranger}, 5)

	e, err := x.exports.Create(ctx, x.admin, domain.ExportRequest{Kind: domain.ExportViewings})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{x.org.ID + "/" + e.ID}, x.queue.messages()); diff != "" {
		t.Errorf("queued (-want +got):\n%s", diff)
	}
	wantFrom := domain.DayIn(start, time.UTC).AddDate(0, 0, -(domain.DefaultExportDays - 1))
	if e.Status != domain.ExportPending || !e.From.Equal(wantFrom) || e.FileName() != "proportal-viewings-2026-02-09-to-2026-03-10.xlsx" {
		t.Errorf("created %+v (file %s), want pending over the last 30 days", e, e.FileName())
	}
	done, err := x.run(t, e)
	if err != nil || done.Status != domain.ExportDone || done.Rows != 6 || done.Progress() != 1 {
		t.Fatalf("run = %+v, %v; want done with 6 rows", done, err)
	}
	rows := x.writer.rows["Viewings"]
	if len(rows) != 6 {
		t.Fatalf("wrote %d viewings, want 6 (none of the other organization's)", len(rows))
	}
	for i, row := range rows {
		if i > 0 && row[0].(time.Time).Before(rows[i-1][0].(time.Time)) {
			t.Errorf("row %d is earlier than row %d", i, i-1)
		}
		if row[3] != x.ada.Email && row[3] != x.bob.Email {
			t.Errorf("row %d is of %v, not of this organization's people", i, row[3])
		}
		if row[4] != "CCNA 200-301: Network Fundamentals" || row[5] != "Welcome to CCNA and How to Study" {
			t.Errorf("row %d's course and episode are %v, %v; want their titles", i, row[4], row[5])
		}
	}
	// The file is in the bucket, under the organization's prefix.
	client := awss3.NewFromConfig(x.app.AWS, func(o *awss3.Options) { o.UsePathStyle = true })
	key := "orgs/" + x.org.ID + "/exports/" + e.ID + ".xlsx"
	if _, err := client.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: &x.app.Config.ReportsBucket, Key: &key}); err != nil {
		t.Errorf("the workbook is not at %s: %v", key, err)
	}
	got, url, err := x.exports.Get(ctx, x.admin, e.ID)
	if err != nil || got.Status != domain.ExportDone || url == "" {
		t.Errorf("Get = %+v, %q, %v; want done with a download link", got, url, err)
	}
	// Another organization does not see it.
	if _, _, err := x.exports.Get(ctx, principal(otherAdmin), e.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("another organization's Get: %v, want not_found", err)
	}
	if list, err := x.exports.List(ctx, principal(otherAdmin)); err != nil || len(list) != 0 {
		t.Errorf("another organization lists %d exports (%v)", len(list), err)
	}

	// Run again (a duplicated message): nothing more is written.
	again, err := x.run(t, e)
	if err != nil || again.Status != domain.ExportDone || x.writer.calls.Load() != 1 {
		t.Errorf("a second run = %+v, %v after %d writes; want done, written once", again, err, x.writer.calls.Load())
	}
}

// A duplicated message (SQS delivers at least once) arriving while the
// export runs finds it running and leaves it; one arriving after finds it
// done. (The runs are made to overlap rather than started at once: moto,
// unlike DynamoDB, does not make concurrent conditional updates atomic.)
func TestExportRunsOnceWhenDuplicated(t *testing.T) {
	x := newExportsEnv(t)
	ctx := context.Background()
	x.viewings(t, x.org.ID, []domain.User{x.ada}, 2)
	e, err := x.exports.Create(ctx, x.admin, domain.ExportRequest{Kind: domain.ExportViewings})
	if err != nil {
		t.Fatal(err)
	}
	x.writer.started, x.writer.release = make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() { _, err := x.run(t, e); first <- err }()
	<-x.writer.started
	if got, err := x.run(t, e); err != nil || got.Status != domain.ExportRunning {
		t.Errorf("a duplicate during the run: %+v, %v; want it left running", got, err)
	}
	close(x.writer.release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if got, err := x.run(t, e); err != nil || got.Status != domain.ExportDone {
		t.Errorf("a duplicate after the run: %+v, %v; want it done", got, err)
	}
	got, _, err := x.exports.Get(ctx, x.admin, e.ID)
	if err != nil || got.Status != domain.ExportDone || got.Attempts != 1 || x.writer.calls.Load() != 1 {
		t.Errorf("after three runs: %+v (%v), %d writes; want done after one attempt and one write", got, err, x.writer.calls.Load())
	}
}

// A run that fails gives the export back for the queue's retry; after
// MaxExportAttempts it is failed, with a message that says what to do.
func TestExportRetriedThenFailed(t *testing.T) {
	x := newExportsEnv(t)
	ctx := context.Background()
	e, err := x.exports.Create(ctx, x.admin, domain.ExportRequest{Kind: domain.ExportUserActivity, UserID: x.bob.ID})
	if err != nil {
		t.Fatal(err)
	}
	x.writer.failures.Store(1)
	if _, err := x.run(t, e); err == nil {
		t.Fatal("a failed run reported no error, so SQS would not retry it")
	}
	got, _, _ := x.exports.Get(ctx, x.admin, e.ID)
	if got.Status != domain.ExportPending || got.Attempts != 1 {
		t.Errorf("after a failed run: %s after %d attempts, want pending after 1", got.Status, got.Attempts)
	}
	if got, err = x.run(t, e); err != nil || got.Status != domain.ExportDone {
		t.Errorf("the retry: %+v, %v; want done", got, err)
	}
	// A deactivated person's export has their name, even one that looks like a formula.
	if facts := x.writer.reports[0].Facts; facts[0].Value != x.bob.FullName() {
		t.Errorf("the summary names %v, want %q", facts[0].Value, x.bob.FullName())
	}

	f, err := x.exports.Create(ctx, x.admin, domain.ExportRequest{Kind: domain.ExportLogins})
	if err != nil {
		t.Fatal(err)
	}
	x.writer.failures.Store(domain.MaxExportAttempts)
	for i := range domain.MaxExportAttempts {
		got, err = x.run(t, f)
		if (err == nil) != (i == domain.MaxExportAttempts-1) {
			t.Errorf("run %d: %v", i+1, err)
		}
	}
	if got.Status != domain.ExportFailed || got.Error == "" {
		t.Errorf("after %d failed runs: %+v, want failed with a message", domain.MaxExportAttempts, got)
	}
}

// A run that died (no progress for ExportStale) is taken over by the next.
func TestExportTakenOverAfterItsRunDied(t *testing.T) {
	x := newExportsEnv(t)
	ctx := context.Background()
	e, err := x.exports.Create(ctx, x.admin, domain.ExportRequest{Kind: domain.ExportLabs})
	if err != nil {
		t.Fatal(err)
	}
	e.Claim, e.HeartbeatAt, e.StartedAt = "dead-run", x.clock.Now(), x.clock.Now()
	if _, err := x.app.Store.ClaimExport(ctx, e, x.clock.Now().Add(-domain.ExportStale)); err != nil {
		t.Fatal(err)
	}
	if got, err := x.run(t, e); err != nil || got.Status != domain.ExportRunning || x.writer.calls.Load() != 0 {
		t.Errorf("while the other run may be alive: %+v, %v; want it left running", got, err)
	}
	x.clock.Advance(domain.ExportStale + time.Second)
	if got, err := x.run(t, e); err != nil || got.Status != domain.ExportDone || got.Attempts != 2 {
		t.Errorf("after the other run died: %+v, %v; want done on the second attempt", got, err)
	}
}

// A team's export has a row per member with their totals; an assignment's,
// a row per person with where they stand; the organization's assignments,
// every open assignment's people. None holds another organization's people.
func TestExportsOfTeamsAndAssignments(t *testing.T) {
	x := newExportsEnv(t)
	ctx := context.Background()
	created, err := x.app.Services.Teams.Create(ctx, x.admin, domain.NewTeam{Name: "Analysts", UserIDs: []string{x.ada.ID}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := x.app.Services.Modules.Create(ctx, x.admin, domain.ModuleInput{Name: "Networking", ItemIDs: []string{"course-ccna", "lab-vlans"}})
	if err != nil {
		t.Fatal(err)
	}
	as, err := x.app.Services.Assignments.Create(ctx, x.admin, domain.NewAssignment{ModuleID: m.ID, TeamIDs: []string{created.Team.ID}, UserIDs: []string{x.admin.User.ID}, DueOn: "2026-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	_, otherAdmin := x.createOrg(t, "Other Corp", 5)
	x.add(t, person(otherAdmin.OrgID, "Stan", "Stranger", domain.StatusActive))

	tests := []struct {
		give  domain.ExportRequest
		sheet string
		want  [][]any // the first columns of each row
		cols  int
	}{
		{domain.ExportRequest{Kind: domain.ExportTeamActivity, TeamID: created.Team.ID}, "Members",
			[][]any{{"Ada", "Lovelace", x.ada.Email, domain.StatusActive}}, 4},
		{domain.ExportRequest{Kind: domain.ExportAssignmentActivity, AssignmentID: as.Assignment.ID}, "People",
			[][]any{{x.admin.User.FirstName, x.admin.User.LastName}, {"Ada", "Lovelace"}}, 2},
		{domain.ExportRequest{Kind: domain.ExportAssignments}, "People",
			[][]any{{"Networking", as.Assignment.DueOn, x.admin.User.FirstName}, {"Networking", as.Assignment.DueOn, "Ada"}}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.give.Kind, func(t *testing.T) {
			e, err := x.exports.Create(ctx, x.admin, tt.give)
			if err != nil {
				t.Fatal(err)
			}
			done, err := x.run(t, e)
			if err != nil || done.Status != domain.ExportDone {
				t.Fatalf("run: %+v, %v", done, err)
			}
			var got [][]any
			for _, row := range x.writer.rows[tt.sheet] {
				got = append(got, row[:tt.cols])
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s rows (-want +got):\n%s", tt.sheet, diff)
			}
			if done.Rows != len(tt.want) || done.ExpectedRows != len(tt.want) {
				t.Errorf("rows %d, expected %d; want %d", done.Rows, done.ExpectedRows, len(tt.want))
			}
		})
	}
}
