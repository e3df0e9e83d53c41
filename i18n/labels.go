package i18n

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2/lang"

	"shequ/app"
	"shequ/model"
)

// Sex, Kind, Status, Relation and Level translate stored codes for display.
func Sex(s model.Sex) string {
	if s == "" {
		return ""
	}
	return lang.L("sex." + string(s))
}

// Kind translates a resident kind (人员类别).
func Kind(k model.Kind) string { return lang.L("kind." + string(k)) }

// Status translates a resident status.
func Status(s model.Status) string { return lang.L("status." + string(s)) }

// Relation translates a relation to the householder.
func Relation(r model.Relation) string {
	if r == "" {
		return ""
	}
	return lang.L("relation." + string(r))
}

// Use translates a house use.
func Use(u model.HouseUse) string { return lang.L("use." + string(u)) }

// Field translates a field name of a problem.
func Field(name string) string { return lang.L("field." + name) }

// Problem translates one problem with what was typed.
func Problem(p app.Problem) string { return lang.L(p.Key, p.Data) }

// Message says an error in the user's language: problems with what was
// typed by field and key, the rest by their sentinel.
func Message(err error) string {
	var ps app.Problems
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ps) && len(ps) == 1:
		return Problem(ps[0])
	case errors.As(err, &ps):
		var parts []string
		for _, p := range ps {
			parts = append(parts, Field(p.Field)+": "+Problem(p))
		}
		return strings.Join(parts, "\n")
	case errors.Is(err, app.ErrPassphrase):
		return lang.L("err.passphrase")
	case errors.Is(err, app.ErrBadLogin):
		return lang.L("err.login")
	case errors.Is(err, model.ErrForbidden):
		return lang.L("err.forbidden")
	case errors.Is(err, model.ErrNotFound):
		return lang.L("err.notfound")
	case errors.Is(err, model.ErrConflict):
		return lang.L("err.conflict")
	}
	return err.Error()
}
