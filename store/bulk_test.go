package store_test

import (
	"context"
	"slices"
	"sort"
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
