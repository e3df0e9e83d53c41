package ui

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"shequ/app/model"
	"shequ/ui/widgets"
)

// press types a key as the desktop driver does: to the focused widget,
// else to the window's key handler.
func press(w fyne.Window, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := w.Canvas().OnTypedKey(); h != nil {
		h(ev)
	}
}

// officeWindow is the window at 1366×768 in a language, signed in as the
// administrator on a registry of a few residents.
func officeWindow(t *testing.T, language string) (*UI, fyne.Window) {
	t.Helper()
	a, fa := testAppIn(t, language)
	ctx := context.Background()
	admin, err := a.Init(ctx, "admin", testPassword, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Demo(ctx, admin, 5, 7, nil); err != nil {
		t.Fatal(err)
	}
	u, w := startWindow(fa, a, Options{Version: "test", AutoLogin: "admin", Password: testPassword})
	w.Resize(fyne.NewSize(1366, 768))
	drain(t)
	return u, w
}

// TestEscapeInAnEntryClosesItsDialog: Fyne's entry keeps Escape, so the
// forms (新增居民, 修改密码) stayed open under a typing hand.
func TestEscapeInAnEntryClosesItsDialog(t *testing.T) {
	for _, language := range []string{"zh", "en"} {
		u, w := officeWindow(t, language)
		for name, open := range map[string]func(){
			"resident": func() { u.openResidentForm(0, 0) },
			"password": u.changePassword,
			"sex": func() { // a choice made: the focus stays on it
				u.openResidentForm(0, 0)
				walkTop(w, func(o fyne.CanvasObject) {
					if s, ok := o.(*widgets.Select); ok {
						w.Canvas().Focus(s) // as a click does
						s.SetSelectedIndex(0)
					}
				})
			},
			"ethnic": func() { // a field with a list to choose from
				u.openResidentForm(0, 0)
				walkTop(w, func(o fyne.CanvasObject) {
					if e, ok := o.(*widgets.SelectEntry); ok {
						w.Canvas().Focus(e)
					}
				})
			},
		} {
			open()
			drain(t)
			e := w.Canvas().Focused()
			if _, list := e.(*widgets.SelectEntry); name == "ethnic" && !list {
				t.Fatalf("%s: the focus is on %T, not the list of ethnic groups", language, e)
			}
			if _, choice := e.(*widgets.Select); name == "sex" && !choice {
				t.Fatalf("%s: the focus is on %T, not a choice", language, e)
			}
			if e == nil || w.Canvas().Overlays().Top() == nil {
				t.Fatalf("%s %s: no dialog with a focused field", language, name)
			}
			test.Type(e, "王")
			press(w, fyne.KeyEscape)
			if top := w.Canvas().Overlays().Top(); top != nil {
				t.Errorf("%s %s: Escape left the dialog open", language, name)
				top.Hide()
			}
		}
	}
}

// TestEnterSubmitsAOneFieldForm: Enter in its field, or with nothing
// focused, does what the highlighted button does.
func TestEnterSubmitsAOneFieldForm(t *testing.T) {
	for _, language := range []string{"zh", "en"} {
		u, w := officeWindow(t, language)
		for _, street := range []string{"东风街道", "西湖街道"} {
			u.areas.onAdd(0)
			test.Type(w.Canvas().Focused(), street)
			if street == "西湖街道" {
				w.Canvas().Unfocus() // clicked beside the field
			}
			press(w, fyne.KeyReturn)
			drain(t)
			if w.Canvas().Overlays().Top() != nil {
				t.Fatalf("%s: Enter left the form for %s open: %v", language, street, texts(w))
			}
			areas, err := u.app.VisibleAreas(u.ctx, u.actor)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, a := range areas {
				found = found || (a.Name == street && a.Level == model.LevelStreet)
			}
			if !found {
				t.Errorf("%s: Enter did not add %s", language, street)
			}
		}
	}
}

// TestEscapeAnswersAQuestionNo: a question and a message close on Escape
// with nothing focused; the question is answered 返回, never its action.
func TestEscapeAnswersAQuestionNo(t *testing.T) {
	u, w := officeWindow(t, "zh")
	u.showTab(u.tags.content)
	drain(t)
	if len(u.tags.tags) == 0 {
		t.Fatal("the demo has no tags")
	}
	u.tags.picked = 0
	u.tags.delete()
	press(w, fyne.KeyReturn) // Enter does not delete
	press(w, fyne.KeyEscape)
	drain(t)
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("Escape left the question open")
	}
	tags, err := u.app.Tags(u.ctx, u.actor)
	if err != nil {
		t.Fatal(err)
	}
	if len(tags) != len(u.tags.tags) {
		t.Errorf("the question was answered yes: %d tags, were %d", len(tags), len(u.tags.tags))
	}
	u.showError(errors.New("磁盘已满"))
	press(w, fyne.KeyReturn)
	if w.Canvas().Overlays().Top() != nil || len(u.dialogs) != 0 {
		t.Errorf("Enter left the message open (%d dialogs known)", len(u.dialogs))
	}
}

