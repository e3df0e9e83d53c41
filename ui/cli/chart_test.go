package cli_test

import (
	"encoding/xml"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestChartsAndTheReportFromTheCommandLine(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	expect(t, e.run(t, "init", "--db", db, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", db, "--user", "admin", "--residents", "800"), 0, nil, nil)

	// The numbers, without --out: the bands add up to the residents.
	r := e.run(t, "chart", "pyramid", "--db", db, "--user", "admin")
	expect(t, r, 0, []string{"年龄段", "0–4", "100+"}, nil)
	sum := 0
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n")[1:] {
		f := strings.Fields(line)
		var n int
		for _, c := range f[len(f)-1] {
			n = n*10 + int(c-'0')
		}
		sum += n
	}
	if sum > 800 || sum < 700 {
		t.Errorf("the pyramid's bands add up to %d of 800", sum)
	}

	pngPath, svgPath := filepath.Join(dir, "年龄.png"), filepath.Join(dir, "标签.svg")
	expect(t, e.run(t, "chart", "pyramid", "--db", db, "--user", "admin", "--age", "60-", "--out", pngPath, "--width", "640"), 0, []string{"图表已保存"}, nil)
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil || img.Bounds().Dx() != 640 {
		t.Fatalf("the PNG: %v, %v", err, img.Bounds())
	}
	expect(t, e.run(t, "chart", "tags", "--db", db, "--user", "admin", "--out", svgPath), 0, nil, nil)
	svg, _ := os.ReadFile(svgPath)
	if err := xml.Unmarshal(svg, new(struct{})); err != nil || !strings.Contains(string(svg), "标签分布") {
		t.Fatalf("the SVG: %v", err)
	}
	expect(t, e.run(t, "chart", "pyramid", "--db", db, "--user", "admin", "--out", filepath.Join(dir, "x.jpg")), 2, nil, []string{".png 或 .svg"})
	expect(t, e.run(t, "chart", "pie", "--db", db, "--user", "admin"), 2, nil, []string{"用法"})

	report := filepath.Join(dir, "报告.xlsx")
	expect(t, e.run(t, "report", "--db", db, "--user", "admin", "--kind", "流动", "--out", report), 0, []string{"分析报告已保存"}, nil)
	x, err := excelize.OpenFile(report)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if sheets := x.GetSheetList(); len(sheets) != 6 || sheets[0] != "概况" {
		t.Fatalf("sheets %v", sheets)
	}
	subject, _ := x.GetCellValue("概况", "B2")
	if !strings.Contains(subject, "流动") {
		t.Errorf("the report says it is of %q", subject)
	}
	pics, _ := x.GetPictures("人员构成", "F2")
	if len(pics) != 1 {
		t.Errorf("%d pictures beside the composition", len(pics))
	}
	r = e.run(t, "audit", "list", "--db", db, "--user", "admin", "--action", "export")
	expect(t, r, 0, []string{"报告.xlsx", "年龄.png", "标签.svg"}, nil)
}
