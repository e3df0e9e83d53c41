//go:build !race

package xlsxread

const raceEnabled = false
