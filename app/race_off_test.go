//go:build !race

package app_test

// backupResidents: see race_on_test.go.
const backupResidents = 100_000
