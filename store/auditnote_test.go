package store_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// unaudited are the store's writes that take no audit note, and why.
var unaudited = map[string]string{
	"TakeSignIn":        "sign-in throttle: the use case audits the attempt itself",
	"ReleaseSignIn":     "sign-in throttle",
	"Audit":             "writes an entry itself",
	"PurgeAudit":        "writes its own audit.purge entry",
	"SaveLedgerMapping": "a remembered column mapping",
	"AckOutbox":         "sync bookkeeping",
	"ForgetUnreceived":  "sync bookkeeping",
	"RestampOutbox":     "sync bookkeeping",
	"SetSyncState":      "sync bookkeeping",
	"StartRecording":    "sync bookkeeping",
	"BeginFirstPull":    "sync bookkeeping: drops indexes a first pull rebuilds",
	"FinishFirstPull":   "sync bookkeeping: rebuilds what BeginFirstPull dropped",
	"Analyze":           "planner statistics",
	"CopyTo":            "a copy for a backup, audited by the use case",
	"Close":             "closes the connections",
}

// TestEveryWriteTakesItsAuditNote: an exported store method that opens a
// write transaction takes an AuditNote (so it cannot be called without
// one) unless it is listed in unaudited; a new write must choose.
func TestEveryWriteTakesItsAuditNote(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	seen := map[string]bool{}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Body == nil || !fn.Name.IsExported() || !onStore(fn) || !writes(fn.Body) {
				continue
			}
			seen[fn.Name.Name] = true
			if _, ok := unaudited[fn.Name.Name]; ok {
				continue
			}
			if !slices.ContainsFunc(fn.Type.Params.List, func(p *ast.Field) bool {
				id, ok := p.Type.(*ast.Ident)
				return ok && id.Name == "AuditNote"
			}) {
				t.Errorf("%s: (*Store).%s writes without an AuditNote parameter", fset.Position(fn.Pos()), fn.Name.Name)
			}
		}
	}
	for name := range unaudited {
		if !seen[name] {
			t.Errorf("unaudited lists %s, which writes no more", name)
		}
	}
}

func onStore(fn *ast.FuncDecl) bool {
	star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := star.X.(*ast.Ident)
	return ok && id.Name == "Store"
}

// writes tells whether body opens a write transaction or writes through
// the writing connection (s.tx, s.txAudited, s.w.…).
func writes(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if x, ok := sel.X.(*ast.Ident); ok && x.Name == "s" && (sel.Sel.Name == "tx" || sel.Sel.Name == "txAudited" || sel.Sel.Name == "w") {
			found = true
		}
		return !found
	})
	return found
}
