package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"shequ/app/model"
	"shequ/store"
)

// The name key's figures on a registry of 200,000 residents (made once per
// run; SHEQU_BENCH_RESIDENTS sets another size), each against a baseline
// measured in the same run, so the ratios hold on any machine:
//
//	go test ./store -run '^$' -bench 'NameKey|NameSort' -benchtime 3x

var (
	benchOnce sync.Once
	benchSt   *store.Store
	benchFile string
	benchN    int
	benchErr  error
)

func benchRegistry(b *testing.B) *store.Store {
	b.Helper()
	benchOnce.Do(func() {
		benchN = 200_000
		if s := os.Getenv("SHEQU_BENCH_RESIDENTS"); s != "" {
			benchN, _ = strconv.Atoi(s)
		}
		benchFile = filepath.Join(sharedDir, "names.db")
		ctx := context.Background()
		st, err := store.Open(ctx, benchFile)
		if err != nil {
			benchErr = err
			return
		}
		surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单解仇区")
		given := []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰志强")
		rng := rand.New(rand.NewPCG(1, 2))
		benchErr = st.Bulk(ctx, noEntry, func(bk *store.Bulk) error {
			street, err := bk.Area(model.Area{Level: model.LevelStreet, Name: "街道"})
			if err != nil {
				return err
			}
			grid, err := bk.Area(model.Area{ParentID: street, Level: model.LevelGrid, Name: "网格"})
			if err != nil {
				return err
			}
			for i := range benchN {
				name := string(surnames[rng.IntN(len(surnames))]) + string(given[rng.IntN(len(given))])
				if rng.IntN(2) == 0 {
					name += string(given[rng.IntN(len(given))])
				}
				status := model.StatusPresent
				if i%30 == 0 {
					status = model.Statuses[2+rng.IntN(2)]
				}
				if _, err := bk.Resident(model.Resident{Name: name, Sex: model.Male, Birth: fmt.Sprintf("%d-01-01", 1930+i%90),
					Kind: model.KindRegistered, Status: status, GridID: grid}, "", ""); err != nil {
					return err
				}
			}
			return nil
		})
		benchSt = st
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchSt
}

// BenchmarkNameKeyBackfill times migration 030's step in Go (a key per
// resident, written row by row) against one SQL statement that writes
// every row's key from its name without Go.
func BenchmarkNameKeyBackfill(b *testing.B) {
	st := benchRegistry(b)
	db := rawDB(b, benchFile)
	ctx := context.Background()
	var backfill, baseline time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := db.Exec("UPDATE resident SET name_key = CAST(name AS BLOB)"); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := store.BackfillNameKeysForTest(ctx, st); err != nil {
			b.Fatal(err)
		}
		baseline, backfill = baseline+t1.Sub(t0), backfill+time.Since(t1)
	}
	b.ReportMetric(float64(backfill.Milliseconds())/float64(b.N), "ms/backfill")
	b.ReportMetric(float64(backfill)/float64(baseline), "x-sql-update")
	names := make([]string, 0, benchN)
	rows, err := db.Query("SELECT name FROM resident")
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	t0 := time.Now()
	for _, n := range names {
		store.NameKey(n)
	}
	b.ReportMetric(float64(time.Since(t0).Milliseconds()), "ms/keys-alone")
	b.Logf("%d residents: backfill %v, one SQL UPDATE %v (%.1fx)", benchN, backfill/time.Duration(b.N), baseline/time.Duration(b.N),
		float64(backfill)/float64(baseline))
}

// BenchmarkNameSortPage times what the residents screen does for those
// living here sorted by name (count, first page, a jump to the middle and
// the page there) against the same sorted by id, the order of the rows,
// and against the whole registry by name (no state to look at).
func BenchmarkNameSortPage(b *testing.B) {
	st := benchRegistry(b)
	ctx := context.Background()
	screen := func(sort model.SortKey, c *model.Cohort) time.Duration {
		t0 := time.Now()
		q := model.ResidentQuery{AllGrids: true, Sort: sort, Cohort: c}
		n, err := st.CountResidents(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.ResidentPage(ctx, q, nil, 100, false); err != nil {
			b.Fatal(err)
		}
		at, _, err := st.ResidentCursorAt(ctx, q, n/2)
		if err != nil {
			b.Fatal(err)
		}
		if rows, err := st.ResidentPage(ctx, q, &at, 100, false); err != nil || len(rows) != 100 {
			b.Fatal(err)
		}
		return time.Since(t0)
	}
	living := &model.Cohort{Statuses: model.Living}
	var byName, byID, everyone time.Duration
	for b.Loop() {
		byID += screen(model.SortID, living)
		byName += screen(model.SortName, living)
		everyone += screen(model.SortName, nil)
	}
	b.ReportMetric(float64(byName.Microseconds())/float64(b.N), "µs/by-name")
	b.ReportMetric(float64(byName)/float64(byID), "x-by-id")
	b.ReportMetric(float64(byName)/float64(everyone), "x-everyone")
	b.Logf("%d residents, the living by name %v, by id %v; everyone by name %v", benchN, byName/time.Duration(b.N),
		byID/time.Duration(b.N), everyone/time.Duration(b.N))
}
