package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"shequ/app/model"
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
	err := st.Bulk(ctx, noEntry, func(b *store.Bulk) error {
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

// TestABulkLoadChecksItsForeignKeysAtTheEnd: a load into an empty registry
// checks foreign keys once at the end, not row by row; a row pointing at
// nothing still fails the whole load, and the connection checks them row by
// row again afterwards.
func TestABulkLoadChecksItsForeignKeysAtTheEnd(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	err := st.Bulk(ctx, noEntry, func(b *store.Bulk) error {
		street, _ := b.Area(model.Area{Level: model.LevelStreet, Name: "街道"})
		comm, _ := b.Area(model.Area{ParentID: street, Level: model.LevelCommunity, Name: "社区"})
		grid, _ := b.Area(model.Area{ParentID: comm, Level: model.LevelGrid, Name: "网格"})
		_, err := b.Resident(model.Resident{Name: "王小明", GridID: grid, HouseID: 4242, Relation: model.RelHead,
			Kind: model.KindRegistered, Status: model.StatusPresent}, "2026-01-01", "")
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "residence") || !strings.Contains(err.Error(), "house") {
		t.Fatalf("a residence in no house: %v, want it refused", err)
	}
	db := rawDB(t, st.Path())
	var n int
	if err := db.QueryRow("SELECT (SELECT count(*) FROM resident) + (SELECT count(*) FROM area) + (SELECT count(*) FROM residence)").Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d rows kept of a failed load (%v)", n, err)
	}
	// The same connection writes next: it must check row by row again.
	acc := makeAccount(t, st, "clerk")
	tag, err := st.CreateTag(ctx, noEntry, model.Tag{Name: "测试标签"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetTag(ctx, noEntry, acc, tag, []int64{4242}, true); err == nil {
		t.Fatal("a tag on no resident was written after a bulk load")
	}
}

// TestAChangeAndItsAuditEntryCommitTogether: the note a write is given
// makes its entry in the write's own transaction, with the id it made; a
// write that fails leaves no entry, and one without a note is refused
// and changes nothing.
func TestAChangeAndItsAuditEntryCommitTogether(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	note := func(id int64, fields []string) model.AuditEntry {
		return model.AuditEntry{Account: "a", Action: "area.create", Target: "area:" + strconv.FormatInt(id, 10)}
	}
	id, err := st.CreateArea(ctx, note, 0, model.Area{Level: model.LevelStreet, Name: "街道"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateArea(ctx, note, 0, model.Area{Level: model.LevelStreet, Name: "街道"}); err == nil {
		t.Fatal("a second street of the same name")
	}
	if _, err := st.CreateArea(ctx, nil, 0, model.Area{Level: model.LevelStreet, Name: "无记录街道"}); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("a write without its note: %v", err)
	}
	got, err := st.AuditEntries(ctx, model.AuditFilter{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Target != "area:"+strconv.FormatInt(id, 10) {
		t.Fatalf("entries %+v", got)
	}
	areas, err := st.Areas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(areas) != 1 {
		t.Fatalf("areas %+v", areas)
	}
}

// TestANewDatabaseHasBigPages: a new file is made with 8 KiB pages (a bulk
// load's speed), in WAL mode.
func TestANewDatabaseHasBigPages(t *testing.T) {
	st := openStore(t)
	db := rawDB(t, st.Path())
	var size int
	var mode string
	if err := db.QueryRow("PRAGMA page_size").Scan(&size); err != nil || size != 8192 {
		t.Fatalf("page size %d (%v)", size, err)
	}
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q (%v)", mode, err)
	}
	// The residents' data is the owner's alone, the WAL beside it too.
	for _, f := range []string{st.Path(), st.Path() + "-wal", st.Path() + "-shm"} {
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v; want mode 0600", filepath.Base(f), fi.Mode(), err)
		}
	}
}
