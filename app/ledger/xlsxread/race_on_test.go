//go:build race

package xlsxread

// raceEnabled: the race detector keeps shadow memory several times the
// program's own, so a bound on a process's peak RSS says nothing then.
const raceEnabled = true
