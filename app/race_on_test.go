//go:build race

package app_test

// backupResidents is the size of the backup round trip: a district-like
// 100,000 normally, fewer under -race, where SQLite runs some twenty
// times slower (the checks are the same).
const backupResidents = 5_000
