package app

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"time"

	"shequ/app/model"
)

// AppealGroup is the counts and rates of a group of appeals (a category,
// grid, worker or month, or all of them).
type AppealGroup struct {
	Key, Label string
	Received   int
	Answered   int // answered (or closed) at all
	OnTime     int // answered by the answer deadline
	Closed     int
	Rated      int // closed with a verdict
	Satisfied  int // 满意 or 基本满意
	// Median hours from receipt to acceptance, answer and closing; -1
	// when none got there.
	AcceptHours, AnswerHours, CloseHours float64
	accept, answer, close                []float64
}

// Rate is part of whole in percent (0 when whole is 0).
func Rate(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return 100 * float64(part) / float64(whole)
}

// AnswerRate (答复率) is the answered share of those received.
func (g AppealGroup) AnswerRate() float64 { return Rate(g.Answered, g.Received) }

// OnTimeRate is the share of the answered answered in time.
func (g AppealGroup) OnTimeRate() float64 { return Rate(g.OnTime, g.Answered) }

// CloseRate (办结率) is the closed share of those received.
func (g AppealGroup) CloseRate() float64 { return Rate(g.Closed, g.Received) }

// SatisfactionRate is the share of verdicts 满意 or 基本满意.
func (g AppealGroup) SatisfactionRate() float64 { return Rate(g.Satisfied, g.Rated) }

// AppealStats are an office's appeal figures over a period.
type AppealStats struct {
	From, To string
	By       string // "category", "grid", "worker" or "month"
	All      AppealGroup
	Groups   []AppealGroup
}

// AppealStatsBy are the ways figures can be grouped.
var AppealStatsBy = []string{"category", "grid", "worker", "month"}

// AppealStats counts the appeals received from..to (dates, "" open) in
// the actor's scope, grouped by category, grid, worker or month.
func (a *App) AppealStats(ctx context.Context, actor *Actor, from, to, by string) (*AppealStats, error) {
	if !slices.Contains(AppealStatsBy, by) {
		return nil, problem("by", "err.appeal.by", nil)
	}
	sc, areas, err := a.scopeOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	q := model.AppealQuery{Grids: sc.Grids, AllGrids: sc.All}
	for _, d := range []struct {
		in  string
		out *string
	}{{from, &q.From}, {to, &q.To}} {
		if d.in != "" {
			if *d.out, _ = ParseDate(d.in); *d.out == "" {
				return nil, problem("period", "err.date.invalid", nil)
			}
		}
	}
	list, err := a.st.Appeals(ctx, q)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, ar := range areas {
		names[ar.ID] = ar.Name
	}
	s := &AppealStats{From: q.From, To: q.To, By: by, All: AppealGroup{Key: "all"}}
	groups := map[string]*AppealGroup{}
	for _, ap := range list {
		var key, label string
		switch by {
		case "category":
			key, label = strconv.FormatInt(ap.CategoryID, 10), ap.Category
		case "grid":
			key, label = strconv.FormatInt(ap.GridID, 10), names[ap.GridID]
		case "worker":
			key, label = strconv.FormatInt(ap.AssigneeID, 10), ap.Assignee
		case "month":
			key = ap.ReceivedAt[:min(7, len(ap.ReceivedAt))]
			label = key
		}
		g := groups[key]
		if g == nil {
			g = &AppealGroup{Key: key, Label: label}
			groups[key] = g
		}
		count(g, ap)
		count(&s.All, ap)
	}
	for _, g := range groups {
		g.finish()
		s.Groups = append(s.Groups, *g)
	}
	s.All.finish()
	sort.Slice(s.Groups, func(i, j int) bool {
		if by == "month" {
			return s.Groups[i].Key < s.Groups[j].Key
		}
		if s.Groups[i].Received != s.Groups[j].Received {
			return s.Groups[i].Received > s.Groups[j].Received
		}
		return s.Groups[i].Label < s.Groups[j].Label
	})
	return s, nil
}

// count adds an appeal to a group.
func count(g *AppealGroup, ap model.Appeal) {
	g.Received++
	received, err := time.Parse(time.RFC3339, ap.ReceivedAt)
	hours := func(at string) (float64, bool) {
		t, e := time.Parse(time.RFC3339, at)
		if err != nil || e != nil {
			return 0, false
		}
		return t.Sub(received).Hours(), true
	}
	if h, ok := hours(ap.AcceptedAt); ok {
		g.accept = append(g.accept, h)
	}
	if ap.AnsweredAt != "" {
		g.Answered++
		if ap.AnsweredAt[:min(10, len(ap.AnsweredAt))] <= ap.DueAnswer {
			g.OnTime++
		}
		if h, ok := hours(ap.AnsweredAt); ok {
			g.answer = append(g.answer, h)
		}
	}
	if ap.Status == model.AppealClosed {
		g.Closed++
		if h, ok := hours(ap.ClosedAt); ok {
			g.close = append(g.close, h)
		}
		if ap.Satisfaction != "" {
			g.Rated++
			if ap.Satisfaction != model.Dissatisfied {
				g.Satisfied++
			}
		}
	}
}

func (g *AppealGroup) finish() {
	g.AcceptHours, g.AnswerHours, g.CloseHours = median(g.accept), median(g.answer), median(g.close)
	g.accept, g.answer, g.close = nil, nil, nil
}

// median is the middle value (the mean of the two middle ones), or -1.
func median(v []float64) float64 {
	if len(v) == 0 {
		return -1
	}
	slices.Sort(v)
	if n := len(v); n%2 == 1 {
		return v[n/2]
	} else {
		return (v[n/2-1] + v[n/2]) / 2
	}
}
