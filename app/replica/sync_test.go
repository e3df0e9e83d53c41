package replica_test

import (
	"context"
	"testing"

	"shequ/app"
)

// A new replica pulls its areas; edits on two replicas, of different
// fields of one resident, both arrive everywhere.
func TestReplicasConverge(t *testing.T) {
	stores(t, func(t *testing.T, spec func() string) {
		w := newWorld(t, spec(), 300)
		a, b := w.replica("admin"), w.replica("admin")
		same(t, "new replica", a.state(t), w.state())
		r := a.resident(t, 0)
		a.edit(t, r.ID, func(in *app.ResidentInput) { in.Phone = "13800001111" })
		bid := b.idOf(t, a.uid(t, r.ID))
		b.edit(t, bid, func(in *app.ResidentInput) { in.Notes = "独居，每周探访" })
		if res := a.sync(t); res.Pushed != 1 {
			t.Errorf("a pushed %d, want 1", res.Pushed)
		}
		b.sync(t)
		a.sync(t)
		for _, d := range []*desk{a, b} {
			same(t, "after edits", d.state(t), w.state())
		}
		got, err := b.Resident(context.Background(), b.actor, bid)
		if err != nil {
			t.Fatal(err)
		}
		if got.Phone != "13800001111" || got.Notes != "独居，每周探访" {
			t.Errorf("b holds phone %q notes %q; want both edits", got.Phone, got.Notes)
		}
		// A name edit pulled in is found by the name search (grams).
		a.edit(t, r.ID, func(in *app.ResidentInput) { in.Name = "欧阳同步" })
		a.sync(t)
		b.sync(t)
		list, err := b.Residents(context.Background(), b.actor, app.ListFilter{Search: "阳同"})
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := list.Count(context.Background()); n != 1 {
			got, _ := b.Resident(context.Background(), b.actor, bid)
			t.Errorf("search for the pulled name finds %d, want 1 (b has %q)", n, got.Name)
		}
	})
}

// The same field edited on two replicas from the same version: the later
// clock wins everywhere and a conflict waits for a person, who may take
// the other value.
func TestSameFieldConflict(t *testing.T) {
	stores(t, func(t *testing.T, spec func() string) {
		w := newWorld(t, spec(), 100)
		a, b := w.replica("admin"), w.replica("admin")
		r := a.resident(t, 3)
		bid := b.idOf(t, a.uid(t, r.ID))
		a.edit(t, r.ID, func(in *app.ResidentInput) { in.Phone = "13900000001" })
		b.edit(t, bid, func(in *app.ResidentInput) { in.Phone = "13900000002" }) // later
		a.sync(t)
		if res := b.sync(t); res.Conflicts != 1 {
			t.Errorf("b's push met %d conflicts, want 1", res.Conflicts)
		}
		a.sync(t)
		for _, d := range []*desk{a, b} {
			got, _ := d.Resident(context.Background(), d.actor, d.idOf(t, a.uid(t, r.ID)))
			if got.Phone != "13900000002" {
				t.Errorf("phone %q, want the later 13900000002", got.Phone)
			}
		}
		cs, err := a.SyncConflicts(context.Background(), a.actor)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Field != "phone" || cs[0].Kept != "139****0002" || cs[0].Lost != "139****0001" {
			t.Fatalf("conflicts %+v", cs)
		}
		if err := a.SyncResolve(context.Background(), a.actor, cs[0], true); err != nil {
			t.Fatal(err)
		}
		b.sync(t)
		for _, d := range []*desk{a, b} {
			got, _ := d.Resident(context.Background(), d.actor, d.idOf(t, a.uid(t, r.ID)))
			if got.Phone != "13900000001" {
				t.Errorf("after taking the other value: phone %q", got.Phone)
			}
		}
		if cs, _ := a.SyncConflicts(context.Background(), a.actor); len(cs) != 0 {
			t.Errorf("%d conflicts left", len(cs))
		}
		same(t, "a", a.state(t), w.state())
		same(t, "b", b.state(t), w.state())
	})
}

// A delete wins over an edit made elsewhere; the edit waits as a
// conflict, and taking it restores the resident.
func TestDeleteWins(t *testing.T) {
	stores(t, func(t *testing.T, spec func() string) {
		w := newWorld(t, spec(), 100)
		a, b := w.replica("admin"), w.replica("admin")
		r := a.resident(t, 5)
		uid := a.uid(t, r.ID)
		b.edit(t, b.idOf(t, uid), func(in *app.ResidentInput) { in.Notes = "改了" })
		if err := a.DeleteResident(context.Background(), a.actor, r.ID); err != nil {
			t.Fatal(err)
		}
		a.sync(t)
		b.sync(t)
		a.sync(t)
		if _, ok := w.state()["resident/"+uid]; ok {
			t.Fatal("the server still holds the deleted resident")
		}
		for _, d := range []*desk{a, b} {
			same(t, "after delete", d.state(t), w.state())
		}
		cs, err := b.SyncConflicts(context.Background(), b.actor)
		if err != nil || len(cs) != 1 || cs[0].Field != "_deleted" {
			t.Fatalf("conflicts %+v %v", cs, err)
		}
		if err := b.SyncResolve(context.Background(), b.actor, cs[0], true); err != nil {
			t.Fatal(err)
		}
		a.sync(t)
		got, err := a.Resident(context.Background(), a.actor, a.idOf(t, uid))
		if err != nil || got.Notes != "改了" || got.Name != r.Name {
			t.Fatalf("restored: %+v %v", got.Resident, err)
		}
		same(t, "a restored", a.state(t), w.state())
		same(t, "b restored", b.state(t), w.state())
	})
}

// An office's desktop registry seeds an empty server when it enrols;
// another desktop then pulls all of it.
func TestDesktopSeedsEmptyServer(t *testing.T) {
	stores(t, func(t *testing.T, spec func() string) {
		w := newWorld(t, spec(), 0)
		ctx := context.Background()
		d := w.open(t.TempDir() + "/office.db")
		var err error
		if d.actor, err = d.Init(ctx, "admin", pw, true); err != nil {
			t.Fatal(err)
		}
		if err := d.Demo(ctx, d.actor, 800, 5, nil); err != nil {
			t.Fatal(err)
		}
		_, res, err := d.SyncEnrol(ctx, d.actor, w.ts.URL, "", "admin", pw, nil)
		if err != nil || res.Refused != 0 {
			t.Fatalf("seeding: %+v %v", res, err)
		}
		same(t, "server seeded", w.state(), d.state(t))
		other := w.replica("admin")
		same(t, "another desktop", other.state(t), d.state(t))
		// A second desktop with a registry of its own cannot join.
		e := w.open(t.TempDir() + "/other.db")
		if e.actor, err = e.Init(ctx, "admin", pw, true); err != nil {
			t.Fatal(err)
		}
		if err := e.Demo(ctx, e.actor, 100, 6, nil); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.SyncEnrol(ctx, e.actor, w.ts.URL, "", "admin", pw, nil); err == nil {
			t.Fatal("a second registry was merged into the server's")
		}
	})
}
