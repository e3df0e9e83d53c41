package store_test

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"testing"

	"shequ/model"
	"shequ/store"
)

// TestBulkGramsMatchOneByOne: the grams an empty registry's bulk load makes
// in one statement are exactly those a resident gets when written alone.
func TestBulkGramsMatchOneByOne(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	people := []model.Resident{
		{Name: "王小明", IDNumber: "11010519491231002X", Phone: "13800138000"},
		{Name: "Anna LEE", Phone: "0571-88886666"},
		{Name: "欧阳娜娜", Phone: "0571-8888666-123"},
		{Name: "李", Phone: "010-123-4"},
		{Name: "王王", IDNumber: "110105194912310013"},
		{Name: "Ölgün Émile"},
	}
	var ids []int64
	err := st.Bulk(ctx, func(b *store.Bulk) error {
		street, _ := b.Area(model.Area{Level: model.LevelStreet, Name: "街道"})
		comm, _ := b.Area(model.Area{ParentID: street, Level: model.LevelCommunity, Name: "社区"})
		grid, _ := b.Area(model.Area{ParentID: comm, Level: model.LevelGrid, Name: "网格"})
		for i, p := range people {
			p.GridID = grid
			p.Kind, p.Status = model.KindRegistered, model.StatusPresent
			people[i] = p
			id, err := b.Resident(p, "2026-01-01", "")
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, st.Path())
	for i, p := range people {
		rows, err := db.Query("SELECT gram FROM resident_gram WHERE resident_id = ? AND grid_id = ?", ids[i], p.GridID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var g string
			rows.Scan(&g)
			got = append(got, g)
		}
		rows.Close()
		want := store.GramsForTest(p)
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: bulk grams %q, one by one %q", p.Name, got, want)
		}
	}
}

// TestAChangeAndItsAuditEntryCommitTogether: the entry on the context is
// written in the change's own transaction, with the id it made; a change
// that fails leaves no entry, and a second write on the context none more.
func TestAChangeAndItsAuditEntryCommitTogether(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	entry := func(id int64, fields []string) model.AuditEntry {
		return model.AuditEntry{Account: "a", Action: "area.create", Target: "area:" + strconv.FormatInt(id, 10)}
	}
	actx := store.WithAudit(ctx, entry)
	id, err := st.CreateArea(actx, 0, model.Area{Level: model.LevelStreet, Name: "街道"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateArea(actx, 0, model.Area{Level: model.LevelStreet, Name: "另一街道"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateArea(store.WithAudit(ctx, entry), 0, model.Area{Level: model.LevelStreet, Name: "街道"}); err == nil {
		t.Fatal("a second street of the same name")
	}
	got, err := st.AuditEntries(ctx, store.AuditFilter{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Target != "area:"+strconv.FormatInt(id, 10) {
		t.Fatalf("entries %+v", got)
	}
}
