package assets

import (
	"bytes"
	"encoding/json"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/golang/freetype/truetype"
	chart "github.com/wcharczuk/go-chart/v2"
)

func TestFontParsesWithFreetype(t *testing.T) {
	f, err := truetype.Parse(FontTTF)
	if err != nil {
		t.Fatalf("truetype.Parse: %v", err)
	}
	for _, r := range "社区台账居民张王李 AZaz09.,:;!?()-%" {
		if f.Index(r) == 0 {
			t.Errorf("no glyph for %q (U+%04X)", r, r)
		}
	}
}

func TestTranslationsInSync(t *testing.T) {
	keys := map[string][]string{}
	for _, name := range []string{"zh.json", "en.json"} {
		data, err := Translations.ReadFile(TranslationsDir + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: not a flat JSON object of strings: %v", name, err)
		}
		for k, v := range m {
			if v == "" {
				t.Errorf("%s: empty text for %q", name, k)
			}
		}
		keys[name] = slices.Sorted(maps.Keys(m))
	}
	zh, en := keys["zh.json"], keys["en.json"]
	for _, k := range zh {
		if !slices.Contains(en, k) {
			t.Errorf("key %q is in zh.json but missing from en.json", k)
		}
	}
	for _, k := range en {
		if !slices.Contains(zh, k) {
			t.Errorf("key %q is in en.json but missing from zh.json", k)
		}
	}
	for _, k := range []string{"app.title", "nav.residents", "nav.houses", "nav.about"} {
		if !slices.Contains(zh, k) {
			t.Errorf("required key %q missing", k)
		}
	}
}

// TestChartRendersChinese checks that go-chart can draw Chinese text with the
// bundled font. Set SHEQU_CHART_PNG=/path/out.png to keep the image for a look.
func TestChartRendersChinese(t *testing.T) {
	f, err := truetype.Parse(FontTTF)
	if err != nil {
		t.Fatal(err)
	}
	c := chart.BarChart{
		Title:  "社区居民统计",
		Font:   f,
		Width:  480,
		Height: 320,
		Background: chart.Style{
			Padding: chart.Box{Top: 40},
		},
		Bars: []chart.Value{
			{Label: "张家", Value: 3},
			{Label: "王家", Value: 5},
			{Label: "李家", Value: 2},
		},
	}
	var buf bytes.Buffer
	if err := c.Render(chart.PNG, &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	if _, err := png.Decode(bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatalf("output is not a PNG: %v", err)
	}
	out := os.Getenv("SHEQU_CHART_PNG")
	if out == "" {
		out = filepath.Join(t.TempDir(), "chart.png")
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
