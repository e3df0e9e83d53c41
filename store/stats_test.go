package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"shequ/app/model"
	"shequ/store"
)

// summaryDrift lists the rows where a summary kept by triggers differs from
// a count made afresh from the residents.
func summaryDrift(t *testing.T, db *sql.DB) []string {
	t.Helper()
	checks := map[string]string{
		"age_count": `SELECT sex || '/' || year || '/' || grid_id || '/' || kind || '/' || status, n FROM age_count WHERE n <> 0
			EXCEPT SELECT sex || '/' || CAST(substr(birth, 1, 4) AS INTEGER) || '/' || grid_id || '/' || kind || '/' || status, count(*)
			FROM resident GROUP BY 1`,
		"age_count missing": `SELECT sex || '/' || CAST(substr(birth, 1, 4) AS INTEGER) || '/' || grid_id || '/' || kind || '/' || status, count(*)
			FROM resident GROUP BY 1 EXCEPT SELECT sex || '/' || year || '/' || grid_id || '/' || kind || '/' || status, n FROM age_count`,
		"age_total": `SELECT sex || '/' || year || '/' || kind || '/' || status, n FROM age_total WHERE n <> 0
			EXCEPT SELECT sex || '/' || CAST(substr(birth, 1, 4) AS INTEGER) || '/' || kind || '/' || status, count(*)
			FROM resident GROUP BY 1`,
		"age_total missing": `SELECT sex || '/' || CAST(substr(birth, 1, 4) AS INTEGER) || '/' || kind || '/' || status, count(*)
			FROM resident GROUP BY 1 EXCEPT SELECT sex || '/' || year || '/' || kind || '/' || status, n FROM age_total`,
		"alone": `SELECT id, alone FROM resident r WHERE alone IS NOT (status IN ('present', 'away') AND house_id <> 0
			AND (SELECT count(*) FROM resident m WHERE m.house_id = r.house_id AND m.status IN ('present', 'away')) = 1)`,
		"tag_count": `SELECT tag_id || '/' || grid_id || '/' || status, n FROM tag_count WHERE n <> 0
			EXCEPT SELECT rt.tag_id || '/' || r.grid_id || '/' || r.status, count(*) FROM resident_tag rt JOIN resident r ON r.id = rt.resident_id GROUP BY 1`,
		"tag_count missing": `SELECT rt.tag_id || '/' || r.grid_id || '/' || r.status, count(*) FROM resident_tag rt JOIN resident r ON r.id = rt.resident_id GROUP BY 1
			EXCEPT SELECT tag_id || '/' || grid_id || '/' || status, n FROM tag_count`,
		"house_members": `SELECT house_id, n FROM house_members WHERE n <> 0
			EXCEPT SELECT house_id, count(*) FROM resident WHERE house_id <> 0 AND status IN ('present', 'away') GROUP BY 1`,
		"house_members missing": `SELECT house_id, count(*) FROM resident WHERE house_id <> 0 AND status IN ('present', 'away') GROUP BY 1
			EXCEPT SELECT house_id, n FROM house_members`,
		"vaccine_count": `SELECT vaccine || '/' || dose || '/' || grid_id || '/' || status, n FROM vaccine_count WHERE n <> 0
			EXCEPT SELECT v.vaccine || '/' || max(v.dose) || '/' || r.grid_id || '/' || r.status, 1 FROM vaccination v
			JOIN resident r ON r.id = v.resident_id GROUP BY v.resident_id, v.vaccine`,
		"vaccine_count missing": `SELECT k, count(*) FROM (SELECT v.vaccine || '/' || max(v.dose) || '/' || r.grid_id || '/' || r.status AS k
			FROM vaccination v JOIN resident r ON r.id = v.resident_id GROUP BY v.resident_id, v.vaccine) GROUP BY 1
			EXCEPT SELECT vaccine || '/' || dose || '/' || grid_id || '/' || status, n FROM vaccine_count`,
	}
	var out []string
	for name, q := range checks {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(name, err)
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			out = append(out, name+" "+k)
		}
		rows.Close()
	}
	return out
}

