package retrieval

import (
	"context"
	"math"
	"slices"
	"strings"

	"github.com/askdocs/askdocs/retrieval/analysis/langdetect"
	"github.com/askdocs/askdocs/retrieval/analysis/langstem"
	"github.com/askdocs/askdocs/retrieval/analysis/vnfold"
	"github.com/askdocs/askdocs/retrieval/analysis/vnnumber"
	"github.com/askdocs/askdocs/retrieval/analysis/vnstop"
	"github.com/askdocs/askdocs/retrieval/analysis/vntoken"
	"github.com/askdocs/askdocs/retrieval/analysis/vntone"
)

// noTerm is the id of a term the corpus does not have.
const noTerm = ^uint32(0)

// term is one distinct normalised syllable of the corpus, or word of a
// passage in another language. The language is part of a term's
// identity: the English stop word "an" and the "an" of "an ninh" are two
// terms, each with its own function flag.
type term struct {
	// exact is the normal form (package vntone) of a Vietnamese syllable
	// or a number; for a word of another language, its langstem.Key:
	// the language and the word in lowercase.
	exact    string
	fold     string // folded form (package vnfold), or folded stem (package langstem)
	foldID   uint32
	function bool // a function word (package vnstop) or stop word (package langstem)
	number   bool
	lang     langdetect.Lang // Vietnamese, or the language whose chain made the term
}

// vocab interns the corpus's syllables, so passages are held as small
// arrays of ids that the ranker and the excerpt builder scan without
// analysing text again. It is built once and then only read.
type vocab struct {
	surface map[string]uint32 // token as written, in a Vietnamese passage → exact id
	// langSurface is surface for passages in other languages, by
	// language. It is only a cache: it is neither stored nor cloned.
	langSurface map[langdetect.Lang]map[string]uint32
	exact       map[string]uint32
	fold        map[string]uint32
	terms       []term
	// foldOf and function repeat terms[i].foldID and .function in
	// compact arrays, for the scans of passages that read every id.
	foldOf   []uint32
	function []bool
	foldDF   []int32 // passages holding each folded form
	// pairable marks the folded forms whose bigrams bleve indexes (see
	// pairDF); a form added after the build, or past the end, is not.
	pairable []bool
	// bigramKeys (sorted, two folded ids) and bigramDF count the passages
	// holding each bigram.
	bigramKeys []uint64
	bigramDF   []int32
	n          int // passages
	tokens     int // syllables in all passages
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

// englishNumberWords are the English number words, in lowercase, that
// can carry an amount ("five sacks", "two million"); "one" is left out,
// being a pronoun as often.
var englishNumberWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " +
		"sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety " +
		"hundred hundreds thousand thousands million millions billion billions trillion dozen dozens") {
		m[w] = true
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

// internIn returns the id of the token as written in a passage that
// chain analyses, adding it if new. Numbers are the same terms in every
// language.
func (v *vocab) internIn(chain *langstem.Chain, tok string) uint32 {
	if chain == nil {
		return v.intern(tok)
	}
	surface := v.langSurface[chain.Lang()]
	if id, ok := surface[tok]; ok {
		return id
	}
	var id uint32
	if exact, _ := normalize(tok); isNumber(exact) {
		id = v.addTerm(exact)
	} else {
		exact, _, _ := chain.Analyze(tok)
		id = v.addTerm(langstem.Key(chain.Lang(), exact))
	}
	if surface == nil {
		if v.langSurface == nil {
			v.langSurface = map[langdetect.Lang]map[string]uint32{}
		}
		surface = map[string]uint32{}
		v.langSurface[chain.Lang()] = surface
	}
	surface[strings.Clone(tok)] = id
	return id
}

// addTerm returns the id of a normal form, or of the langstem.Key of a
// word of another language, adding it if new.
func (v *vocab) addTerm(exact string) uint32 {
	if id, ok := v.exact[exact]; ok {
		return id
	}
	lang, word := langstem.SplitKey(exact)
	chain := langstem.For(lang)
	fold, function := exact, false
	switch {
	case chain != nil:
		_, fold, function = chain.Analyze(word)
	case !isNumber(exact):
		fold = vnfold.Fold(exact)
		function = vnstop.Default.IsFunction(exact)
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
		function: function,
		number: isNumber(exact) || chain == nil && (numberWords[exact] || len(exact) > 1 && romans[exact] > 0) ||
			lang == langdetect.English && englishNumberWords[word],
		lang: lang,
	})
	v.foldOf = append(v.foldOf, fid)
	v.function = append(v.function, v.terms[id].function)
	v.exact[exact] = id
	return id
}

// countPassages sets the passage count and the document frequencies of
// folded syllables and of their bigrams from the term ids of every
// passage.
func (v *vocab) countPassages(ids [][]uint32) {
	v.countSyllables(ids)
	v.countBigrams(ids)
}

