package vnbigram

import (
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

func TestFilter(t *testing.T) {
	tests := []struct {
		in   []string
		want []string
	}{
		{nil, []string{}},
		{[]string{"lào"}, []string{}},
		{[]string{"hợp", "tác"}, []string{"hợp tác"}},
		{[]string{"viêng", "chăn", "hà", "nội"}, []string{"viêng chăn", "chăn hà", "hà nội"}},
	}
	for _, tt := range tests {
		var ts analysis.TokenStream
		for i, s := range tt.in {
			ts = append(ts, &analysis.Token{Term: []byte(s), Position: i + 1})
		}
		got := []string{}
		for i, tok := range (Filter{}).Filter(ts) {
			got = append(got, string(tok.Term))
			if tok.Position != i+1 {
				t.Errorf("%q: bigram %d at position %d", tt.in, i, tok.Position)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Filter(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
