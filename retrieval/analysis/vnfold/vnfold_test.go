package vnfold

import (
	"testing"

	"github.com/askdocs/askdocs/retrieval/analysis/vntone"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"hợp", "hop"},
		{"đường", "duong"},
		{"Đà", "Da"},
		{"ho\u031b\u0323p", "hop"}, // decomposed
		{"kỹ", "ki"},
		{"ky", "ki"},
		{"quý", "qui"},
		{"viêng", "vieng"},
		{"asean", "asean"},
		{"ລາວ", "ລາວ"}, // other scripts are kept
		{vntone.Normalize("thoả"), "thoa"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHasDiacritics(t *testing.T) {
	for s, want := range map[string]bool{"hop": false, "hợp": true, "đ": true, "a\u0301": true, "": false, "ASEAN": false} {
		if got := HasDiacritics(s); got != want {
			t.Errorf("HasDiacritics(%q) = %v, want %v", s, got, want)
		}
	}
}
