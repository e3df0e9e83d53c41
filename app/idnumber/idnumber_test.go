package idnumber

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// withCheck appends the correct check character to a 17-digit prefix.
func withCheck(first17 string) string {
	return first17 + string(CheckChar(first17))
}

func TestCheckChar(t *testing.T) {
	tests := []struct {
		in   string
		want byte
	}{
		{"11010519491231002", 'X'},
		{"44052418800101001", '4'},
		{"51010419900101123", '0'},
		{"00000000000000000", '1'},
		{"", 0},
		{"1101051949123100", 0},   // 16 digits
		{"110105194912310021", 0}, // 18 digits
		{"1101051949123100X", 0},
		{"１１０１０５１９４９１２３１００２", 0}, // full-width is not normalised here
	}
	for _, tt := range tests {
		if got := CheckChar(tt.in); got != tt.want {
			t.Errorf("CheckChar(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Each possible remainder maps to its character.
	seen := map[byte]bool{}
	for i := 0; i < 100000 && len(seen) < 11; i++ {
		s := Synthesize("110105", date(1980, 1, 1), i, Male)
		seen[s[17]] = true
	}
	if len(seen) != 11 {
		t.Errorf("only %d distinct check characters seen", len(seen))
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"11010519491231002X", "11010519491231002X"},
		{"11010519491231002x", "11010519491231002X"},
		{" 110105 19491231 002X\t\n", "11010519491231002X"},
		{"\u3000110105\u300019491231002X\u3000", "11010519491231002X"},
		{"\u00a0110105\r\n19491231002X", "11010519491231002X"},
		{"\ufeff11010519491231002X\u200b", "11010519491231002X"},
		{"１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"},
		{"１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"},
		{"'11010519491231002X", "11010519491231002X"},
		{"’11010519491231002X", "11010519491231002X"},
		{"‘11010519491231002X", "11010519491231002X"},
		{"＇11010519491231002X", "11010519491231002X"},
		{" ' 11010519491231002x ", "11010519491231002X"},
		{"''11010519491231002X", "11010519491231002X"},
		{"1101051949'1231002X", "1101051949'1231002X"}, // only leading apostrophes
		{"abcxyz", "abcXyz"},
		{"\xff1\xfe", "\uFFFD1\uFFFD"},
		{"0\xef \xbc\x94", "0\uFFFD\uFFFD\uFFFD"}, // no rune is formed across a removed space
	}
	for _, tt := range tests {
		got := Normalize(tt.in)
		if got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := Normalize(got); again != got {
			t.Errorf("Normalize not idempotent on %q: %q then %q", tt.in, got, again)
		}
	}
}

func TestParse(t *testing.T) {
	today := date(2024, 6, 15)
	tests := []struct {
		name      string
		in        string
		number    string
		birth     time.Time
		sex       Sex
		converted bool
	}{
		{"standard example 1", "11010519491231002X", "11010519491231002X", date(1949, 12, 31), Female, false},
		{"standard example 2", "440524188001010014", "440524188001010014", date(1880, 1, 1), Male, false},
		{"15 digits", "110105491231002", "11010519491231002X", date(1949, 12, 31), Female, true},
		{"15 digits male", "440524800101001", withCheck("44052419800101001"), date(1980, 1, 1), Male, true},
		{"lower-case x", "11010519491231002x", "11010519491231002X", date(1949, 12, 31), Female, false},
		{"full-width", "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", date(1949, 12, 31), Female, false},
		{"full-width lower x", "１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", date(1949, 12, 31), Female, false},
		{"spaces", " 110105 1949 1231 002X ", "11010519491231002X", date(1949, 12, 31), Female, false},
		{"ideographic space and tab", "\u3000110105\t19491231002X\n", "11010519491231002X", date(1949, 12, 31), Female, false},
		{"apostrophe", "'440524188001010014", "440524188001010014", date(1880, 1, 1), Male, false},
		{"curly apostrophe", "’440524188001010014", "440524188001010014", date(1880, 1, 1), Male, false},
		{"leap day", withCheck("51010420000229123"), withCheck("51010420000229123"), date(2000, 2, 29), Male, false},
		{"born today", withCheck("51010420240615124"), withCheck("51010420240615124"), date(2024, 6, 15), Female, false},
		{"earliest", withCheck("51010418500101123"), withCheck("51010418500101123"), date(1850, 1, 1), Male, false},
		{"Hong Kong", withCheck("81000019900101123"), withCheck("81000019900101123"), date(1990, 1, 1), Male, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := ParseAt(tt.in, today)
			if err != nil {
				t.Fatalf("ParseAt(%q): %v", tt.in, err)
			}
			want := Info{
				Number:    tt.number,
				Birth:     tt.birth,
				Sex:       tt.sex,
				Region:    tt.number[:6],
				Converted: tt.converted,
			}
			if info != want {
				t.Errorf("ParseAt(%q) = %+v, want %+v", tt.in, info, want)
			}
			if info.Birth.Location() != time.UTC {
				t.Errorf("Birth location = %v, want UTC", info.Birth.Location())
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	today := date(2024, 6, 15)
	tests := []struct {
		name     string
		in       string
		kind     error
		expected byte
		length   int
	}{
		{"empty", "", ErrEmpty, 0, 0},
		{"only spaces", " \u3000\t", ErrEmpty, 0, 0},
		{"only apostrophe", "'", ErrEmpty, 0, 0},
		{"17 chars", "11010519491231002", ErrLength, 0, 17},
		{"19 chars", "11010519491231002X1", ErrLength, 0, 19},
		{"16 chars", "1101051949123100", ErrLength, 0, 16},
		{"14 chars", "11010549123100", ErrLength, 0, 14},
		{"one char", "1", ErrLength, 0, 1},
		{"letters inside", "110105A9491231002X", ErrCharacters, 0, 18},
		{"X not last", "11010519491231X021", ErrCharacters, 0, 18},
		{"X in 15", "11010549123100X", ErrCharacters, 0, 15},
		{"other letter last", "11010519491231002Y", ErrCharacters, 0, 18},
		{"dash", "110105-194912-3100", ErrCharacters, 0, 18},
		{"chinese chars", "１１０１０５１９４９１２３１００２号", ErrCharacters, 0, 18},
		{"apostrophe inside", "1101051949'231002X", ErrCharacters, 0, 18},
		{"province 00", withCheck("00010519491231002"), ErrRegion, 0, 18},
		{"province 10", withCheck("10010519491231002"), ErrRegion, 0, 18},
		{"province 16", withCheck("16010519491231002"), ErrRegion, 0, 18},
		{"province 99", withCheck("99010519491231002"), ErrRegion, 0, 18},
		{"province 15-digit", "990105491231002", ErrRegion, 0, 15},
		{"0229 in non-leap year", withCheck("11010519490229002"), ErrBirthDate, 0, 18},
		{"0229 in 1900", withCheck("11010519000229002"), ErrBirthDate, 0, 18},
		{"0229 in 15-digit 1949", "110105490229002", ErrBirthDate, 0, 15},
		{"month 13", withCheck("11010519491331002"), ErrBirthDate, 0, 18},
		{"month 00", withCheck("11010519490031002"), ErrBirthDate, 0, 18},
		{"day 00", withCheck("11010519491200002"), ErrBirthDate, 0, 18},
		{"April 31", withCheck("11010519490431002"), ErrBirthDate, 0, 18},
		{"before 1850", withCheck("11010518491231002"), ErrBirthDate, 0, 18},
		{"tomorrow", withCheck("11010520240616002"), ErrBirthDate, 0, 18},
		{"future year", withCheck("11010520990101002"), ErrBirthDate, 0, 18},
		{"wrong check char", "110105194912310021", ErrChecksum, 'X', 18},
		{"wrong check char X", "44052418800101001X", ErrChecksum, '4', 18},
		{"wrong check digit", "440524188001010015", ErrChecksum, '4', 18},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := ParseAt(tt.in, today)
			if err == nil {
				t.Fatalf("ParseAt(%q) = %+v, want error %v", tt.in, info, tt.kind)
			}
			if info != (Info{}) {
				t.Errorf("ParseAt(%q) returned non-zero Info %+v with error", tt.in, info)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("ParseAt(%q) error = %v, want %v", tt.in, err, tt.kind)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseAt(%q) error %T is not *Error", tt.in, err)
			}
			if e.Kind != tt.kind || e.Expected != tt.expected || e.Length != tt.length {
				t.Errorf("ParseAt(%q) = %+v, want Kind %v Expected %q Length %d",
					tt.in, *e, tt.kind, tt.expected, tt.length)
			}
			if !strings.HasPrefix(err.Error(), "idnumber: ") {
				t.Errorf("error text %q lacks package prefix", err)
			}
			if tt.kind != ErrBirthDate && Valid(tt.in) { // Valid uses the real date
				t.Errorf("Valid(%q) = true", tt.in)
			}
		})
	}
}

func TestParseUsesNow(t *testing.T) {
	now := time.Now()
	y, m, d := now.Date()
	tomorrow := time.Date(y, m, d+1, 12, 0, 0, 0, time.Local)
	future := Synthesize("110105", tomorrow, 1, Male)
	if _, err := Parse(future); !errors.Is(err, ErrBirthDate) {
		t.Errorf("Parse(%q) error = %v, want ErrBirthDate", future, err)
	}
	past := Synthesize("110105", now.AddDate(-30, 0, 0), 1, Male)
	if _, err := Parse(past); err != nil {
		t.Errorf("Parse(%q): %v", past, err)
	}
}

func TestParseAtTodayLocation(t *testing.T) {
	// "Today" is the calendar date in today's own location.
	east := time.FixedZone("UTC+8", 8*3600)
	today := time.Date(2024, 6, 16, 1, 0, 0, 0, east) // still 15 June in UTC
	n := withCheck("11010520240616002")
	if _, err := ParseAt(n, today); err != nil {
		t.Errorf("ParseAt(%q, %v): %v", n, today, err)
	}
	if _, err := ParseAt(n, today.UTC()); !errors.Is(err, ErrBirthDate) {
		t.Errorf("ParseAt(%q, %v) error = %v, want ErrBirthDate", n, today.UTC(), err)
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Kind: ErrEmpty}, "idnumber: empty"},
		{&Error{Kind: ErrLength, Length: 17}, "idnumber: length 17, want 15 or 18"},
		{&Error{Kind: ErrCharacters, Length: 18}, "idnumber: characters"},
		{&Error{Kind: ErrRegion, Length: 18}, "idnumber: region"},
		{&Error{Kind: ErrBirthDate, Length: 18}, "idnumber: birth date"},
		{&Error{Kind: ErrChecksum, Expected: 'X', Length: 18}, "idnumber: check character, want X"},
		{&Error{Kind: ErrChecksum, Length: 18}, "idnumber: check character"},
		{&Error{}, "idnumber: invalid"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%+v.Error() = %q, want %q", *tt.err, got, tt.want)
		}
		if tt.err.Unwrap() != tt.err.Kind {
			t.Errorf("Unwrap() = %v, want %v", tt.err.Unwrap(), tt.err.Kind)
		}
	}
}

func TestValid(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"11010519491231002X", true},
		{"11010519491231002x", true},
		{"110105491231002", true},
		{"440524188001010014", true},
		{"440524188001010015", false},
		{"", false},
		{"hello", false},
	}
	for _, tt := range tests {
		if got := Valid(tt.in); got != tt.want {
			t.Errorf("Valid(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"1", "*"},
		{"12345678", "********"},
		{"123456789", "1234*6789"},
		{"510104199001011234", "5101**********1234"},
		{"11010519491231002X", "1101**********002X"},
		{"110105491231002", "1101*******1002"},
		{"四川省成都市锦江区人", "四川省成**锦江区人"},
		{"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7", "\xff\xfe\xfd\xfc*\xfa\xf9\xf8\xf7"},
	}
	for _, tt := range tests {
		got := Mask(tt.in)
		if got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(tt.in) {
			t.Errorf("Mask(%q) changed length", tt.in)
		}
	}
}

func TestAge(t *testing.T) {
	tests := []struct {
		birth, at time.Time
		want      int
	}{
		{date(1949, 12, 31), date(2024, 12, 30), 74},
		{date(1949, 12, 31), date(2024, 12, 31), 75},
		{date(1949, 12, 31), date(2025, 1, 1), 75},
		{date(1990, 6, 15), date(2024, 6, 14), 33},
		{date(1990, 6, 15), date(2024, 6, 15), 34},
		{date(1990, 6, 15), date(2024, 7, 1), 34},
		{date(2000, 2, 29), date(2023, 2, 28), 22},
		{date(2000, 2, 29), date(2023, 3, 1), 23},
		{date(2000, 2, 29), date(2024, 2, 29), 24},
		{date(2024, 6, 15), date(2024, 6, 15), 0},
		{date(2024, 6, 15), date(2024, 6, 14), 0}, // before birth
		{date(1880, 1, 1), date(2024, 1, 1), 144},
		{date(1990, 6, 15), time.Date(2024, 6, 15, 23, 59, 0, 0, time.Local), 34},
	}
	for _, tt := range tests {
		if got := Age(tt.birth, tt.at); got != tt.want {
			t.Errorf("Age(%s, %s) = %d, want %d", tt.birth.Format(time.DateOnly), tt.at.Format(time.DateOnly), got, tt.want)
		}
	}
}

func TestProvince(t *testing.T) {
	tests := []struct{ in, want string }{
		{"110105", "北京市"},
		{"12", "天津市"},
		{"130000", "河北省"},
		{"150000", "内蒙古自治区"},
		{"230000", "黑龙江省"},
		{"310000", "上海市"},
		{"440524", "广东省"},
		{"450000", "广西壮族自治区"},
		{"500000", "重庆市"},
		{"510104", "四川省"},
		{"51010419900101123X", "四川省"},
		{"540000", "西藏自治区"},
		{"640000", "宁夏回族自治区"},
		{"650000", "新疆维吾尔自治区"},
		{"710000", "台湾"},
		{"810000", "香港"},
		{"820000", "澳门"},
		{"830000", "台湾"},
		{"931000", "外国人永久居留"}, {"910000", ""},
		{"", ""},
		{"1", ""},
		{"00", ""},
		{"16", ""},
		{"24", ""},
		{"47", ""},
		{"55", ""},
		{"66", ""},
		{"72", ""},
		{"84", ""},
		{"90", ""},
		{"92", ""},
		{"ab", ""},
	}
	for _, tt := range tests {
		if got := Province(tt.in); got != tt.want {
			t.Errorf("Province(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The region check in Parse and Province agree on all two-digit codes
	// (9… takes three: TestForeignersPermanentResidenceCard).
	valid := 0
	for i := 0; i < 90; i++ {
		code := string([]byte{byte('0' + i/10), byte('0' + i%10)})
		if Province(code) != "" {
			valid++
		}
		n := withCheck(code + "010519800101001")
		_, err := ParseAt(n, date(2024, 1, 1))
		if (err == nil) != (Province(code) != "") {
			t.Errorf("code %s: Province %q but ParseAt error %v", code, Province(code), err)
		}
	}
	if valid != 35 {
		t.Errorf("%d province codes, want 35", valid)
	}
}

func TestSexString(t *testing.T) {
	if Male.String() != "M" || Female.String() != "F" || Sex(0).String() != "Sex(0)" {
		t.Errorf("Sex.String: %q %q %q", Male, Female, Sex(0))
	}
}

func TestSynthesize(t *testing.T) {
	today := date(2024, 6, 15)
	regions := []string{"110105", "510104", "440524", "810000", "650102"}
	births := []time.Time{
		date(1850, 1, 1), date(1900, 2, 28), date(1949, 12, 31), date(2000, 2, 29),
		date(2024, 6, 15), time.Date(1990, 7, 1, 23, 30, 0, 0, time.FixedZone("CST", 8*3600)),
	}
	seqs := []int{0, 1, 2, 249, 250, 499, 500, 501, 999, 1000, -1, -500, -501, 1 << 40, -(1 << 40)}
	for _, region := range regions {
		for _, birth := range births {
			for _, seq := range seqs {
				for _, sex := range []Sex{Male, Female} {
					n := Synthesize(region, birth, seq, sex)
					info, err := ParseAt(n, today)
					if err != nil {
						t.Fatalf("Synthesize(%s, %v, %d, %v) = %q: %v", region, birth, seq, sex, n, err)
					}
					y, m, d := birth.Date()
					if !info.Birth.Equal(date(y, m, d)) || info.Sex != sex || info.Region != region || info.Number != n {
						t.Errorf("Synthesize(%s, %v, %d, %v) = %q parses as %+v", region, birth, seq, sex, n, info)
					}
				}
			}
		}
	}
	// Distinct seq values in 0..499 give distinct numbers.
	seen := map[string]bool{}
	for seq := 0; seq < 500; seq++ {
		seen[Synthesize("110105", date(1980, 1, 1), seq, Female)] = true
	}
	if len(seen) != 500 {
		t.Errorf("%d distinct numbers for 500 sequences", len(seen))
	}
	// Any non-Male sex is treated as female.
	n := Synthesize("110105", date(1980, 1, 1), 7, Sex('?'))
	if info, err := ParseAt(n, today); err != nil || info.Sex != Female {
		t.Errorf("Synthesize with Sex('?') = %q, %+v, %v", n, info, err)
	}
}

func TestSynthesizePanics(t *testing.T) {
	for _, tt := range []struct {
		region string
		birth  time.Time
	}{
		{"11010", date(1980, 1, 1)},
		{"1101055", date(1980, 1, 1)},
		{"11010a", date(1980, 1, 1)},
		{"１１０１０５", date(1980, 1, 1)},
		{"110105", date(10000, 1, 1)},
		{"110105", date(-1, 1, 1)},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Synthesize(%q, %v) did not panic", tt.region, tt.birth)
				}
			}()
			Synthesize(tt.region, tt.birth, 0, Male)
		}()
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "11010519491231002X", "440524188001010014", "110105491231002",
		"11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ", " '110105 19491231 002X",
		"’440524188001010014", "11010519491231002", "11010519491231002X1",
		"110105A9491231002X", "11010519490229002X", "110105194912310021",
		"000105194912310021", "\u3000\t\n", "\xff\xfe", "810000199001011234",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		info, err := Parse(s)
		if n := utf8.RuneCountInString(Mask(s)); n != utf8.RuneCountInString(s) {
			t.Fatalf("Mask(%q) has %d runes, want %d", s, n, utf8.RuneCountInString(s))
		}
		if norm := Normalize(s); Normalize(norm) != norm {
			t.Fatalf("Normalize not idempotent on %q", s)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Kind == nil {
				t.Fatalf("Parse(%q) error %v is not an *Error with a Kind", s, err)
			}
			if (e.Kind == ErrChecksum) != (e.Expected != 0) {
				t.Fatalf("Parse(%q) error %+v: Expected inconsistent with Kind", s, *e)
			}
			if info != (Info{}) {
				t.Fatalf("Parse(%q) returned Info %+v with error", s, info)
			}
			return
		}
		if len(info.Number) != 18 {
			t.Fatalf("Parse(%q).Number = %q, not 18 chars", s, info.Number)
		}
		if !Valid(info.Number) {
			t.Fatalf("Valid(%q) = false", info.Number)
		}
		if CheckChar(info.Number[:17]) != info.Number[17] {
			t.Fatalf("check character of %q is wrong", info.Number)
		}
		if info.Region != info.Number[:6] || Province(info.Region) == "" {
			t.Fatalf("Parse(%q).Region = %q", s, info.Region)
		}
		if info.Sex != Male && info.Sex != Female {
			t.Fatalf("Parse(%q).Sex = %v", s, info.Sex)
		}
		again, err := Parse(info.Number)
		if err != nil {
			t.Fatalf("Parse(%q): %v", info.Number, err)
		}
		want := info
		want.Converted = false // the 18-character form is never "converted"
		if again != want {
			t.Fatalf("Parse(%q) = %+v, want %+v", info.Number, again, want)
		}
		if Mask(info.Number) != info.Number[:4]+"**********"+info.Number[14:] {
			t.Fatalf("Mask(%q) = %q", info.Number, Mask(info.Number))
		}
	})
}

