package architecture

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "proportal/"

// rule says which of the project's packages a package may import, and
// whether it may use the AWS SDK (aws-lambda-go's event types are not the SDK).
type rule struct {
	may    []string
	awsSDK bool
}

// rules is docs/architecture.md's picture, floor by floor from the bottom.
// Every package of the project needs a row: a new one makes a choice.
var rules = map[string]rule{
	// The domain: types, rules and services. Nothing of AWS, nothing above it.
	"internal/domain": {may: []string{"internal/password", "catalog"}},
	// The demo catalog, as data: catalog/catalog.json, embedded.
	"catalog":             {},
	"internal/password":   {},
	"internal/lambdaname": {},
	// Adapters: each implements what the domain declares; none knows another.
	"internal/dynamo": {may: []string{"internal/domain"}, awsSDK: true},
	"internal/ses":    {may: []string{"internal/domain"}, awsSDK: true},
	"internal/sqs":    {may: []string{"internal/domain"}, awsSDK: true},
	"internal/s3":     {may: []string{"internal/domain"}, awsSDK: true},
	// The workbook writer: the domain's reports as .xlsx, through excelize
	// (only the RunExport and RunScheduledReport functions link it:
	// TestExcelizeOnlyInTheExportJob).
	"internal/excel": {may: []string{"internal/domain"}},
	// Edges: API Gateway events and job triggers in, domain calls out. They
	// never reach an adapter, and not each other.
	"internal/httpapi": {may: []string{"internal/domain", "internal/lambdaname"}},
	"internal/worker":  {may: []string{"internal/domain", "internal/lambdaname"}},
	// Wiring, once per process. Not SES: a function that sends mail passes
	// the SES mailer in, so the others do not link it.
	"internal/app": {may: []string{"internal/domain", "internal/dynamo", "internal/httpapi", "internal/worker"}, awsSDK: true},
	// The local stand-ins.
	"internal/moto":        {},
	"internal/devmail":     {may: []string{"internal/domain"}},
	"internal/localserver": {may: []string{"internal/httpapi", "internal/worker", "internal/devmail"}},
	// Test-only packages.
	"internal/testenv":      {may: []string{"*"}, awsSDK: true},
	"internal/e2e":          {may: []string{"*"}, awsSDK: true},
	"internal/sam":          {may: []string{"*"}, awsSDK: true},
	"internal/architecture": {},
	// Programs.
	"cmd/local":     {may: []string{"*"}, awsSDK: true},
	"cmd/portalctl": {may: []string{"*"}, awsSDK: true},
}

// functionMay is what a functions/<name>/main.go may import: the wiring, its
// one edge, SES when it sends mail, SQS when it hands work to a job, S3 when
// it hands out or writes export files, and the workbook writer (the export
// job alone).
var functionMay = []string{"internal/app", "internal/httpapi", "internal/worker", "internal/ses", "internal/sqs", "internal/s3", "internal/excel"}

// excelizeMay are the packages that may link excelize: the writer, the two
// functions that write workbooks (exports and scheduled reports), and
// programs and tests.
var excelizeMay = []string{"internal/excel", "functions/run-export", "functions/run-scheduled-report", "cmd/", "internal/testenv", "internal/e2e", "internal/sam"}

// TestExcelizeOnlyInTheExportJob keeps excelize (some 3 MB) out of every
// function but the one that writes workbooks.
func TestExcelizeOnlyInTheExportJob(t *testing.T) {
	out := goList(t, "{{.ImportPath}}:{{range .Deps}} {{.}}{{end}}")
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, ":")
		pkg = strings.TrimPrefix(pkg, module)
		if !strings.Contains(deps, "github.com/xuri/excelize") {
			continue
		}
		if !slices.ContainsFunc(excelizeMay, func(p string) bool { return pkg == p || strings.HasSuffix(p, "/") && strings.HasPrefix(pkg, p) }) {
			t.Errorf("%s links excelize; only %v may", pkg, excelizeMay)
		}
	}
}

// goList lists the project's packages in format. Only its standard output is
// read: go list warns on standard error (e.g. of a symlinked web/node_modules
// in a worktree) and those lines are no packages.
func goList(t *testing.T, format string) []byte {
	t.Helper()
	var stderr strings.Builder
	cmd := exec.Command("go", "list", "-f", format, module+"...")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	return out
}

func TestImportRules(t *testing.T) {
	out := goList(t, "{{.ImportPath}}:{{range .Imports}} {{.}}{{end}}")
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		pkg = strings.TrimPrefix(pkg, module)
		r, ok := rules[pkg]
		if strings.HasPrefix(pkg, "functions/") {
			r, ok = rule{may: functionMay}, true
		}
		if !ok {
			t.Errorf("%s has no row in the import rules: add it to internal/architecture and docs/architecture.md", pkg)
			continue
		}
		seen++
		for _, imp := range strings.Fields(imports) {
			switch {
			case strings.HasPrefix(imp, module):
				dep := strings.TrimPrefix(imp, module)
				if !slices.Contains(r.may, "*") && !slices.Contains(r.may, dep) {
					t.Errorf("%s imports %s, which docs/architecture.md does not allow", pkg, dep)
				}
			case strings.HasPrefix(imp, "github.com/aws/aws-sdk-go-v2") || strings.HasPrefix(imp, "github.com/aws/smithy-go"):
				if !r.awsSDK {
					t.Errorf("%s imports %s: only adapters and the wiring use the AWS SDK", pkg, imp)
				}
			}
		}
	}
	if seen < len(rules)/2 {
		t.Fatalf("go list named only %d of the project's packages:\n%s", seen, out)
	}
}

// The rules catch what they are for: a domain that imported the store, or an
// edge that reached for the SDK, would be reported.
func TestRulesRefuse(t *testing.T) {
	if slices.Contains(rules["internal/domain"].may, "internal/dynamo") || rules["internal/domain"].awsSDK {
		t.Error("the domain may import the store or the AWS SDK")
	}
	if rules["internal/httpapi"].awsSDK || slices.Contains(rules["internal/httpapi"].may, "internal/dynamo") {
		t.Error("the HTTP edge may reach the store")
	}
	if slices.Contains(rules["internal/app"].may, "internal/ses") {
		t.Error("the wiring may import SES, which every function would then link")
	}
}
