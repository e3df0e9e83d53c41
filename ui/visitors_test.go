package ui

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"shequ/app"
	"shequ/app/model"
	"shequ/ui/i18n"
)

// TestVisitorsScreenAtTheGate: a visitor typed at the gate and registered
// with Enter on the last field; the next visit of the same ID number fills
// the name; the visitor noted out.
func TestVisitorsScreenAtTheGate(t *testing.T) {
	// A community worker who may not reveal full numbers.
	a, fa := demoWithAccount(t, 40, app.AccountInput{Username: "zhao", Role: model.RoleWorker},
		func(areas []model.Area) []int64 { return firstArea(areas, model.LevelCommunity) })
	u, w := startWindow(fa, a, Options{Version: "test", AutoLogin: "zhao", Password: testPassword})
	drain(t)
	u.tabs.SelectIndex(7)
	drain(t)
	s := u.visitors
	if s.compound.Selected == "" || len(s.compound.Options) == 0 {
		t.Fatal("no compound offered")
	}
	if w.Canvas().Focused() != s.number {
		t.Error("the ID number does not have the focus")
	}
	const number = "330106198503040079"
	s.number.SetText(number)
	s.name.SetText("张来访")
	s.phone.SetText("13800138000")
	s.house.SetText("1-1-101")
	s.reason.SetText("探亲")
	test.Type(s.health, "正常")
	s.health.OnSubmitted(s.health.Text) // Enter on the last field
	drain(t)
	if s.total != 1 || len(s.visits) != 1 || s.visits[0].Name != "张来访" || s.visits[0].Address.Room != "101" || s.name.Text != "" {
		t.Fatalf("after registering: %d visits %+v, name box %q, msg %q", s.total, s.visits, s.name.Text, s.msg.Text)
	}
	// The same visitor again: the ID number fills the name, and shows the
	// phone masked in its empty box (the account may not reveal).
	s.number.SetText(number)
	s.number.OnSubmitted(number)
	drain(t)
	if s.name.Text != "张来访" || s.phone.Text != "" || !strings.Contains(s.phone.PlaceHolder, "138****8000") {
		t.Fatalf("known visitor: %q %q (%q)", s.name.Text, s.phone.Text, s.phone.PlaceHolder)
	}
	if w.Canvas().Focused() != s.name {
		t.Error("Enter on the ID number does not move on to the name")
	}
	s.house.SetText("99-9-999")
	s.add()
	drain(t)
	if s.msg.Text == "" || s.total != 1 {
		t.Fatalf("a house not there: msg %q, %d visits", s.msg.Text, s.total)
	}
	// Registered with the box left empty, the visit keeps the known phone.
	s.house.SetText("1-1-101")
	s.add()
	drain(t)
	if s.total != 2 || s.visits[0].Phone != "13800138000" || s.phone.PlaceHolder != i18n.L("field.phone") {
		t.Fatalf("the second visit: msg %q, %d visits, phone %q, box %q", s.msg.Text, s.total, s.visits[0].Phone, s.phone.PlaceHolder)
	}
	s.table.Table().Select(widget.TableCellID{Row: 1})
	s.leave()
	drain(t)
	s.table.Table().Select(widget.TableCellID{Row: 0})
	s.leave()
	drain(t)
	if s.visits[0].TimeOut == "" {
		t.Fatal("not noted out")
	}
	s.inside.SetChecked(true)
	drain(t)
	if s.total != 0 {
		t.Fatalf("%d inside after the only one left", s.total)
	}
}

// TestVisitorsImportThroughTheWizard: 导入… on the 到访登记 tab runs the
// import wizard for a gate's log: a file with a wrong row imports nothing
// and says the row; the corrected file is tried, then imported, and its
// visits are listed.
func TestVisitorsImportThroughTheWizard(t *testing.T) {
	u, w, _ := ledgerUI(t)
	u.tabs.SelectIndex(7)
	drain(t)
	s := u.visitors
	compound := s.compound.Options[0]
	// An old log: after the import the list shows its days, not today.
	today := u.app.Now().AddDate(0, 0, -3).Format("2006-01-02")
	write := func(name string, ids ...string) string {
		path := filepath.Join(t.TempDir(), name)
		x := excelize.NewFile()
		defer x.Close()
		x.SetSheetRow("Sheet1", "A1", &[]any{"序号", "来访人", "公民身份号码", "小区名称", "进入时间", "离开", "事由"})
		for i, id := range ids {
			x.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+2), &[]any{i + 1, "访客" + strconv.Itoa(i+1), id, compound, today + " 0" + strconv.Itoa(8+i) + ":30",
				"", "探亲"})
		}
		if err := x.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		return path
	}
	open := func(path string) {
		t.Helper()
		test.Tap(buttonNamed(t, w.Content(), "导入…"))
		entries, _, _ := dialogWidgets(w)
		entries[0].SetText(path)
		tapText(t, w, "确定")
		drain(t)
		if !shows(w, "请核对来访时间、姓名、小区") {
			t.Fatalf("the mapping is not shown: %q", texts(w))
		}
	}

	open(write("错.xlsx", "330106198503040079", "330106198503040072"))
	tapText(t, w, "导入")
	drain(t)
	r := s.importer.visits.result
	if r == nil || !r.Failed() || r.Problems[0].Row != 3 || r.Problems[0].Field != app.FieldIDNumber || !shows(w, "登记表有 1 处错误，未导入任何记录") {
		t.Fatalf("a wrong row: %+v %q", r, texts(w))
	}
	tapText(t, w, "关闭")
	tapText(t, w, "取消")
	if s.total != 0 {
		t.Fatalf("%d visits after a failed import", s.total)
	}

	open(write("门岗.xlsx", "330106198503040079", ""))
	tapText(t, w, "试导入")
	drain(t)
	if !shows(w, "试导入（未写入）：登记表 2 行，可导入 2 条到访") {
		t.Fatalf("dry run: %q", texts(w))
	}
	tapText(t, w, "关闭")
	tapText(t, w, "导入")
	drain(t)
	if !shows(w, "登记表 2 行：导入 2 条到访") {
		t.Fatalf("import: %q", texts(w))
	}
	tapText(t, w, "关闭")
	if s.total != 2 || s.visits[0].Name != "访客2" || s.visits[1].IDNumber != "330106198503040079" || s.from.Text != today {
		t.Fatalf("listed after the import: %d %+v from %s", s.total, s.visits, s.from.Text)
	}
}

// buttonNamed finds a button by its text among o's objects.
func buttonNamed(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walkObjects(o, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}