func FuzzSynthesize(f *testing.F) {
	f.Add(uint32(0), 1980, uint8(1), uint8(1), 0, true)
	f.Add(uint32(510104), 2000, uint8(2), uint8(29), 499, false)
	f.Add(uint32(440524), 1850, uint8(1), uint8(1), -7, true)
	today := date(2024, 6, 15)
	regions := []string{"110105", "510104", "440524", "810000", "931000", "650102"}
	f.Fuzz(func(t *testing.T, r uint32, year int, month, day uint8, seq int, male bool) {
		region := regions[int(r%uint32(len(regions)))]
		birth := date(year, time.Month(month), int(day)) // normalised by time.Date
		if birth.Before(date(1850, 1, 1)) || birth.After(today) {
			return
		}
		sex := Female
		if male {
			sex = Male
		}
		n := Synthesize(region, birth, seq, sex)
		info, err := ParseAt(n, today)
		if err != nil {
			t.Fatalf("Synthesize(%s, %v, %d, %v) = %q: %v", region, birth, seq, sex, n, err)
		}
		if !info.Birth.Equal(birth) || info.Sex != sex || info.Number != n {
			t.Fatalf("Synthesize(%s, %v, %d, %v) = %q parses as %+v", region, birth, seq, sex, n, info)
		}
	})
}

// TestForeignersPermanentResidenceCard: the 2023 card is "9", the issuing
// province's code, then a birth date and check character as a citizen's:
// 931… (Shanghai), 944… (Guangdong) and 911… are numbers; 90…, 97… and a
// bare 9 are not.
func TestForeignersPermanentResidenceCard(t *testing.T) {
	for _, tc := range []struct {
		first6 string
		ok     bool
	}{
		{"931840", true}, {"944250", true}, {"911156", true}, {"965001", true},
		{"901840", false}, {"971840", false}, {"991840", false}, {"917840", false},
	} {
		first17 := tc.first6 + "19850612" + "003"
		number := first17 + string(CheckChar(first17))
		info, err := Parse(number)
		if tc.ok && (err != nil || info.Sex != Male || info.Birth.Year() != 1985 || Province(number) != "外国人永久居留") {
			t.Errorf("%s: %+v, %v", number, info, err)
		}
		if !tc.ok && !errors.Is(err, ErrRegion) {
			t.Errorf("%s accepted: %v", number, err)
		}
	}
}
