package replica_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"shequ/app"
	"shequ/app/model"
	"shequ/store/hub"
)

// residentsIn counts a state's residents by grid.
func residentsIn(s map[string]map[string]string) map[string]int {
	n := map[string]int{}
	for k, f := range s {
		if strings.HasPrefix(k, "resident/") {
			n[f["grid"]]++
		}
	}
	return n
}

// A grid worker's desktop holds only their grid's residents; one who
// moves to another grid disappears from it, with their homes, and shows
// up on the other grid's.
func TestGridWorkerPullsOnlyTheirGrid(t *testing.T) {
	stores(t, func(t *testing.T, spec func() string) {
		w := newWorld(t, spec(), 2000)
		if w.grid2 == "" {
			t.Fatal("the demo made one grid")
		}
		g := w.replica("grid1")
		byGrid := residentsIn(g.state(t))
		if len(byGrid) != 1 || byGrid[w.grid1] != residentsIn(w.state())[w.grid1] {
			t.Fatalf("grid worker holds %v; the server's grid1 has %d", byGrid, residentsIn(w.state())[w.grid1])
		}
		admin := w.replica("admin")
		var mover, stayer model.ResidentRow
		list, _ := admin.Residents(context.Background(), admin.actor, app.ListFilter{})
		rows, _ := list.Page(context.Background(), nil, 2000, false)
		grid2 := admin.idOf
		_ = grid2
		for _, r := range rows {
			gu, _ := admin.st.UIDOf(context.Background(), "area", r.GridID)
			if gu == w.grid1 && mover.ID == 0 && r.Relation != model.RelHead {
				mover = r
			}
			if gu == w.grid2 && stayer.ID == 0 {
				stayer = r
			}
		}
		if mover.ID == 0 || stayer.ID == 0 {
			t.Fatal("no residents to move")
		}
		uid := admin.uid(t, mover.ID)
		if err := admin.MoveResident(context.Background(), admin.actor, mover.ID, stayer.HouseID, model.RelOther, time.Now().Format("2006-01-02")); err != nil {
			t.Fatal(err)
		}
		admin.sync(t)
		g.sync(t)
		if _, ok := g.state(t)["resident/"+uid]; ok {
			t.Fatal("the resident who moved away is still on the grid worker's desktop")
		}
		if id, err := g.st.IDOf(context.Background(), "resident", uid); err == nil {
			if _, err := g.Resident(context.Background(), g.actor, id); err == nil {
				t.Fatal("the grid worker still opens the resident who moved away")
			}
		}
		fresh := w.replica("grid1")
		same(t, "grid worker after the move", g.state(t), fresh.state(t))
		same(t, "admin", admin.state(t), w.state())
	})
}

// Access is decided on the server: a grid worker's change to a resident
// of another grid, or any change by a leader, is refused there.
func TestServerRefusesOutOfScope(t *testing.T) {
	w := newWorld(t, "sqlite:"+t.TempDir()+"/s.db", 2000)
	ctx := context.Background()
	st := w.state()
	var other string
	for k, f := range st {
		if strings.HasPrefix(k, "resident/") && f["grid"] == w.grid2 {
			other = strings.TrimPrefix(k, "resident/")
			break
		}
	}
	g := w.replica("grid1")
	kv, _ := g.st.SyncState(ctx)
	cl, _ := newRawClient(w, kv["token"])
	op := model.SyncOp{Seq: 1000, Entity: "resident", UID: other, Op: model.OpPut, Fields: map[string]string{"notes": "越权"}, HLC: hlcNow(0)}
	res, err := cl.Push(ctx, []model.SyncOp{op})
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != 0 || len(res.Refused) != 1 || res.Refused[0].Code != "forbidden" {
		t.Fatalf("push to another grid: %+v", res)
	}
	if w.state()["resident/"+other]["notes"] == "越权" {
		t.Fatal("the server took it")
	}
	// Moving a resident of one's own grid into another grid is allowed.
	var mine string
	for k, f := range st {
		if strings.HasPrefix(k, "resident/") && f["grid"] == w.grid1 {
			mine = strings.TrimPrefix(k, "resident/")
			break
		}
	}
	op = model.SyncOp{Seq: 1001, Entity: "resident", UID: mine, Op: model.OpPut, Fields: map[string]string{"grid": w.grid2}, HLC: hlcNow(0)}
	if res, err := cl.Push(ctx, []model.SyncOp{op}); err != nil || res.Applied != 1 {
		t.Fatalf("move out of one's grid: %+v %v", res, err)
	}
	_ = hub.Visible{}
}

