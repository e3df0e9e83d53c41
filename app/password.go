package app

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// commonGz is the 30,000 most common passwords, lower case, one a line,
// most common first: the "passwords" list of zxcvbn 4.4.2 (npm package
// zxcvbn, lib/frequency_lists.js; drawn from Xato's ten million
// passwords), written out unchanged and gzipped. Licence (MIT):
// passwords/LICENSE-zxcvbn.txt.
//
//go:embed passwords/common.txt.gz
var commonGz []byte

// commonPasswords is the list as a set, read on first need.
var commonPasswords = sync.OnceValue(func() map[string]bool {
	set := make(map[string]bool, 30000)
	zr, err := gzip.NewReader(bytes.NewReader(commonGz))
	if err != nil {
		panic("app: embedded password list: " + err.Error())
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		set[sc.Text()] = true
	}
	if err := sc.Err(); err != nil {
		panic("app: embedded password list: " + err.Error())
	}
	return set
})

// CheckPassword says what is wrong with a new password for the account
// username: fewer than 8 characters, fewer than 3 of lower case, upper
// case, digits and others, the user name inside it, or one of the most
// common passwords (case aside). It is the one check of every password
// set: the first account, new accounts, changes, resets, the server's.
func CheckPassword(username, password string) error {
	classes := map[string]bool{}
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			classes["lower"] = true
		case unicode.IsUpper(r):
			classes["upper"] = true
		case unicode.IsDigit(r):
			classes["digit"] = true
		default:
			classes["other"] = true
		}
	}
	if utf8.RuneCountInString(password) < 8 || len(classes) < 3 {
		return problem("password", "err.password.weak", nil)
	}
	lower := strings.ToLower(password)
	name := strings.ToLower(strings.TrimSpace(username))
	// A name of one or two letters is inside too many good passwords;
	// two Chinese characters are a whole name.
	if n := utf8.RuneCountInString(name); (n >= 3 || n == 2 && len(name) > 2) && strings.Contains(lower, name) {
		return problem("password", "err.password.name", map[string]any{"Name": strings.TrimSpace(username)})
	}
	if commonPasswords()[lower] {
		return problem("password", "err.password.common", nil)
	}
	return nil
}
