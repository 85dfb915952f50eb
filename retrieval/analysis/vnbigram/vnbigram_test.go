package vnbigram

import (
	"reflect"
	"strings"
	"testing"

	"github.com/askdocs/askdocs/retrieval/analysis/vnstop"
	"github.com/askdocs/askdocs/retrieval/analysis/vntone"
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

func TestWithOriginals(t *testing.T) {
	tests := []struct {
		in   []string
		want []string
	}{
		{nil, []string{}},
		{[]string{"lào"}, []string{"lào"}},
		{[]string{"hợp", "tác"}, []string{"hợp", "tác", "hợp tác"}},
		// Function words stay as syllables but bigrams bridge them.
		{[]string{"hợp", "tác", "của", "hai", "nước"}, []string{"hợp", "tác", "của", "hai", "nước", "hợp tác", "tác hai", "hai nước"}},
		{[]string{"của", "và"}, []string{"của", "và"}},
	}
	f := WithOriginals{List: vnstop.Default}
	for _, tt := range tests {
		// The filter sees normalised syllables (package vntone).
		var ts analysis.TokenStream
		for i, s := range tt.in {
			ts = append(ts, &analysis.Token{Term: []byte(vntone.Normalize(s)), Position: i + 1})
		}
		got := []string{}
		for _, tok := range f.Filter(ts) {
			got = append(got, string(tok.Term))
		}
		want := []string{}
		for _, w := range tt.want {
			parts := strings.Split(w, Sep)
			for i := range parts {
				parts[i] = vntone.Normalize(parts[i])
			}
			want = append(want, strings.Join(parts, Sep))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Filter(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWithOriginalsKeywords: tokens marked as keywords (stop words of
// other languages, package langstem) are skipped like function words,
// with or without a list.
func TestWithOriginalsKeywords(t *testing.T) {
	tests := []struct {
		list *vnstop.List
		in   []string // "*" before a keyword
		want []string
	}{
		{nil, []string{"*the", "store", "open", "*at", "nine"}, []string{"the", "store", "open", "at", "nine", "store open", "open nine"}},
		{nil, []string{"*an", "*the"}, []string{"an", "the"}},
		{nil, []string{"của", "hai"}, []string{"của", "hai", "của hai"}}, // no list: only keywords
		{vnstop.Default, []string{"*an", "hợp", "của", "tác"}, []string{"an", "hợp", "của", "tác", "hợp tác"}},
	}
	for _, tt := range tests {
		var ts analysis.TokenStream
		for i, s := range tt.in {
			kw := strings.HasPrefix(s, "*")
			ts = append(ts, &analysis.Token{Term: []byte(vntone.Normalize(strings.TrimPrefix(s, "*"))), Position: i + 1, KeyWord: kw})
		}
		got := []string{}
		for _, tok := range (WithOriginals{List: tt.list}).Filter(ts) {
			got = append(got, string(tok.Term))
		}
		for i, w := range tt.want {
			parts := strings.Split(w, Sep)
			for j := range parts {
				parts[j] = vntone.Normalize(parts[j])
			}
			tt.want[i] = strings.Join(parts, Sep)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Filter(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