// TestSummariesFollowEveryChange: the counts kept by triggers stay equal to
// a recount through creating, editing, moving, leaving, tagging, merging
// and deleting tags.
func TestSummariesFollowEveryChange(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "s.db")
	st, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	db := rawDB(t, file)
	acc := makeAccount(t, st, "clerk")
	p := makePlaces(t, st, acc)
	check := func(step string) {
		t.Helper()
		if d := summaryDrift(t, db); len(d) > 0 {
			t.Fatalf("after %s the summaries drift: %v", step, d)
		}
	}

	a, err := st.CreateResident(ctx, noEntry, acc, wang(p.H101), "2001-05-01")
	if err != nil {
		t.Fatal(err)
	}
	b := wang(p.H101)
	b.Name, b.IDNumber, b.Sex, b.Birth, b.Relation = "李强", "", model.Male, "1980-07-01", model.RelSpouse
	bid, err := st.CreateResident(ctx, noEntry, acc, b, "2001-05-01")
	if err != nil {
		t.Fatal(err)
	}
	check("create")

	t1, err := st.CreateTag(ctx, noEntry, model.Tag{Category: "特殊群体", Name: "测试甲"})
	if err != nil {
		t.Fatal(err)
	}
	t2, err := st.CreateTag(ctx, noEntry, model.Tag{Category: "志愿者", Name: "测试乙"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetTag(ctx, noEntry, acc, t1, []int64{a, bid}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetTag(ctx, noEntry, acc, t2, []int64{a}, true); err != nil {
		t.Fatal(err)
	}
	check("tag")

	r, _ := st.Resident(ctx, a)
	r.Birth, r.Sex, r.Kind = "1950-01-02", model.Male, model.KindFloating
	if _, err := st.UpdateResident(ctx, noEntry, acc, r); err != nil {
		t.Fatal(err)
	}
	check("edit")

	// Doses, out of order: the highest counts.
	for _, v := range []model.Vaccination{{ResidentID: a, Vaccine: "新冠疫苗", Dose: 2, Day: "2021-06-01"},
		{ResidentID: a, Vaccine: "新冠疫苗", Dose: 1, Day: "2021-05-01"}, {ResidentID: bid, Vaccine: "新冠疫苗", Dose: 1, Day: "2021-05-01"},
		{ResidentID: a, Vaccine: "流感疫苗", Dose: 1, Day: "2025-10-01"}, {ResidentID: bid, Vaccine: "新冠疫苗", Dose: 3, Day: "2022-01-01"}} {
		if _, _, err := st.AddVaccinations(ctx, noEntry, acc, []model.Vaccination{v}); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("dose %d of %s", v.Dose, v.Vaccine))
	}
	if err := st.MoveResident(ctx, noEntry, acc, a, p.H201, model.RelHead, "2024-03-01"); err != nil {
		t.Fatal(err)
	}
	check("move to another grid")

	if err := st.LeaveHouse(ctx, noEntry, acc, bid, model.StatusMoved, "2025-01-01"); err != nil {
		t.Fatal(err)
	}
	check("leave")

	if err := st.MergeTags(ctx, noEntry, t1, t2); err != nil {
		t.Fatal(err)
	}
	check("merge tags")
	if _, err := st.SetTag(ctx, noEntry, acc, t2, []int64{a}, false); err != nil {
		t.Fatal(err)
	}
	check("untag")
	if err := st.DeleteTag(ctx, noEntry, t2); err != nil {
		t.Fatal(err)
	}
	check("delete tag")
}

// TestBirthCountsSplitYearsExactly: counts in ranges that cut years in both
// halves, from the summary, equal the counts from the residents.
func TestBirthCountsSplitYearsExactly(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	acc := makeAccount(t, st, "clerk")
	p := makePlaces(t, st, acc)
	births := []string{"1950-01-01", "1950-03-15", "1950-06-30", "1950-07-01", "1950-12-31", "1951-02-28", "1979-11-29", "1979-11-30", "2000-02-29", ""}
	for i, d := range births {
		r := wang(p.H101)
		r.IDNumber, r.Birth = "", d
		if i%2 == 1 {
			r.Sex = model.Male
		}
		if _, err := st.CreateResident(ctx, noEntry, acc, r, "2001-05-01"); err != nil {
			t.Fatal(err)
		}
	}
	bounds := []string{"0", "1950-03-15", "1950-07-01", "1950-12-31", "1979-11-29", "2000-02-28", "9999-12-31"}
	sexes := []model.Sex{model.Female, model.Male}
	// A summarized query, and the same with a filter the summary lacks
	// (every resident here has a phone), which counts day by day.
	fast, fastOthers, err := st.BirthCounts(ctx, model.ResidentQuery{AllGrids: true}, sexes, bounds)
	if err != nil {
		t.Fatal(err)
	}
	slow, slowOthers, err := st.BirthCounts(ctx, model.ResidentQuery{AllGrids: true, Cohort: &model.Cohort{Relations: []model.Relation{model.RelHead}}}, sexes, bounds)
	if err != nil {
		t.Fatal(err)
	}
	if fastOthers != 1 || slowOthers != 1 { // the one of unknown birth
		t.Errorf("others: %d and %d", fastOthers, slowOthers)
	}
	want := [][]int{{1, 1, 1, 1, 0, 1}, {1, 1, 0, 1, 1, 0}}
	for i := range want {
		for j := range want[i] {
			if fast[i][j] != want[i][j] || slow[i][j] != want[i][j] {
				t.Errorf("sex %s range %s–%s: summary %d, by day %d, want %d", sexes[i], bounds[j], bounds[j+1], fast[i][j], slow[i][j], want[i][j])
			}
		}
	}
}

// TestABulkLoadCountsItsSummariesAtTheEnd: a load into an empty registry,
// which counts the summaries once at the end, leaves them as the triggers
// would have, and the triggers work again afterwards.
func TestABulkLoadCountsItsSummariesAtTheEnd(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	db := rawDB(t, st.Path())
	var houses []int64
	err := st.Bulk(ctx, noEntry, func(b *store.Bulk) error {
		street, _ := b.Area(model.Area{Level: model.LevelStreet, Name: "街道"})
		comm, _ := b.Area(model.Area{ParentID: street, Level: model.LevelCommunity, Name: "社区"})
		grid, _ := b.Area(model.Area{ParentID: comm, Level: model.LevelGrid, Name: "网格"})
		c, _ := b.Compound(model.Compound{CommunityID: comm, Name: "小区"})
		bd, _ := b.Building(model.Building{CompoundID: c, Name: "1"})
		u, _ := b.Unit(model.Unit{BuildingID: bd, Name: "1"})
		tag, _, err := b.TagID("独居老人")
		if err != nil {
			return err
		}
		for i := range 12 {
			h, err := b.House(model.House{UnitID: u, Room: fmt.Sprint(101 + i), GridID: grid, Use: model.UseOwner})
			if err != nil {
				return err
			}
			houses = append(houses, h)
			// one, two or three members, one of them moved out
			for m := range 1 + i%3 {
				r := model.Resident{Name: "居民", Sex: model.Male, Birth: fmt.Sprintf("19%02d-0%d-15", 30+i*5, 1+m), Kind: model.KindRegistered,
					Status: model.StatusPresent, HouseID: h, Relation: model.RelHead, GridID: grid}
				until := ""
				if m == 2 {
					r.Status, until = model.StatusMoved, "2025-01-01"
				}
				id, err := b.Resident(r, "2020-01-01", until)
				if err != nil {
					return err
				}
				if m == 0 {
					if err := b.TagResident(id, tag, 0); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := summaryDrift(t, db); len(d) > 0 {
		t.Fatalf("after the load: %v", d)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").Scan(&n); err != nil || n < 12 {
		t.Fatalf("%d triggers after the load: %v", n, err)
	}
	acc := makeAccount(t, st, "clerk")
	r := wang(houses[0])
	if _, err := st.CreateResident(ctx, noEntry, acc, r, "2026-01-01"); err != nil {
		t.Fatal(err)
	}
	if d := summaryDrift(t, db); len(d) > 0 {
		t.Fatalf("after a resident joined a house: %v", d)
	}
}
