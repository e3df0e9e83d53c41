//go:build race

package store_test

// raceDetector is true under -race, which makes the SQLite engine (Go
// translated from C, every pointer checked) some twenty times slower: the
// paging matrix then runs the same checks on a smaller list.
const raceDetector = true
