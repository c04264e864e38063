package sam

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/smithy-go/middleware"
	"gopkg.in/yaml.v3"

	"proportal/internal/app"
	"proportal/internal/domain"
	"proportal/internal/excel"
	"proportal/internal/httpapi"
	"proportal/internal/s3"
	"proportal/internal/ses"
	"proportal/internal/testenv"
	"proportal/internal/worker"
)

// grant is one IAM permission: an action on a resource, named as template.yaml
// names it ("Table", "Table/index/gsi1"; "" when any resource will do).
type grant struct {
	Action   string
	Resource string
}

func (g grant) String() string {
	if g.Resource == "" {
		return g.Action
	}
	return g.Action + " on " + g.Resource
}

// iamPrefix is the IAM service prefix of each AWS SDK service the code uses.
var iamPrefix = map[string]string{
	"DynamoDB": "dynamodb",
	"S3":       "s3",
	"SESv2":    "ses",
	"SQS":      "sqs",
}

// recorder notes the IAM permissions the AWS calls made through it need.
type recorder struct {
	table string // the DynamoDB table's logical id in template.yaml
	mu    sync.Mutex
	needs []grant
	err   error
}

func (r *recorder) reset() (needs []grant, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	needs, err = r.needs, r.err
	r.needs, r.err = nil, nil
	return needs, err
}

