package charts

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// examples are realistic charts of one 社区, one per kind; their PNGs are
// the goldens in testdata.
func examples() map[string]any {
	var grids []Bar
	for i := 1; i <= 20; i++ {
		grids = append(grids, Bar{Label: fmt.Sprintf("德源社区第%d网格", i), Value: 180 + (i*397)%820})
	}
	grids[6].Value = 12688 / 10 // one big grid
	grids[13].Label = "锦绣花园第三网格（东区）和平里北苑小区"

	bands := []string{"0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
		"45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90-94", "95-99", "100+"}
	men := []int{212, 248, 263, 231, 305, 452, 611, 587, 498, 512, 566, 489, 402, 331, 240, 162, 95, 41, 12, 3, 0}
	women := []int{196, 231, 244, 219, 318, 471, 634, 602, 510, 530, 588, 515, 437, 372, 281, 205, 138, 72, 26, 7, 1}

	var months []string
	var in, out []int
	for i := range 24 {
		months = append(months, fmt.Sprintf("%04d-%02d", 2024+(i+6)/12, (i+6)%12+1))
		in = append(in, 20+(i*37)%61)
		out = append(out, 12+(i*53)%47)
	}
	in[5], out[17] = 142, 97 // a new compound moving in, a demolition

	return map[string]any{
		"bars": Bars{Title: "各网格居民人数", Bars: grids, Unit: "人"},
		"pyramid": Pyramid{Title: "德源社区人口年龄结构", Bands: bands, Men: men, Women: women,
			MenLabel: "男", WomenLabel: "女"},
		"share": Share{Title: "居民构成", Groups: []ShareGroup{
			{Label: "人员类别", Parts: []Bar{{Label: "户籍", Value: 8432}, {Label: "流动", Value: 3215},
				{Label: "境外", Value: 46}, {Label: "其他", Value: 95}}},
			{Label: "状态", Parts: []Bar{{Label: "在住", Value: 10920}, {Label: "外出", Value: 512},
				{Label: "迁出", Value: 301}, {Label: "死亡", Value: 55}}},
		}, Total: "合计"},
		"months": Months{Title: "每月迁入迁出人数", Months: months, In: in, Out: out,
			InLabel: "迁入", OutLabel: "迁出"},
	}
}

func render(t *testing.T, c any, f Format, o Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, c, f, o); err != nil {
		t.Fatalf("Render(%T, %v): %v", c, f, err)
	}
	return buf.Bytes()
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return img
}

// TestGolden compares each example with testdata/<name>.png; it writes the
// file when it is missing or SHEQU_UPDATE_GOLDEN=1, and on a mismatch leaves
// the new image in testdata/failed/<name>.png for a look.
func TestGolden(t *testing.T) {
	for name, c := range examples() {
		t.Run(name, func(t *testing.T) {
			got := render(t, c, PNG, Options{Width: 800, Height: 500})
			path := filepath.Join("testdata", name+".png")
			want, err := os.ReadFile(path)
			if os.Getenv("SHEQU_UPDATE_GOLDEN") == "1" || errors.Is(err, os.ErrNotExist) {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("wrote %s", path)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if msg := comparePNG(decodePNG(t, want), decodePNG(t, got)); msg != "" {
				failed := filepath.Join("testdata", "failed", name+".png")
				if err := os.MkdirAll(filepath.Dir(failed), 0o755); err == nil {
					_ = os.WriteFile(failed, got, 0o644)
				}
				t.Errorf("%s: %s; got image written to %s", path, msg, failed)
			}
		})
	}
}

// comparePNG returns "" when the images match: same size and at most 0.5%
// of pixels differing by more than a small threshold in any channel.
func comparePNG(want, got image.Image) string {
	if want.Bounds() != got.Bounds() {
		return fmt.Sprintf("size %v, want %v", got.Bounds().Size(), want.Bounds().Size())
	}
	const threshold = 24 << 8
	diff, b := 0, want.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r1, g1, b1, a1 := want.At(x, y).RGBA()
			r2, g2, b2, a2 := got.At(x, y).RGBA()
			for _, d := range []int{int(r1) - int(r2), int(g1) - int(g2), int(b1) - int(b2), int(a1) - int(a2)} {
				if d > threshold || -d > threshold {
					diff++
					break
				}
			}
		}
	}
	if limit := b.Dx() * b.Dy() / 200; diff > limit {
		return fmt.Sprintf("%d pixels differ (limit %d)", diff, limit)
	}
	return ""
}

