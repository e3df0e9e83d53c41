// Package report turns the numbers of app.Stats into labelled charts and
// the 分析报告 workbook, in the UI language: the one place the window and
// the command line get their charts from.
package report

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"slices"
	"strings"

	"shequ/app"
	"shequ/app/model"
	"shequ/app/outfile"
	"shequ/charts"
	"shequ/ui/i18n"
)

// Kind is one of the charts.
type Kind string

// The charts, in the order the dashboard and the report show them.
const (
	Pyramid     Kind = "pyramid"
	Areas       Kind = "by-area"
	Tags        Kind = "tags"
	Composition Kind = "composition"
	Moves       Kind = "moves"
)

// Kinds lists every chart.
var Kinds = []Kind{Pyramid, Areas, Tags, Composition, Moves}

// MaxBars is how many bars a tag or area chart shows; the rest are summed
// in one last bar.
const MaxBars = 20

// Title is a chart's title for the stats.
func Title(k Kind, s *app.Stats) string {
	if k == Areas {
		return i18n.L("chart.areas." + areaKind(s))
	}
	if k == Moves && s.Filter.Cohort != nil { // moves are of the area's houses
		return i18n.L("chart.moves.all")
	}
	return i18n.L("chart." + string(k))
}

func areaKind(s *app.Stats) string {
	if s.AreaKind == "" {
		return "grid"
	}
	return s.AreaKind
}

// Chart is the chart of a kind for the stats, ready for charts.Render.
func Chart(k Kind, s *app.Stats) any {
	switch k {
	case Pyramid:
		return charts.Pyramid{Title: Title(k, s), Bands: s.Pyramid.Bands, Men: s.Pyramid.Men, Women: s.Pyramid.Women,
			MenLabel: i18n.Sex(model.Male), WomenLabel: i18n.Sex(model.Female)}
	case Areas:
		// One colour: areas are not categories to tell apart.
		b := bars(AreaCounts(s), MaxBars)
		for i := range b {
			b[i].Color = charts.Palette[0]
		}
		return charts.Bars{Title: Title(k, s), Bars: b}
	case Tags:
		return charts.Bars{Title: Title(k, s), Bars: bars(s.Tags, MaxBars)}
	case Composition:
		return charts.Share{Title: Title(k, s), Groups: []charts.ShareGroup{
			{Label: i18n.L("chart.kinds"), Parts: bars(Labelled(s.Kinds), 0)},
			{Label: i18n.L("chart.statuses"), Parts: bars(Labelled(s.Statuses), 0)},
		}, Total: i18n.L("report.total")}
	case Moves:
		return charts.Months{Title: Title(k, s), Months: s.Moves.Months, In: s.Moves.In, Out: s.Moves.Out,
			InLabel: i18n.L("chart.in"), OutLabel: i18n.L("chart.out")}
	}
	return nil
}

// AreaCounts are the per-area counts with their names (residents without
// a house under a compound chart).
func AreaCounts(s *app.Stats) []app.Count {
	out := make([]app.Count, len(s.Areas))
	for i, c := range s.Areas {
		if c.Label == "" {
			c.Label = i18n.L("chart.nohouse")
		}
		out[i] = c
	}
	return out
}

// Labelled names the categories and states of a composition.
func Labelled(cs []app.Count) []app.Count {
	out := make([]app.Count, len(cs))
	for i, c := range cs {
		if c.Label == "" {
			if slices.Contains(model.Kinds, model.Kind(c.Key)) {
				c.Label = i18n.Kind(model.Kind(c.Key))
			} else {
				c.Label = i18n.Status(model.Status(c.Key))
			}
		}
		out[i] = c
	}
	return out
}

// bars turns counts into bars, at most limit of them (0: all), the rest
// summed in a last bar.
func bars(cs []app.Count, limit int) []charts.Bar {
	var out []charts.Bar
	rest, others := 0, 0
	for i, c := range cs {
		if limit > 0 && i >= limit-1 && len(cs) > limit {
			rest += c.N
			others++
			continue
		}
		out = append(out, charts.Bar{Label: c.Label, Value: c.N, Color: c.Color})
	}
	if others > 0 {
		out = append(out, charts.Bar{Label: i18n.L("chart.others", map[string]any{"Count": others}), Value: rest, Color: "#8A8F98"})
	}
	return out
}

// Render draws a chart of the stats.
func Render(w io.Writer, k Kind, s *app.Stats, f charts.Format, o charts.Options) error {
	return draw(w, Chart(k, s), f, o)
}

// draw is charts.Render saying "no data" in the UI language.
func draw(w io.Writer, c any, f charts.Format, o charts.Options) error {
	if o.Empty == "" {
		o.Empty = i18n.L("chart.empty")
	}
	return charts.Render(w, c, f, o)
}

// Image draws a chart (Chart's or AppealChart's) as a picture for the
// window.
func Image(c any, o charts.Options) (image.Image, error) {
	var buf bytes.Buffer
	if err := draw(&buf, c, charts.PNG, o); err != nil {
		return nil, err
	}
	return png.Decode(&buf)
}

// Save writes a chart to a .png or .svg file.
func Save(path string, k Kind, s *app.Stats, o charts.Options) error {
	f, ok := charts.FormatOf(path)
	if !ok {
		return fmt.Errorf("report: %s: %w", path, ErrFormat)
	}
	var buf bytes.Buffer
	if err := Render(&buf, k, s, f, o); err != nil {
		return err
	}
	return outfile.Write(path, func(w io.Writer) error {
		_, err := buf.WriteTo(w)
		return err
	})
}

// ErrFormat is a chart file name that is neither .png nor .svg.
var ErrFormat = fmt.Errorf("a chart is saved as .png or .svg")

// Headlines are the dashboard's first counts, named.
func Headlines(s *app.Stats) []app.Count {
	out := make([]app.Count, len(s.Headlines))
	for i, h := range s.Headlines {
		h.Label = i18n.L("stats." + h.Key)
		out[i] = h
	}
	return out
}

// Subject says in a line what stats are of: area · compound · cohort, or
// everyone the account sees.
func Subject(area, compound string, c *app.CohortFilter) string {
	var parts []string
	for _, p := range []string{area, compound, i18n.Cohort(c)} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return i18n.L("stats.everyone")
	}
	return strings.Join(parts, " · ")
}
