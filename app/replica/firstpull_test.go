package replica_test

import (
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"shequ/app"
	"shequ/app/replica"
	"shequ/store"
	"shequ/store/hub"
)

// A full page of the pull is gzipped for a client that takes it, and
// plain for one that does not ask.
func TestPullPagesGzipped(t *testing.T) {
	w := newWorld(t, "sqlite:"+filepath.Join(t.TempDir(), "server.db"), 3000)
	cl, _ := newRawClient(w, "")
	if _, err := cl.Enrol(context.Background(), replica.EnrolRequest{Username: "admin", Password: pw, Node: strings.Repeat("ab", 16)}); err != nil {
		t.Fatal(err)
	}
	// The transport unpacks nothing by itself: what travels is seen.
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	// A round's few changes go plain: packing costs more than it saves.
	req, _ := http.NewRequest(http.MethodPost, w.ts.URL+"/v1/pull", strings.NewReader(`{"cursor": "", "limit": 100}`))
	req.Header.Set("Authorization", "Bearer "+cl.Token)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := raw.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Content-Encoding"); got != "" {
		t.Errorf("a page of 100 rows answered with Content-Encoding %q", got)
	}
	rows := map[string]int{}
	for _, accept := range []string{"gzip", ""} {
		req, _ := http.NewRequest(http.MethodPost, w.ts.URL+"/v1/pull", strings.NewReader(`{"cursor": "", "limit": 5000}`))
		req.Header.Set("Authorization", "Bearer "+cl.Token)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		resp, err := raw.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		packed, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body := packed
		if got := resp.Header.Get("Content-Encoding"); got != accept {
			t.Fatalf("Accept-Encoding %q: answered with Content-Encoding %q", accept, got)
		}
		if accept == "gzip" {
			zr, err := gzip.NewReader(strings.NewReader(string(packed)))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
			if len(packed)*3 > len(body) {
				t.Errorf("a page of %d bytes packed to %d", len(body), len(packed))
			}
		}
		var p hub.Page
		if err := json.Unmarshal(body, &p); err != nil || len(p.Entries) == 0 {
			t.Fatalf("Accept-Encoding %q: %d rows, %v", accept, len(p.Entries), err)
		}
		rows[accept] = len(p.Entries)
	}
	if rows["gzip"] != rows[""] {
		t.Errorf("the same page: %d rows gzipped, %d plain", rows["gzip"], rows[""])
	}
}

// indexes lists the index statements of a database file.
func indexes(t *testing.T, file string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, q string
		if err := rows.Scan(&n, &q); err != nil {
			t.Fatal(err)
		}
		out[n] = q
	}
	return out
}

// wholeIndexes are the indexes and triggers of a new database.
type wholeIndexes map[string]string

func freshIndexes(t *testing.T) wholeIndexes {
	t.Helper()
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	st, err := store.Open(context.Background(), fresh)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	return indexes(t, fresh)
}

// check fails when file lacks one of them.
func (whole wholeIndexes) check(t *testing.T, file string) {
	t.Helper()
	got := indexes(t, file)
	for n, q := range whole {
		if got[n] != q {
			t.Errorf("%s missing", n)
		}
	}
}

// counted checks the replica's summaries and search grams against its rows.
func counted(t *testing.T, file string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for what, q := range map[string]string{
		"grid counts": `SELECT count(*) FROM (SELECT grid_id, count(*) FROM resident WHERE grid_id <> 0 GROUP BY 1
			EXCEPT SELECT grid_id, n FROM grid_count WHERE n <> 0)`,
		"age counts": "SELECT (SELECT count(*) FROM resident) - (SELECT coalesce(sum(n), 0) FROM age_count)",
		"residents without search grams": `SELECT count(*) FROM resident r WHERE name <> ''
			AND NOT EXISTS (SELECT 1 FROM resident_gram g WHERE g.gram = lower(substr(r.name, 1, 1)) AND g.grid_id = r.grid_id AND g.resident_id = r.id)`,
	} {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s: %d wrong", what, n)
		}
	}
}

// A new desktop's first pull is cut short (the program closing mid-pull
// cancels it) while the residents' indexes and search grams wait for its
// end: the database, reopened, has them all, and the next round goes on
// from the page it had reached.
func TestFirstPullCancelled(t *testing.T) {
	w := newWorld(t, "sqlite:"+filepath.Join(t.TempDir(), "server.db"), 600)
	defer func(n int) { app.SyncPage = n }(app.SyncPage)
	app.SyncPage = 200
	whole := freshIndexes(t)

	file := filepath.Join(t.TempDir(), "new.db")
	d := w.open(file)
	ctx, cancel := context.WithCancel(context.Background())
	var during map[string]string
	_, _, err := d.SyncEnrol(ctx, nil, w.ts.URL, "", "admin", pw, func(stage string, done, total int) {
		if stage == "pull" && done >= 400 && during == nil {
			during = indexes(t, file)
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("the cut pull: %v", err)
	}
	// The pull took the bulk loader's path: the residents' indexes wait.
	if _, ok := during["resident_cohort"]; ok {
		t.Errorf("the residents' indexes were kept up row by row during the first pull")
	}
	if _, ok := indexes(t, file)["resident_cohort"]; ok {
		t.Fatalf("the cut pull built the indexes although its context was cancelled")
	}
	d.st.Close()

	again := w.open(file)
	whole.check(t, file)
	counted(t, file)
	if n := len(again.state(t)); n < 400 {
		t.Fatalf("after the cut pull the replica holds %d rows", n)
	}
	// As the window does: a file without accounts joins again.
	actor, _, err := again.SyncEnrol(context.Background(), nil, w.ts.URL, "", "admin", pw, nil)
	if err != nil {
		t.Fatal(err)
	}
	again.actor = actor
	same(t, "after the cut pull", again.state(t), w.state())
	counted(t, file)
	name := []rune(again.resident(t, 0).Name)
	list, err := again.Residents(context.Background(), actor, app.ListFilter{Search: string(name[len(name)-2:])})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := list.Count(context.Background()); n == 0 {
		t.Errorf("no one found by part of a name after the first pull")
	}
}
