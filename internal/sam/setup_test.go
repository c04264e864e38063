package sam

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// machine is a PATH of stub programs for scripts/setup: each records its
// calls; apt-get and pip "install" by adding the program they install.
type machine struct {
	bin, calls string
}

// Stubs that stand for the programs scripts/setup looks for or runs.
const (
	stubPresent = `exit 0`
	stubNode    = `echo v20.20.2`
	stubApt     = `if [ "$1" = install ]; then printf '#!/bin/sh\n' > "$BIN/chromium"; /bin/chmod +x "$BIN/chromium"; fi`
	stubPython  = `case "$*" in
*"moto[server]"*) printf '#!/bin/sh\n' > "$BIN/moto_server"; /bin/chmod +x "$BIN/moto_server" ;;
*cfn-lint*) printf '#!/bin/sh\n' > "$BIN/cfn-lint"; /bin/chmod +x "$BIN/cfn-lint" ;;
esac`
	stubUser = `echo 1000`
	stubRoot = `echo 0`
)

// newMachine makes a machine with these programs (name: the stub's body).
func newMachine(t *testing.T, programs map[string]string) *machine {
	t.Helper()
	dir := t.TempDir()
	m := &machine{bin: filepath.Join(dir, "bin"), calls: filepath.Join(dir, "calls")}
	if err := os.Mkdir(m.bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range programs {
		script := "#!/bin/sh\necho \"" + name + " $*\" >> \"$CALLS\"\n" + body + "\n"
		if err := os.WriteFile(filepath.Join(m.bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// setup runs scripts/setup with args on the machine and returns what it
// printed, its exit code and the programs it called.
func (m *machine) setup(t *testing.T, args ...string) (out string, code int, calls string) {
	t.Helper()
	return m.setupWith(t, nil, args...)
}

// setupWith is setup with more environment variables ("NAME=value").
func (m *machine) setupWith(t *testing.T, env []string, args ...string) (out string, code int, calls string) {
	t.Helper()
	cmd := exec.Command("/bin/bash", append([]string{filepath.Join(repoRoot(t), "scripts", "setup")}, args...)...)
	cmd.Env = append([]string{"PATH=" + m.bin, "CALLS=" + m.calls, "BIN=" + m.bin, "HOME=" + filepath.Dir(m.bin)}, env...)
	b, err := cmd.CombinedOutput()
	if exit, ok := errors.AsType[*exec.ExitError](err); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("run scripts/setup: %v", err)
	}
	recorded, _ := os.ReadFile(m.calls)
	return string(b), code, string(recorded)
}

// everything is a machine with all that make test needs.
func everything(except ...string) map[string]string {
	programs := map[string]string{
		"go": stubPresent, "node": stubNode, "npm": stubPresent, "moto_server": stubPresent,
		"cfn-lint": stubPresent, "chromium": stubPresent, "python3": stubPython,
		"apt-get": stubApt, "id": stubRoot,
	}
	for _, name := range except {
		delete(programs, name)
	}
	return programs
}

// with is programs with some replaced or added.
func with(programs map[string]string, more map[string]string) map[string]string {
	for k, v := range more {
		programs[k] = v
	}
	return programs
}

// The README's two commands set the machine up themselves: what is there is
// left alone, with no installer run.
func TestSetupWithEverythingThereInstallsNothing(t *testing.T) {
	for _, target := range []string{"run", "test"} {
		m := newMachine(t, everything())
		out, code, calls := m.setup(t, target)
		if code != 0 {
			t.Errorf("setup %s = %d, want 0:\n%s", target, code, out)
		}
		if strings.Contains(calls, "apt-get") || strings.Contains(calls, "python3") {
			t.Errorf("setup %s ran an installer with everything there:\n%s", target, calls)
		}
	}
}

// In check mode, each missing tool is named with the exact command that
// installs it, and nothing is installed.
func TestSetupCheckNamesTheInstallCommands(t *testing.T) {
	tests := []struct {
		name     string
		give     map[string]string
		target   string
		wantCode int
		want     []string
	}{
		{
			name:     "not root",
			give:     with(everything("chromium", "moto_server", "cfn-lint"), map[string]string{"id": stubUser}),
			target:   "test",
			wantCode: 1,
			want:     []string{"run: sudo apt-get install -y chromium", `python3 -m pip install "moto[server]==5.*"`, `python3 -m pip install "cfn-lint==1.*"`},
		},
		{
			name:     "root",
			give:     everything("chromium"),
			target:   "test",
			wantCode: 1,
			want:     []string{"apt-get install -y chromium"},
		},
		{
			name:     "no apt-get",
			give:     everything("chromium", "apt-get"),
			target:   "test",
			wantCode: 1,
			want:     []string{"CHROMIUM=/path/to/chromium make test"},
		},
		{
			name:     "no pip",
			give:     everything("moto_server", "python3"),
			target:   "run",
			wantCode: 1,
			want:     []string{`install Python 3 with pip, then run: python3 -m pip install "moto[server]==5.*"`},
		},
		{
			name:     "node too old",
			give:     with(everything(), map[string]string{"node": `echo v20.18.1`}),
			target:   "test",
			wantCode: 1,
			want:     []string{"Node.js 20.19 or later with npm (found: v20.18.1)"},
		},
		{
			name:     "no node",
			give:     everything("node"),
			target:   "run",
			wantCode: 1,
			want:     []string{"Node.js 20.19 or later with npm (found: none)"},
		},
		{
			name:     "make run needs neither Chromium nor cfn-lint",
			give:     with(everything("chromium", "cfn-lint"), map[string]string{"id": stubUser}),
			target:   "run",
			wantCode: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMachine(t, tt.give)
			out, code, calls := m.setup(t, "--check", tt.target)
			if code != tt.wantCode {
				t.Errorf("setup --check %s = %d, want %d:\n%s", tt.target, code, tt.wantCode, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("setup --check %s does not say %q:\n%s", tt.target, w, out)
				}
			}
			if strings.Contains(calls, "apt-get") || strings.Contains(calls, "pip install") {
				t.Errorf("setup --check installed something:\n%s", calls)
			}
		})
	}
}

// make run uses the endpoint it is given instead of moto; the tests still need moto.
func TestSetupRunWithAnEndpointNeedsNoMoto(t *testing.T) {
	m := newMachine(t, everything("moto_server"))
	endpoint := []string{"AWS_ENDPOINT_URL=http://localhost:4566"}
	if out, code, _ := m.setupWith(t, endpoint, "--check", "run"); code != 0 {
		t.Errorf("setup --check run with AWS_ENDPOINT_URL = %d, want 0:\n%s", code, out)
	}
	if out, code, _ := m.setupWith(t, endpoint, "--check", "test"); code == 0 || !strings.Contains(out, "moto[server]") {
		t.Errorf("setup --check test with AWS_ENDPOINT_URL = %d, want moto named:\n%s", code, out)
	}
}

// As root with apt-get and pip, what is missing is installed.
func TestSetupInstallsWhatIsMissing(t *testing.T) {
	m := newMachine(t, everything("chromium", "moto_server", "cfn-lint"))
	out, code, calls := m.setup(t, "test")
	if code != 0 {
		t.Fatalf("setup test = %d, want 0:\n%s", code, out)
	}
	for _, want := range []string{
		"apt-get install -y -qq chromium",
		`python3 -m pip install moto[server]==5.* --quiet`,
		`python3 -m pip install cfn-lint==1.* --quiet`,
	} {
		if !strings.Contains(calls, want) {
			t.Errorf("setup test did not run %q; it ran:\n%s", want, calls)
		}
	}
}

// What cannot be installed here stops setup before it installs anything, with
// the command the person has to run.
func TestSetupStopsAtOnceWhenItCannotInstall(t *testing.T) {
	m := newMachine(t, with(everything("chromium", "moto_server"), map[string]string{"id": stubUser}))
	out, code, calls := m.setup(t, "test")
	if code == 0 || !strings.Contains(out, "run: sudo apt-get install -y chromium") {
		t.Errorf("setup test = %d, want a failure naming sudo apt-get install -y chromium:\n%s", code, out)
	}
	if strings.Contains(calls, "apt-get") || strings.Contains(calls, "pip install") {
		t.Errorf("setup test installed something although it had to stop:\n%s", calls)
	}
}

// make run and make test set up first; CI only runs make test.
func TestMakefileSetsUpFirst(t *testing.T) {
	root := repoRoot(t)
	for _, target := range []string{"run", "test"} {
		cmd := exec.Command("make", "-n", "--no-print-directory", target)
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("make -n %s: %v", target, err)
		}
		if first, _, _ := strings.Cut(string(out), "\n"); first != "scripts/setup "+target {
			t.Errorf("make %s starts with %q, want scripts/setup %s", target, first, target)
		}
	}
	ci, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	for _, installer := range []string{"apt-get", "pip install", "node "} {
		if strings.Contains(string(ci), installer) {
			t.Errorf(".ci/run mentions %s: the set-up belongs to scripts/setup, which make test runs", installer)
		}
	}
}
