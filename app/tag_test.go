package app_test

import (
	"context"
	"errors"
	"testing"

	"shequ/app"
	"shequ/app/model"
)

func TestTagsDefinedTaggedMergedDeleted(t *testing.T) {
	t.Parallel()
	ta := newDemoApp(t, 4000, 21)
	ctx := context.Background()
	tags, err := ta.Tags(ctx, ta.admin)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]model.Tag{}
	for _, tg := range tags {
		byName[tg.Name] = tg
	}
	if byName["独居老人"].Category != "特殊群体" || byName["志愿者"].Category != "志愿者" {
		t.Fatalf("the office's tags are not there: %+v", tags)
	}
	id, err := ta.CreateTag(ctx, ta.admin, model.Tag{Name: " 太极拳 ", Category: "兴趣爱好"})
	if err != nil {
		t.Fatal(err)
	}
	if keys := problemKeys(t, func() error { _, err := ta.CreateTag(ctx, ta.admin, model.Tag{Name: "太极拳"}); return err }()); keys["name"] != "err.tag.taken" {
		t.Fatalf("a second 太极拳: %v", keys)
	}
	if keys := problemKeys(t, func() error { _, err := ta.CreateTag(ctx, ta.admin, model.Tag{Name: "a、b"}); return err }()); keys["name"] != "err.tag.name.bad" {
		t.Fatalf("a name with a separator: %v", keys)
	}
	rows := ta.rows(t, ta.admin, app.ListFilter{})
	one := rows[0]
	if err := ta.SetTag(ctx, ta.admin, one.ID, id, true); err != nil {
		t.Fatal(err)
	}
	if err := ta.SetTag(ctx, ta.admin, one.ID, id, true); err != nil { // again: nothing changes
		t.Fatal(err)
	}
	got, _ := ta.ResidentTags(ctx, ta.admin, one.ID)
	if len(got) != 1 || got[0].Name != "太极拳" {
		t.Fatalf("tags %+v", got)
	}
	hist, _ := ta.History(ctx, ta.admin, one.ID)
	tagged := 0
	for _, h := range hist {
		if h.Field == "tag" && h.New == "太极拳" && h.Account == "admin" {
			tagged++
		}
	}
	if tagged != 1 {
		t.Fatalf("history has %d taggings: %+v", tagged, hist)
	}
	// a whole list: everyone whose name has the first one's family name
	family := string([]rune(one.Name)[:1])
	n, err := ta.TagList(ctx, ta.admin, app.ListFilter{Search: family}, byName["志愿者"].ID, true)
	listed := len(ta.rows(t, ta.admin, app.ListFilter{Search: family}))
	carrying := len(ta.rows(t, ta.admin, app.ListFilter{Search: family, Cohort: &app.CohortFilter{TagsAll: []int64{byName["志愿者"].ID}}}))
	if err != nil || n == 0 || n > listed || carrying != listed { // the demo made some volunteers already
		t.Fatalf("tagged %d, %d of %d carry it: %v", n, carrying, listed, err)
	}
	// merge 太极拳 into 志愿者, then delete 志愿者: everyone loses it
	if err := ta.MergeTags(ctx, ta.admin, id, byName["志愿者"].ID); err != nil {
		t.Fatal(err)
	}
	got, _ = ta.ResidentTags(ctx, ta.admin, one.ID)
	if len(got) != 1 || got[0].Name != "志愿者" {
		t.Fatalf("after the merge %+v", got)
	}
	if err := ta.DeleteTag(ctx, ta.admin, byName["志愿者"].ID); err != nil {
		t.Fatal(err)
	}
	if got, _ = ta.ResidentTags(ctx, ta.admin, one.ID); len(got) != 0 {
		t.Fatalf("after the delete %+v", got)
	}
	log, _ := ta.AuditLog(ctx, ta.admin, model.AuditFilter{Action: app.AuditTagSet}, 10)
	if len(log) != 2 {
		t.Fatalf("taggings audited: %+v", log)
	}
	// a grid worker tags residents of the grid, defines no tags, and
	// tags nobody elsewhere
	grids := ta.grids(t)
	if _, err := ta.CreateAccount(ctx, ta.admin, app.AccountInput{Username: "g", Password: adminPassword, Role: model.RoleGrid,
		Areas: []int64{grids[0].ID}}); err != nil {
		t.Fatal(err)
	}
	g, _ := ta.Login(ctx, "g", adminPassword)
	if _, err := ta.CreateTag(ctx, g, model.Tag{Name: "新标签"}); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("a grid worker made a tag: %v", err)
	}
	mine := ta.rows(t, g, app.ListFilter{})
	var other model.ResidentRow
	for _, r := range rows {
		if r.GridID != grids[0].ID {
			other = r
		}
	}
	meals, err := ta.CreateTag(ctx, ta.admin, model.Tag{Name: "送餐", Category: "特殊群体"}) // a tag the demo gives no one
	if err != nil {
		t.Fatal(err)
	}
	if err := ta.SetTag(ctx, g, mine[0].ID, meals, true); err != nil {
		t.Fatal(err)
	}
	if err := ta.SetTag(ctx, g, other.ID, meals, true); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("tagged someone outside the grid: %v", err)
	}
	counts, _ := ta.Tags(ctx, g)
	for _, tg := range counts {
		if tg.Name == "送餐" && tg.Residents != 1 {
			t.Fatalf("the grid worker counts %d", tg.Residents)
		}
	}
}
