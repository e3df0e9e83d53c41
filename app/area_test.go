package app_test

import (
	"context"
	"errors"
	"testing"

	"shequ/app"
	"shequ/model"
)

func TestEnsureAreaPathMakesWhatIsMissing(t *testing.T) {
	ta := newApp(t)
	ctx := context.Background()
	grid, made, err := ta.EnsureAreaPath(ctx, ta.admin, " 德源街道 / 红旗社区 › 第1网格 ")
	if err != nil || made != 3 {
		t.Fatalf("made %d: %v", made, err)
	}
	again, made, err := ta.EnsureAreaPath(ctx, ta.admin, "德源街道/红旗社区/第1网格")
	if err != nil || made != 0 || again != grid {
		t.Fatalf("again: %d %d %v", again, made, err)
	}
	if _, made, _ := ta.EnsureAreaPath(ctx, ta.admin, "德源街道/红旗社区/第2网格"); made != 1 {
		t.Fatalf("a second grid made %d", made)
	}
	areas, _ := ta.st.Areas(ctx)
	levels := map[model.AreaLevel]int{}
	for _, a := range areas {
		levels[a.Level]++
	}
	if levels[model.LevelStreet] != 1 || levels[model.LevelCommunity] != 1 || levels[model.LevelGrid] != 2 {
		t.Fatalf("areas %v", levels)
	}
	for _, bad := range []string{"", "a/b/c/d", " / "} {
		if keys := problemKeys(t, func() error { _, _, err := ta.EnsureAreaPath(ctx, ta.admin, bad); return err }()); keys["area"] != "err.area.path" {
			t.Errorf("%q: %v", bad, keys)
		}
	}
	worker := &app.Actor{Account: model.Account{Role: model.RoleWorker, AreaIDs: []int64{grid}}}
	if _, _, err := ta.EnsureAreaPath(ctx, worker, "德源街道/新社区"); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("a worker made areas: %v", err)
	}
}
