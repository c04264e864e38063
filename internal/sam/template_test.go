package sam

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"proportal/internal/dynamo"
	"proportal/internal/httpapi"
	"proportal/internal/worker"
)

const functionType = "AWS::Serverless::Function"

// TestTemplateMatchesRoutes checks that every route and every job has its
// function in template.yaml, its code under functions/ and its sample event
// under events/, and that nothing else is there. (TestTemplateMatchesJobs
// checks each job's trigger.)
func TestTemplateMatchesRoutes(t *testing.T) {
	tpl := loadTemplate(t)
	root := repoRoot(t)
	functions := tpl.resources(functionType)

	t.Run("one function per route and per job", func(t *testing.T) {
		var want []string
		for _, rt := range httpapi.Routes {
			want = append(want, rt.FunctionID())
		}
		for _, j := range worker.Jobs {
			want = append(want, j.FunctionID())
		}
		sort.Strings(want)
		got := mapKeys(functions)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s resources in template.yaml differ from httpapi.Routes and worker.Jobs (-want +got):\n%s", functionType, diff)
		}
	})

	for _, rt := range httpapi.Routes {
		t.Run(rt.FunctionID(), func(t *testing.T) {
			fn := functions[rt.FunctionID()]
			if fn == nil {
				t.Skipf("%s is missing from template.yaml (reported above)", rt.FunctionID())
			}
			if got := scalar(lookup(fn, "Metadata", "BuildMethod")); got != "makefile" {
				t.Errorf("Metadata.BuildMethod = %q, want makefile (the Makefile's build-%s builds it)", got, rt.FunctionID())
			}
			if got := scalar(lookup(fn, "Properties", "CodeUri")); got != "." {
				t.Errorf("Properties.CodeUri = %q, want . (the Makefile builds from the repository root)", got)
			}
			events := lookup(fn, "Properties", "Events")
			var apiEvents []*yaml.Node
			for _, name := range keys(events) {
				if ev := lookup(events, name); scalar(lookup(ev, "Type")) == "HttpApi" {
					apiEvents = append(apiEvents, lookup(ev, "Properties"))
				}
			}
			if len(apiEvents) != 1 {
				t.Fatalf("has %d HttpApi events, want 1", len(apiEvents))
			}
			ev := apiEvents[0]
			if api := lookup(ev, "ApiId"); api == nil || api.Tag != "!Ref" || api.Value != "HttpApi" {
				t.Errorf("HttpApi event's ApiId is not !Ref HttpApi")
			}
			method, path := lookup(ev, "Method"), lookup(ev, "Path")
			if rt.Path == httpapi.DefaultPath {
				if method != nil || path != nil {
					t.Errorf("the %s route's event has Method or Path; without them it is the API's $default route", rt.Name)
				}
				return
			}
			if got := scalar(method); got != rt.Method {
				t.Errorf("HttpApi event Method = %q, want %q", got, rt.Method)
			}
			if got := scalar(path); got != rt.Path {
				t.Errorf("HttpApi event Path = %q, want %q", got, rt.Path)
			}
		})
	}

	t.Run("functions folder", func(t *testing.T) {
		var want []string
		for _, rt := range httpapi.Routes {
			want = append(want, rt.Dir())
		}
		for _, j := range worker.Jobs {
			want = append(want, j.Dir())
		}
		sort.Strings(want)
		got := dirEntries(t, filepath.Join(root, "functions"), true)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("folders under functions/ differ from httpapi.Routes' and worker.Jobs' Dir() (-want +got):\n%s", diff)
		}
		for _, j := range worker.Jobs {
			file := filepath.Join("functions", j.Dir(), "main.go")
			src, err := os.ReadFile(filepath.Join(root, file))
			if err != nil {
				continue // reported by the diff above
			}
			mailer := "nil"
			if j.Mail {
				mailer = "ses.FromConfig"
			}
			call := fmt.Sprintf("app.RunJob(worker.%s, %s)", j.Name, mailer)
			if j.Enqueue {
				// Only jobs that hand work to a queued job link SQS.
				call = fmt.Sprintf("app.RunJob(worker.%s, %s, sqs.FromConfig)", j.Name, mailer)
			}
			switch {
			case j.CSV:
				// The import job writes CSV result files: S3 and SES, no excelize.
				call = fmt.Sprintf("app.RunImportJob(worker.%s, s3.FromConfig, ses.FromConfig)", j.Name)
			case j.Files && j.Mail:
				// The job that makes and mails scheduled reports links SES too.
				call = fmt.Sprintf("app.RunReportJob(worker.%s, s3.FromConfig, excel.Writer{}, ses.FromConfig)", j.Name)
			case j.Files:
				// Only the jobs that write workbooks link S3 and excelize.
				call = fmt.Sprintf("app.RunJobWithFiles(worker.%s, s3.FromConfig, excel.Writer{})", j.Name)
			}
			if !strings.Contains(string(src), call) {
				t.Errorf("%s does not call %s", file, call)
			}
		}
		for _, rt := range httpapi.Routes {
			file := filepath.Join("functions", rt.Dir(), "main.go")
			src, err := os.ReadFile(filepath.Join(root, file))
			if err != nil {
				continue // reported by the diff above
			}
			// Only routes that send mail link SES.
			mailer := "nil"
			if rt.Mail {
				mailer = "ses.FromConfig"
			}
			// Only routes that hand work to a job link SQS.
			call := fmt.Sprintf("app.RunLambda(httpapi.%s, %s)", rt.Name, mailer)
			if rt.Queue {
				call = fmt.Sprintf("app.RunLambda(httpapi.%s, %s, sqs.FromConfig)", rt.Name, mailer)
			}
			// Only routes that hand out export files link S3.
			if rt.Files {
				call = fmt.Sprintf("app.RunLambdaWithFiles(httpapi.%s, s3.FromConfig)", rt.Name)
			}
			if !strings.Contains(string(src), call) {
				t.Errorf("%s does not call %s", file, call)
			}
		}
	})

	t.Run("events folder", func(t *testing.T) {
		want := []string{"README.md", "env.json"}
		for _, rt := range httpapi.Routes {
			want = append(want, rt.Dir()+".json")
		}
		for _, j := range worker.Jobs {
			want = append(want, j.Dir()+".json")
		}
		sort.Strings(want)
		got := dirEntries(t, filepath.Join(root, "events"), false)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("files in events/ differ from one <Dir>.json per route and job plus README.md and env.json (-want +got):\n%s", diff)
		}
	})
}

