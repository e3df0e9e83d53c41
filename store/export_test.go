package store

import (
	"context"
	"database/sql"

	"shequ/app/model"
)

// PageSQLForTest is the query that picks a page of 100 ids and its
// arguments, for plan checks.
func PageSQLForTest(q model.ResidentQuery) (string, []any) {
	col, desc := order(q)
	where, args := residentWhere(q)
	return "SELECT r.id FROM resident r WHERE " + where + " ORDER BY " + orderClause(col, desc) + " LIMIT ?", append(args, 100)
}

// CursorSQLForTest is the query of a jump 100 rows into the list and
// its arguments.
func CursorSQLForTest(q model.ResidentQuery) (string, []any) {
	query, args := cursorSQL(q)
	return query, append(args, 100)
}

// GramsForTest are a resident's search grams as they are made one by one.
func GramsForTest(r model.Resident) []string { return grams(r) }

// BackfillNameKeysForTest runs migration 030's step in Go again, in a
// transaction of its own.
func BackfillNameKeysForTest(ctx context.Context, s *Store) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return backfillNameKeys(ctx, tx) })
}

// CountGramsFromForTest has counts of name searches use the set of
// former residents from n grams on, until the returned func is called.
func CountGramsFromForTest(n int) func() {
	old := gramSetFrom
	gramSetFrom = n
	return func() { gramSetFrom = old }
}