// addTo puts the recorder into an SDK middleware stack.
func (r *recorder) addTo(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("recordIAM",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			r.record(awsmiddleware.GetServiceID(ctx), middleware.GetOperationName(ctx), in.Parameters)
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

// record works out the permissions of one call. A DynamoDB transaction needs
// the permission of each of its items; a query of an index needs it on the index.
func (r *recorder) record(service, op string, params any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	prefix, ok := iamPrefix[service]
	if !ok {
		r.err = fmt.Errorf("the code calls %s %s; add the service's IAM prefix to iamPrefix in internal/sam", service, op)
		return
	}
	if in, ok := params.(*sesv2.SendEmailInput); ok {
		// SES authorizes a send on the From address's identity: the
		// address's own where it is verified, its domain's where only the
		// domain is. Which one an account has is not the template's to
		// know, so both must be allowed; and on the configuration set the
		// mail names.
		from := aws.ToString(in.FromEmailAddress)
		r.needs = append(r.needs,
			grant{"ses:SendEmail", "ses:identity/" + from},
			grant{"ses:SendEmail", "ses:identity/" + from[strings.LastIndexByte(from, '@')+1:]})
		if in.ConfigurationSetName != nil {
			r.needs = append(r.needs, grant{"ses:SendEmail", "ses:configuration-set/" + *in.ConfigurationSetName})
		}
		return
	}
	if prefix == "s3" {
		// S3's IAM actions are not all named after the calls: a multipart
		// upload and its parts are s3:PutObject.
		switch op {
		case "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload":
			op = "PutObject"
		}
	}
	if prefix != "dynamodb" {
		r.needs = append(r.needs, grant{Action: prefix + ":" + op})
		return
	}
	onTable := func(action string) { r.needs = append(r.needs, grant{"dynamodb:" + action, r.table}) }
	onIndex := func(action string, index *string) {
		if index == nil {
			onTable(action)
			return
		}
		r.needs = append(r.needs, grant{"dynamodb:" + action, r.table + "/index/" + *index})
	}
	switch in := params.(type) {
	case *dynamodb.TransactWriteItemsInput:
		for _, item := range in.TransactItems {
			switch {
			case item.Put != nil:
				onTable("PutItem")
			case item.Update != nil:
				onTable("UpdateItem")
			case item.Delete != nil:
				onTable("DeleteItem")
			case item.ConditionCheck != nil:
				onTable("ConditionCheckItem")
			}
		}
	case *dynamodb.TransactGetItemsInput:
		onTable("GetItem")
	case *dynamodb.QueryInput:
		onIndex("Query", in.IndexName)
	case *dynamodb.ScanInput:
		onIndex("Scan", in.IndexName)
	default:
		onTable(op)
	}
}

// TestPolicies checks least privilege from the other side: each function's
// policy in template.yaml must allow every AWS call its sample event makes,
// on the resources it makes them on (the table, an index, the sending
// identity, the configuration set). Routes that need a session run twice,
// once with a session due for its last-seen update and once with an expired
// one, so that both of the session check's writes are made. Only a function
// whose event sent mail may send mail. Other permissions no run needed are
// only logged: an event shows one path through the code, not all of them.
func TestPolicies(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs every event under its function's policy; make test runs it")
	}
	tpl := loadTemplate(t)
	tables := mapKeys(tpl.resources("AWS::DynamoDB::Table"))
	if len(tables) != 1 {
		t.Fatalf("template.yaml has %d DynamoDB tables, want 1", len(tables))
	}
	rec := &recorder{table: tables[0]}

	// Wired the way a Lambda is (app.LoadConfig reads the environment), with
	// the recorder in the SDK clients.
	awsCfg, _ := testenv.AWSConfig(t)
	awsCfg.APIOptions = append(awsCfg.APIOptions, rec.addTo)
	t.Setenv("TABLE_NAME", testenv.NewTable(t, dynamodb.NewFromConfig(awsCfg)))
	t.Setenv("PORTAL_BASE_URL", "http://localhost:8080")
	t.Setenv("MAIL_FROM", app.DefaultMailFrom)
	t.Setenv("SES_CONFIGURATION_SET", "proportal-test-mail")
	cfg, err := app.LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	testenv.VerifySender(t, awsCfg, cfg.MailFrom)
	a := app.NewWith(cfg, awsCfg, time.Now, ses.FromConfig, slog.New(slog.DiscardHandler))
	// Exports: files in moto's S3; the queue hands messages to nobody (the
	// job's own run is audited below).
	a.UseExports(nilQueue{}, s3.FromConfig(awsCfg, testenv.ReportsBucket(t, awsCfg)), excel.Writer{})
	a.UseSchedules(nilQueue{})
	a.UseImports(nilQueue{}, s3.FromConfig(awsCfg, testenv.ReportsBucket(t, awsCfg)))
	admin := seedDemo(t, a)

	// What the template's names stand for here: Globals give each variable
	// the code reads (MAIL_FROM: !Ref MailFrom) a value, set above.
	values := map[string]string{}
	env := lookup(tpl.root, "Globals", "Function", "Environment", "Variables")
	for _, name := range keys(env) {
		if v := lookup(env, name); v.Tag == "!Ref" {
			values[v.Value] = os.Getenv(name)
		}
	}

	functions := tpl.resources(functionType)
	for _, rt := range httpapi.Routes {
		t.Run(rt.Name, func(t *testing.T) {
			fn := functions[rt.FunctionID()]
			if fn == nil {
				t.Skipf("%s is missing from template.yaml (TestTemplateMatchesRoutes says so)", rt.FunctionID())
			}
			allowed := policyGrants(t, tpl, fn, values)
			sample := readEvent(t, rt)
			now := time.Now()
			sessions := []struct{ lastSeen, expires time.Time }{{now.Add(-2 * time.Minute), now.Add(time.Hour)}}
			if rt.Access != httpapi.Public {
				sessions = append(sessions, struct{ lastSeen, expires time.Time }{now.Add(-2 * time.Hour), now.Add(-time.Minute)})
			}
			au := audit{fn: rt.FunctionID(), event: rt.Dir(), allowed: allowed, used: map[grant]bool{}}
			for _, s := range sessions {
				ev := prepare(t, a, admin, rt, sample)
				if rt.Name == "SetPassword" {
					makeLink(t, a, ev)
				}
				signIn(t, a, admin, s.lastSeen, s.expires)
				rec.reset()
				invoke(t, a, rt, ev)
				needs, err := rec.reset()
				if err != nil {
					t.Fatal(err)
				}
				au.check(t, needs)
			}
			au.finish(t)
		})
	}

	for _, j := range worker.Jobs {
		t.Run(j.Name, func(t *testing.T) {
			fn := functions[j.FunctionID()]
			if fn == nil {
				t.Skipf("%s is missing from template.yaml (TestTemplateMatchesRoutes says so)", j.FunctionID())
			}
			au := audit{fn: j.FunctionID(), event: j.Dir(), allowed: policyGrants(t, tpl, fn, values), used: map[grant]bool{}}
			// Something for the job to do: a session that expired an hour ago.
			signIn(t, a, admin, time.Now().Add(-3*time.Hour), time.Now().Add(-time.Hour))
			rec.reset()
			runJob(t, a, admin, j, func() { rec.reset() })
			needs, err := rec.reset()
			if err != nil {
				t.Fatal(err)
			}
			au.check(t, needs)
			au.finish(t)
		})
	}
}

// audit holds one function's policy against what its event needed.
type audit struct {
	fn, event string
	allowed   []grant
	used      map[grant]bool
	mailed    bool
}

// check fails for each need the policy does not allow.
func (au *audit) check(t *testing.T, needs []grant) {
	t.Helper()
	for _, need := range needs {
		au.mailed = au.mailed || need.Action == "ses:SendEmail"
		g, ok := allows(au.allowed, need)
		if !ok {
			t.Errorf("events/%s.json needs %s, which %s's Policies in template.yaml do not allow", au.event, need, au.fn)
			continue
		}
		au.used[g] = true
	}
}

// finish fails when a function that sent no mail may send mail, and logs the
// other permissions no run needed.
func (au *audit) finish(t *testing.T) {
	t.Helper()
	if !au.mailed && slices.ContainsFunc(au.allowed, func(g grant) bool { return strings.HasPrefix(g.Action, "ses:") }) {
		t.Errorf("%s's Policies allow sending mail, but events/%s.json sent none: only functions that send mail may", au.fn, au.event)
	}
	var unused []string
	for _, g := range au.allowed {
		if !au.used[g] && (au.mailed || !strings.HasPrefix(g.Action, "ses:")) { // mail grants without mail failed above
			unused = append(unused, g.String())
		}
	}
	if len(unused) > 0 {
		sort.Strings(unused)
		t.Logf("%s may also %s; its event did not need that", au.fn, strings.Join(unused, ", "))
	}
}

// allows returns the grant of a policy that covers need.
func allows(policy []grant, need grant) (grant, bool) {
	for _, g := range policy {
		if g.Action != need.Action && g.Action != strings.SplitN(need.Action, ":", 2)[0]+":*" {
			continue
		}
		if need.Resource == "" || g.Resource == "*" {
			return g, true
		}
		if ok, _ := path.Match(g.Resource, need.Resource); ok {
			return g, true
		}
	}
	return grant{}, false
}

// roleOwner is the function whose Policies make fn's role: fn itself, or
// the function whose role it shares (`Role: !GetAtt <Function>Role.Arn`,
// the role SAM makes for that function from its Policies).
func roleOwner(t *testing.T, tpl samTemplate, fn *yaml.Node) *yaml.Node {
	t.Helper()
	role := lookup(fn, "Properties", "Role")
	if role == nil {
		return fn
	}
	name, ok := strings.CutSuffix(role.Value, "Role.Arn")
	owner := tpl.resources(functionType)[name]
	if role.Tag != "!GetAtt" || !ok || owner == nil || lookup(owner, "Properties", "Role") != nil {
		t.Fatalf("Role %s %q is not the role SAM makes for another function of template.yaml (!GetAtt <Function>Role.Arn, of a function with Policies)", role.Tag, role.Value)
	}
	return owner
}

// policyGrants reads a function's Policies. Only inline statements, or a
// !Ref to an AWS::IAM::ManagedPolicy of the template, that allow actions on
// the template's own resources are accepted: an AWS managed policy or a SAM
// policy template would grant more than the code needs, and cannot be checked
// here. values are what the template's names stand for (see resourceRef).
func policyGrants(t *testing.T, tpl samTemplate, fn *yaml.Node, values map[string]string) []grant {
	t.Helper()
	fn = roleOwner(t, tpl, fn)
	var out []grant
	for i, p := range scalars(lookup(fn, "Properties", "Policies")) {
		statements := lookup(p, "Statement")
		if p.Tag == "!Ref" {
			statements = lookup(tpl.resources("AWS::IAM::ManagedPolicy")[p.Value], "Properties", "PolicyDocument", "Statement")
		}
		if statements == nil {
			t.Errorf("Policies[%d] is neither an inline policy with a Statement list nor a !Ref to an AWS::IAM::ManagedPolicy of template.yaml; use one to keep to the least privilege", i)
			continue
		}
		for j, st := range scalars(statements) {
			if effect := scalar(lookup(st, "Effect")); effect != "Allow" {
				t.Errorf("Policies[%d].Statement[%d] has Effect %q; only Allow statements are expected", i, j, effect)
				continue
			}
			var resources []string
			for _, r := range scalars(lookup(st, "Resource")) {
				ref, ok := resourceRef(r, values)
				if !ok {
					t.Errorf("Policies[%d].Statement[%d] has a Resource this test cannot read (%s %q); use !GetAtt X.Arn, !Sub ${X.Arn}/... or !Sub %s... with names Globals' variables !Ref", i, j, r.Tag, r.Value, sesARN)
					continue
				}
				resources = append(resources, ref)
			}
			for _, a := range scalars(lookup(st, "Action")) {
				for _, r := range resources {
					if g := (grant{a.Value, r}); !slices.Contains(out, g) {
						out = append(out, g)
					}
				}
			}
		}
	}
	return out
}

// makeLink makes SetPassword's sample token (which matches no link, see
// wantCode) the invite link of an invited demo learner, so that the run goes
// the whole way: it sets the password, completes the invite and mails the
// notice.
func makeLink(t *testing.T, a *app.App, ev events.APIGatewayV2HTTPRequest) {
	t.Helper()
	var body struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal([]byte(ev.Body), &body); err != nil || !domain.ValidTokenShape(body.Token) {
		t.Fatalf("events/set-password.json has no token of the right shape (%v)", err)
	}
	ctx := context.Background()
	u, err := a.Store.FindUserByEmail(ctx, "learner30@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	if u.Status != domain.StatusInvited {
		t.Fatalf("learner30@demo.test is %s, want invited", u.Status)
	}
	now := time.Now()
	link := domain.OneTimeToken{
		Hash: domain.HashToken(body.Token), Purpose: domain.PurposeInvite, OrgID: u.OrgID, UserID: u.ID,
		CreatedAt: now, ExpiresAt: now.Add(time.Hour),
	}
	after := u
	after.InviteTokenHash = link.Hash
	change := domain.UserChange{Before: u, After: after, PutToken: &link}
	if u.InviteTokenHash != "" {
		change.DropTokens = []string{u.InviteTokenHash}
	}
	if err := a.Store.SaveUser(ctx, change); err != nil {
		t.Fatalf("store the sample invite link: %v", err)
	}
}