func (v *vocab) countSyllables(ids [][]uint32) {
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

// countBigrams counts, for each bigram of adjacent syllables that are
// not function words (as the index has them), the passages holding it,
// so a question weighs its bigrams without reading the index.
func (v *vocab) countBigrams(ids [][]uint32) {
	counts := map[uint64]int32{}
	var keys []uint64
	for _, row := range ids {
		keys = keys[:0]
		prev := noTerm
		for _, id := range row {
			if v.function[id] {
				continue
			}
			f := v.foldOf[id]
			if prev != noTerm {
				keys = append(keys, uint64(prev)<<32|uint64(f))
			}
			prev = f
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i == 0 || k != keys[i-1] {
				counts[k]++
			}
		}
	}
	v.bigramKeys = make([]uint64, 0, len(counts))
	for k := range counts {
		v.bigramKeys = append(v.bigramKeys, k)
	}
	slices.Sort(v.bigramKeys)
	v.bigramDF = make([]int32, len(v.bigramKeys))
	for i, k := range v.bigramKeys {
		v.bigramDF[i] = counts[k]
	}
}

// pairDF bounds how many passages must hold a folded syllable, when the
// index is built, for bleve to index its bigrams: a hundredth of the
// passages, and never more than pairDF. A bigram's passages are among those of each
// of its syllables, so when either is rarer than that, the candidate
// walk finds the bigram's passages by reading the rarer syllable's
// postings and checking the passages' term ids (Index.accumulatePair):
// few passages, fast. Only bigrams of two common syllables, whose
// postings would be long, are worth a term of their own. On a realistic
// vocabulary that halves the terms of the index (most distinct bigrams
// hold a rare syllable); on a small, common one (the seeds' chain) it
// changes little. The hundredth keeps the walk short on small corpora,
// where most syllables are rarer than pairDF: with pairDF alone, a
// search of 10,000 zipf passages took 1.1 ms instead of 0.3.
const pairDF = 1000

// setPairable marks the folded forms held by enough passages (see
// pairDF), from the document frequencies countPassages set.
func (v *vocab) setPairable() {
	least := int32(max(1, min(pairDF, v.n/100)))
	v.pairable = make([]bool, len(v.foldDF))
	for f, df := range v.foldDF {
		v.pairable[f] = df >= least
	}
}

// pairIndexed reports whether bleve holds the bigram of folded forms a
// and b.
func (v *vocab) pairIndexed(a, b uint32) bool {
	return int(a) < len(v.pairable) && int(b) < len(v.pairable) && v.pairable[a] && v.pairable[b]
}

// bigramCount returns how many passages hold the folded bigram bg
// ("hop tac").
func (v *vocab) bigramCount(bg string) int {
	a, b, ok := strings.Cut(bg, " ")
	fa, oka := v.fold[a]
	fb, okb := v.fold[b]
	if !ok || !oka || !okb {
		return 0
	}
	if i, found := slices.BinarySearch(v.bigramKeys, uint64(fa)<<32|uint64(fb)); found {
		return int(v.bigramDF[i])
	}
	return 0
}

// lookupIn returns the id of the token as written in a passage that
// chain analyses (nil: Vietnamese), or noTerm.
func (v *vocab) lookupIn(chain *langstem.Chain, tok string) uint32 {
	if chain == nil {
		return v.lookup(tok)
	}
	if id, ok := v.langSurface[chain.Lang()][tok]; ok {
		return id
	}
	if exact, _ := normalize(tok); isNumber(exact) {
		return v.lookup(tok)
	}
	exact, _, _ := chain.Analyze(tok)
	if id, ok := v.exact[langstem.Key(chain.Lang(), exact)]; ok {
		return id
	}
	return noTerm
}

// lookup returns the id of the token as written in a Vietnamese
// passage, or noTerm.
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

// passageChain returns the analysis of a passage, from its language
// (package langdetect): nil for Vietnamese syllables, for Vietnamese and
// for text with no telling words, or the stems and stop words of another
// language (package langstem).
func passageChain(text string) *langstem.Chain {
	return langstem.For(langdetect.Detect(text))
}

// analyzePassage returns the term ids of text, adding new terms, as
// passageChain analyses it.
func (v *vocab) analyzePassage(text string) []uint32 {
	return v.appendPassage(nil, text)
}

// appendPassage appends the term ids of text to ids, adding new terms,
// as passageChain analyses it.
func (v *vocab) appendPassage(ids []uint32, text string) []uint32 {
	chain := passageChain(text)
	vntoken.Each(text, func(start, end int) {
		ids = append(ids, v.internIn(chain, text[start:end]))
	})
	return ids
}

// idChunk is how many term ids analyzeAll lays out in one array.
const idChunk = 1 << 20

// analyzeAll returns the term ids of every passage, adding new terms:
// laid out one after another in arrays of idChunk ids, each passage's a
// full slice of one, so ids cost 4 bytes each, with no slice per passage
// grown by doubling.
func (v *vocab) analyzeAll(ctx context.Context, passages []Passage) ([][]uint32, error) {
	ids := make([][]uint32, len(passages))
	var buf, one []uint32
	for i, p := range passages {
		one = v.appendPassage(one[:0], p.Text)
		if len(buf)+len(one) > cap(buf) {
			buf = make([]uint32, 0, max(idChunk, len(one)))
		}
		start := len(buf)
		buf = append(buf, one...)
		ids[i] = buf[start:len(buf):len(buf)]
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	return ids, nil
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
