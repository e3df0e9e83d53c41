// Package i18n holds the words of both faces: it chooses the UI language
// (Chinese unless asked for English), looks keys up in the embedded
// translations (assets.Translations) and names codes, errors and problems.
// It needs no Fyne, so the command line and the headless server build link
// none; the window registers the same translations with Fyne for Fyne's own
// widget strings (ui.SetupLanguage).
package i18n

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"text/template"

	"shequ/assets"
)

// Supported UI languages, as returned by PreferredLanguage.
const (
	Chinese = "zh"
	English = "en"
)

// PreferredLanguage reports the UI language the environment asks for:
// English if SHEQU_LANG starts with "en", Chinese if it starts with "zh";
// otherwise English only if the effective POSIX message locale (the first
// non-empty of LC_ALL, LC_MESSAGES, LANG) starts with "en" or, with none
// set (Windows), the system's display language is English; Chinese in
// every other case (including "C", "C.UTF-8" and other languages).
func PreferredLanguage() string {
	if v := strings.ToLower(os.Getenv("SHEQU_LANG")); strings.HasPrefix(v, English) {
		return English
	} else if strings.HasPrefix(v, Chinese) {
		return Chinese
	}
	return fromLocale(func(name string) string { return os.Getenv(name) }, systemLanguage())
}

// fromLocale reads the first non-empty POSIX locale variable, else the
// system's display language (Windows): English only if it says English.
func fromLocale(getenv func(string) string, system string) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			if strings.HasPrefix(strings.ToLower(v), English) {
				return English
			}
			return Chinese
		}
	}
	if strings.HasPrefix(strings.ToLower(system), English) {
		return English
	}
	return Chinese
}

// catalogue is one language's messages with their parsed templates.
type catalogue struct {
	text      map[string]string
	templates sync.Map // key → *template.Template, parsed on first use
}

var (
	mu       sync.RWMutex
	current  *catalogue // the chosen language
	fallback *catalogue // English, for a key the chosen language lacks
	chosen   string
)

// Setup chooses PreferredLanguage for L and returns it. Call it once at
// start-up; calling it again re-applies the environment's choice (tests use
// this to switch language).
func Setup() (string, error) {
	want := PreferredLanguage()
	cur, err := load(want)
	if err != nil {
		return want, err
	}
	en := cur
	if want != English {
		if en, err = load(English); err != nil {
			return want, err
		}
	}
	mu.Lock()
	current, fallback, chosen = cur, en, want
	mu.Unlock()
	return want, nil
}

// Language is the language chosen by the last Setup ("" before it).
func Language() string {
	mu.RLock()
	defer mu.RUnlock()
	return chosen
}

// Messages is the embedded translation file of language (zh or en), a flat
// JSON object of key → text, for registering with another engine.
func Messages(language string) ([]byte, error) {
	return assets.Translations.ReadFile(assets.TranslationsDir + "/" + language + ".json")
}

func load(language string) (*catalogue, error) {
	raw, err := Messages(language)
	if err != nil {
		return nil, err
	}
	c := &catalogue{}
	if err := json.Unmarshal(raw, &c.text); err != nil {
		return nil, fmt.Errorf("i18n: %s.json: %w", language, err)
	}
	return c, nil
}

// L is the text of key in the chosen language (English where that lacks it,
// the key itself where both do), with {{.Name}} placeholders filled from
// data[0], a map or a struct.
func L(key string, data ...any) string {
	mu.RLock()
	cur, en := current, fallback
	mu.RUnlock()
	if cur == nil { // before Setup: the environment's language
		if _, err := Setup(); err != nil {
			return key
		}
		return L(key, data...)
	}
	c := cur
	text, ok := c.text[key]
	if !ok {
		c = en
		if text, ok = en.text[key]; !ok {
			return key
		}
	}
	if !strings.Contains(text, "{{") {
		return text
	}
	var d any
	if len(data) > 0 {
		d = data[0]
	}
	return c.fill(key, text, d)
}

func (c *catalogue) fill(key, text string, data any) string {
	t, ok := c.templates.Load(key)
	if !ok {
		parsed, err := template.New(key).Funcs(funcs).Parse(text)
		if err != nil {
			return text
		}
		t, _ = c.templates.LoadOrStore(key, parsed)
	}
	var b strings.Builder
	if err := t.(*template.Template).Execute(&b, data); err != nil {
		return text
	}
	return b.String()
}

// funcs are the functions a message may call.
var funcs = template.FuncMap{"plural": plural}

// plural writes a count with its noun, the singular for one: in English
// {{plural .Count "resident"}} reads "1 resident", "2 residents", and an
// irregular plural follows the singular ({{plural .N "activity"
// "activities"}}). The count is written as given (a grouped "1,234"
// stays so). Chinese has no plural and needs none of this.
func plural(count any, one string, other ...string) string {
	n := fmt.Sprint(count)
	if strings.ReplaceAll(n, ",", "") == "1" {
		return n + " " + one
	}
	if len(other) > 0 {
		return n + " " + other[0]
	}
	return n + " " + one + "s"
}

// Codes are the codes named under prefix ("audit.action." gives
// login.ok, resident.open …), sorted: a list of codes offered to choose
// from grows as soon as a new one is named.
func Codes(prefix string) []string {
	mu.RLock()
	cur := current
	mu.RUnlock()
	if cur == nil {
		if _, err := Setup(); err != nil {
			return nil
		}
		return Codes(prefix)
	}
	var out []string
	for k := range cur.text {
		if code, ok := strings.CutPrefix(k, prefix); ok && code != "" {
			out = append(out, code)
		}
	}
	sort.Strings(out)
	return out
}
