// Package vnbigram is a bleve token filter that replaces a token stream
// by the bigrams of its adjacent tokens ("hợp", "tác", "quốc" → "hợp tác",
// "tác quốc"). Vietnamese words are mostly two syllables written apart,
// so bigrams let "hợp tác" or "Viêng Chăn" score as a unit, above a
// passage that only scatters the syllables; they are also far sparser
// than syllables, which makes them cheap to search.
//
// Tokens removed earlier in the chain (stop words) leave gaps that the
// bigrams bridge, so questions analysed the same way still match.
//
// WithOriginals is the variant askdocs indexes with: it keeps every
// token and adds the bigrams of the tokens that are not function words
// (package vnstop), so one field holds both syllables and bigrams.
package vnbigram

import (
	"github.com/askdocs/askdocs/retrieval/analysis/vnstop"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names the filters are registered under in bleve.
const (
	Name              = "vi_bigram"
	NameWithOriginals = "vi_bigram_keep"
)

// Sep joins the two syllables of a bigram.
const Sep = " "

// Join returns the bigram term of a and b.
func Join(a, b string) string { return a + Sep + b }

// Filter is the bleve token filter.
type Filter struct{}

// Filter implements analysis.TokenFilter.
func (Filter) Filter(input analysis.TokenStream) analysis.TokenStream {
	if len(input) < 2 {
		return input[:0]
	}
	out := make(analysis.TokenStream, 0, len(input)-1)
	for i := 1; i < len(input); i++ {
		a, b := input[i-1], input[i]
		term := make([]byte, 0, len(a.Term)+len(Sep)+len(b.Term))
		term = append(append(append(term, a.Term...), Sep...), b.Term...)
		out = append(out, &analysis.Token{
			Term:     term,
			Start:    a.Start,
			End:      b.End,
			Position: i,
			Type:     analysis.Shingle,
		})
	}
	return out
}

// WithOriginals keeps the stream and appends the bigrams of its tokens
// that List does not call function words. It expects normalised,
// unfolded syllables. Tokens marked as keywords are function words too:
// the stop words of other languages (package langstem), which a nil List
// leaves the only ones.
type WithOriginals struct{ List *vnstop.List }

// Filter implements analysis.TokenFilter.
func (f WithOriginals) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, 2*len(input))
	out = append(out, input...)
	var prev *analysis.Token
	for _, tok := range input {
		if tok.KeyWord || f.List != nil && f.List.IsFunction(string(tok.Term)) {
			continue
		}
		if prev != nil {
			term := make([]byte, 0, len(prev.Term)+len(Sep)+len(tok.Term))
			term = append(append(append(term, prev.Term...), Sep...), tok.Term...)
			out = append(out, &analysis.Token{
				Term:     term,
				Start:    prev.Start,
				End:      tok.End,
				Position: tok.Position,
				Type:     analysis.Shingle,
			})
		}
		prev = tok
	}
	return out
}

func init() {
	registry.RegisterTokenFilter(Name, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return Filter{}, nil
	})
	registry.RegisterTokenFilter(NameWithOriginals, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return WithOriginals{List: vnstop.Default}, nil
	})
}