// svgText parses an SVG as XML and returns its text content.
func svgText(t *testing.T, b []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var text strings.Builder
	sawSVG := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not valid XML: %v\n%.300s", err, b)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			sawSVG = sawSVG || tok.Name.Local == "svg"
		case xml.CharData:
			text.Write(tok)
			text.WriteByte('\n')
		}
	}
	if !sawSVG {
		t.Fatal("no <svg> element")
	}
	return text.String()
}

func TestSVGIsValidXML(t *testing.T) {
	for name, c := range examples() {
		t.Run(name, func(t *testing.T) {
			text := svgText(t, render(t, c, SVG, Options{}))
			var title string
			switch c := c.(type) {
			case Bars:
				title = c.Title
			case Pyramid:
				title = c.Title
			case Share:
				title = c.Title
			case Months:
				title = c.Title
			}
			if !strings.Contains(text, title) {
				t.Errorf("SVG text lacks the title %q", title)
			}
		})
	}
	// Markup characters and control characters in labels must not break it.
	nasty := Bars{Title: `A&B <社区> "统计"`, Unit: "<人>", Bars: []Bar{
		{Label: "张&李 <家>", Value: 3}, {Label: "a\x00b\nc", Value: 5}, {Label: "]]> 'x'", Value: 1},
	}}
	text := svgText(t, render(t, nasty, SVG, Options{}))
	for _, want := range []string{`A&B <社区> "统计"`, "张&李 <家>", "3<人>", "ab c", "]]> 'x'"} {
		if !strings.Contains(text, want) {
			t.Errorf("SVG text lacks %q:\n%s", want, text)
		}
	}
}

func TestFormatOf(t *testing.T) {
	for _, tc := range []struct {
		path string
		f    Format
		ok   bool
	}{
		{"out.png", PNG, true}, {"/tmp/报告/年龄.PNG", PNG, true}, {"a.b.Svg", SVG, true},
		{"chart.svg", SVG, true}, {"chart.jpg", PNG, false}, {"png", PNG, false}, {"", PNG, false},
		{"dir.svg/file", PNG, false},
	} {
		f, ok := FormatOf(tc.path)
		if ok != tc.ok || (ok && f != tc.f) {
			t.Errorf("FormatOf(%q) = %v, %v; want %v, %v", tc.path, f, ok, tc.f, tc.ok)
		}
	}
}

func TestEmptyAndOddChartsRender(t *testing.T) {
	charts := []any{
		Bars{}, Bars{Title: "标签分布", Bars: []Bar{{Label: "无", Value: 0}, {Label: "负", Value: -3}}},
		Pyramid{}, Pyramid{Title: "年龄", Bands: []string{"0-4", "5-9"}}, Pyramid{Bands: []string{"0-4"}, Men: []int{0, 7}},
		Share{}, Share{Title: "构成", Groups: []ShareGroup{{Label: "类别"}, {Label: "状态", Parts: []Bar{{Label: "在住"}}}}},
		Months{}, Months{Title: "迁入迁出", Months: []string{"2026-01", "2026-02"}, In: []int{0}},
		// Odd but valid: one zero group beside a full one, one bar, one month.
		Share{Groups: []ShareGroup{{Label: "空"}, {Label: "状态", Parts: []Bar{{Label: "在住", Value: 1, Color: "bogus"}}}}},
		Bars{Bars: []Bar{{Label: "", Value: 1, Color: "#abc"}}},
		Months{Months: []string{"2026-01"}, In: []int{1}, Out: []int{2, 9}},
		&Bars{Bars: []Bar{{Label: "指针", Value: 2}}},
	}
	for i, c := range charts {
		for _, o := range []Options{{}, {Width: 1, Height: 1}, {Width: 300, Height: 200}} {
			img := decodePNG(t, render(t, c, PNG, o))
			w, h := o.size()
			if img.Bounds().Dx() != w || img.Bounds().Dy() < h {
				t.Errorf("chart %d at %+v: size %v, want %dx%d", i, o, img.Bounds().Size(), w, h)
			}
			svgText(t, render(t, c, SVG, o))
		}
	}
	empty := render(t, Bars{Title: "空"}, SVG, Options{Empty: "暂无数据"})
	if !strings.Contains(svgText(t, empty), "暂无数据") {
		t.Error("an empty chart does not say so")
	}
	for _, c := range []any{nil, 42, (*Pyramid)(nil), []Bar{}} {
		if err := Render(io.Discard, c, PNG, Options{}); err == nil {
			t.Errorf("Render(%T) succeeded", c)
		}
	}
	if err := Render(io.Discard, Bars{}, Format(7), Options{}); err == nil {
		t.Error("Render with an unknown format succeeded")
	}
}

