//go:build !race

package replica_test

const raceScale = 1
