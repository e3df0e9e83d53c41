package ui

import (
	"context"
	"log/slog"

	"shequ/app"
	"shequ/app/model"
)

// pageSize rows are loaded at a time; maxPages of them are kept.
const (
	pageSize = 100
	maxPages = 40
)

// displayRow is a row formatted for the table off the UI goroutine: cells
// only copy these strings.
type displayRow struct {
	id     int64
	cursor model.Cursor
	cells  []string
}

type page struct {
	rows []displayRow
	used uint64
}

// pager is the small cache behind a table over a residents list: pages
// load by keyset from a neighbour page when one is cached, from the end
// for the last page, and from one index-only skip for a jump deep into
// the list. Only the UI goroutine touches its fields.
type pager struct {
	u       *UI // whose background work loads the pages
	list    *app.ResidentList
	format  func(model.ResidentRow) []string
	changed func() // on the UI goroutine, after a page arrives
	total   int
	pages   map[int]*page
	loading map[int]bool
	clock   uint64
	gen     int
}

func newPager(u *UI, format func(model.ResidentRow) []string, changed func()) *pager {
	return &pager{u: u, format: format, changed: changed, pages: map[int]*page{}, loading: map[int]bool{}}
}

// reset binds a new list with its total, dropping the cache.
func (p *pager) reset(list *app.ResidentList, total int) {
	p.list, p.total = list, total
	p.pages, p.loading = map[int]*page{}, map[int]bool{}
	p.gen++
}

// row returns row i, or ok false while its page loads.
func (p *pager) row(i int) (displayRow, bool) {
	k := i / pageSize
	pg, ok := p.pages[k]
	if !ok {
		p.load(k)
		return displayRow{}, false
	}
	p.clock++
	pg.used = p.clock
	if j := i - k*pageSize; j < len(pg.rows) {
		return pg.rows[j], true
	}
	return displayRow{}, false
}

// load fetches page k in the background.
func (p *pager) load(k int) {
	if p.loading[k] || p.list == nil {
		return
	}
	start := k * pageSize
	n := min(pageSize, p.total-start)
	if n <= 0 {
		return
	}
	p.loading[k] = true
	list, gen := p.list, p.gen
	var after *model.Cursor
	backward, skip := false, false
	switch prev, next := p.pages[k-1], p.pages[k+1]; {
	case k == 0:
	case prev != nil && len(prev.rows) > 0:
		c := prev.rows[len(prev.rows)-1].cursor
		after = &c
	case next != nil && len(next.rows) > 0:
		c := next.rows[0].cursor
		after, backward = &c, true
	case start+n == p.total:
		backward = true
	default:
		skip = true
	}
	run(p.u, func() ([]displayRow, error) {
		ctx := context.Background()
		if skip {
			c, ok, err := list.CursorAt(ctx, start)
			if err != nil {
				return nil, err
			}
			if ok {
				after = &c
			}
		}
		rows, err := list.Page(ctx, after, n, backward)
		out := make([]displayRow, len(rows))
		for i, r := range rows {
			out[i] = displayRow{id: r.ID, cursor: list.CursorOf(r.Resident), cells: p.format(r)}
		}
		return out, err
	}, func(out []displayRow, err error) {
		if gen != p.gen {
			return
		}
		delete(p.loading, k)
		if err != nil {
			slog.Error("residents page", "page", k, "err", err)
			return
		}
		p.clock++
		p.pages[k] = &page{rows: out, used: p.clock}
		p.evict()
		p.changed()
	})
}

// evict drops the least recently used pages past maxPages.
func (p *pager) evict() {
	for len(p.pages) > maxPages {
		oldest, at := -1, ^uint64(0)
		for k, pg := range p.pages {
			if pg.used < at {
				oldest, at = k, pg.used
			}
		}
		delete(p.pages, oldest)
	}
}