func manyBars(n int) Bars {
	b := Bars{Title: "标签分布", Unit: "人"}
	for i := range n {
		b.Bars = append(b.Bars, Bar{Label: fmt.Sprintf("锦绣花园第%d网格（东区）", i+1), Value: 5 + i*37%300})
	}
	return b
}

func TestBarsGrowAndLabelsDoNotOverlap(t *testing.T) {
	o := Options{Width: 800, Height: 500}
	few, many := layoutBars(manyBars(5), o), layoutBars(manyBars(40), o)
	if many.h <= few.h {
		t.Errorf("40 bars are %dpx tall, 5 bars %dpx: the chart did not grow", many.h, few.h)
	}
	if few.h != 500 {
		t.Errorf("5 bars: height %d, want the requested 500", few.h)
	}
	for _, n := range []int{5, 20, 40} {
		l := layoutBars(manyBars(n), o)
		if len(l.rowLabels) != n {
			t.Fatalf("%d bars: %d labels", n, len(l.rowLabels))
		}
		for i, a := range l.rowLabels {
			ra := a.rect()
			if ra.Min.X < 0 || ra.Min.Y < 0 || ra.Max.X > l.w || ra.Max.Y > l.h {
				t.Errorf("%d bars: label %d %v outside the %dx%d image", n, i, ra, l.w, l.h)
			}
			for j := i + 1; j < n; j++ {
				if rb := l.rowLabels[j].rect(); ra.Overlaps(rb) {
					t.Errorf("%d bars: labels %d %v and %d %v overlap", n, i, ra, j, rb)
				}
			}
		}
	}
	img := decodePNG(t, render(t, manyBars(40), PNG, o))
	if img.Bounds().Dy() != many.h {
		t.Errorf("rendered height %d, layout %d", img.Bounds().Dy(), many.h)
	}
}

func TestTicks(t *testing.T) {
	for _, top := range []int{1, 2, 3, 7, 10, 11, 99, 100, 101, 999, 1234, 12688, 99999, 1234567} {
		for _, maxTicks := range []int{0, 1, 2, 5, 10} {
			ticks := niceTicks(top, maxTicks)
			if ticks[0] != 0 || ticks[len(ticks)-1] < top {
				t.Errorf("niceTicks(%d, %d) = %v: must run from 0 to at least %d", top, maxTicks, ticks, top)
			}
			step := ticks[1]
			for step%10 == 0 {
				step /= 10
			}
			if step != 1 && step != 2 && step != 5 {
				t.Errorf("niceTicks(%d, %d) = %v: step not 1, 2 or 5 × 10^n", top, maxTicks, ticks)
			}
			if maxTicks >= 1 && len(ticks)-1 > maxTicks {
				t.Errorf("niceTicks(%d, %d) = %v: too many ticks", top, maxTicks, ticks)
			}
		}
	}
	l := layoutBars(examples()["bars"].(Bars), Options{})
	if l.ticks[0] != 0 || l.ticks[len(l.ticks)-1] < 1268 {
		t.Errorf("bars ticks %v: must run from 0 past the largest value 1268", l.ticks)
	}
}

func TestFormatting(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 12688: "12,688",
		1234567: "1,234,567", -4500: "-4,500"} {
		if got := fmtInt(n); got != want {
			t.Errorf("fmtInt(%d) = %q, want %q", n, got, want)
		}
	}
	if got := fmtPercent(1, 3); got != "33.3%" {
		t.Errorf("fmtPercent(1, 3) = %q", got)
	}
	if got := fmtPercent(5, 11105); got != "<0.1%" {
		t.Errorf("fmtPercent(5, 11105) = %q", got)
	}
}

func TestTruncateByWidth(t *testing.T) {
	long := "锦绣花园第三网格（东区）"
	ascii := "abcdefghijkl" // as many runes, half as wide
	limit := textWidth(ascii, labelSize) + 1
	if got := truncate(ascii, labelSize, limit); got != ascii {
		t.Errorf("truncate(%q) = %q: it fits", ascii, got)
	}
	got := truncate(long, labelSize, limit)
	if !strings.HasSuffix(got, "…") || textWidth(got, labelSize) > limit || len([]rune(got)) < 3 {
		t.Errorf("truncate(%q, %.0fpx) = %q (%.0fpx)", long, limit, got, textWidth(got, labelSize))
	}
	huge := strings.Repeat("网格", 50000)
	if got := truncate(huge, labelSize, 200); !strings.HasSuffix(got, "…") || textWidth(got, labelSize) > 200 {
		t.Errorf("truncate of a 100,000-rune label = %q", got)
	}
	if got := truncate(long, labelSize, 1); got != "" {
		t.Errorf("truncate to 1px = %q", got)
	}
}

