// Package langstem is the analysis of the languages other than
// Vietnamese: bleve's own stemmers and stop lists (analysis/lang/…), the
// same filters bleve's language analyzers use, applied one word at a
// time to the tokens of package vntoken, so that an English passage's
// words line up with its text as a Vietnamese passage's syllables do.
//
// A word becomes a stem ("opens" → "open"), folded of its accents
// ("école" → "ecol"), or is a stop word ("the"): stop words are kept as
// written and marked, as Vietnamese function words are, so that they
// are skipped by bigrams, weigh nothing in a question and are never
// highlighted. A one-letter word ("s" of "store's", "l" of "l'homme")
// counts as a stop word. Numbers are left alone.
//
// Vietnamese is never stemmed here: Porter would make "tay" "tai".
package langstem

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval/analysis/langdetect"
	"github.com/askdocs/askdocs/retrieval/analysis/nfc"
	"github.com/askdocs/askdocs/retrieval/analysis/vnbigram"
	"github.com/askdocs/askdocs/retrieval/analysis/vnnumber"
	"github.com/askdocs/askdocs/retrieval/analysis/vntoken"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/da"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fi"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/hu"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	"github.com/blevesearch/bleve/v2/analysis/lang/nl"
	"github.com/blevesearch/bleve/v2/analysis/lang/no"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/analysis/lang/ro"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/analysis/lang/sv"
	"github.com/blevesearch/bleve/v2/analysis/lang/tr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// Chain is the analysis of one language.
type Chain struct {
	lang    langdetect.Lang
	filters []analysis.TokenFilter // bleve's, after lowercasing and stop words
}

// New returns the chain of l, or nil when l is Vietnamese or Unknown
// (analysed as Vietnamese) or has no stemmer in bleve.
func New(l langdetect.Lang) *Chain {
	var f []analysis.TokenFilter
	switch l {
	case langdetect.English:
		f = []analysis.TokenFilter{en.NewPossessiveFilter(), porter.NewPorterStemmer()}
	case langdetect.French:
		f = []analysis.TokenFilter{fr.NewFrenchLightStemmerFilter()}
	case langdetect.German:
		f = []analysis.TokenFilter{de.NewGermanNormalizeFilter(), de.NewGermanLightStemmerFilter()}
	case langdetect.Spanish:
		f = []analysis.TokenFilter{es.NewSpanishNormalizeFilter(), es.NewSpanishLightStemmerFilter()}
	case langdetect.Italian:
		f = []analysis.TokenFilter{it.NewItalianLightStemmerFilterFilter()}
	case langdetect.Portuguese:
		f = []analysis.TokenFilter{pt.NewPortugueseLightStemmerFilter()}
	case langdetect.Dutch:
		f = []analysis.TokenFilter{nl.NewDutchStemmerFilter()}
	case langdetect.Swedish:
		f = []analysis.TokenFilter{sv.NewSwedishStemmerFilter()}
	case langdetect.Norwegian:
		f = []analysis.TokenFilter{no.NewNorwegianStemmerFilter()}
	case langdetect.Danish:
		f = []analysis.TokenFilter{da.NewDanishStemmerFilter()}
	case langdetect.Finnish:
		f = []analysis.TokenFilter{fi.NewFinnishStemmerFilter()}
	case langdetect.Hungarian:
		f = []analysis.TokenFilter{hu.NewHungarianStemmerFilter()}
	case langdetect.Romanian:
		f = []analysis.TokenFilter{ro.NewRomanianStemmerFilter()}
	case langdetect.Russian:
		f = []analysis.TokenFilter{ru.NewRussianStemmerFilter()}
	case langdetect.Turkish:
		f = []analysis.TokenFilter{tr.NewTurkishStemmerFilter()}
	default:
		return nil
	}
	return &Chain{lang: l, filters: f}
}

// chains holds the chain of every language, built once.
var chains = func() map[langdetect.Lang]*Chain {
	m := map[langdetect.Lang]*Chain{}
	for _, l := range langdetect.Others() {
		if c := New(l); c != nil {
			m[l] = c
		}
	}
	return m
}()

