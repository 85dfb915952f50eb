// Package vnstop knows the words of a question that must not drive
// ranking: Vietnamese function words (của, và, là, …), question words
// (bao nhiêu, gì, khi nào, …), chat filler (cho mình hỏi, vậy, ạ, bot,
// …) and the commonest English ones. The lists are in stopwords.txt.
//
// Its bleve token filter drops function words, and only those. The
// bigram filter (package vnbigram) consults the same list, so that "hợp
// tác của hai nước" yields the bigrams "hợp tác", "tác hai", "hai nước";
// question analysis uses Match to drop whole phrases ("cho mình hỏi",
// "bao nhiêu").
package vnstop

import (
	_ "embed"
	"strings"

	"github.com/askdocs/askdocs/retrieval/analysis/vnfold"
	"github.com/askdocs/askdocs/retrieval/analysis/vntoken"
	"github.com/askdocs/askdocs/retrieval/analysis/vntone"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Name is the name the filter is registered under in bleve.
const Name = "vi_stop"

//go:embed stopwords.txt
var data string

// Phrase is one stop entry, as normalised syllables (package vntone) and
// their folded forms (package vnfold).
type Phrase struct {
	Exact []string
	Fold  []string
	// Function is true for a grammar word (section [function]).
	Function bool
	// Section is the section of stopwords.txt the entry is in.
	Section string
}

// List is a parsed stop list.
type List struct {
	function     map[string]bool // normalised function words
	foldFunction map[string]bool // their folded forms
	english      map[string]bool // English entries
	phrases      map[string][]Phrase
	longest      int
}

// Default is the list in stopwords.txt.
var Default = Parse(data)

// Parse reads a stop list in the format of stopwords.txt.
func Parse(text string) *List {
	l := &List{
		function:     map[string]bool{},
		foldFunction: map[string]bool{},
		english:      map[string]bool{},
		phrases:      map[string][]Phrase{},
	}
	section := ""
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = line[1 : len(line)-1]
			continue
		}
		var p Phrase
		for _, tok := range vntoken.Split(strings.ToLower(line)) {
			e := vntone.Normalize(tok.Text)
			p.Exact = append(p.Exact, e)
			p.Fold = append(p.Fold, vnfold.Fold(e))
		}
		if len(p.Exact) == 0 {
			continue
		}
		p.Function = section == "function" && len(p.Exact) == 1
		p.Section = section
		if p.Function {
			l.function[p.Exact[0]] = true
			l.foldFunction[p.Fold[0]] = true
		}
		if section == "english" && len(p.Fold) == 1 {
			l.english[p.Fold[0]] = true
		}
		l.phrases[p.Fold[0]] = append(l.phrases[p.Fold[0]], p)
		if len(p.Exact) > l.longest {
			l.longest = len(p.Exact)
		}
	}
	return l
}

// IsFunction reports whether the normalised syllable exact is a function
// word.
func (l *List) IsFunction(exact string) bool { return l.function[exact] }

// IsFoldedFunction reports whether fold is the folded form of a function
// word.
func (l *List) IsFoldedFunction(fold string) bool { return l.foldFunction[fold] }

// IsEnglish reports whether fold is one of the English stop words.
func (l *List) IsEnglish(fold string) bool { return l.english[fold] }

// Token is a question token as Match sees it.
type Token struct {
	Exact, Fold string
	// Plain is true when the token was typed without diacritics, so only
	// its folded form says what it is.
	Plain bool
}

// Match returns the length, in tokens, of the longest stop entry that
// starts at toks[i], or 0, and that entry. A plain token matches an entry
// by folded form, a token with diacritics by normalised form.
func (l *List) Match(toks []Token, i int) (n int, entry *Phrase) {
	best := 0
	for k := range l.phrases[toks[i].Fold] {
		p := &l.phrases[toks[i].Fold][k]
		n = len(p.Exact)
		if n <= best || i+n > len(toks) {
			continue
		}
		ok := true
		for j := 0; j < n && ok; j++ {
			t := toks[i+j]
			if t.Plain {
				ok = t.Fold == p.Fold[j]
			} else {
				ok = t.Exact == p.Exact[j]
			}
		}
		if ok {
			best, entry = n, p
		}
	}
	return best, entry
}

// Filter is the bleve token filter; it drops function words from a
// stream of normalised syllables.
type Filter struct{ List *List }

// Filter implements analysis.TokenFilter.
func (f Filter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, tok := range input {
		if !f.List.function[string(tok.Term)] {
			out = append(out, tok)
		}
	}
	return out
}

func init() {
	registry.RegisterTokenFilter(Name, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return Filter{List: Default}, nil
	})
}
