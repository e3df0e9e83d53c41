package app_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/idnumber"
	"shequ/app/ledger/xlsxwrite"
	"shequ/app/model"
	"shequ/store"
)

// The benchmarks run on a district-sized demo database, made once and
// kept in the temporary folder (SHEQU_BENCH_RESIDENTS sets its size,
// default 1,500,000; making it takes a few minutes the first time), or
// on SHEQU_BENCH_DB as SHEQU_BENCH_USER with SHEQU_PASSWORD.
//
//	go test ./app -run '^$' -bench . -benchtime 200x

func benchApp(b *testing.B) (*app.App, *app.Actor, model.ResidentRow) {
	b.Helper()
	n := 1_500_000
	if s := os.Getenv("SHEQU_BENCH_RESIDENTS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("shequ-bench-%d.db", n))
	user, pw := "bench", "Ledger#2024x"
	if p := os.Getenv("SHEQU_BENCH_DB"); p != "" { // an existing database, e.g. from shequ demo
		path, user, pw = p, os.Getenv("SHEQU_BENCH_USER"), os.Getenv("SHEQU_PASSWORD")
	}
	_, statErr := os.Stat(path)
	st, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	a := app.New(st, nil)
	var actor *app.Actor
	if statErr != nil {
		b.Logf("making %d residents in %s", n, path)
		if actor, err = a.Init(ctx, user, pw, true); err != nil {
			b.Fatal(err)
		}
		if err := a.Demo(ctx, actor, n, 1, nil); err != nil {
			os.Remove(path)
			b.Fatal(err)
		}
	} else if actor, err = a.Login(ctx, user, pw); err != nil {
		b.Fatal(err)
	}
	// A resident from the middle of the district, to search for.
	l, err := a.Residents(ctx, actor, app.ListFilter{})
	if err != nil {
		b.Fatal(err)
	}
	c, _, err := l.CursorAt(ctx, n/2)
	if err != nil {
		b.Fatal(err)
	}
	rows, err := l.Page(ctx, &c, 50, false)
	if err != nil || len(rows) == 0 {
		b.Fatal(err)
	}
	for _, r := range rows {
		if r.IDNumber != "" && r.Phone != "" {
			return a, actor, r
		}
	}
	b.Fatal("no resident with ID number and phone")
	return nil, nil, model.ResidentRow{}
}

// screen is what the residents screen does for a filter: build the list,
// count it and load the first page.
func screen(b *testing.B, a *app.App, actor *app.Actor, f app.ListFilter) int {
	ctx := context.Background()
	l, err := a.Residents(ctx, actor, f)
	if err != nil {
		b.Fatal(err)
	}
	n, err := l.Count(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := l.Page(ctx, nil, 100, false); err != nil {
		b.Fatal(err)
	}
	return n
}

func BenchmarkSearch(b *testing.B) {
	a, actor, r := benchApp(b)
	name := []rune(r.Name)
	addr := fmt.Sprintf("%s%s栋%s单元%s", r.Address.Compound, r.Address.Building, r.Address.Unit, r.Address.Room)
	for _, c := range []struct{ name, text string }{
		{"IDNumber", r.IDNumber},
		{"Phone", r.Phone},
		{"Name1", string(name[:1])},
		{"Name2", string(name[:2])},
		{"Name3", string(name)},
		{"NameGiven", string(name[len(name)-1:])},
		{"Address", addr},
		{"Compound", r.Address.Compound},
		{"PhoneTail", r.Phone[len(r.Phone)-4:]},
	} {
		b.Run(c.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				n = screen(b, a, actor, app.ListFilter{Search: c.text})
			}
			b.ReportMetric(float64(n), "rows")
		})
	}
}