// A grid worker given another grid resyncs in full: the old grid's
// residents leave the desktop, the new grid's arrive.
func TestAreaChangeResyncs(t *testing.T) {
	w := newWorld(t, "sqlite:"+t.TempDir()+"/s.db", 2000)
	ctx := context.Background()
	g := w.replica("grid1")
	acc, err := w.hub.AccountByName(ctx, "grid1")
	if err != nil {
		t.Fatal(err)
	}
	acc.Areas = []string{w.grid2}
	if err := w.hub.PutAccount(ctx, acc); err != nil {
		t.Fatal(err)
	}
	res := g.sync(t)
	if !res.Resync || res.Forgotten == 0 {
		t.Fatalf("after the change of areas: %+v", res)
	}
	if byGrid := residentsIn(g.state(t)); len(byGrid) != 1 || byGrid[w.grid2] == 0 {
		t.Fatalf("the desktop holds %v", byGrid)
	}
	same(t, "after the resync", g.state(t), w.replica("grid1").state(t))
}

// A desktop away longer than the server keeps changes resyncs in full,
// and ends equal to the server with nothing left over.
func TestOldCursorResyncs(t *testing.T) {
	stores(t, func(t *testing.T, spec func() string) {
		w := newWorld(t, spec(), 200)
		ctx := context.Background()
		away, here := w.replica("admin"), w.replica("admin")
		r := here.resident(t, 4)
		here.edit(t, r.ID, func(in *app.ResidentInput) { in.Notes = "离开期间的修改" })
		if err := here.DeleteResident(ctx, here.actor, here.resident(t, 6).ID); err != nil {
			t.Fatal(err)
		}
		here.sync(t)
		if n, err := w.hub.Prune(ctx, -time.Hour); err != nil || n == 0 {
			t.Fatalf("prune: %d %v", n, err)
		}
		res := away.sync(t)
		if !res.Resync {
			t.Fatalf("a cursor older than the feed did not resync: %+v", res)
		}
		same(t, "after the resync", away.state(t), w.state())
		if n, _ := away.st.SyncProblems(ctx); n != 0 {
			t.Errorf("%d problems", n)
		}
	})
}

