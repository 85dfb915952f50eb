package vietnamese

import (
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"
)

func TestAnalyzers(t *testing.T) {
	m := mapping.NewIndexMapping()
	if err := Register(m); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		analyzer, in string
		want         []string
	}{
		{Fold, "Hợp tác quốc phòng", []string{"hop", "tac", "quoc", "phong", "hop tac", "tac quoc", "quoc phong"}},
		{Fold, "thoả thuận, thỏa thuận", []string{"thoa", "thuan", "thoa", "thuan", "thoa thuan", "thuan thoa", "thoa thuan"}},
		{Fold, "1.300 suất; 476,8 triệu", []string{"1300", "suat", "476,8", "trieu", "1300 suat", "suat 476,8", "476,8 trieu"}},
		{Fold, "ho\u031b\u0323p", []string{"hop"}},
		{Fold, "kỹ thuật", []string{"ki", "thuat", "ki thuat"}},
		{Exact, "Liệt sỹ", []string{"liêt\u0323", "si\u0303", "liêt\u0323 si\u0303"}},
		{Exact, "liệt sĩ", []string{"liêt\u0323", "si\u0303", "liêt\u0323 si\u0303"}},
		{Fold, "hợp tác của hai nước", []string{"hop", "tac", "cua", "hai", "nuoc", "hop tac", "tac hai", "hai nuoc"}},
		{Exact, "Biển Đông", []string{"biên\u0309", "đông", "biên\u0309 đông"}},
		{Fold, "", nil},
	}
	for _, tt := range tests {
		a := m.AnalyzerNamed(tt.analyzer)
		if a == nil {
			t.Fatalf("analyzer %s not registered", tt.analyzer)
		}
		var got []string
		for _, tok := range a.Analyze([]byte(tt.in)) {
			got = append(got, string(tok.Term))
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s(%q) = %q, want %q", tt.analyzer, tt.in, got, tt.want)
		}
	}
}
