package store

import "shequ/app/model"

// PageSQLForTest is the query that picks a page's ids, for plan checks.
func PageSQLForTest(q model.ResidentQuery) string {
	col, desc := order(q)
	where, _ := residentWhere(q)
	return "SELECT r.id FROM resident r WHERE " + where + " ORDER BY " + orderClause(col, desc) + " LIMIT ?"
}

// GramsForTest are a resident's search grams as they are made one by one.
func GramsForTest(r model.Resident) []string { return grams(r) }
