package retrieval

import (
	"math"
	"strings"

	"github.com/askdocs/askdocs/retrieval/analysis/vnfold"
	"github.com/askdocs/askdocs/retrieval/analysis/vnnumber"
	"github.com/askdocs/askdocs/retrieval/analysis/vnstop"
	"github.com/askdocs/askdocs/retrieval/analysis/vntoken"
	"github.com/askdocs/askdocs/retrieval/analysis/vntone"
)

// noTerm is the id of a term the corpus does not have.
const noTerm = ^uint32(0)

// term is one distinct normalised syllable of the corpus.
type term struct {
	exact    string // normal form (package vntone)
	fold     string // folded form (package vnfold)
	foldID   uint32
	function bool // a function word (package vnstop)
	number   bool
}

// vocab interns the corpus's syllables, so passages are held as small
// arrays of ids that the ranker and the excerpt builder scan without
// analysing text again. It is built once and then only read.
type vocab struct {
	surface map[string]uint32 // token as written → exact id
	exact   map[string]uint32
	fold    map[string]uint32
	terms   []term
	// foldOf and function repeat terms[i].foldID and .function in
	// compact arrays, for the scans of passages that read every id.
	foldOf   []uint32
	function []bool
	foldDF   []int32 // passages holding each folded form
	n        int     // passages
	tokens   int     // syllables in all passages
}

func newVocab() *vocab {
	return &vocab{
		surface: map[string]uint32{},
		exact:   map[string]uint32{},
		fold:    map[string]uint32{},
	}
}

// normalize returns the normal form and folded form of one token as
// written: the same chain as the vi_exact and vi_fold analyzers.
func normalize(tok string) (exact, fold string) {
	exact = strings.ToLower(tok)
	if isNumber(exact) {
		exact = vnnumber.Normalize(exact)
		return exact, exact
	}
	exact = vntone.Normalize(exact)
	return exact, vnfold.Fold(exact)
}

// numberWords are the normalised Vietnamese number words that can carry an
// amount ("bốn văn kiện", "5 tỷ"); "một", "hai" and "năm" are left out,
// being everywhere (and "năm" is also "year").
var numberWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("ba bốn sáu bảy tám chín mười trăm nghìn ngàn triệu tỷ tỉ") {
		m[vntone.Normalize(w)] = true
	}
	return m
}()

func isNumber(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' && c != ',' {
			return false
		}
	}
	return true
}

// intern returns the id of the token as written, adding it if new.
func (v *vocab) intern(tok string) uint32 {
	if id, ok := v.surface[tok]; ok {
		return id
	}
	exact, _ := normalize(tok)
	id := v.addTerm(exact)
	v.surface[strings.Clone(tok)] = id
	return id
}

// addTerm returns the id of a normal form, adding it if new.
func (v *vocab) addTerm(exact string) uint32 {
	if id, ok := v.exact[exact]; ok {
		return id
	}
	fold := exact
	if !isNumber(exact) {
		fold = vnfold.Fold(exact)
	}
	fid, ok := v.fold[fold]
	if !ok {
		fid = uint32(len(v.foldDF))
		v.fold[fold] = fid
		v.foldDF = append(v.foldDF, 0)
	}
	id := uint32(len(v.terms))
	v.terms = append(v.terms, term{
		exact:    exact,
		fold:     fold,
		foldID:   fid,
		function: vnstop.Default.IsFunction(exact),
		number:   isNumber(exact) || numberWords[exact] || len(exact) > 1 && romans[exact] > 0,
	})
	v.foldOf = append(v.foldOf, fid)
	v.function = append(v.function, v.terms[id].function)
	v.exact[exact] = id
	return id
}

// countPassages sets the passage count and document frequencies from
// the term ids of every passage.
func (v *vocab) countPassages(ids [][]uint32) {
	v.n = len(ids)
	v.tokens = 0
	for _, row := range ids {
		v.tokens += len(row)
	}
	clear(v.foldDF)
	last := make([]int32, len(v.foldDF))
	for i := range last {
		last[i] = -1
	}
	for p, row := range ids {
		for _, id := range row {
			f := v.terms[id].foldID
			if last[f] != int32(p) {
				last[f] = int32(p)
				v.foldDF[f]++
			}
		}
	}
}

// lookup returns the id of the token as written, or noTerm.
func (v *vocab) lookup(tok string) uint32 {
	if id, ok := v.surface[tok]; ok {
		return id
	}
	exact, _ := normalize(tok)
	if id, ok := v.exact[exact]; ok {
		return id
	}
	return noTerm
}

// analyzePassage returns the term ids of text and counts the passage in
// the document frequencies of its folded forms.
func (v *vocab) analyzePassage(text string, seen map[uint32]bool) []uint32 {
	var ids []uint32
	vntoken.Each(text, func(start, end int) {
		ids = append(ids, v.intern(text[start:end]))
	})
	clear(seen)
	for _, id := range ids {
		f := v.terms[id].foldID
		if !seen[f] {
			seen[f] = true
			v.foldDF[f]++
		}
	}
	v.n++
	v.tokens += len(ids)
	return ids
}

// idf is BM25's inverse document frequency of a folded form; a form the
// corpus lacks counts as if one passage had it, so that an unknown word
// weighs like the rarest known one rather than infinitely.
func (v *vocab) idf(foldID uint32) float64 {
	if foldID == noTerm {
		return v.idfOf(0)
	}
	return v.idfOf(int(v.foldDF[foldID]))
}

// idfOf is the idf of a term held by df passages.
func (v *vocab) idfOf(dfn int) float64 {
	df := max(1.0, float64(dfn))
	n := float64(v.n)
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// avgLen is the mean number of syllables in a passage.
func (v *vocab) avgLen() float64 {
	if v.n == 0 || v.tokens == 0 {
		return 1
	}
	return float64(v.tokens) / float64(v.n)
}
