// Package theme provides the shequ Fyne theme (the default Fyne look with the
// bundled Chinese font) and the UI language setup.
package theme

import (
	"fyne.io/fyne/v2"
	fynetheme "fyne.io/fyne/v2/theme"

	"shequ/assets"
)

// FontResource is the bundled Simplified-Chinese font as a Fyne resource.
var FontResource fyne.Resource = fyne.NewStaticResource(assets.FontName, assets.FontTTF)

type shequTheme struct {
	fyne.Theme
}

// New returns the shequ theme: Fyne's default theme (colours, icons, sizes,
// light/dark variants) with the bundled font used for every text style.
func New() fyne.Theme {
	return shequTheme{Theme: fynetheme.DefaultTheme()}
}

// Font returns the bundled font for every style (regular, bold, italic,
// monospace and symbol), so Fyne only falls back to its own or system fonts
// for runes the bundled font lacks. The font has a single weight, so bold and
// italic text is drawn in the regular face.
func (shequTheme) Font(fyne.TextStyle) fyne.Resource {
	return FontResource
}