// tableShape is what must agree between the template's table and the code's.
type tableShape struct {
	BillingMode string
	Attributes  []string // "name type", sorted
	KeySchema   []string // "name HASH|RANGE", in order
	Indexes     []indexShape
}

type indexShape struct {
	Name       string
	KeySchema  []string
	Projection string
}

// cfnTable is the part of an AWS::DynamoDB::Table's properties the tests read.
type cfnTable struct {
	BillingMode          string         `yaml:"BillingMode"`
	AttributeDefinitions []cfnAttribute `yaml:"AttributeDefinitions"`
	KeySchema            []cfnKey       `yaml:"KeySchema"`
	GSIs                 []cfnIndex     `yaml:"GlobalSecondaryIndexes"`
	TTL                  cfnTTL         `yaml:"TimeToLiveSpecification"`
	PITR                 cfnPITR        `yaml:"PointInTimeRecoverySpecification"`
	DeletionProtection   bool           `yaml:"DeletionProtectionEnabled"`
	SSE                  cfnSSE         `yaml:"SSESpecification"`
}

type cfnAttribute struct {
	AttributeName string `yaml:"AttributeName"`
	AttributeType string `yaml:"AttributeType"`
}

type cfnKey struct {
	AttributeName string `yaml:"AttributeName"`
	KeyType       string `yaml:"KeyType"`
}

type cfnIndex struct {
	IndexName  string   `yaml:"IndexName"`
	KeySchema  []cfnKey `yaml:"KeySchema"`
	Projection struct {
		ProjectionType string `yaml:"ProjectionType"`
	} `yaml:"Projection"`
}

type cfnTTL struct {
	AttributeName string `yaml:"AttributeName"`
	Enabled       bool   `yaml:"Enabled"`
}

type cfnPITR struct {
	Enabled bool `yaml:"PointInTimeRecoveryEnabled"`
}

type cfnSSE struct {
	Enabled bool `yaml:"SSEEnabled"`
}

