package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"

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

// runChart is `shequ chart KIND --out F.png|F.svg [filters]`; without
// --out it prints the chart's numbers.
func runChart(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || !slices.Contains(report.Kinds, report.Kind(args[0])) {
		return errors.New(i18n.L("cli.chart.usage"))
	}
	kind := report.Kind(args[0])
	var out *string
	var width, height *int
	s, a, actor, pos, done, err := statsFor(ctx, env, "chart", args[1:], func(fs *flag.FlagSet) {
		out = fs.String("out", "", i18n.L("cli.chart.flag.out"))
		width = fs.Int("width", 800, i18n.L("cli.chart.flag.width"))
		height = fs.Int("height", 500, i18n.L("cli.chart.flag.height"))
	})
	if err != nil {
		return err
	}
	defer done()
	if len(pos) != 0 {
		return errors.New(i18n.L("cli.chart.usage"))
	}
	if *out == "" {
		printTable(env.Stdout, chartRows(kind, s))
		return nil
	}
	if _, ok := charts.FormatOf(*out); !ok {
		return errors.New(i18n.L("cli.chart.format"))
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
		return errors.New(i18n.L("cli.report.usage"))
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
