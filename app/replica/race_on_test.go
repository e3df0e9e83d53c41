//go:build race

package replica_test

// Under -race SQLite runs some twenty times slower: the concurrent
// writers' test keeps its shape with fewer residents and pushes.
const raceScale = 4
