package dynamo

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestAuditEntriesAreOnlyEverPut checks, in the store's source, that nothing
// can change or delete an audit entry: the entries' keys are built only in
// audit.go (the put) and audit_reads.go (the reads), audit.go writes with
// putNew alone (a condition that the key is new, so an entry is never
// overwritten), and audit_reads.go writes nothing. Their expiry is DynamoDB's
// time to live, which no code calls. With no route that writes them (the
// route table's test says so), an entry stays as it was written.
func TestAuditEntriesAreOnlyEverPut(t *testing.T) {
	auditKeys := []string{"auditPK", "auditSK", "auditKey", "auditByActorPK", "auditByTargetPK", "auditByKindPK", "auditSeatsPK"}
	writes := []string{"put", "deleteItem", "update", "updateOne", "run", "transact", "batchWrite", "writeAll",
		"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "keys.go" {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := calledName(call)
			switch {
			case slices.Contains(auditKeys, fn) && name != "audit.go" && name != "audit_reads.go":
				t.Errorf("%s: %s builds an audit entry's key; only audit.go (the put) and audit_reads.go (the reads) may", fset.Position(call.Pos()), fn)
			case name == "audit.go" && slices.Contains(writes, fn):
				t.Errorf("%s: audit.go calls %s; an entry is only ever put with putNew", fset.Position(call.Pos()), fn)
			case name == "audit_reads.go" && (slices.Contains(writes, fn) || fn == "putNew"):
				t.Errorf("%s: audit_reads.go calls %s; the reads write nothing", fset.Position(call.Pos()), fn)
			}
			return true
		})
	}
}

// calledName is the name of the function or method a call calls.
func calledName(call *ast.CallExpr) string {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		return fn.Name
	case *ast.SelectorExpr:
		return fn.Sel.Name
	case *ast.IndexExpr:
		if id, ok := fn.X.(*ast.Ident); ok {
			return id.Name
		}
	}
	return ""
}
