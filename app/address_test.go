package app_test

import (
	"testing"

	"shequ/app"
	"shequ/app/model"
)

func TestParseAddress(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		want model.AddressQuery
		ok   bool
	}{
		{"3栋2单元501", model.AddressQuery{Building: "3", Unit: "2", Room: "501"}, true},
		{"锦绣花园3栋2单元501", model.AddressQuery{Compound: "锦绣花园", Building: "3", Unit: "2", Room: "501"}, true},
		{"锦绣花园 3栋 2单元 501室", model.AddressQuery{Compound: "锦绣花园", Building: "3", Unit: "2", Room: "501"}, true},
		{"3幢2单元501室", model.AddressQuery{Building: "3", Unit: "2", Room: "501"}, true},
		{"锦绣花园3号楼2单元501号", model.AddressQuery{Compound: "锦绣花园", Building: "3", Unit: "2", Room: "501"}, true},
		{"A座1单元1201", model.AddressQuery{Building: "A", Unit: "1", Room: "1201"}, true},
		{"3-2-501", model.AddressQuery{Building: "3", Unit: "2", Room: "501"}, true},
		{"锦绣花园3-2-501", model.AddressQuery{Compound: "锦绣花园", Building: "3", Unit: "2", Room: "501"}, true},
		{"锦绣花园 3-2-501", model.AddressQuery{Compound: "锦绣花园", Building: "3", Unit: "2", Room: "501"}, true},
		{"３栋２单元５０１", model.AddressQuery{Building: "3", Unit: "2", Room: "501"}, true},
		{"锦绣花园\u30003－2－501", model.AddressQuery{Compound: "锦绣花园", Building: "3", Unit: "2", Room: "501"}, true},
		{"3栋", model.AddressQuery{Building: "3"}, true},
		{"2单元501", model.AddressQuery{Unit: "2", Room: "501"}, true},
		{"501", model.AddressQuery{Room: "501"}, true},
		{"锦绣花园501", model.AddressQuery{Compound: "锦绣花园", Room: "501"}, true},
		{"锦绣花园", model.AddressQuery{Compound: "锦绣花园"}, false},
		{"", model.AddressQuery{}, false},
		// a name written in Latin letters is not a room
		{"Smith", model.AddressQuery{}, false},
		{"Anna Lee", model.AddressQuery{}, false},
	} {
		got, ok := app.ParseAddress(tc.text)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("ParseAddress(%q) = %+v, %v; want %+v, %v", tc.text, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFormatAddress(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a    model.Address
		want string
	}{
		{model.Address{Compound: "锦绣花园", Building: "3", Unit: "2", Room: "501"}, "锦绣花园 3栋2单元501"},
		{model.Address{Compound: "锦绣花园", Building: "3", Room: "501"}, "锦绣花园 3栋501"},
		{model.Address{Compound: "锦绣花园", Building: "A座", Unit: "东", Room: "501"}, "锦绣花园 A座东501"},
		{model.Address{Compound: "锦绣花园", Building: "B", Unit: "1", Room: "1201"}, "锦绣花园 B栋1单元1201"},
		{model.Address{}, ""},
	} {
		got := app.FormatAddress(tc.a)
		if got != tc.want {
			t.Errorf("FormatAddress(%+v) = %q, want %q", tc.a, got, tc.want)
		}
		// what is written can be read back
		if tc.want == "" || tc.a.Unit == "东" {
			continue
		}
		q, ok := app.ParseAddress(got)
		if want := (model.AddressQuery{Compound: tc.a.Compound, Building: tc.a.Building, Unit: tc.a.Unit, Room: tc.a.Room}); !ok || q != want {
			t.Errorf("ParseAddress(FormatAddress(%+v)) = %+v, %v", tc.a, q, ok)
		}
	}
	if app.BuildingLabel("12") != "12栋" || app.BuildingLabel("综合楼") != "综合楼" || app.UnitLabel("") != "" || app.UnitLabel("2") != "2单元" {
		t.Error("labels")
	}
}
