package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"shequ/app"
	"shequ/ui/i18n"
)

// printTable writes rows in columns aligned for a terminal, counting
// Chinese characters as two columns wide (text/tabwriter counts one).
func printTable(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], width(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-width(c)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// width is the terminal width of s: wide (East Asian) runes count two.
func width(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 && (unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x30FF || r >= 0xFF00 && r <= 0xFF60 || r >= 0xAC00 && r <= 0xD7A3) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// writeJSON prints v as indented JSON, for --json: codes and keys, the
// same in every language.
func writeJSON(env *Env, v any) error {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// listJSON writes a listing as JSON: each row converted to its stable
// codes and keys; an empty list is [], never null.
func listJSON[T, J any](env *Env, list []T, conv func(T) J) error {
	out := make([]J, 0, len(list))
	for _, v := range list {
		out = append(out, conv(v))
	}
	return writeJSON(env, out)
}

// printRows prints a listing as a table of words under its header.
func printRows[T any](w io.Writer, header []string, list []T, row func(T) []string) {
	rows := make([][]string, 0, len(list)+1)
	rows = append(rows, header)
	for _, v := range list {
		rows = append(rows, row(v))
	}
	printTable(w, rows)
}

// listing is a verb that signs in and lists what fetch returns: with
// --json each row's stable codes and keys, else a table of words.
type listing[T, J any] struct {
	name   string                                                   // the verb: "tag list"
	fetch  func(*app.App, context.Context, *app.Actor) ([]T, error) // a method of App: (*app.App).Tags
	json   func(T) J
	header func() []string // words, read when the language is set
	row    func(T) []string
	foot   func(env *Env, list []T) // a line under the table, or nil
}

func (l listing[T, J]) run(ctx context.Context, env *Env, args []string) error {
	fs, db, user := userFlags(env, l.name)
	asJSON := fs.Bool("json", false, i18n.L("cli.flag.json"))
	a, actor, done, err := session(ctx, env, fs, args, db, user)
	if err != nil {
		return err
	}
	defer done()
	list, err := l.fetch(a, ctx, actor)
	if err != nil {
		return err
	}
	return l.show(env, list, *asJSON)
}

func (l listing[T, J]) show(env *Env, list []T, asJSON bool) error {
	if asJSON {
		return listJSON(env, list, l.json)
	}
	printRows(env.Stdout, l.header(), list, l.row)
	if l.foot != nil {
		l.foot(env, list)
	}
	return nil
}