// TestTableMatchesCode checks that the table AWS gets is the table the code
// creates locally and in tests, and that it is protected.
func TestTableMatchesCode(t *testing.T) {
	tables := loadTemplate(t).resources("AWS::DynamoDB::Table")
	if len(tables) != 1 {
		t.Fatalf("template.yaml has %d AWS::DynamoDB::Table resources, want 1: %v", len(tables), mapKeys(tables))
	}
	id := mapKeys(tables)[0]
	res := tables[id]
	var got cfnTable
	if err := lookup(res, "Properties").Decode(&got); err != nil {
		t.Fatalf("decode %s's properties: %v", id, err)
	}

	code := dynamo.TableDefinition("t")
	want := tableShape{BillingMode: string(code.BillingMode)}
	for _, a := range code.AttributeDefinitions {
		want.Attributes = append(want.Attributes, aws.ToString(a.AttributeName)+" "+string(a.AttributeType))
	}
	for _, k := range code.KeySchema {
		want.KeySchema = append(want.KeySchema, aws.ToString(k.AttributeName)+" "+string(k.KeyType))
	}
	for _, g := range code.GlobalSecondaryIndexes {
		ix := indexShape{Name: aws.ToString(g.IndexName), Projection: string(g.Projection.ProjectionType)}
		for _, k := range g.KeySchema {
			ix.KeySchema = append(ix.KeySchema, aws.ToString(k.AttributeName)+" "+string(k.KeyType))
		}
		want.Indexes = append(want.Indexes, ix)
	}

	have := tableShape{BillingMode: got.BillingMode}
	for _, a := range got.AttributeDefinitions {
		have.Attributes = append(have.Attributes, a.AttributeName+" "+a.AttributeType)
	}
	for _, k := range got.KeySchema {
		have.KeySchema = append(have.KeySchema, k.AttributeName+" "+k.KeyType)
	}
	for _, g := range got.GSIs {
		ix := indexShape{Name: g.IndexName, Projection: g.Projection.ProjectionType}
		for _, k := range g.KeySchema {
			ix.KeySchema = append(ix.KeySchema, k.AttributeName+" "+k.KeyType)
		}
		have.Indexes = append(have.Indexes, ix)
	}
	for _, s := range []*tableShape{&want, &have} {
		sort.Strings(s.Attributes)
		slices.SortFunc(s.Indexes, func(a, b indexShape) int { return strings.Compare(a.Name, b.Name) })
	}
	if diff := cmp.Diff(want, have); diff != "" {
		t.Errorf("%s in template.yaml differs from dynamo.TableDefinition (-code +template):\n%s", id, diff)
	}

	if got.TTL.AttributeName != dynamo.TTLAttribute || !got.TTL.Enabled {
		t.Errorf("%s's TimeToLiveSpecification = %+v, want attribute %q enabled", id, got.TTL, dynamo.TTLAttribute)
	}
	if !got.PITR.Enabled {
		t.Errorf("%s has no point-in-time recovery", id)
	}
	if !got.DeletionProtection {
		t.Errorf("%s has no deletion protection", id)
	}
	if !got.SSE.Enabled {
		t.Errorf("%s's SSESpecification.SSEEnabled is not true", id)
	}
	for _, policy := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
		if got := scalar(lookup(res, policy)); got != "Retain" {
			t.Errorf("%s's %s = %q, want Retain: the data outlives the stack", id, policy, got)
		}
	}
}

// TestLocalEnvVars checks events/env.json, which sam local reads: SAM only
// overrides environment variables the template declares, and silently drops
// the others.
func TestLocalEnvVars(t *testing.T) {
	tpl := loadTemplate(t)
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "events", "env.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]map[string]string
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatalf("events/env.json is not an object of objects of strings: %v", err)
	}
	global := keys(lookup(tpl.root, "Globals", "Function", "Environment", "Variables"))
	functions := tpl.resources(functionType)
	for scope, vars := range file {
		declared := global
		if scope != "Parameters" {
			fn, ok := functions[scope]
			if !ok {
				t.Errorf("events/env.json has variables for %q, which is not a function of template.yaml", scope)
				continue
			}
			declared = append(slices.Clone(global), keys(lookup(fn, "Properties", "Environment", "Variables"))...)
		}
		for name := range vars {
			if !slices.Contains(declared, name) {
				t.Errorf("events/env.json sets %s for %s, but template.yaml does not declare it, so sam local ignores it", name, scope)
			}
		}
	}
}

// TestCfnLint runs cfn-lint on template.yaml: errors and warnings both fail.
func TestCfnLint(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs cfn-lint on template.yaml; make test runs it")
	}
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Fatal(`cfn-lint is not installed: pip install "cfn-lint==1.51.*" (it also checks the SAM transform)`)
	}
	cmd := exec.Command(bin, "template.yaml")
	cmd.Dir = repoRoot(t)
	out, err := cmd.CombinedOutput()
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
		t.Fatalf("cfn-lint template.yaml exited %d:\n%s", exit.ExitCode(), out)
	}
	if err != nil {
		t.Fatalf("run cfn-lint: %v", err)
	}
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// dirEntries lists a folder's folders (dirs) or files (!dirs), sorted.
func dirEntries(t *testing.T, dir string, dirs bool) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() == dirs {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}
