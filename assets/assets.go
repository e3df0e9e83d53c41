// Package assets embeds the resources bundled into the shequ binary: the
// Simplified-Chinese UI font and the UI translation files.
package assets

import "embed"

// FontName is the file name of the bundled font, handy for fyne.StaticResource.
const FontName = "wqy-microhei.ttf"

// FontTTF is WenQuanYi Micro Hei (face 0 of wqy-microhei.ttc, extracted with
// tools/ttcextract): a plain TrueType (glyf) font covering Latin and
// Simplified Chinese. It can be used both by Fyne and by
// github.com/golang/freetype/truetype (go-chart). Licence:
// fonts/LICENSE-wqy-microhei.txt (Apache-2.0 or GPL-3+ with font exception).
// Treat it as read-only.
//
//go:embed fonts/wqy-microhei.ttf
var FontTTF []byte

// Translations holds the Fyne translation files translations/zh.json and
// translations/en.json (flat JSON objects, key → text). Both files must have
// the same key set; TestTranslationsInSync enforces this. Register them with
// lang.AddTranslationsFS(Translations, TranslationsDir).
//
//go:embed translations/*.json
var Translations embed.FS

// TranslationsDir is the directory inside Translations that holds the files.
const TranslationsDir = "translations"

// Icon is the application icon (256×256 PNG), also named in FyneApp.toml.
//
//go:embed icon.png
var Icon []byte
