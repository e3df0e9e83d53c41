package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Names sort in pinyin order (陈 before 张), as staff read a roster, not
// by code point. The order is CLDR's Chinese collation (pinyin), whose key
// is kept on the resident (name_key, migration 030) and indexed, so a list
// sorted by name still pages by keyset; every path that writes a name
// writes its key (NameKey) in the same statement.

// surnameReadings are surnames whose reading as a surname is not the
// character's commonest one, which the collation follows (曾 céng, 单 dān,
// 解 jiě …): as a name's first character each sorts as a character read
// the surname's way.
var surnameReadings = map[rune]rune{
	'曾': '增', // zēng
	'单': '善', // shàn
	'解': '谢', // xiè
	'仇': '求', // qiú
	'区': '欧', // ōu
	'沈': '审', // shěn (the collation files it under chén)
	'查': '渣', // zhā
	'朴': '瓢', // piáo
	'盖': '葛', // gě
	'缪': '妙', // miào
	'覃': '秦', // qín
	'翟': '宅', // zhái
	'召': '邵', // shào
}

// collators are pooled: a Collator keeps buffers and is not safe for use
// by two goroutines at once. Loose leaves out case and width, which makes
// keys shorter; equal keys are ordered by id.
var collators = sync.Pool{New: func() any {
	return &nameCollator{c: collate.New(language.Chinese, collate.Loose)}
}}

type nameCollator struct {
	c   *collate.Collator
	buf collate.Buffer
}

// NameKey is the sort key of a name: bytes that compare (as SQLite
// compares BLOBs) in pinyin order of the name.
func NameKey(name string) []byte {
	if name == "" {
		return []byte{}
	}
	if rs := []rune(name); len(rs) > 0 {
		if r, ok := surnameReadings[rs[0]]; ok {
			rs[0] = r
			name = string(rs)
		}
	}
	nc := collators.Get().(*nameCollator)
	key := append([]byte{}, nc.c.KeyFromString(&nc.buf, name)...)
	nc.buf.Reset()
	collators.Put(nc)
	return key
}

// migrationSteps are parts of a migration done in Go, in the migration's
// transaction after its SQL.
var migrationSteps = map[int]func(context.Context, *sql.Tx) error{
	30: backfillNameKeys,
}

// backfillNameKeys gives every resident its name's sort key. Read in
// batches by id, so that no statement is open while rows are written. The
// key's index is made again afterwards, from the keys sorted once, rather
// than kept up to date row by row.
func backfillNameKeys(ctx context.Context, tx *sql.Tx) error {
	var index string
	if err := tx.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'resident_name_key'").Scan(&index); err != nil {
		return fmt.Errorf("name key index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "DROP INDEX resident_name_key"); err != nil {
		return err
	}
	up, err := tx.PrepareContext(ctx, "UPDATE resident SET name_key = ? WHERE id = ?")
	if err != nil {
		return err
	}
	defer up.Close()
	type row struct {
		id   int64
		name string
	}
	batch := make([]row, 0, 10000)
	for last := int64(0); ; {
		batch = batch[:0]
		rows, err := tx.QueryContext(ctx, "SELECT id, name FROM resident WHERE id > ? ORDER BY id LIMIT ?", last, cap(batch))
		if err != nil {
			return err
		}
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.name); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			_, err := tx.ExecContext(ctx, index)
			return err
		}
		for _, r := range batch {
			if _, err := up.ExecContext(ctx, NameKey(r.name), r.id); err != nil {
				return fmt.Errorf("name key of resident %d: %w", r.id, err)
			}
		}
		last = batch[len(batch)-1].id
	}
}