func BenchmarkPage(b *testing.B) {
	a, actor, r := benchApp(b)
	ctx := context.Background()
	for _, sort := range []model.SortKey{model.SortID, model.SortName, model.SortAge, model.SortAddress} {
		l, err := a.Residents(ctx, actor, app.ListFilter{Sort: sort})
		if err != nil {
			b.Fatal(err)
		}
		total, _ := l.Count(ctx)
		b.Run("First/"+string(sort), func(b *testing.B) {
			for b.Loop() {
				screen(b, a, actor, app.ListFilter{Sort: sort})
			}
		})
		b.Run("Last/"+string(sort), func(b *testing.B) {
			for b.Loop() {
				if _, err := l.Page(ctx, nil, 100, true); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("Middle/"+string(sort), func(b *testing.B) {
			for b.Loop() {
				c, _, err := l.CursorAt(ctx, total/2)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := l.Page(ctx, &c, 100, false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("Grid", func(b *testing.B) {
		for b.Loop() {
			screen(b, a, actor, app.ListFilter{AreaID: r.GridID})
		}
	})
}

// BenchmarkDemo makes a fresh 100,000-resident district per iteration.
func BenchmarkDemo(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "demo.db"))
		if err != nil {
			b.Fatal(err)
		}
		a := app.New(st, nil)
		actor, err := a.Init(ctx, "bench", "Ledger#2024x", true)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := a.Demo(ctx, actor, 100_000, 1, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
}

// benchCohorts are typical cohorts an office counts, over the whole
// district unless they name a grid.
func benchCohorts(b *testing.B, a *app.App, actor *app.Actor, grid int64) []struct {
	name string
	f    app.ListFilter
} {
	ctx := context.Background()
	lonely, err := a.TagByName(ctx, actor, "独居老人")
	if err != nil {
		b.Fatal(err)
	}
	c := func(cf app.CohortFilter) *app.CohortFilter { return &cf }
	return []struct {
		name string
		f    app.ListFilter
	}{
		{"Everyone", app.ListFilter{}},
		{"Women25to35", app.ListFilter{Cohort: c(app.CohortFilter{Ages: "25-35", Sex: model.Female})}},
		{"Over60", app.ListFilter{Cohort: c(app.CohortFilter{Ages: "60-"})}},
		{"Floating", app.ListFilter{Cohort: c(app.CohortFilter{Kinds: []model.Kind{model.KindFloating}})}},
		{"Grid", app.ListFilter{AreaID: grid, Cohort: c(app.CohortFilter{Ages: "0-6"})}},
		{"Tag", app.ListFilter{Cohort: c(app.CohortFilter{TagsAll: []int64{lonely.ID}})}},
		{"Alone", app.ListFilter{Cohort: c(app.CohortFilter{Ages: "70-", Alone: true})}},
	}
}

// BenchmarkCohortCount is the cohort builder's live count.
func BenchmarkCohortCount(b *testing.B) {
	a, actor, r := benchApp(b)
	ctx := context.Background()
	for _, c := range benchCohorts(b, a, actor, r.GridID) {
		b.Run(c.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				l, err := a.Residents(ctx, actor, c.f)
				if err != nil {
					b.Fatal(err)
				}
				if n, err = l.Count(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "rows")
		})
	}
}

// BenchmarkStats is the 数据看板 for a cohort: headline counts, the
// pyramid, areas, tags, composition and moves, all of them.
func BenchmarkStats(b *testing.B) {
	a, actor, r := benchApp(b)
	ctx := context.Background()
	for _, c := range benchCohorts(b, a, actor, r.GridID) {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := a.Stats(ctx, actor, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPyramid is the age–sex pyramid alone.
func BenchmarkPyramid(b *testing.B) {
	a, actor, r := benchApp(b)
	ctx := context.Background()
	for _, c := range benchCohorts(b, a, actor, r.GridID) {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := a.Pyramid(ctx, actor, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMatch is 碰撞比对 of a list of a million (990,000 of the
// district's residents, every hundredth under another name, and 10,000
// strangers) against the district, and the same list against the cohort
// of everyone for who it leaves out. The list is written once, beside
// the database.
func BenchmarkMatch(b *testing.B) {
	a, actor, _ := benchApp(b)
	ctx := context.Background()
	list := filepath.Join(os.TempDir(), "shequ-bench-list-1000000.xlsx")
	if _, err := os.Stat(list); err != nil {
		if err := writeBenchList(a.DBPath(), list); err != nil {
			os.Remove(list)
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name   string
		cohort *app.ListFilter
	}{{"List", nil}, {"ListAndEveryone", &app.ListFilter{}}} {
		b.Run(c.name, func(b *testing.B) {
			var res *app.MatchResult
			for b.Loop() {
				var err error
				if res, err = a.Match(ctx, actor, list, app.MatchOptions{Cohort: c.cohort}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.Rows), "rows")
			b.ReportMetric(float64(res.Count(app.MatchSame)), "matched")
		})
	}
}

func writeBenchList(dbPath, out string) error {
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Query("SELECT name, id_number FROM resident WHERE id_number <> '' ORDER BY id LIMIT 990000")
	if err != nil {
		return err
	}
	defer rows.Close()
	w, err := xlsxwrite.Create(out, []xlsxwrite.Column{{Header: "序号"}, {Header: "受种者姓名"}, {Header: "身份证号码"}},
		xlsxwrite.Options{Sheet: "接种名单", Rows: 1_000_000})
	if err != nil {
		return err
	}
	n := 0
	for rows.Next() {
		var name, id string
		if err := rows.Scan(&name, &id); err != nil {
			w.Abort()
			return err
		}
		n++
		if n%100 == 0 {
			name += "某"
		}
		if err := w.Row([]string{strconv.Itoa(n), name, id}); err != nil {
			w.Abort()
			return err
		}
	}
	for i := 0; i < 10_000; i++ {
		n++
		id := idnumber.Synthesize("110105", time.Date(1950+i%50, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), i/1000, idnumber.Male)
		if err := w.Row([]string{strconv.Itoa(n), "外来人员", id}); err != nil {
			w.Abort()
			return err
		}
	}
	if err := rows.Err(); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}

// BenchmarkVaccination is the 疫苗接种 screen at district scale: progress
// of a vaccine by grid, compound and age band for everyone, and the list
// of those still to call. The doses (four in five residents had a first,
// half a second) are written once into the bench database.
func BenchmarkVaccination(b *testing.B) {
	a, actor, r := benchApp(b)
	ctx := context.Background()
	seedBench(b, a.DBPath(), "vaccination",
		`INSERT INTO vaccination(uid, resident_id, vaccine, dose, day, at) SELECT randomblob(16), id, '新冠疫苗', 1, '2021-05-01', '' FROM resident WHERE id % 5 <> 0`,
		`INSERT INTO vaccination(uid, resident_id, vaccine, dose, day, at) SELECT randomblob(16), id, '新冠疫苗', 2, '2021-06-01', '' FROM resident WHERE id % 2 = 0`)
	for _, c := range []struct {
		name string
		f    app.ListFilter
	}{{"Everyone", app.ListFilter{}}, {"Grid", app.ListFilter{AreaID: r.GridID}}} {
		for _, by := range []model.VaccinationGroup{model.ByGrid, model.ByCompound, model.ByAge} {
			b.Run(c.name+"/"+string(by), func(b *testing.B) {
				for b.Loop() {
					if _, err := a.VaccinationProgress(ctx, actor, c.f, "新冠疫苗", 2, by); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(c.name+"/Todo", func(b *testing.B) {
			for b.Loop() {
				if _, err := a.Unvaccinated(ctx, actor, c.f, "新冠疫苗", 2); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVisits is 到访登记 at district scale: 1.45 million visits over
// two years (written once into the bench database, spread over the
// district's houses), listed and counted as the screen does.
func BenchmarkVisits(b *testing.B) {
	a, actor, r := benchApp(b)
	ctx := context.Background()
	// Visit i goes to house i·7919 mod houses, at minute i·37 of two years.
	seedBench(b, a.DBPath(), "visit", `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1450000),
			hs AS (SELECT h.id, h.grid_id, b.compound_id, c.community_id, row_number() OVER (ORDER BY h.id) - 1 AS k
				FROM house h JOIN unit u ON u.id = h.unit_id JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id),
			cnt AS (SELECT count(*) AS m FROM hs)
			INSERT INTO visit(uid, compound_id, community_id, house_id, grid_id, name, id_number, phone, reason, health, time_in, time_out, at)
			SELECT randomblob(16), hs.compound_id, hs.community_id, hs.id, hs.grid_id, '访客' || (i % 5000), '', '138' || printf('%08d', i),
				'探亲', '正常', strftime('%Y-%m-%d %H:%M', '2024-12-01', '+' || (i * 37 % 1051200) || ' minutes'), '', ''
			FROM n, cnt JOIN hs ON hs.k = (n.i * 7919) % cnt.m`)
	areas, err := a.VisibleAreas(ctx, actor)
	if err != nil {
		b.Fatal(err)
	}
	var community int64
	for _, ar := range areas {
		if ar.ID == r.GridID {
			community = ar.ParentID
		}
	}
	worker := &app.Actor{Account: model.Account{ID: actor.Account.ID, Username: "bench", Role: model.RoleWorker, AreaIDs: []int64{community}}}
	day := "2026-06-15"
	for _, c := range []struct {
		name  string
		actor *app.Actor
		f     app.VisitFilter
	}{
		{"District/Day", actor, app.VisitFilter{From: day, To: day}},
		{"District/All", actor, app.VisitFilter{}},
		{"District/Person", actor, app.VisitFilter{Person: "访客123"}},
		{"Community/Day", worker, app.VisitFilter{From: day, To: day}},
		{"Community/All", worker, app.VisitFilter{}},
		{"Community/Inside", worker, app.VisitFilter{Inside: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var total int
			for b.Loop() {
				var err error
				if _, total, err = a.Visits(ctx, c.actor, c.f, nil, 200); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(total), "rows")
		})
	}
}

// seedBench writes rows into an empty table of the bench database once,
// and analyzes it for the planner.
func seedBench(b *testing.B, path, table string, inserts ...string) {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		b.Fatal(err)
	}
	if n > 0 {
		return
	}
	for _, q := range append(inserts, "PRAGMA analysis_limit = 1000; ANALYZE "+table) {
		if _, err := db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScenarios measures the community scenarios on the district: a
// year of bookings of a street's 31 spaces (a week's schedule, a year's
// usage, a booking checked against them), and a community's old invited to
// an activity and issued a coupon each.
func BenchmarkScenarios(b *testing.B) {
	a, actor, r := benchApp(b)
	ctx := context.Background()
	areas, err := a.VisibleAreas(ctx, actor)
	if err != nil {
		b.Fatal(err)
	}
	var street, community int64
	for _, ar := range areas {
		if ar.ID == r.GridID {
			community = ar.ParentID
		}
	}
	for _, ar := range areas {
		if ar.ID == community {
			street = ar.ParentID
		}
	}
	// 31 spaces of the street, each booked six times a day for a year.
	seedBench(b, a.DBPath(), "space", fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 31)
		INSERT INTO space(uid, area_id, name, capacity, opens, closes, at) SELECT randomblob(16), %d, '活动室' || i, 40, '08:00', '21:00', '' FROM n`, street),
		`WITH RECURSIVE d(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < 364), s(h) AS (VALUES (8), (10), (12), (14), (16), (19))
		INSERT INTO booking(uid, space_id, starts, ends, organisation, contact, phone, purpose, people, at)
		SELECT randomblob(16), sp.id, date('2026-06-01', '+' || k || ' days') || printf(' %02d:00', h),
			date('2026-06-01', '+' || k || ' days') || printf(' %02d:30', h + 1), '舞蹈队', '李老师', '13800001111', '排练', 20, ''
		FROM space sp, d, s`)
	spaces, err := a.Spaces(ctx, actor)
	if err != nil || len(spaces) < 31 {
		b.Fatal(len(spaces), err)
	}
	b.Run("Bookings/Week", func(b *testing.B) {
		var n int
		for b.Loop() {
			list, err := a.Bookings(ctx, actor, nil, "2026-11-30", "2026-12-06")
			if err != nil {
				b.Fatal(err)
			}
			n = len(list)
		}
		b.ReportMetric(float64(n), "rows")
	})
	b.Run("Bookings/UsageYear", func(b *testing.B) {
		for b.Loop() {
			if _, err := a.SpaceUsage(ctx, actor, "2026-06-01", "2027-05-31"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Bookings/Clash", func(b *testing.B) {
		in := app.BookingInput{SpaceID: spaces[0].ID, Day: "2027-03-03", From: "10:00", To: "11:00", Organisation: "书画社", Contact: "王老师",
			Phone: "13800002222"}
		for b.Loop() {
			if _, err := a.BookSpace(ctx, actor, in); !errors.Is(err, model.ErrInvalid) {
				b.Fatal(err)
			}
		}
	})
	old := app.ListFilter{AreaID: community, Cohort: &app.CohortFilter{Ages: "60-"}}
	if err := a.SaveCohort(ctx, actor, "老年人", *old.Cohort); err != nil {
		b.Fatal(err)
	}
	b.Run("Activity/InviteCommunity", func(b *testing.B) {
		var n int
		for b.Loop() {
			id, err := a.AddActivity(ctx, actor, app.ActivityInput{AreaID: community, Name: fmt.Sprint("讲座", time.Now().UnixNano()),
				Day: "2030-01-01", From: "9:00", To: "10:00", Place: "广场", Capacity: "100", Cohort: "老年人"})
			if err != nil {
				b.Fatal(err)
			}
			if n, err = a.Invite(ctx, actor, id); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n), "invited")
	})
	var shop int64
	if list, _ := a.Merchants(ctx, actor); len(list) > 0 {
		shop = list[0].ID
	} else if shop, err = a.AddMerchant(ctx, actor, app.MerchantInput{AreaID: community, Name: "红旗超市"}); err != nil {
		b.Fatal(err)
	}
	b.Run("Coupon/IssueCommunity", func(b *testing.B) {
		var n int
		for b.Loop() {
			batch, err := a.AddBatch(ctx, actor, app.BatchInput{MerchantID: shop, Name: fmt.Sprint("敬老券", time.Now().UnixNano()), Value: "20",
				From: "2026-01-01", To: "2030-12-31", Quota: "1000000"})
			if err != nil {
				b.Fatal(err)
			}
			if n, _, err = a.IssueCoupons(ctx, actor, batch, old); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n), "issued")
	})
}
