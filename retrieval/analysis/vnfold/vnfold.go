// Package vnfold is a bleve token filter that folds every Vietnamese
// diacritic away, tone and vowel quality alike, and đ to d, so a question
// typed without diacritics ("hop tac quoc phong") matches the text
// ("hợp tác quốc phòng").
//
// It folds tokens, not characters: bleve's asciifolding char filter runs
// before tokenizing, shifts byte offsets and leaves decomposed marks in
// place; this filter has neither problem.
package vnfold

import (
	"strings"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval/analysis/termcache"
	"github.com/askdocs/askdocs/retrieval/analysis/vntone"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Name is the name the filter is registered under in bleve.
const Name = "vi_fold"

// Fold returns s without diacritics, with lone y after a consonant written
// as i (as package vntone does), so "kỹ", "kĩ" and "ky" all fold to "ki".
// Letters of other scripts are kept.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return vntone.YToI(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0x300 && r <= 0x36F { // a combining mark
			continue
		}
		if _, f, _, ok := vntone.Parts(r); ok {
			b.WriteRune(f)
			continue
		}
		b.WriteRune(r)
	}
	return vntone.YToI(b.String())
}

// HasDiacritics reports whether s carries any mark that Fold removes.
func HasDiacritics(s string) bool {
	for _, r := range s {
		if r >= 0x300 && r <= 0x36F {
			return true
		}
		if _, _, _, ok := vntone.Parts(r); ok {
			return true
		}
	}
	return false
}

// Filter is the bleve token filter.
type Filter struct{}

// Filter implements analysis.TokenFilter. A bigram ("hợp tác") is
// folded syllable by syllable.
func (Filter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Term = foldCache.Get(tok.Term)
	}
	return input
}

func foldTerm(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return Fold(s[:i]) + " " + foldTerm(s[i+1:])
	}
	return Fold(s)
}

// foldCache remembers folded terms.
var foldCache = termcache.New(1<<18, foldTerm)

func init() {
	registry.RegisterTokenFilter(Name, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return Filter{}, nil
	})
}
