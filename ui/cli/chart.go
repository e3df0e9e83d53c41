package cli

import (
	"context"
	"fmt"

	flag "github.com/spf13/pflag"

	"shequ/app"
	"shequ/charts"
	"shequ/ui/i18n"
	"shequ/ui/report"
)

// statsFor logs in and counts the stats of the cohort flags (or a saved
// cohort): what `chart` and `report` share.
func statsFor(ctx context.Context, env *Env, name string, args []string, extra func(*flag.FlagSet)) (*app.Stats, *app.App, *app.Actor, []string, func(), error) {
	fs, db := flags(env, name)
	user := fs.String("user", "", i18n.L("cli.flag.user"))
	c := addCohortFlags(fs)
	saved := fs.String("saved", "", i18n.L("cli.cohort.saved"))
	if extra != nil {
		extra(fs)
	}
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return nil, nil, nil, nil, nil, err
	}
	a, actor, done, err := login(ctx, env, *db, *user)
	if err != nil {
		return nil, nil, nil, nil, nil, err
	}
	f, err := c.filter(ctx, a, actor)
	if err == nil && *saved != "" {
		var cf app.CohortFilter
		if cf, err = a.SavedCohort(ctx, actor, *saved); err == nil {
			f.Cohort = &cf
		}
	}
	var s *app.Stats
	if err == nil {
		s, err = a.Stats(ctx, actor, f)
	}
	if err != nil {
		done()
		return nil, nil, nil, nil, nil, err
	}
	return s, a, actor, pos, done, nil
}

// chartVerbs are `shequ chart KIND --out F.png|F.svg [filters]`, one verb
// per kind; without --out it prints the chart's numbers.
func chartVerbs() []command {
	var vs []command
	for _, k := range report.Kinds {
		vs = append(vs, verb("chart", string(k), func(ctx context.Context, env *Env, args []string) error { return runChart(ctx, env, k, args) }))
	}
	return vs
}

func runChart(ctx context.Context, env *Env, kind report.Kind, args []string) error {
	var out *string
	var width, height *int
	var asJSON *bool
	s, a, actor, pos, done, err := statsFor(ctx, env, "chart "+string(kind), args, func(fs *flag.FlagSet) {
		out = fs.String("out", "", i18n.L("cli.chart.flag.out"))
		width = fs.Int("width", 800, i18n.L("cli.chart.flag.width"))
		height = fs.Int("height", 500, i18n.L("cli.chart.flag.height"))
		asJSON = fs.Bool("json", false, i18n.L("cli.flag.json"))
	})
	if err != nil {
		return err
	}
	defer done()
	if len(pos) != 0 {
		return usageError(i18n.L("cli.chart.usage"))
	}
	if *out == "" {
		if *asJSON {
			return writeJSON(env, chartJSON(kind, s))
		}
		printTable(env.Stdout, chartRows(kind, s))
		return nil
	}
	if _, ok := charts.FormatOf(*out); !ok {
		return usageError(i18n.L("cli.chart.format"))
	}
	if err := report.Save(*out, kind, s, charts.Options{Width: *width, Height: *height}); err != nil {
		return err
	}
	if err := a.NoteReport(ctx, actor, *out, s.Filter); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.chart.done", map[string]any{"Path": *out}))
	return nil
}

// countJSON is a bar of a chart: its code (kinds, statuses) or name.
type countJSON struct {
	Key   string `json:"key,omitempty"`
	Name  string `json:"name,omitempty"`
	Count int    `json:"count"`
}

func countsJSON(cs []app.Count) []countJSON {
	out := []countJSON{}
	for _, c := range cs {
		out = append(out, countJSON{Key: c.Key, Name: c.Label, Count: c.N})
	}
	return out
}

// chartJSON are a chart's numbers for --json: codes and counts, no words
// of the language.
func chartJSON(k report.Kind, s *app.Stats) any {
	switch k {
	case report.Pyramid:
		type band struct {
			Band  string `json:"band"`
			Men   int    `json:"men"`
			Women int    `json:"women"`
		}
		bands := []band{}
		for i, b := range s.Pyramid.Bands {
			bands = append(bands, band{b, s.Pyramid.Men[i], s.Pyramid.Women[i]})
		}
		return map[string]any{"total": s.Total, "bands": bands, "unknown": s.Pyramid.Unknown}
	case report.Moves:
		type month struct {
			Month string `json:"month"`
			In    int    `json:"in"`
			Out   int    `json:"out"`
		}
		months := []month{}
		for i, m := range s.Moves.Months {
			months = append(months, month{m, s.Moves.In[i], s.Moves.Out[i]})
		}
		return map[string]any{"months": months}
	case report.Composition:
		return map[string]any{"total": s.Total, "kinds": countsJSON(s.Kinds), "statuses": countsJSON(s.Statuses)}
	case report.Areas:
		return map[string]any{"total": s.Total, "level": s.AreaKind, "areas": countsJSON(s.Areas)}
	}
	return map[string]any{"total": s.Total, "tags": countsJSON(s.Tags)}
}

// chartRows are a chart's numbers as a table.
func chartRows(k report.Kind, s *app.Stats) [][]string {
	rows := [][]string{}
	for _, r := range report.Numbers(k, s) {
		row := make([]string, len(r))
		for i, v := range r {
			row[i] = fmt.Sprint(v)
		}
		rows = append(rows, row)
	}
	return rows
}

// runReport is `shequ report --out F.xlsx [filters]`: the 分析报告.
func runReport(ctx context.Context, env *Env, args []string) error {
	var out *string
	s, a, actor, pos, done, err := statsFor(ctx, env, "report", args, func(fs *flag.FlagSet) {
		out = fs.String("out", "", i18n.L("cli.report.flag.out"))
	})
	if err != nil {
		return err
	}
	defer done()
	if len(pos) != 0 || *out == "" {
		return usageError(i18n.L("cli.report.usage"))
	}
	area, compound, err := a.FilterPlace(ctx, actor, s.Filter)
	if err != nil {
		return err
	}
	if err := report.Write(*out, s, report.Subject(area, compound, s.Filter.Cohort)); err != nil {
		return err
	}
	if err := a.NoteReport(ctx, actor, *out, s.Filter); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, i18n.L("cli.report.done", map[string]any{"Path": *out, "Count": s.Total}))
	return nil
}
