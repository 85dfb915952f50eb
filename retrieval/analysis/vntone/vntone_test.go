package vntone

import "testing"

func TestNormalize(t *testing.T) {
	// Each group lists spellings of one syllable that must share a form.
	same := [][]string{
		{"hòa", "hoà", "ho\u0300a", "hoa\u0300"},
		{"thỏa", "thoả"},
		{"hóa", "hoá"},
		{"khỏe", "khoẻ"},
		{"thủy", "thuỷ"},
		{"úy", "uý"},
		{"quý", "quí"},
		{"sĩ", "sỹ"},
		{"kĩ", "kỹ"},
		{"lí", "lý"},
		{"mĩ", "mỹ"},
		{"ki", "ky"},
		{"hợp", "ho\u031b\u0323p"},
	}
	for _, g := range same {
		want := Normalize(g[0])
		for _, s := range g[1:] {
			if got := Normalize(s); got != want {
				t.Errorf("Normalize(%q) = %q, want %q (as %q)", s, got, want, g[0])
			}
		}
	}
	// Distinct words must stay distinct.
	differ := [][2]string{
		{"biển", "biến"}, {"đông", "động"}, {"hòa", "hóa"}, {"thủy", "thúy"},
		{"lào", "lao"}, {"tư", "từ"}, {"thuyết", "thiết"}, {"duy", "di"},
		{"quy", "quốc"}, {"ây", "ai"},
	}
	for _, p := range differ {
		if Normalize(p[0]) == Normalize(p[1]) {
			t.Errorf("Normalize(%q) = Normalize(%q) = %q; want them distinct", p[0], p[1], Normalize(p[0]))
		}
	}
	exact := []struct{ in, want string }{
		{"", ""},
		{"asean", "asean"},
		{"thỏa", "thoa\u0309"},
		{"việt", "viêt\u0323"},
		{"đường", "đương\u0300"},
		{"sỹ", "si\u0303"},
		{"uy", "uy"},
		{"thuy", "thuy"},
	}
	for _, tt := range exact {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParts(t *testing.T) {
	tests := []struct {
		r                rune
		base, fold, tone rune
	}{
		{'ợ', 'ơ', 'o', Dot},
		{'ầ', 'â', 'a', Grave},
		{'ả', 'a', 'a', Hook},
		{'đ', 'đ', 'd', 0},
		{'ư', 'ư', 'u', 0},
		{'é', 'e', 'e', Acute},
	}
	for _, tt := range tests {
		b, f, tone, ok := Parts(tt.r)
		if !ok || b != tt.base || f != tt.fold || tone != tt.tone {
			t.Errorf("Parts(%q) = %q %q %q %v, want %q %q %q", tt.r, b, f, tone, ok, tt.base, tt.fold, tt.tone)
		}
	}
	if _, _, _, ok := Parts('a'); ok {
		t.Error("Parts('a') ok, want false")
	}
}
