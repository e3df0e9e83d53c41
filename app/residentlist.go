package app

import (
	"context"
	"strings"

	"shequ/app/idnumber"
	"shequ/app/model"
	"shequ/app/phone"
	"shequ/store"
)

// ListFilter is what a user chose above the residents table.
type ListFilter struct {
	Search     string // a name part, an ID number, a phone or an address
	AreaID     int64  // a street, community or grid; 0: all the actor may see
	CompoundID int64
	Sort       model.SortKey
	Desc       bool
	Cohort     *CohortFilter // nil: everyone living here (see CohortFilter.cohort)
	IDs        []int64       // only these residents (a sample); nil: no such limit
}

// ResidentList is a filtered, sorted residents list bound to the actor's
// scope: the UI pages through it and cannot widen it.
type ResidentList struct {
	st *store.Store
	q  model.ResidentQuery
}

// ReadSearch decides what the search box text is: a full ID number, a
// phone number, an address (it has a building, unit or room), or else a
// part of a name.
func ReadSearch(text string) (model.SearchKind, string, model.AddressQuery) {
	text = strings.TrimSpace(text)
	if text == "" {
		return model.SearchNone, "", model.AddressQuery{}
	}
	if n := idnumber.Normalize(text); len(n) == 15 || len(n) == 18 {
		if info, err := idnumber.Parse(n); err == nil {
			return model.SearchIDNumber, info.Number, model.AddressQuery{}
		}
		if strings.Trim(n, "0123456789X") == "" {
			return model.SearchIDNumber, n, model.AddressQuery{}
		}
	}
	if t := strings.ToUpper(toHalfWidth(text)); len(t) == 4 && strings.Trim(t[:3], "0123456789") == "" && strings.Trim(t[3:], "0123456789X") == "" {
		return model.SearchTail, t, model.AddressQuery{}
	}
	if p, err := phone.Normalize(text); err == nil && p != "" {
		return model.SearchPhone, p, model.AddressQuery{}
	}
	if q, ok := ParseAddress(text); ok {
		return model.SearchAddress, "", q
	}
	return model.SearchName, strings.Join(strings.Fields(text), " "), model.AddressQuery{}
}

// Residents returns the list for a filter within the actor's scope.
func (a *App) Residents(ctx context.Context, actor *Actor, f ListFilter) (*ResidentList, error) {
	q, err := a.residentQuery(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	if q.Search != model.SearchNone {
		// The text may be an ID number or a phone: kept as read, masked.
		if err := a.audit(ctx, actor.Account.Username, AuditSearch, "", map[string]any{"search": maskedSearch(f.Search), "area": f.AreaID, "compound": f.CompoundID}); err != nil {
			return nil, err
		}
	}
	return &ResidentList{st: a.st, q: q}, nil
}

// residentQuery turns a filter into a query bound to the actor's scope.
func (a *App) residentQuery(ctx context.Context, actor *Actor, f ListFilter) (model.ResidentQuery, error) {
	sc, areas, err := a.scopeOf(ctx, actor)
	if err != nil {
		return model.ResidentQuery{}, err
	}
	grids, all := narrow(sc, areas, f.AreaID)
	kind, text, addr := ReadSearch(f.Search)
	cohort, err := f.Cohort.cohort(f.IDs, a.Now())
	if err != nil {
		return model.ResidentQuery{}, err
	}
	q := model.ResidentQuery{Grids: grids, AllGrids: all, CompoundID: f.CompoundID, Search: kind, Text: text, Addr: addr, Sort: f.Sort, Desc: f.Desc,
		Cohort: cohort, IDs: f.IDs}
	if q.Sort == "" {
		q.Sort = model.SortID
	}
	if kind == model.SearchName && len([]rune(text)) >= 2 {
		if q.WithCompound, err = a.st.CompoundNamed(ctx, text); err != nil {
			return q, err
		}
	}
	return q, nil
}

// Search is what the list searches for (for the status line).
func (l *ResidentList) Search() model.SearchKind { return l.q.Search }

// Count counts the rows.
func (l *ResidentList) Count(ctx context.Context) (int, error) { return l.st.CountResidents(ctx, l.q) }

// Page returns up to limit rows after the cursor (nil: from the start),
// or, backward, the rows before it (nil: the last ones).
func (l *ResidentList) Page(ctx context.Context, after *model.Cursor, limit int, backward bool) ([]model.ResidentRow, error) {
	return l.st.ResidentPage(ctx, l.q, after, limit, backward)
}

// CursorAt is the cursor before the row at offset (ok false: the start).
func (l *ResidentList) CursorAt(ctx context.Context, offset int) (model.Cursor, bool, error) {
	return l.st.ResidentCursorAt(ctx, l.q, offset)
}

// CursorOf is the cursor of a row, to page on after it.
func (l *ResidentList) CursorOf(r model.Resident) model.Cursor { return store.ResidentCursor(l.q, r) }
