package app

import (
	"regexp"
	"strings"

	"shequ/app/model"
)

// addressRe reads an address written as one text: an optional compound
// name, then building, unit and room, as offices write them:
// 3栋2单元501, 3幢2单元501室, 锦绣花园3号楼2单元501号, 3-2-501.
var addressRe = regexp.MustCompile(`^(.*?)\s*` +
	`(?:([0-9A-Za-z]+)\s*(?:栋|幢|号楼|座|楼)\s*)?` +
	`(?:([0-9A-Za-z]+)\s*单元\s*)?` +
	`(?:([0-9A-Za-z]+(?:-[0-9]+)?)\s*(?:室|号|户)?)?$`)

var dashedRe = regexp.MustCompile(`^(.*?)\s*([0-9A-Za-z]+)-([0-9]+)-([0-9]+)$`)

// ParseAddress splits an address text into compound, building, unit and
// room. ok is false when nothing but a compound name was found.
func ParseAddress(text string) (q model.AddressQuery, ok bool) {
	text = strings.TrimSpace(toHalfWidth(text))
	if m := dashedRe.FindStringSubmatch(text); m != nil {
		return model.AddressQuery{Compound: strings.TrimSpace(m[1]), Building: m[2], Unit: m[3], Room: m[4]}, true
	}
	m := addressRe.FindStringSubmatch(text)
	if m == nil {
		return q, false
	}
	q = model.AddressQuery{Compound: strings.TrimSpace(m[1]), Building: m[2], Unit: m[3], Room: m[4]}
	if q.Building == "" && q.Unit == "" {
		// A room alone must have a digit (501, A01): a word in Latin
		// letters (Smith, Anna Lee) is a name, not a room.
		return q, strings.ContainsAny(q.Room, "0123456789")
	}
	return q, true
}

// BuildingLabel is how a building is written: "3" as 3栋, a name as is.
func BuildingLabel(name string) string { return withSuffix(name, "栋") }

// UnitLabel is how a unit is written: "2" as 2单元; no unit as "".
func UnitLabel(name string) string { return withSuffix(name, "单元") }

func withSuffix(name, suffix string) string {
	if name == "" {
		return ""
	}
	for _, r := range name {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return name
		}
	}
	return name + suffix
}

// FormatAddress writes an address as staff read it: 锦绣花园 3栋2单元501.
func FormatAddress(a model.Address) string {
	if a.Compound == "" && a.Room == "" {
		return ""
	}
	return strings.TrimSpace(a.Compound + " " + BuildingLabel(a.Building) + UnitLabel(a.Unit) + a.Room)
}

// toHalfWidth turns full-width ASCII (１２３ＡＢ－) into ASCII and the
// ideographic space into a space.
func toHalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '！' && r <= '～':
			return r - '！' + '!'
		}
		return r
	}, s)
}