// An administrator enrols a new desktop for a grid worker: the grid
// worker's account is made on it, to sign in with their own password.
func TestEnrolForAnotherAccount(t *testing.T) {
	w := newWorld(t, "sqlite:"+t.TempDir()+"/s.db", 100)
	ctx := context.Background()
	d := w.open(t.TempDir() + "/laptop.db")
	admin, err := d.Init(ctx, "admin", pw, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.SyncEnrol(ctx, admin, w.ts.URL, "", "grid1", pw, nil); err != nil {
		t.Fatal(err)
	}
	g, err := d.Login(ctx, "grid1", pw)
	if err != nil {
		t.Fatalf("the grid worker signs in on the new desktop: %v", err)
	}
	// Everyone of the grid ever registered, former residents too.
	all := &app.CohortFilter{Statuses: model.Statuses}
	list, err := d.Residents(ctx, g, app.ListFilter{Cohort: all})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := list.Count(ctx); n != 100 {
		t.Errorf("the grid worker sees %d residents, want their grid's 100", n)
	}
}

// A push names other rows (a residence its resident and house, a house its
// grid …): each must be one the pusher may touch, not only the row's own
// scope. A grid worker's residence re-pointed at another grid's resident
// would otherwise be applied and carried to that grid's desktops.
func TestServerChecksWhatAPushPointsAt(t *testing.T) {
	stores(t, func(t *testing.T, spec func() string) {
		w := newWorld(t, spec(), 2000)
		ctx := context.Background()
		acc, err := w.hub.AccountByName(ctx, "grid1")
		if err != nil {
			t.Fatal(err)
		}
		acc.ID, acc.Username, acc.Areas = 0, "grid2", []string{w.grid2}
		if err := w.hub.PutAccount(ctx, acc); err != nil {
			t.Fatal(err)
		}
		other := w.replica("grid2")
		st := w.state()
		var mine, theirs, myResidence, theirHouse, myHouse string
		for k, f := range st {
			uid := k[strings.IndexByte(k, '/')+1:]
			switch {
			case strings.HasPrefix(k, "resident/") && f["grid"] == w.grid1 && mine == "":
				mine = uid
			case strings.HasPrefix(k, "resident/") && f["grid"] == w.grid2 && theirs == "":
				theirs = uid
			case strings.HasPrefix(k, "house/") && f["grid"] == w.grid2 && theirHouse == "":
				theirHouse = uid
			case strings.HasPrefix(k, "house/") && f["grid"] == w.grid1 && myHouse == "":
				myHouse = uid
			}
		}
		for k, f := range st {
			if strings.HasPrefix(k, "residence/") && f["resident"] == mine {
				myResidence = strings.TrimPrefix(k, "residence/")
			}
		}
		if mine == "" || theirs == "" || myResidence == "" || theirHouse == "" || myHouse == "" {
			t.Fatal("the demo lacks a resident, residence or house in each grid")
		}
		g := w.replica("grid1")
		kv, _ := g.st.SyncState(ctx)
		cl, _ := newRawClient(w, kv["token"])
		fresh := "0123456789abcdef0123456789abcdef"
		seq := int64(2000)
		for _, c := range []struct {
			what   string
			entity string
			uid    string
			fields map[string]string
		}{
			{"a residence of one's grid re-pointed at another grid's resident", "residence", myResidence, map[string]string{"resident": theirs}},
			{"a residence of one's grid re-pointed at another grid's house", "residence", myResidence, map[string]string{"house": theirHouse}},
			{"a new residence of another grid's resident", "residence", fresh, map[string]string{"resident": theirs, "house": myHouse,
				"relation": "other", "since": "2026-01-01"}},
			{"one's resident put in another grid's house", "resident", mine, map[string]string{"house": theirHouse}},
			{"a house of one's street given to another grid", "house", myHouse, map[string]string{"grid": w.grid2}},
		} {
			seq++
			op := model.SyncOp{Seq: seq, Entity: c.entity, UID: c.uid, Op: model.OpPut, Fields: c.fields, HLC: hlcNow(0)}
			res, err := cl.Push(ctx, []model.SyncOp{op})
			if err != nil {
				t.Fatal(err)
			}
			if res.Applied != 0 || len(res.Refused) != 1 || res.Refused[0].Code != "forbidden" {
				t.Errorf("%s: %+v", c.what, res)
			}
		}
		same(t, "the server after the refused pushes", w.state(), st)
		other.sync(t)
		for k, f := range other.state(t) {
			if strings.HasPrefix(k, "residence/") && f["resident"] == theirs && strings.TrimPrefix(k, "residence/") == myResidence {
				t.Fatal("grid 1's residence reached grid 2")
			}
		}
		// What a grid worker does every day still goes through.
		seq++
		op := model.SyncOp{Seq: seq, Entity: "residence", UID: myResidence, Op: model.OpPut, Fields: map[string]string{"house": myHouse}, HLC: hlcNow(0)}
		if res, err := cl.Push(ctx, []model.SyncOp{op}); err != nil || res.Applied != 1 {
			t.Fatalf("a residence moved within one's grid: %+v %v", res, err)
		}
	})
}

// What each kind of account pulls: an administrator with the
// personal-data view everyone, one without it nobody (the places only), a
// grid worker and a 领导 of a grid that grid's residents and residences.
func TestPullsKeepToScope(t *testing.T) {
	w := newWorld(t, "sqlite:"+t.TempDir()+"/s.db", 2000)
	ctx := context.Background()
	base, err := w.hub.AccountByName(ctx, "grid1")
	if err != nil {
		t.Fatal(err)
	}
	for _, acc := range []model.ServerAccount{
		{Username: "keeper", Role: "admin"},
		{Username: "leader2", Role: "leader", Areas: []string{w.grid2}},
	} {
		acc.PasswordHash = base.PasswordHash
		if err := w.hub.PutAccount(ctx, acc); err != nil {
			t.Fatal(err)
		}
	}
	server := w.state()
	for _, c := range []struct {
		user  string
		grids map[string]bool // nil: every grid
	}{
		{"admin", nil},
		{"keeper", map[string]bool{}},
		{"grid1", map[string]bool{w.grid1: true}},
		{"leader2", map[string]bool{w.grid2: true}},
	} {
		got := w.replica(c.user).state(t)
		residents, places := 0, 0
		for k, f := range got {
			switch {
			case strings.HasPrefix(k, "resident/"):
				residents++
				if c.grids != nil && !c.grids[f["grid"]] {
					t.Errorf("%s pulled a resident of grid %s", c.user, f["grid"])
				}
			case strings.HasPrefix(k, "residence/"):
				owner := server["resident/"+f["resident"]]
				if c.grids != nil && !c.grids[owner["grid"]] {
					t.Errorf("%s pulled a residence of grid %s", c.user, owner["grid"])
				}
			case strings.HasPrefix(k, "house/"):
				places++
			}
		}
		want := 0
		for k, f := range server {
			if strings.HasPrefix(k, "resident/") && (c.grids == nil || c.grids[f["grid"]]) {
				want++
			}
		}
		if residents != want || places == 0 {
			t.Errorf("%s pulled %d residents (want %d) and %d houses", c.user, residents, want, places)
		}
	}
}
