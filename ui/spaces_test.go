package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// TestSpacesScreen: a space added through its form, a free half hour
// chosen and booked, the same time refused inside the form, the week of
// the space, the booking chosen and cancelled, and the usage shown.
func TestSpacesScreen(t *testing.T) {
	u, w, _ := ledgerUI(t)
	u.tabs.SelectIndex(8)
	drain(t)
	s := u.spaces
	if !shows(w, "还没有可预约的空间") {
		t.Fatalf("empty screen: %q", texts(w))
	}
	s.spaceForm(nil)
	drain(t)
	entries, _, _ := dialogWidgets(w)
	entries[0].SetText("活动室") // name, place, capacity, opens, closes, equipment
	entries[2].SetText("20")
	entries[3].SetText("9:00")
	entries[4].SetText("17:00")
	tapText(t, w, "确定")
	drain(t)
	if len(s.cols) != 1 || s.cols[0].space.Name != "活动室" || s.rows != 16 {
		t.Fatalf("after adding: %d columns, %d rows", len(s.cols), s.rows)
	}
	// 10:00 is the third half hour.
	s.table.Select(widget.TableCellID{Row: 3, Col: 1})
	if s.slot == nil || s.slot.at != 10*60 || !strings.Contains(s.detail.Text, "10:00 空闲") {
		t.Fatalf("free slot chosen: %+v %q", s.slot, s.detail.Text)
	}
	book := func() {
		s.bookForm()
		entries, _, _ := dialogWidgets(w)
		if entries[0].Text != "2026-06-01" || entries[1].Text != "10:00" || entries[2].Text != "11:00" {
			t.Fatalf("form not filled from the slot: %q %q %q", entries[0].Text, entries[1].Text, entries[2].Text)
		}
		entries[4].SetText("夕阳红舞蹈队") // day, from, to, ID number, organisation, contact, phone, purpose, people
		entries[5].SetText("李老师")
		entries[6].SetText("13800001111")
		entries[7].SetText("排练")
		tapText(t, w, "确定")
		drain(t)
	}
	book()
	if s.cols[0].booked[2] < 0 || s.cols[0].booked[3] < 0 || s.cols[0].booked[4] >= 0 || s.status.Text != "2026-06-01 共 1 个预约" {
		t.Fatalf("after booking: %v, %q", s.cols[0].booked, s.status.Text)
	}
	// Later that morning: the booking still shows in its past half hours,
	// a free past half hour says it is past.
	morning := *clock.Load()
	setClock(time.Date(2026, 6, 1, 10, 45, 0, 0, time.Local))
	s.reload()
	drain(t)
	cell := s.table.CreateCell()
	s.updateCell(widget.TableCellID{Row: 3, Col: 1}, cell)
	if !s.cols[0].past[2] || !strings.Contains(cell.(*fyne.Container).Objects[1].(*widget.Label).Text, "夕阳红舞蹈队") {
		t.Fatalf("a booking begun this morning: past %v, %q", s.cols[0].past[2], cell.(*fyne.Container).Objects[1].(*widget.Label).Text)
	}
	s.table.Select(widget.TableCellID{Row: 1, Col: 1})
	if s.slot != nil || !strings.Contains(s.detail.Text, "已经过去") {
		t.Fatalf("9:00 at 10:45: %q", s.detail.Text)
	}
	setClock(morning)
	s.reload()
	drain(t)
	s.table.Select(widget.TableCellID{Row: 2, Col: 1}) // 9:30, free: the form ends where the booking starts
	if s.slot.until != 10*60 {
		t.Fatalf("9:30 before a booking at 10:00 offers until %s", hhmm(s.slot.until))
	}
	s.slot.at, s.slot.until = 10*60, 17*60
	book()
	if !shows(w, "与已有预约冲突") {
		t.Fatalf("clash not shown in the form: %q", texts(w))
	}
	tapText(t, w, "取消")
	s.view.SetSelected("周视图")
	drain(t)
	if len(s.cols) != 7 || s.cols[0].day != "2026-06-01" || s.cols[0].booked[2] < 0 || !strings.Contains(s.status.Text, "共 1 个预约") {
		t.Fatalf("week: %d columns from %s, %q", len(s.cols), s.cols[0].day, s.status.Text)
	}
	s.table.Select(widget.TableCellID{Row: 3, Col: 1})
	if s.chosen == nil || !strings.Contains(s.detail.Text, "夕阳红舞蹈队（李老师）") || !strings.Contains(s.detail.Text, "138****1111") {
		t.Fatalf("booking chosen: %q", s.detail.Text)
	}
	s.cancelBooking()
	entries, _, _ = dialogWidgets(w)
	entries[0].SetText("场地维修")
	tapText(t, w, "取消这个预约")
	drain(t)
	if s.count() != 0 {
		t.Fatal("the cancelled booking still shows")
	}
	s.spaceForm(nil)
	drain(t)
	entries, _, _ = dialogWidgets(w)
	entries[0].SetText("会议室")
	entries[2].SetText("10")
	entries[3].SetText("9:00")
	entries[4].SetText("12:00")
	tapText(t, w, "确定")
	drain(t)
	s.showUsage()
	drain(t)
	sortsAndFits(t, w, s.usage, 0)              // by space
	if !shows(w, "56.0") || !shows(w, "使用统计") { // 8 hours a day for a week, none booked

		t.Fatalf("usage: %q", texts(w))
	}
}
