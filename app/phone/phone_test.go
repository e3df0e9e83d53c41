package phone

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		// Mobiles.
		{"13800138000", "13800138000"},
		{"138 0013 8000", "13800138000"},
		{"138-0013-8000", "13800138000"},
		{"138.0013.8000", "13800138000"},
		{"(138)00138000", "13800138000"},
		{"+86 13800138000", "13800138000"},
		{"+86-138-0013-8000", "13800138000"},
		{"(+86) 138 0013 8000", "13800138000"},
		{"+8613800138000", "13800138000"},
		{"8613800138000", "13800138000"},
		{"86 138 0013 8000", "13800138000"},
		{"0086-138-0013-8000", "13800138000"},
		{"008613800138000", "13800138000"},
		{"１３８００１３８０００", "13800138000"},
		{"＋８６　１３８－００１３－８０００", "13800138000"},
		{"'13800138000", "13800138000"},
		{"’13800138000", "13800138000"},
		{" ' 13800138000 ", "13800138000"},
		{"\t13800138000\r\n", "13800138000"},
		{"\u3000138\u30000013\u30008000\u3000", "13800138000"},
		{"\ufeff13800138000\u200b", "13800138000"},
		{"138—0013—8000", "13800138000"},
		{"013800138000", "13800138000"}, // long-distance 0 before a mobile
		{"19912345678", "19912345678"},
		{"16612345678", "16612345678"},
		// Landlines.
		{"028-87654321", "028-87654321"},
		{"(028)87654321", "028-87654321"},
		{"（028）87654321", "028-87654321"},
		{"028 8765 4321", "028-87654321"},
		{"028-8765-4321", "028-87654321"},
		{"02887654321", "028-87654321"},
		{"010-12345678", "010-12345678"},
		{"01012345678", "010-12345678"},
		{"0755-1234567", "0755-1234567"},
		{"0755-12345678", "0755-12345678"},
		{"0755-1234-5678", "0755-12345678"},
		{"075512345678", "0755-12345678"},
		{"0571 8888 8888", "0571-88888888"},
		{"０２８－８７６５４３２１", "028-87654321"},
		{"'028-87654321", "028-87654321"},
		{"+86 28 8765 4321", "028-87654321"},
		{"+86-28-87654321", "028-87654321"},
		{"+86 10 1234 5678", "010-12345678"},
		{"+86 755 1234 5678", "0755-12345678"},
		{"+86 (0)28 87654321", "028-87654321"},
		{"0086 28 87654321", "028-87654321"},
		{"86-28-87654321", "028-87654321"},
		{"86 028 87654321", "028-87654321"},
		// Extensions.
		{"028-87654321-123", "028-87654321-123"},
		{"028-87654321转123", "028-87654321-123"},
		{"028-87654321 转 123", "028-87654321-123"},
		{"028-87654321转分机123", "028-87654321-123"},
		{"028-87654321分机123", "028-87654321-123"},
		{"028-87654321 ext. 123", "028-87654321-123"},
		{"028-87654321 EXT 123", "028-87654321-123"},
		{"028-87654321x123", "028-87654321-123"},
		{"028-87654321 X 123", "028-87654321-123"},
		{"028-87654321ｘ１２３", "028-87654321-123"},
		{"02887654321-123", "028-87654321-123"},
		{"(028)87654321-123", "028-87654321-123"},
		{"0755-1234567-8", "0755-1234567-8"},
		{"0755-1234567-123456", "0755-1234567-123456"},
		{"+86 28 87654321-99", "028-87654321-99"},
		{"028-8765432", "028-8765432"},
		// Empty.
		{"", ""},
		{"   ", ""},
		{"\u3000\t\n", ""},
		{"'", ""},
		{" ' ", ""},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			continue
		}
		if again, err := Normalize(got); err != nil || again != got {
			t.Errorf("Normalize(%q) = %q, %v; want it unchanged", got, again, err)
		}
	}
}

func TestNormalizeErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"1380013800", "phone: 10 digits, a mobile has 11"},
		{"138001380001", "phone: 12 digits, a mobile has 11"},
		{"12800138000", "phone: a mobile starts with 13 to 19, not 12"},
		{"10800138000", "phone: a mobile starts with 13 to 19, not 10"},
		{"87654321", "phone: 8 digits and no area code"},
		{"8765-4321", "phone: 8 digits and no area code"},
		{"abc", "phone: unexpected character 'a'"},
		{"138 0013 800o", "phone: unexpected character 'o'"},
		{"tel:13800138000", "phone: unexpected character 't'"},
		{"13800138000/13900139000", "phone: unexpected character '/'"},
		{"138+00138000", "phone: unexpected character '+'"},
		{"++8613800138000", "phone: unexpected character '+'"},
		{"-", "phone: no digits"},
		{"()", "phone: no digits"},
		{"+", "phone: no digits"},
		{"+86", "phone: no number after the country code"},
		{"0086", "phone: no number after the country code"},
		{"+1 415 555 0100", "phone: only +86 numbers are supported"},
		{"+852 2123 4567", "phone: only +86 numbers are supported"},
		{"00852 2123 4567", "phone: only +86 numbers are supported"},
		{"+86 1380013800", "phone: 10 digits, a mobile has 11"},
		{"+86 12800138000", "phone: a mobile starts with 13 to 19, not 12"},
		{"028-876543", "phone: local number has 6 digits, want 7 or 8"},        // 3-char area code
		{"028-87654321 123", "phone: local number has 11 digits, want 7 or 8"}, // an extension needs a dash or marker
		{"028-876543210", "phone: local number has 9 digits, want 7 or 8"},
		{"0755-123456", "phone: local number has 6 digits, want 7 or 8"},
		{"0755-123456789", "phone: local number has 9 digits, want 7 or 8"},
		{"011-12345678", "phone: unknown area code 011"},
		{"0", "phone: 1 digits, too short"},
		{"02", "phone: 2 digits, too short"},
		{"028", "phone: 3 digits, too short"},
		{"0755", "phone: 4 digits, too short"},
		{"13800138000转123", "phone: a mobile has no extension"},
		{"13800138000-123", "phone: 14 digits, a mobile has 11"},
		{"028-87654321转", "phone: empty extension"},
		{"028-87654321转1234567", "phone: extension has 7 digits, at most 6 allowed"},
		{"028-87654321-1234567", "phone: local number has 15 digits, want 7 or 8"},
		{"028-87654321转12转3", "phone: unexpected character '转'"},
		{"028-87654321x12x3", "phone: unexpected character 'x'"},
		{"028-87654321转12a", "phone: unexpected character 'a'"},
		{"028-876543转12", "phone: local number has 6 digits, want 7 or 8"},
		{"e", "phone: unexpected character 'e'"},
		{"13800138000\xff", "phone: invalid UTF-8"},
		{"١٣٨٠٠١٣٨٠٠٠", "phone: unexpected character '١'"},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if err == nil {
			t.Errorf("Normalize(%q) = %q, want error %q", tt.in, got, tt.msg)
			continue
		}
		if got != "" {
			t.Errorf("Normalize(%q) returned %q with error", tt.in, got)
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Normalize(%q) error %v does not wrap ErrInvalid", tt.in, err)
		}
		if err.Error() != tt.msg {
			t.Errorf("Normalize(%q) error = %q, want %q", tt.in, err, tt.msg)
		}
	}
}

func TestIsMobile(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"13800138000", true},
		{"19999999999", true},
		{"13000000000", true},
		{"12800138000", false},
		{"20800138000", false},
		{"1380013800", false},
		{"138001380000", false},
		{"138 0013 8000", false}, // not normalised
		{"1380013800a", false},
		{"1a800138000", false},
		{"028-87654321", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsMobile(tt.in); got != tt.want {
			t.Errorf("IsMobile(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"13800138000", "138****8000"},
		{"19912345678", "199****5678"},
		{"028-87654321", "028-****4321"},
		{"010-12345678", "010-****5678"},
		{"0755-1234567", "0755-***4567"},
		{"0755-12345678", "0755-****5678"},
		{"028-87654321-123", "028-****4321-123"},
		{"0755-1234567-8", "0755-***4567-8"},
		{"1", "*"},
		{"12", "**"},
		{"123", "*23"},
		{"12345", "***45"},
		{"1380013800", "********00"},
		{"138 0013 8000", "***********00"},
		{"028-8765-4321", "***********21"},
		{"028-87654321-1234567", "******************67"},
		{"x28-87654321", "**********21"},
		{"028-8765432a", "**********2a"},
		{"手机号码", "**号码"},
		{"\xff\xfe\xfd", "*\xfe\xfd"},
	}
	for _, tt := range tests {
		got := Mask(tt.in)
		if got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(tt.in) {
			t.Errorf("Mask(%q) = %q changes the length", tt.in, got)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"", "138 0013 8000", "138-0013-8000", "+86 13800138000", "8613800138000",
		"0086-138-0013-8000", "(028)87654321", "028 8765 4321", "0755-1234567",
		"１３８００１３８０００", "'13800138000", "1380013800", "12800138000",
		"87654321", "abc", "028-87654321-123", "028-87654321转123", "0755-1234567-8",
		"+86 28 8765 4321", "+86 10 12345678", "013800138000", "028-87654321 ext. 12",
		"02887654321-1", "86-1234567-1", "+8628765432-1", "\xff", "转", "x1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Normalize(s)
		if n := utf8.RuneCountInString(Mask(s)); n != utf8.RuneCountInString(s) {
			t.Fatalf("Mask(%q) has %d runes, want %d", s, n, utf8.RuneCountInString(s))
		}
		if err != nil {
			if got != "" {
				t.Fatalf("Normalize(%q) = %q with error %v", s, got, err)
			}
			if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), "phone: ") {
				t.Fatalf("Normalize(%q) error %v", s, err)
			}
			return
		}
		if got == "" {
			return
		}
		again, err := Normalize(got)
		if err != nil || again != got {
			t.Fatalf("Normalize(%q) = %q, but Normalize(%q) = %q, %v", s, got, got, again, err)
		}
		_, _, _, landline := splitLandline(got)
		if IsMobile(got) == landline {
			t.Fatalf("Normalize(%q) = %q is neither (or both) mobile and landline", s, got)
		}
		m := Mask(got)
		if len(m) != len(got) || m == got {
			t.Fatalf("Mask(%q) = %q", got, m)
		}
	})
}
