// Command portalctl is the operators' tool: it opens a customer's organization
// with its subscription and first admin, and seeds the demo organization. It
// works on the table named by TABLE_NAME with the standard AWS configuration
// (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL for a local stand-in).
//
//	portalctl create-org -name "Acme Corp" -seats 25 -starts 2026-01-01 -ends 2026-12-31 \
//	    -admin-email it@acme.example -admin-first Ada -admin-last Lovelace
//	portalctl seed [-password ...]
//	portalctl load-catalog catalog/catalog.json
//	portalctl platform create "Learning platform"
//	portalctl platform rotate PLATFORM_ID
//	portalctl replay-activity -org ORG_ID -days 90 -users 100 [-url http://localhost:8080 -key ppk_...]
//	portalctl run-schedules -at 2026-12-07T08:00 [-url http://localhost:8080]
//	portalctl run-reminders -at 2026-12-10T08:00 [-url http://localhost:8080]
//	portalctl index-reminders -org ORG_ID
//	portalctl index-idle -org ORG_ID
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"proportal/internal/app"
	"proportal/internal/domain"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "portalctl:", err)
		}
		os.Exit(2)
	}
}

const usage = `usage:
  portalctl create-org -name NAME -seats N -starts YYYY-MM-DD -ends YYYY-MM-DD
                       -admin-email EMAIL -admin-first FIRST -admin-last LAST [-features courses,labs,...]
  portalctl seed [-password PASSWORD]
  portalctl rebuild-search -org ORG_ID   (after an upgrade that adds search terms)
  portalctl load-catalog FILE            (the platform's catalog, e.g. catalog/catalog.json; run again after changing it)
  portalctl platform create NAME         (a learning platform; prints its key once)
  portalctl platform rotate PLATFORM_ID  (a new key, printed once; the previous one works 24 hours more)
  portalctl replay-activity -org ORG_ID [-days 90] [-users 100] [-seed 1] [-batch 500]
                       [-url BASE_URL -key KEY|$PLATFORM_KEY] [-parallel N]
                                         (generated activity, directly or over HTTP: a load test of ingestion)
  portalctl run-schedules [-at 2026-12-07T08:00] [-url BASE_URL]
                                         (the report schedules due then, as the dispatcher would run them: by
                                         the local server at -url, http://localhost:8080 when TABLE_NAME is not
                                         set, whose /dev/mail then shows the mail; else on TABLE_NAME, queued to
                                         SCHEDULED_REPORTS_QUEUE_URL. -at is RFC 3339, or yyyy-mm-ddThh:mm in UTC)
  portalctl run-reminders [-at 2026-12-10T08:00] [-url http://localhost:8080]
                                         (the hourly reminders job as if it were then: in a local server, so its
                                         mail is in /dev/mail; with TABLE_NAME and no -url, on that table through SES)
  portalctl index-reminders -org ORG_ID  (after the upgrade to reminders: index the open assignments by due day)
  portalctl index-idle -org ORG_ID       (after the upgrade to idle seats: each person's last activity, and the
                                         seat holders indexed by how long they have been idle)

Environment: TABLE_NAME (required), PORTAL_BASE_URL (for the invite link), and
the standard AWS settings (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL).
`

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(errOut, usage)
		return errors.New("name a command")
	}
	switch args[0] {
	case "create-org":
		return createOrg(ctx, args[1:], out, errOut)
	case "seed":
		return seed(ctx, args[1:], out, errOut)
	case "rebuild-search":
		return rebuildSearch(ctx, args[1:], out, errOut)
	case "load-catalog":
		return loadCatalog(ctx, args[1:], out, errOut)
	case "platform":
		return platform(ctx, args[1:], out, errOut)
	case "replay-activity":
		return replayActivity(ctx, args[1:], out, errOut)
	case "run-schedules":
		return runSchedules(ctx, args[1:], out, errOut)
	case "run-reminders":
		return runReminders(ctx, args[1:], out, errOut)
	case "index-reminders":
		return indexReminders(ctx, args[1:], out, errOut)
	case "index-idle":
		return indexIdle(ctx, args[1:], out, errOut)
	case "help", "-h", "--help":
		fmt.Fprint(out, usage)
		return nil
	default:
		fmt.Fprint(errOut, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
}

// rebuildSearch makes the people of an organization findable by every search
// term of this version (after an upgrade that added terms).
func rebuildSearch(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("rebuild-search", flag.ContinueOnError)
	fs.SetOutput(errOut)
	orgID := fs.String("org", "", "the organization's id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := app.New(ctx, nil)
	if err != nil {
		return err
	}
	n, err := a.Operator.RebuildSearch(ctx, *orgID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Search rebuilt for %d people of organization %s.\n", n, *orgID)
	return nil
}

// indexReminders gives an organization's open assignments from before
// reminders their due-day index entries (and the organization its entry
// among those with assignments), so that reminders and digests find them.
func indexReminders(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("index-reminders", flag.ContinueOnError)
	fs.SetOutput(errOut)
	orgID := fs.String("org", "", "the organization's id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *orgID == "" {
		return errors.New("index-reminders needs -org ORG_ID")
	}
	a, err := app.New(ctx, nil)
	if err != nil {
		return err
	}
	n, err := a.Store.IndexAssignmentsDueOn(ctx, *orgID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d open assignments of organization %s indexed by due day.\n", n, *orgID)
	return nil
}

// indexIdle gives an organization's people from before the idle seats their
// last activity (from their activity summary) and the seat holders their
// place among the idle seats. People changed while it runs are left (their
// change indexed them) and counted.
func indexIdle(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("index-idle", flag.ContinueOnError)
	fs.SetOutput(errOut)
	orgID := fs.String("org", "", "the organization's id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *orgID == "" {
		return errors.New("index-idle needs -org ORG_ID")
	}
	a, err := app.New(ctx, nil)
	if err != nil {
		return err
	}
	n, skipped, err := a.Store.IndexIdleSeats(ctx, *orgID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d people of organization %s indexed for idle seats (%d changed meanwhile, left as they are).\n", n, *orgID, skipped)
	return nil
}

// loadCatalog makes the catalog what a catalog file says: new items added,
// changed ones updated, dropped ones retired (modules keep them). The file
// is checked whole before anything is written.
func loadCatalog(ctx context.Context, args []string, out, errOut io.Writer) error {
	if len(args) != 1 {
		fmt.Fprint(errOut, usage)
		return errors.New("load-catalog takes one catalog file, e.g. catalog/catalog.json")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	items, err := domain.ParseCatalog(data)
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], describeCatalog(err))
	}
	a, err := app.New(ctx, nil)
	if err != nil {
		return err
	}
	load, err := a.Operator.LoadCatalog(ctx, items)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Catalog loaded from %s: %d items; %d added, %d updated, %d unchanged, %d retired.\n",
		args[0], len(items), load.Added, load.Updated, load.Unchanged, load.Retired)
	return nil
}

// describeCatalog turns a refused catalog file into one line per place at fault.
func describeCatalog(err error) error {
	e, ok := errors.AsType[*domain.Error](err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	var lines []string
	for field, msg := range e.Fields {
		lines = append(lines, fmt.Sprintf("  %s %s", field, msg))
	}
	sort.Strings(lines)
	return fmt.Errorf("the catalog file is not valid; nothing was loaded:\n%s", strings.Join(lines, "\n"))
}

func createOrg(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("create-org", flag.ContinueOnError)
	fs.SetOutput(errOut)
	var n domain.NewOrganization
	var features string
	fs.StringVar(&n.Name, "name", "", "the organization's name")
	fs.IntVar(&n.Seats, "seats", 0, "seats bought")
	fs.StringVar(&n.StartsOn, "starts", "", "first day of access (YYYY-MM-DD)")
	fs.StringVar(&n.EndsOn, "ends", "", "last day of access (YYYY-MM-DD)")
	fs.StringVar(&features, "features", "", "comma-separated features (default: all of "+strings.Join(domain.AllFeatures, ",")+")")
	fs.StringVar(&n.Admin.Email, "admin-email", "", "the first admin's email")
	fs.StringVar(&n.Admin.FirstName, "admin-first", "", "the first admin's first name")
	fs.StringVar(&n.Admin.LastName, "admin-last", "", "the first admin's last name")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if features != "" {
		n.Features = strings.Split(features, ",")
	}
	a, err := app.New(ctx, nil)
	if err != nil {
		return err
	}
	opened, err := a.Operator.CreateOrganization(ctx, n)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(out, `Created organization %q (%s)
  subscription: %d seats, %s to %s, features %s
  first admin:  %s %s <%s> (%s), invited

Send the admin this one-time link to create a password (valid until %s; shown once):
  %s
`, opened.Organization.Name, opened.Organization.ID,
		opened.Subscription.SeatsTotal, opened.Subscription.StartsOn.Format(domain.DateLayout),
		opened.Subscription.EndsOn.Format(domain.DateLayout), strings.Join(opened.Subscription.Features, ", "),
		opened.Admin.FirstName, opened.Admin.LastName, opened.Admin.Email, opened.Admin.ID,
		opened.InviteEnds.UTC().Format("2006-01-02 15:04 MST"), a.Config.InviteURL(opened.InviteToken))
	return nil
}

func seed(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(errOut)
	pw := fs.String("password", os.Getenv("DEMO_ADMIN_PASSWORD"), "the demo admin's password (default $DEMO_ADMIN_PASSWORD)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pw == "" {
		return errors.New("give the demo admin's password with -password or DEMO_ADMIN_PASSWORD")
	}
	a, err := app.New(ctx, nil)
	if err != nil {
		return err
	}
	demo, err := a.Operator.SeedDemo(ctx, *pw)
	if err != nil {
		return describe(err)
	}
	if !demo.Created {
		fmt.Fprintf(out, "The demo organization %q (%s) exists already; left as it is.\n", demo.Organization.Name, demo.Organization.ID)
		return nil
	}
	fmt.Fprintf(out, "Seeded %q (%s): sign in as %s.\n", demo.Organization.Name, demo.Organization.ID, domain.DemoAdminEmail)
	return nil
}

// describe turns a validation failure into one line per field.
func describe(err error) error {
	e, ok := errors.AsType[*domain.Error](err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	var lines []string
	for field, msg := range e.Fields {
		lines = append(lines, fmt.Sprintf("  -%s %s", flagName(field), msg))
	}
	sort.Strings(lines)
	return fmt.Errorf("%s\n%s", e.Message, strings.Join(lines, "\n"))
}

// flagName maps a domain field to the flag that sets it.
func flagName(field string) string {
	switch field {
	case "startsOn":
		return "starts"
	case "endsOn":
		return "ends"
	case "admin.email":
		return "admin-email"
	case "admin.firstName":
		return "admin-first"
	case "admin.lastName":
		return "admin-last"
	}
	return field
}
