package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"shequ/app/model"
	"shequ/store"
)

// TestNameKeyPinyinOrder: names sort by their pinyin (陈 chen before 张
// zhang, which code points put the other way round), surnames by their
// reading as a surname (曾 zeng, 单 shan, 解 xie, 仇 qiu, 区 ou, 沈 shen),
// not the character's commonest one.
func TestNameKeyPinyinOrder(t *testing.T) {
	want := []string{"艾青", "陈静", "区志强", "钱学森", "仇英", "单田芳", "沈从文", "王伟", "解缙", "杨洋", "曾国藩", "张三", "张三丰", "赵四"}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortStableFunc(got, func(a, b string) int { return compareKeys(store.NameKey(a), store.NameKey(b)) })
	if !slices.Equal(got, want) {
		t.Errorf("sorted by NameKey:\n%v\nwant\n%v", got, want)
	}
	if len(store.NameKey("")) != 0 {
		t.Error("an empty name has a key")
	}
}

func compareKeys(a, b []byte) int { return slices.Compare(a, b) }

// namesInOrder lists the residents' names sorted by name, one page.
func namesInOrder(t *testing.T, st *store.Store, desc bool) []string {
	t.Helper()
	rows, err := st.ResidentPage(context.Background(), model.ResidentQuery{AllGrids: true, Sort: model.SortName, Desc: desc}, nil, 100, false)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Name)
	}
	return out
}

// staleKeys lists the residents whose stored key is not their name's.
func staleKeys(t *testing.T, file string) []string {
	t.Helper()
	rows, err := rawDB(t, file).Query("SELECT id, name, name_key FROM resident")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var name string
		var key []byte
		if err := rows.Scan(&id, &name, &key); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(key, store.NameKey(name)) {
			out = append(out, fmt.Sprintf("%d %s", id, name))
		}
	}
	return out
}

// TestNameKeysFollowEveryWrite: a resident made or renamed in the form,
// loaded in bulk, or pulled from the sync server (new or renamed) sorts
// by its name as it is now.
func TestNameKeysFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "k.db")
	st, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acc := makeAccount(t, st, "clerk")
	p := makePlaces(t, st, acc)

	// the form
	zhang := wang(p.H101)
	zhang.Name, zhang.IDNumber = "张三", ""
	if _, err := st.CreateResident(ctx, noEntry, acc, zhang, "2020-01-01"); err != nil {
		t.Fatal(err)
	}
	chen := zhang
	chen.Name = "陈四"
	chenID, err := st.CreateResident(ctx, noEntry, acc, chen, "2020-01-01")
	if err != nil {
		t.Fatal(err)
	}
	if got := namesInOrder(t, st, false); !slices.Equal(got, []string{"陈四", "张三"}) {
		t.Fatalf("made in the form: %v", got)
	}
	r, _ := st.Resident(ctx, chenID)
	r.Name = "赵四"
	if _, err := st.UpdateResident(ctx, noEntry, acc, r); err != nil {
		t.Fatal(err)
	}
	if got := namesInOrder(t, st, false); !slices.Equal(got, []string{"张三", "赵四"}) {
		t.Fatalf("renamed: %v", got)
	}

	// a bulk load (into a registry that is not empty)
	err = st.Bulk(ctx, noEntry, func(b *store.Bulk) error {
		x := zhang
		x.Name = "曾五"
		_, err := b.Resident(x, "2020-01-01", "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := namesInOrder(t, st, true); !slices.Equal(got, []string{"赵四", "张三", "曾五"}) {
		t.Fatalf("loaded in bulk, descending: %v", got)
	}

	// pulled: a new resident, then one renamed
	grid := "0123456789abcdef0123456789abcdef"
	uid := "fedcba9876543210fedcba9876543210"
	pull := func(fields map[string]string) {
		t.Helper()
		_, err := st.ApplyPulled(ctx, store.Pulled{Entries: []model.SyncEntry{
			{Entity: "area", UID: grid, Fields: map[string]string{"parent": "", "level": "grid", "name": "第9网格"}, HLC: "1"},
			{Entity: "resident", UID: uid, Fields: fields, HLC: "2"},
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	pull(map[string]string{"name": "艾六", "sex": "F", "kind": "registered", "status": "present", "grid": grid})
	if got := namesInOrder(t, st, false); !slices.Equal(got, []string{"艾六", "曾五", "张三", "赵四"}) {
		t.Fatalf("pulled: %v", got)
	}
	pull(map[string]string{"name": "单七"})
	if got := namesInOrder(t, st, false); !slices.Equal(got, []string{"单七", "曾五", "张三", "赵四"}) {
		t.Fatalf("renamed by a pull: %v", got)
	}
	if stale := staleKeys(t, file); len(stale) > 0 {
		t.Errorf("keys not their names': %v", stale)
	}
}

// TestMigrationBackfillsNameKeys: a registry written before the name key
// existed gets every resident's key when it is opened.
func TestMigrationBackfillsNameKeys(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "old.db")
	st, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	acc := makeAccount(t, st, "clerk")
	p := makePlaces(t, st, acc)
	for _, name := range []string{"张三", "陈四", "曾五", "Anna"} {
		r := wang(p.H101)
		r.Name, r.IDNumber = name, ""
		if _, err := st.CreateResident(ctx, noEntry, acc, r, "2020-01-01"); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	// as before migration 030: no keys
	db := rawDB(t, file)
	for _, q := range []string{"DROP INDEX resident_name_key", "ALTER TABLE resident DROP COLUMN name_key", "PRAGMA user_version = 29"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	st, err = store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if stale := staleKeys(t, file); len(stale) > 0 {
		t.Errorf("not backfilled: %v", stale)
	}
	if got := namesInOrder(t, st, false); !slices.Equal(got, []string{"Anna", "陈四", "曾五", "张三"}) {
		t.Errorf("after the backfill: %v", got)
	}
}