// For returns the shared chain of l, or nil (see New). Chains hold no
// state: one is safe for concurrent use.
func For(l langdetect.Lang) *Chain { return chains[l] }

// Lang returns the chain's language.
func (c *Chain) Lang() langdetect.Lang { return c.lang }

// Analyze returns the normal form of a token as written (lowercase,
// NFC), its folded stem, and whether it is a stop word, whose fold is
// then its normal form.
func (c *Chain) Analyze(tok string) (exact, fold string, stop bool) {
	exact = norm.NFC.String(strings.ToLower(tok))
	if r, _ := utf8.DecodeRuneInString(exact); unicode.IsDigit(r) || exact == "" {
		return exact, exact, false
	}
	if utf8.RuneCountInString(exact) == 1 || langdetect.IsStop(c.lang, exact) {
		return exact, exact, true
	}
	ts := analysis.TokenStream{{Term: []byte(exact), Position: 1, Type: analysis.AlphaNumeric}}
	for _, f := range c.filters {
		ts = f.Filter(ts)
	}
	if len(ts) == 0 {
		return exact, exact, true
	}
	return exact, Unaccent(string(ts[0].Term)), false
}

// Unaccent removes the accents of s ("école" → "ecole"); other letters
// (ß, ø, Cyrillic) stay.
func Unaccent(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// Key returns the identity of a normal form of language l among a
// vocabulary's terms: the form itself for Vietnamese (and Unknown), the
// language's code, a NUL and the form otherwise, so that the English
// stop word "an" and the "an" of "an ninh" are two terms. No token holds
// a NUL.
func Key(l langdetect.Lang, exact string) string {
	if l <= langdetect.Vietnamese {
		return exact
	}
	return l.Code() + "\x00" + exact
}

// SplitKey returns the language and normal form of a Key.
func SplitKey(key string) (langdetect.Lang, string) {
	code, exact, ok := strings.Cut(key, "\x00")
	if !ok {
		return langdetect.Vietnamese, key
	}
	l, ok := langdetect.Parse(code)
	if !ok || l <= langdetect.Vietnamese {
		return langdetect.Vietnamese, key
	}
	return l, exact
}

// Filter is the bleve token filter of a chain: it folds and stems each
// lowercased token, and marks stop words as keywords, left as they are;
// package vnbigram's WithOriginals skips keywords as it skips function
// words.
type Filter struct{ Chain *Chain }

// Filter implements analysis.TokenFilter.
func (f Filter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		_, fold, stop := f.Chain.Analyze(string(tok.Term))
		tok.KeyWord = stop
		tok.Term = []byte(fold)
	}
	return input
}

// FoldAnalyzer returns the name of l's analyzer, which Register adds:
//
//	nfc → syllables (vntoken) → lowercase → numbers (vnnumber)
//	    → stop words marked, other words stemmed and folded (Filter)
//	    → plus bigrams of the words that are not stop words
//
// the same terms, for a passage in l, as askdocs indexes for it.
func FoldAnalyzer(l langdetect.Lang) string { return l.Code() + "_fold" }

// filterName is the bleve name of l's Filter.
func filterName(l langdetect.Lang) string { return "askdocs_stem_" + l.Code() }

const bigramName = "askdocs_bigram_keyword"

func init() {
	for l, c := range chains {
		registry.RegisterTokenFilter(filterName(l), func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
			return Filter{Chain: c}, nil
		})
	}
	registry.RegisterTokenFilter(bigramName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return vnbigram.WithOriginals{}, nil
	})
}

// Register adds the analyzer of every language with a chain to an index
// mapping.
func Register(m *mapping.IndexMappingImpl) error {
	for _, l := range langdetect.Others() {
		if chains[l] == nil {
			continue
		}
		err := m.AddCustomAnalyzer(FoldAnalyzer(l), map[string]interface{}{
			"type":          custom.Name,
			"char_filters":  []interface{}{nfc.Name},
			"tokenizer":     vntoken.Name,
			"token_filters": []interface{}{lowercase.Name, vnnumber.Name, filterName(l), bigramName},
		})
		if err != nil {
			return fmt.Errorf("langstem: register %s: %w", FoldAnalyzer(l), err)
		}
	}
	return nil
}
