package sam

import (
	"debug/elf"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"proportal/internal/httpapi"
	"proportal/internal/worker"
)

// Size budgets of a bootstrap (arm64, stripped). A DynamoDB-only Go Lambda is
// about 9 MB; each function links only its own action or job, and SES only
// when it sends mail, so growth past these means something links what it
// does not use (docs/architecture.md says how to find what).
//
// The job that writes export workbooks (worker.Job.Files) links excelize and
// S3's upload manager besides: 21.6 MB measured when it was added (an API
// function here is 10–11 MB). It alone has the larger budget, and only it
// may link excelize (internal/architecture checks).
//
// The job that makes and mails scheduled reports (Files and Mail) links the
// SES v2 client besides: 24.2 MB measured when it was added (the SES client
// is some 1.1 MB of code and its tables); it has a budget of its own.
const (
	maxBootstrapBytes          = 12_000_000
	maxMailBootstrapBytes      = 14_000_000
	maxFilesBootstrapBytes     = 23_000_000
	maxMailFilesBootstrapBytes = 25_500_000
)

// lambdaFunction is one function of the template: an API route's or a job's.
type lambdaFunction struct {
	id    string
	mail  bool
	files bool
}

func lambdaFunctions() []lambdaFunction {
	var out []lambdaFunction
	for _, rt := range httpapi.Routes {
		out = append(out, lambdaFunction{rt.FunctionID(), rt.Mail, false})
	}
	for _, j := range worker.Jobs {
		out = append(out, lambdaFunction{j.FunctionID(), j.Mail, j.Files}) // RunImport (CSV, no excelize): the mail budget, 12.2 MB measured
	}
	return out
}

// TestBootstraps builds every function the way sam build does (the Makefile's
// build-<LogicalId> with ARTIFACTS_DIR) and checks that each bootstrap is what
// provided.al2023 on arm64 runs: a static, stripped AArch64 ELF executable,
// within its size budget.
func TestBootstraps(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every Lambda for linux/arm64; skipped in -short mode")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatal("make is not installed: the Makefile's build-<LogicalId> targets build the functions")
	}
	root := repoRoot(t)
	trackBuildInputs(t, root)
	for _, fn := range lambdaFunctions() {
		t.Run(fn.id, func(t *testing.T) {
			t.Parallel()
			artifacts := t.TempDir()
			cmd := exec.Command("make", "-s", "build-"+fn.id, "ARTIFACTS_DIR="+artifacts)
			cmd.Dir = root
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("make build-%s: %v\n%s", fn.id, err, out)
			}
			bootstrap := filepath.Join(artifacts, "bootstrap")
			info, err := os.Stat(bootstrap)
			if err != nil {
				t.Fatalf("make build-%s made no bootstrap: %v", fn.id, err)
			}
			f, err := elf.Open(bootstrap)
			if err != nil {
				t.Fatalf("bootstrap is not an ELF file: %v", err)
			}
			defer f.Close()
			if f.Machine != elf.EM_AARCH64 || f.Class != elf.ELFCLASS64 {
				t.Errorf("bootstrap is for %v %v, want EM_AARCH64 ELFCLASS64 (Architectures: [arm64])", f.Machine, f.Class)
			}
			if f.Type != elf.ET_EXEC {
				t.Errorf("bootstrap's ELF type is %v, want ET_EXEC", f.Type)
			}
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					t.Errorf("bootstrap is dynamically linked (has PT_INTERP); build it with CGO_ENABLED=0")
				}
			}
			if f.Section(".symtab") != nil {
				t.Errorf("bootstrap has a symbol table; build it with -ldflags=-s -w")
			}
			budget := maxBootstrapBytes
			if fn.mail {
				budget = maxMailBootstrapBytes
			}
			if fn.files {
				budget = maxFilesBootstrapBytes
			}
			if fn.files && fn.mail {
				budget = maxMailFilesBootstrapBytes
			}
			if info.Size() > int64(budget) {
				t.Errorf("bootstrap is %.1f MB, over its budget of %.0f MB", float64(info.Size())/1e6, float64(budget)/1e6)
			}
			t.Logf("%s: %.1f MB", fn.id, float64(info.Size())/1e6)
		})
	}
}

// trackBuildInputs stats every file the builds read. go test caches a passing
// result until a file the test process itself opened or stat-ed changes; make
// and go build read the sources in other processes, so without this a broken
// build of a function this package does not import could hide behind a cached
// pass.
func trackBuildInputs(t *testing.T, root string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		switch name := d.Name(); {
		case strings.HasSuffix(name, ".go"), name == "go.mod", name == "go.sum", name == "Makefile":
			_, err := os.Stat(path)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("list the build's inputs: %v", err)
	}
}