func TestConcurrentRenders(t *testing.T) {
	var wg sync.WaitGroup
	for _, c := range examples() {
		for _, f := range []Format{PNG, SVG} {
			wg.Go(func() {
				if err := Render(io.Discard, c, f, Options{}); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
}

// TestDarkChartsKeepTheirBars: a chart for a dark window has a dark ground
// and light text; its bars keep their colours, so a series reads the same.
func TestDarkChartsKeepTheirBars(t *testing.T) {
	b := Bars{Title: "年龄", Bars: []Bar{{Label: "0–17", Value: 30}, {Label: "18–59", Value: 60}}}
	light, dark := render(t, b, PNG, Options{Width: 400, Height: 240}), render(t, b, PNG, Options{Width: 400, Height: 240, Dark: true})
	li, err1 := png.Decode(bytes.NewReader(light))
	di, err2 := png.Decode(bytes.NewReader(dark))
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	lum := func(c color.Color) uint32 { r, g, b, _ := c.RGBA(); return (r + g + b) / 3 >> 8 }
	if lum(li.At(2, 2)) < 240 || lum(di.At(2, 2)) > 60 {
		t.Fatalf("ground: light %d, dark %d", lum(li.At(2, 2)), lum(di.At(2, 2)))
	}
	bar := hexColor(Palette[0])
	count := func(m image.Image) int {
		n := 0
		for y := 0; y < m.Bounds().Dy(); y++ {
			for x := 0; x < m.Bounds().Dx(); x++ {
				r, g, b, _ := m.At(x, y).RGBA()
				if uint8(r>>8) == bar.R && uint8(g>>8) == bar.G && uint8(b>>8) == bar.B {
					n++
				}
			}
		}
		return n
	}
	if n, m := count(li), count(di); n == 0 || n != m {
		t.Fatalf("bar pixels: light %d, dark %d", n, m)
	}
}

// TestLongTitlesAreNeverCut lays out every chart with a title far wider
// than the chart: the title shrinks and wraps, every word of it is drawn
// inside the image, and nothing else is drawn over it.
func TestLongTitlesAreNeverCut(t *testing.T) {
	titles := []string{
		"德源街道红旗社区第一网格锦绣花园小区居民人数（按楼栋统计，含外出人员）",
		"Residents by grid of the Hongqi community, Deyuan subdistrict, counting those away",
	}
	for name, c := range examples() {
		for _, title := range titles {
			var l layout
			o := Options{Width: 360, Height: 300}
			switch v := c.(type) {
			case Bars:
				v.Title = title
				l = layoutBars(v, o)
			case Pyramid:
				v.Title = title
				l = layoutPyramid(v, o)
			case Share:
				v.Title = title
				l = layoutShare(v, o)
			case Months:
				v.Title = title
				l = layoutMonths(v, o)
			}
			var labels []label
			switch v := l.(type) {
			case *barsLayout:
				labels = v.labels
			case *scene:
				labels = v.labels
			}
			w, _ := l.size()
			var lines []string
			bottom := 0
			for _, lb := range labels {
				if lb.color != titleInk {
					continue
				}
				r := lb.rect()
				if r.Min.X < 0 || r.Max.X > w {
					t.Errorf("%s: title line %q spans %v, outside 0–%d", name, lb.text, r, w)
				}
				lines = append(lines, lb.text)
				bottom = max(bottom, r.Max.Y)
			}
			sep := ""
			if strings.Contains(title, " ") {
				sep = " "
			}
			if got := strings.Join(lines, sep); got != title {
				t.Errorf("%s: title drawn as %q, want %q", name, lines, title)
			}
			if len(lines) < 2 {
				t.Errorf("%s: %q fits one line at 360px: the test asks nothing", name, title)
			}
			for _, lb := range labels {
				if lb.color != titleInk && lb.rect().Min.Y < bottom {
					t.Errorf("%s: %q at %v is drawn over the title (bottom %d)", name, lb.text, lb.rect(), bottom)
				}
			}
		}
	}
}
