package vntoken

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"   ", nil},
		{"Hợp tác kinh tế, thương mại.", []string{"Hợp", "tác", "kinh", "tế", "thương", "mại"}},
		{"đạt 476,8 triệu USD, tăng 12%", []string{"đạt", "476,8", "triệu", "USD", "tăng", "12"}},
		{"dành 1.300 suất", []string{"dành", "1.300", "suất"}},
		{"quý 1/2024", []string{"quý", "1", "2024"}},
		{"giai đoạn 2021-2025.", []string{"giai", "đoạn", "2021", "2025"}},
		{"năm 1962. Thương", []string{"năm", "1962", "Thương"}},
		{"ASEAN, 5G; COVID-19", []string{"ASEAN", "5G", "COVID", "19"}},
		{"“gắn kết chiến lược”", []string{"gắn", "kết", "chiến", "lược"}},
		{"ho\u0323p", []string{"ho\u0323p"}}, // NFD marks stay in the token
		{"\u0301abc", []string{"abc"}},       // a leading lone mark is dropped
		{"a\xffb", []string{"a", "b"}},       // invalid UTF-8 separates
		{"x.y 3.a 4,", []string{"x", "y", "3", "a", "4"}},
		{"Viêng Chăn – Hà Nội", []string{"Viêng", "Chăn", "Hà", "Nội"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range Split(tt.in) {
			if tt.in[tok.Start:tok.End] != tok.Text {
				t.Errorf("Split(%q): offsets %d:%d do not give %q", tt.in, tok.Start, tok.End, tok.Text)
			}
			got = append(got, tok.Text)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Split(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokenizerPositions(t *testing.T) {
	ts := Tokenizer{}.Tokenize([]byte("đạt 476,8 triệu"))
	if len(ts) != 3 {
		t.Fatalf("got %d tokens, want 3", len(ts))
	}
	for i, tok := range ts {
		if tok.Position != i+1 {
			t.Errorf("token %d position %d, want %d", i, tok.Position, i+1)
		}
	}
	if ts[1].Type != analysis.Numeric {
		t.Errorf("476,8 type = %v, want Numeric", ts[1].Type)
	}
}
