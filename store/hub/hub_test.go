package hub

import (
	"maps"
	"testing"
)

// Clocks written compactly read back the same, field by field.
func TestClocksRoundTrip(t *testing.T) {
	a, b := Clock{H: "1795987517471.00000", N: "aa", V: 3}, Clock{H: "1795987517999.00002", N: "bb", V: 9}
	fields := map[string]string{"name": "x", "phone": "y", "notes": "z", "grid": "g"}
	for _, cs := range []map[string]Clock{
		{"name": a, "phone": a, "notes": a, "grid": a},
		{"name": a, "phone": b, "notes": a, "grid": a},
		{"name": a, "phone": b},
		{},
	} {
		s := encodeClocks(cs)
		got, err := decodeClocks(s, fields)
		if err != nil {
			t.Fatal(err)
		}
		want := maps.Clone(cs)
		if len(cs) == 4 && s == encode(cs) {
			t.Errorf("%v written in full: %s", cs, s)
		}
		if !maps.Equal(got, want) {
			t.Errorf("%v → %s → %v", cs, s, got)
		}
	}
}