// TestEscapeUnderTheLockLeavesTheDialog: the lock screen keeps its keys;
// the form under it is still there once unlocked.
func TestEscapeUnderTheLockLeavesTheDialog(t *testing.T) {
	u, w := officeWindow(t, "zh")
	u.changePassword()
	u.lockNow()
	press(w, fyne.KeyEscape)
	if u.lock == nil || len(u.dialogs) != 1 {
		t.Fatalf("Escape on the lock screen: locked %v, %d dialogs", u.lock != nil, len(u.dialogs))
	}
	test.Type(w.Canvas().Focused(), testPassword)
	press(w, fyne.KeyReturn)
	drain(t) // the password is checked off the window's goroutine
	if u.lock != nil || len(u.dialogs) != 1 {
		t.Errorf("after unlocking: locked %v, %d dialogs", u.lock != nil, len(u.dialogs))
	}
}

// TestEveryDialogIsOpenedWithItsKeys: a dialog shown by its own Show (or
// by dialog.ShowX) would not hear Escape.
func TestEveryDialogIsOpenedWithItsKeys(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "dialogkeys.go" {
			continue
		}
		fs := token.NewFileSet()
		f, err := parser.ParseFile(fs, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		dialogs := map[string]bool{} // what was made by dialog.NewX
		ast.Inspect(f, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
				for i, r := range as.Rhs {
					if isDialogCall(r, "New") {
						dialogs[exprText(as.Lhs[i])] = true
					}
				}
			}
			return true
		})
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if isDialogCall(call, "Show") {
				t.Errorf("%s: dialog shown by %s", fs.Position(call.Pos()), exprText(call.Fun))
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Show" &&
				(dialogs[exprText(sel.X)] || isDialogCall(sel.X, "New")) {
				t.Errorf("%s: %s.Show() instead of open", fs.Position(call.Pos()), exprText(sel.X))
			}
			return true
		})
	}
}

// TestEveryFieldPassesEscape: a field made by Fyne's own constructor
// keeps Escape from its dialog; widgets has the ones that pass it on.
func TestEveryFieldPassesEscape(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	own := regexp.MustCompile(`widget\.New(Entry|PasswordEntry|MultiLineEntry|SelectEntry|Select|Check)\(`)
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range own.FindAllString(string(src), -1) {
			t.Errorf("%s: %s…) keeps Escape; use widgets' own", name, m)
		}
	}
}

// isDialogCall reports whether e calls a function of package dialog whose
// name begins with prefix.
func isDialogCall(e ast.Expr, prefix string) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "dialog" && strings.HasPrefix(sel.Sel.Name, prefix)
}

// exprText is an expression's source form, as a key (d, im.dlg).
func exprText(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprText(x.X) + "." + x.Sel.Name
	case *ast.CallExpr:
		return exprText(x.Fun) + "(…)"
	}
	return "?"
}
