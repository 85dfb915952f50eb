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
		{Fold, "Hợp tác quốc phòng", []string{"hop", "tac", "quoc", "phong"}},
		{Fold, "thoả thuận, thỏa thuận", []string{"thoa", "thuan", "thoa", "thuan"}},
		{Fold, "1.300 suất; 476,8 triệu", []string{"1300", "suat", "476,8", "trieu"}},
		{Fold, "ho\u031b\u0323p", []string{"hop"}},
		{Exact, "Liệt sỹ", []string{"liêt\u0323", "si\u0303"}},
		{Exact, "liệt sĩ", []string{"liêt\u0323", "si\u0303"}},
		{Fold2, "hợp tác của hai nước", []string{"hop tac", "tac hai", "hai nuoc"}},
		{Exact2, "Biển Đông", []string{"biên\u0309 đông"}},
		{Fold2, "", nil},
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
