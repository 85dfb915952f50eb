package nfc

import "testing"

func TestFilter(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"hợp tác", "hợp tác"},
		{"ho\u031b\u0323p ta\u0301c", "hợp tác"},       // NFD
		{"Vie\u0302\u0323t Nam", "Việt Nam"},           // two marks on one letter
		{"thoa\u0309 thua\u0323\u0302n", "thoả thuận"}, // marks in non-canonical order
		{"plain ascii", "plain ascii"},
	}
	for _, tt := range tests {
		if got := string(Filter{}.Filter([]byte(tt.in))); got != tt.want {
			t.Errorf("Filter(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
