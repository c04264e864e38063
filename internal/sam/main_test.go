package sam

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"proportal/internal/testenv"
)

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m))
}

// repoRoot is the folder that holds go.mod, found by walking up from the
// package's folder (where go test runs).
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// samTemplate is template.yaml as a YAML tree: yaml.Node keeps the
// CloudFormation tags (!Ref, !GetAtt, !Sub) that decoding into Go values loses.
type samTemplate struct {
	root *yaml.Node
}

func loadTemplate(t *testing.T) samTemplate {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("template.yaml is not YAML: %v", err)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		t.Fatal("template.yaml is not a mapping")
	}
	return samTemplate{root: doc.Content[0]}
}

// resources returns the template's resources of a type by logical id.
func (tpl samTemplate) resources(typ string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	res := lookup(tpl.root, "Resources")
	if res == nil {
		return out
	}
	for i := 0; i+1 < len(res.Content); i += 2 {
		if r := res.Content[i+1]; scalar(lookup(r, "Type")) == typ {
			out[res.Content[i].Value] = r
		}
	}
	return out
}

// lookup follows a path of keys through mappings; nil when one is missing.
func lookup(n *yaml.Node, path ...string) *yaml.Node {
	for _, key := range path {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
				break
			}
		}
		n = next
	}
	return n
}

// scalar is a scalar node's value, "" for anything else.
func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// scalars is a scalar or a sequence of scalars as a list.
func scalars(n *yaml.Node) []*yaml.Node {
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.SequenceNode:
		return n.Content
	default:
		return []*yaml.Node{n}
	}
}

// keys returns a mapping's keys, sorted.
func keys(n *yaml.Node) []string {
	var out []string
	if n != nil && n.Kind == yaml.MappingNode {
		for i := 0; i < len(n.Content); i += 2 {
			out = append(out, n.Content[i].Value)
		}
	}
	sort.Strings(out)
	return out
}

var arnRef = regexp.MustCompile(`^\$\{([A-Za-z0-9]+)\.Arn\}(.*)$`)

// sesARN is how template.yaml begins the ARN of an SES resource.
const sesARN = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:"

var subVariable = regexp.MustCompile(`\$\{([A-Za-z0-9]+)\}`)

// resourceRef names what a policy's Resource entry points at: "Table" for
// !GetAtt Table.Arn, "Table/index/*" for !Sub ${Table.Arn}/index/*, "*" for
// "*", and "ses:identity/a@b.example" for !Sub <sesARN>identity/${MailFrom},
// where values gives the template's names (parameters, resources) their
// values, and a !Sub's own variables may use !Ref, !Select and !Split; ok is
// false for anything else.
func resourceRef(n *yaml.Node, values map[string]string) (ref string, ok bool) {
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!GetAtt":
		id, attr, found := strings.Cut(n.Value, ".")
		return id, found && attr == "Arn"
	case n.Kind == yaml.SequenceNode && n.Tag == "!GetAtt" && len(n.Content) == 2:
		return n.Content[0].Value, n.Content[1].Value == "Arn"
	case n.Kind == yaml.ScalarNode && n.Tag == "!Sub":
		return subRef(n.Value, values)
	case n.Kind == yaml.SequenceNode && n.Tag == "!Sub" && len(n.Content) == 2 && n.Content[1].Kind == yaml.MappingNode:
		vars := maps.Clone(values)
		m := n.Content[1]
		for i := 0; i+1 < len(m.Content); i += 2 {
			v, ok := evaluate(m.Content[i+1], values)
			if !ok {
				return "", false
			}
			vars[m.Content[i].Value] = v
		}
		return subRef(n.Content[0].Value, vars)
	case n.Kind == yaml.ScalarNode && n.Value == "*":
		return "*", true
	}
	return "", false
}

// subRef names the resource of a !Sub string (see resourceRef).
func subRef(s string, values map[string]string) (string, bool) {
	if m := arnRef.FindStringSubmatch(s); m != nil {
		return m[1] + m[2], true
	}
	rest, found := strings.CutPrefix(s, sesARN)
	if !found {
		return "", false
	}
	ok := true
	rest = subVariable.ReplaceAllStringFunc(rest, func(v string) string {
		value, known := values[v[2:len(v)-1]]
		ok = ok && known
		return value
	})
	return "ses:" + rest, ok
}

// evaluate works out a string the template builds with !Ref, !Select and
// !Split, with values for the names !Ref takes.
func evaluate(n *yaml.Node, values map[string]string) (string, bool) {
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!!str":
		return n.Value, true
	case n.Kind == yaml.ScalarNode && n.Tag == "!Ref":
		v, ok := values[n.Value]
		return v, ok
	case n.Kind == yaml.SequenceNode && n.Tag == "!Select" && len(n.Content) == 2:
		i, err := strconv.Atoi(n.Content[0].Value)
		split := n.Content[1]
		if err != nil || split.Tag != "!Split" || len(split.Content) != 2 {
			return "", false
		}
		sep, ok1 := evaluate(split.Content[0], values)
		s, ok2 := evaluate(split.Content[1], values)
		parts := strings.Split(s, sep)
		if !ok1 || !ok2 || i < 0 || i >= len(parts) {
			return "", false
		}
		return parts[i], true
	}
	return "", false
}
