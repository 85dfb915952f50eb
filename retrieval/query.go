package retrieval

import (
	_ "embed"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval/analysis/langdetect"
	"github.com/askdocs/askdocs/retrieval/analysis/langstem"
	"github.com/askdocs/askdocs/retrieval/analysis/vnbigram"
	"github.com/askdocs/askdocs/retrieval/analysis/vnfold"
	"github.com/askdocs/askdocs/retrieval/analysis/vnstop"
	"github.com/askdocs/askdocs/retrieval/analysis/vntoken"
	"golang.org/x/text/unicode/norm"
)

// Bounds that keep any input cheap to answer.
const (
	maxQuestionRunes = 1000 // the rest of a longer question is ignored
	maxConcepts      = 24
	maxSlots         = 64
	entityBoost      = 2.0
	unknownWeight    = 0.5
	bigramShare      = 0.5 // weight of a question bigram relative to a word
	softWeight       = 0.25
	// diacriticShare is the share of words with diacritics from which a
	// question counts as typed with them.
	diacriticShare = 0.6
)

//go:embed synonyms.txt
var synonymData string

// synonyms is the parsed synonyms.txt: each group lists phrases, each
// phrase as stop-list tokens (exact and folded syllables).
var synonyms = parseSynonyms(synonymData)

type synonymTable struct {
	groups  [][][]vnstop.Token
	byFirst map[string][]synRef // folded first syllable → phrases
}

type synRef struct{ group, phrase int }

func parseSynonyms(text string) *synonymTable {
	t := &synonymTable{byFirst: map[string][]synRef{}}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var group [][]vnstop.Token
		for _, p := range strings.Split(line, "|") {
			toks := tokenize(p)
			if len(toks) == 0 {
				continue
			}
			var phrase []vnstop.Token
			for _, tk := range toks {
				phrase = append(phrase, vnstop.Token{Exact: tk.exact, Fold: tk.fold, Plain: tk.plain})
			}
			group = append(group, phrase)
		}
		if len(group) < 2 {
			continue
		}
		g := len(t.groups)
		t.groups = append(t.groups, group)
		for i, p := range group {
			t.byFirst[p[0].Fold] = append(t.byFirst[p[0].Fold], synRef{g, i})
		}
	}
	return t
}

// match returns the longest phrase starting at toks[i]: its group and
// length, or -1, 0.
func (t *synonymTable) match(toks []vnstop.Token, i int) (group, n int) {
	group = -1
	for _, ref := range t.byFirst[toks[i].Fold] {
		p := t.groups[ref.group][ref.phrase]
		if len(p) <= n || i+len(p) > len(toks) {
			continue
		}
		ok := true
		for j := range p {
			q := toks[i+j]
			if q.Plain || p[j].Plain {
				ok = q.Fold == p[j].Fold
			} else {
				ok = q.Exact == p[j].Exact
			}
			if !ok {
				break
			}
		}
		if ok {
			group, n = ref.group, len(p)
		}
	}
	return group, n
}

// qtoken is one token of a question.
type qtoken struct {
	text        string // as typed
	exact, fold string
	plain       bool // typed without diacritics
	entity      bool // a name or an acronym: capitalised past the start, or all capitals
	// In a question in another language than Vietnamese (tokenizeIn
	// with a chain), exact is the word's langstem.Key and fold its
	// folded stem, as that language's passages hold them; function
	// marks its stop words; and vi is the word as Vietnamese analysis
	// has it, which passages in Vietnamese would hold.
	function bool
	vi       vnstop.Token
}

// tokenize splits a Vietnamese question into tokens.
func tokenize(s string) []qtoken { return tokenizeIn(s, nil) }

// tokenizeIn splits a question into tokens analysed by chain, the chain
// of the question's language, or as Vietnamese when chain is nil.
func tokenizeIn(s string, chain *langstem.Chain) []qtoken {
	var out []qtoken
	vntoken.Each(s, func(start, end int) {
		tok := s[start:end]
		exact, fold := normalize(tok)
		t := qtoken{text: tok, exact: exact, fold: fold, plain: !vnfold.HasDiacritics(tok),
			entity: isEntity(tok, len(out) == 0)}
		t.vi = vnstop.Token{Exact: exact, Fold: fold, Plain: t.plain}
		if chain != nil && !isNumber(exact) {
			e, f, stop := chain.Analyze(tok)
			t.exact, t.fold, t.plain, t.function = langstem.Key(chain.Lang(), e), f, true, stop
			t.vi.Plain = true
		}
		out = append(out, t)
	})
	return out
}

// DetectLanguage returns the ISO 639-1 code of the language a question
// (or any text) is in, as the engine analyses it: "vi" for Vietnamese,
// typed with or without diacritics; "en", "fr", "de", … for the
// languages bleve has stemmers for; "" when the text has nothing to
// tell by (a name, a number, another script), which the engine analyses
// as Vietnamese.
func DetectLanguage(text string) string {
	return langdetect.DetectQuestion(cleanQuestion(text)).Code()
}

// looksVietnamese reports whether a question is Vietnamese rather than
// English: it has diacritics, or a Vietnamese function word that is not
// also an English one ("cua", "nhung", "duoc"). In a Vietnamese question
// typed without diacritics, "can" is "cần" and "an" the "an" of "an
// ninh", not English stop words.
func looksVietnamese(toks []qtoken) bool {
	for _, t := range toks {
		if !t.plain || vnstop.Default.IsFoldedFunction(t.fold) && !vnstop.Default.IsEnglish(t.fold) {
			return true
		}
	}
	return false
}

// typedWithDiacritics reports whether most of the words of a question
// carry diacritics; Vietnamese marks most syllables.
func typedWithDiacritics(toks []qtoken) bool {
	words, marked := 0, 0
	for _, t := range toks {
		if !hasLetter(t.text) {
			continue
		}
		words++
		if !t.plain {
			marked++
		}
	}
	return words > 0 && float64(marked) >= diacriticShare*float64(words)
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// isASCIIUpper reports whether s is an all-capitals ASCII word ("USD",
// "ASEAN"), which has no diacritics to miss.
func isASCIIUpper(s string) bool {
	for _, r := range s {
		if r >= 0x80 || unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// foreignWord reports whether text, a word as typed, cannot be a
// Vietnamese syllable (or a number).
func foreignWord(text string) bool {
	f := vnfold.Fold(strings.ToLower(text))
	if f == "" || isNumber(f) || strings.ContainsAny(f, " ") {
		return false
	}
	for _, r := range f {
		if r >= utf8.RuneSelf {
			return false // another script: leave it be
		}
	}
	return !langdetect.Syllable(f)
}

// isEntity reports whether a token reads as part of a name: an acronym
// ("SJC", "CPP") anywhere, or a capitalised word past the first.
func isEntity(tok string, first bool) bool {
	upper, letters := 0, 0
	for _, r := range tok {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters >= 2 && upper == letters {
		return true
	}
	r, _ := utf8.DecodeRuneInString(tok)
	return !first && unicode.IsUpper(r)
}

// slot is one syllable a passage may hold.
type slot struct {
	exact, fold     string
	exactID, foldID uint32
	plain           bool
}

// concept is one thing the question asks about: a word, or a phrase with
// its synonyms. Each alternative is a list of slots that must all match.
type concept struct {
	text   string // as typed
	alts   [][]int
	weight float64
	entity bool
	// unknown is true when no alternative has a syllable in the corpus.
	unknown bool
	// soft is true for a plain syllable that may be a stop word.
	soft bool
	// focus is true for the words just before a question word ("sự
	// tham gia" in "sự tham gia của những ai"): what the answer is about.
	focus bool
}

// kind is what sort of answer a question wants, from its question words.
type kind int

const (
	kindAny kind = iota
	kindQuantity
	kindTime
	kindPlace
)

// query is an analysed question.
type query struct {
	concepts []concept
	slots    []slot
	// bigrams hold the folded and, when typed with diacritics, exact
	// forms of adjacent syllables ("" exact when not).
	bigrams [][2]string
	// pairs are the adjacent slots of multi-syllable alternatives, which
	// must stand side by side in a passage to match.
	pairs [][2]int
	// bigramIDs maps a question bigram, as two folded ids, to its bit;
	// bigramW holds each one's weight, bigramIDF its idf.
	bigramIDs   map[uint64]int
	bigramW     []float64
	bigramIDF   []float64
	bigramTotal float64
	kind        kind
	// Lookup tables built by prepare.
	foldSlots, exactSlots map[uint32]uint64 // term id → slots it matches
	foldFilter            idFilter          // foldSlots' keys
	bigramFilter          idFilter          // folded ids in bigramIDs' keys
	hitBuf                []hit             // reused by scans with hits
	slotConcept           []int             // slot → first concept using it
	excerptQ              *query            // see forExcerpt
	// df counts the passages holding a folded bigram, remembering counts.
	df func(bigram string) int
	// docHasCache remembers Index.docHas by document and concept.
	docHasCache map[[2]int]bool
	// bm25terms are the terms of the BM25 features (see bm25).
	bm25terms *bm25Terms
	// rawPairs are the question's adjacent syllables as typed, every
	// word counted (question words and function words too), as sorted
	// pairs of folded ids, and rawPairW their weights; rawPairsTotal is
	// the weight of all of them, with those of a syllable the documents
	// lack.
	// foreign is true for a question analysed in another language than
	// Vietnamese.
	foreign       bool
	rawPairs      []uint64
	rawPairW      []float64
	rawPairsTotal float64
	rawFilter     idFilter // the folded ids of rawPairs
	// statedBigrams counts the question's bigrams of two syllables the
	// documents know, and unseenBigrams those of them the documents
	// never hold side by side.
	statedBigrams, unseenBigrams int
}

// cleanQuestion makes any input safe to analyse: valid UTF-8, NFC, no
// control or invisible format characters, bounded length.
func cleanQuestion(q string) string {
	q = strings.ToValidUTF8(q, " ")
	q = norm.NFC.String(q)
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, q)
	if n := 0; len(q) > maxQuestionRunes {
		for i := range q {
			if n == maxQuestionRunes {
				q = q[:i]
				break
			}
			n++
		}
	}
	return strings.Join(strings.Fields(q), " ")
}

// parseQuery analyses a cleaned question against the vocabulary; df
// returns how many passages hold a folded bigram.
func parseQuery(question string, v *vocab, count func(bigram string) int) *query {
	// A question in another language than Vietnamese gets that
	// language's stems and stop words, as its passages have them.
	chain := langstem.For(langdetect.DetectQuestion(question))
	toks := tokenizeIn(question, chain)
	foreign := chain != nil
	dfs := map[string]int{}
	df := func(bg string) int {
		n, ok := dfs[bg]
		if !ok {
			n = count(bg)
			dfs[bg] = n
		}
		return n
	}
	if chain == nil && typedWithDiacritics(toks) {
		// Someone typing with diacritics writes "sau" and "gia" as the
		// words they are, not as "sâu" or "giá" without marks.
		for i := range toks {
			if toks[i].plain && hasLetter(toks[i].text) && !isASCIIUpper(toks[i].text) {
				toks[i].plain = false
			}
		}
	}
	// st has the Vietnamese forms of the words: synonyms.txt, the stop
	// lists of package vnstop and the question words are Vietnamese
	// analysis's.
	st := make([]vnstop.Token, len(toks))
	for i, t := range toks {
		st[i] = vnstop.Token{Exact: t.exact, Fold: t.fold, Plain: t.plain}
		if chain != nil {
			st[i] = t.vi
		}
	}
	q := &query{kind: questionKind(st), df: df}
	q.addRawPairs(toks, v)
	q.foreign = foreign
	vietnamese := chain == nil && looksVietnamese(toks)
	type streamTok struct {
		tok   qtoken
		weak  bool
		group int // index+1 of the synonym concept the token belongs to
	}
	var stream []streamTok
	seen := map[string]bool{}
	for i := 0; i < len(toks) && len(q.concepts) < maxConcepts; {
		g, ns := synonyms.match(st, i)
		var nstop int
		var entry *vnstop.Phrase
		if chain == nil {
			nstop, entry = vnstop.Default.Match(st, i)
		} else if toks[i].function && ns == 0 {
			i++ // a stop word of the question's language
			continue
		}
		switch {
		case ns > 0 && ns >= nstop:
			typed := toks[i : i+ns]
			var c concept
			c.text = joinText(typed)
			c.entity = anyEntity(typed)
			for _, p := range synonyms.groups[g] {
				c.alts = append(c.alts, q.addSlots(p, v))
				if len(p) > 1 {
					q.addBigrams(p)
				}
			}
			c.alts = append(c.alts, q.addSlots(stopTokens(typed), v))
			if !seen[c.text] {
				seen[c.text] = true
				q.concepts = append(q.concepts, c)
			}
			for _, t := range typed {
				stream = append(stream, streamTok{tok: t, group: len(q.concepts)})
			}
			i += ns
		case nstop > 0:
			if entry.Section == "question" && !(nstop == 1 && toks[i].plain) {
				markFocus(q.concepts)
			}
			if nstop == 1 && toks[i].plain {
				// Typed without diacritics, one syllable is ambiguous:
				// "tu" may be the function word "từ" or the "tư" of
				// "đầu tư", "ho" the "hở" of a question or the "hộ" of
				// "ủng hộ". Not a concept, but kept for bigrams.
				stream = append(stream, streamTok{tok: toks[i], weak: true})
				t := toks[i]
				if !seen[t.fold] && len(t.fold) > 1 && (entry.Section != "english" || vietnamese) {
					// A soft concept: it may be "mới" as well as "mọi".
					seen[t.fold] = true
					q.concepts = append(q.concepts, concept{text: t.text, soft: true,
						alts: [][]int{q.addSlots(stopTokens(toks[i:i+1]), v)}})
				}
			}
			i += nstop
		default:
			t := toks[i]
			c := concept{text: t.text, entity: t.entity}
			c.alts = append(c.alts, q.addSlots(stopTokens(toks[i:i+1]), v))
			if chain != nil && t.vi.Fold != t.fold {
				// The word as Vietnamese passages would hold it: a name
				// or a loan word in a Vietnamese text.
				c.alts = append(c.alts, q.addSlots([]vnstop.Token{t.vi}, v))
			}
			if alt, ok := numeral(t.fold); ok {
				c.alts = append(c.alts, q.addSlots([]vnstop.Token{{Exact: alt, Fold: alt, Plain: true}}, v))
			}
			if n, ok := quarter(t.fold); ok {
				// "Q1" is "quý 1", also written "quý I".
				qe, qf := normalize("quý")
				quy := vnstop.Token{Exact: qe, Fold: qf}
				for _, num := range []string{n, roman(int(n[0] - '0'))} {
					p := []vnstop.Token{quy, {Exact: num, Fold: num, Plain: true}}
					c.alts = append(c.alts, q.addSlots(p, v))
					q.addBigrams(p)
				}
			}
			key := t.exact
			if t.plain {
				key = t.fold
			}
			if !seen[key] {
				seen[key] = true
				q.concepts = append(q.concepts, c)
			}
			stream = append(stream, streamTok{tok: t})
			i++
		}
	}
	nsyn := len(q.bigrams) // bigrams of synonyms: searched, not counted
	for i := 1; i < len(stream); i++ {
		a, b := stream[i-1], stream[i]
		if a.weak && b.weak || a.group != 0 && a.group == b.group {
			continue // a phrase's own bigrams are its concept already
		}
		for _, x := range variants(a.tok) {
			for _, y := range variants(b.tok) {
				q.addBigrams([]vnstop.Token{x, y})
			}
		}
		if chain != nil && (a.tok.vi.Fold != a.tok.fold || b.tok.vi.Fold != b.tok.fold) {
			q.addBigrams([]vnstop.Token{a.tok.vi, b.tok.vi})
		}
	}
	stated := q.bigrams[nsyn:]
	for i := range q.concepts {
		q.concepts[i].weight = q.conceptWeight(&q.concepts[i], v, df)
		q.concepts[i].unknown = q.isUnknown(&q.concepts[i])
		if vietnamese && q.concepts[i].unknown && !q.concepts[i].soft && foreignWord(q.concepts[i].text) {
			// In a Vietnamese question, "Messi", "iPhone", "visa": a
			// word that is not Vietnamese and not in the documents names
			// something they do not cover; it weighs as a name.
			q.concepts[i].entity = true
		}
		if q.concepts[i].unknown && !q.concepts[i].entity {
			// A word the documents never use is as likely a paraphrase
			// ("khen" for "đánh giá cao") as a sign the question is out
			// of scope: it counts, but less than a known word.
			q.concepts[i].weight *= unknownWeight
		}
		if q.concepts[i].soft {
			q.concepts[i].weight *= softWeight
			q.concepts[i].unknown = false
		}
		if q.concepts[i].entity {
			// Names are what a question is about: a passage that lacks
			// one does not answer it.
			q.concepts[i].weight *= entityBoost
		}
		for _, alt := range q.concepts[i].alts {
			for j := 1; j < len(alt); j++ {
				q.pairs = append(q.pairs, [2]int{alt[j-1], alt[j]})
			}
		}
	}
	if len(q.pairs) > 64 {
		q.pairs = q.pairs[:64]
	}
	q.bigramIDs = map[uint64]int{}
	for _, bg := range stated {
		a, b, ok := strings.Cut(bg[0], vnbigram.Sep)
		fa, oka := v.fold[a]
		fb, okb := v.fold[b]
		if !ok || !oka || !okb || len(q.bigramW) == 64 {
			continue
		}
		key := uint64(fa)<<32 | uint64(fb)
		if _, dup := q.bigramIDs[key]; dup {
			continue
		}
		n := df(bg[0])
		q.statedBigrams++
		if n == 0 {
			q.unseenBigrams++
			// Adjacent words of a question that never stand together
			// in the documents (across a word boundary, mostly) say
			// nothing about any passage.
			continue
		}
		q.bigramIDs[key] = len(q.bigramW)
		q.bigramIDF = append(q.bigramIDF, v.idfOf(n))
		q.bigramW = append(q.bigramW, bigramShare*v.idfOf(n))
	}
	q.prepare()
	return q
}

// isUnknown reports whether every alternative of c misses a syllable
// from the corpus.
func (q *query) isUnknown(c *concept) bool {
	for _, alt := range c.alts {
		known := len(alt) > 0
		for _, s := range alt {
			if q.slots[s].foldID == noTerm {
				known = false
			}
		}
		if known {
			return false
		}
	}
	return true
}

// pairBit returns the bit of the adjacent slots a, b in a pair mask, or 0.
func (q *query) pairBit(a, b int) uint64 {
	for i, p := range q.pairs {
		if p[0] == a && p[1] == b {
			return 1 << i
		}
	}
	return 0
}

// markFocus marks the last two full concepts as the question's focus.
func markFocus(cs []concept) {
	n := 0
	for i := len(cs) - 1; i >= 0 && n < 2; i-- {
		if !cs[i].soft {
			cs[i].focus = true
			n++
		}
	}
}

// forExcerpt returns q with its focus concepts weighing double, to pick
// the sentence or clause to show.
func (q *query) forExcerpt() *query {
	if q.excerptQ != nil {
		return q.excerptQ
	}
	eq := *q
	eq.concepts = append([]concept(nil), q.concepts...)
	for i := range eq.concepts {
		if eq.concepts[i].focus {
			eq.concepts[i].weight *= 2
		}
	}
	eq.excerptQ = &eq
	q.excerptQ = &eq
	return &eq
}

// variants returns a token and, for a small number, its other numeral
// spelling.
func variants(t qtoken) []vnstop.Token {
	out := []vnstop.Token{{Exact: t.exact, Fold: t.fold, Plain: t.plain}}
	if alt, ok := numeral(t.fold); ok {
		out = append(out, vnstop.Token{Exact: alt, Fold: alt, Plain: true})
	}
	return out
}

func anyEntity(toks []qtoken) bool {
	for _, t := range toks {
		if t.entity {
			return true
		}
	}
	return false
}

func joinText(toks []qtoken) string {
	s := make([]string, len(toks))
	for i, t := range toks {
		s[i] = t.text
	}
	return strings.Join(s, " ")
}

func stopTokens(toks []qtoken) []vnstop.Token {
	out := make([]vnstop.Token, len(toks))
	for i, t := range toks {
		out[i] = vnstop.Token{Exact: t.exact, Fold: t.fold, Plain: t.plain}
	}
	return out
}

// addSlots adds one slot per syllable (reusing equal ones) and returns
// their indexes.
func (q *query) addSlots(p []vnstop.Token, v *vocab) []int {
	var out []int
	for _, t := range p {
		idx := -1
		for i, s := range q.slots {
			if s.exact == t.Exact && s.fold == t.Fold && s.plain == t.Plain {
				idx = i
				break
			}
		}
		if idx < 0 {
			if len(q.slots) == maxSlots {
				continue
			}
			s := slot{exact: t.Exact, fold: t.Fold, plain: t.Plain, exactID: noTerm, foldID: noTerm}
			if id, ok := v.exact[t.Exact]; ok {
				s.exactID = id
			}
			if id, ok := v.fold[t.Fold]; ok {
				s.foldID = id
			}
			idx = len(q.slots)
			q.slots = append(q.slots, s)
		}
		out = append(out, idx)
	}
	return out
}

func (q *query) addBigrams(p []vnstop.Token) {
	for i := 1; i < len(p); i++ {
		a, b := p[i-1], p[i]
		bg := [2]string{vnbigram.Join(a.Fold, b.Fold), ""}
		if !a.Plain && !b.Plain {
			bg[1] = vnbigram.Join(a.Exact, b.Exact)
		}
		dup := false
		for _, x := range q.bigrams {
			dup = dup || x == bg
		}
		if !dup {
			q.bigrams = append(q.bigrams, bg)
		}
	}
}

// conceptWeight is the idf of the commonest alternative: a concept is as
// telling as its most findable spelling. A phrase is as rare as its rarest
// bigram.
func (q *query) conceptWeight(c *concept, v *vocab, df func(string) int) float64 {
	w := -1.0
	for _, alt := range c.alts {
		a := 0.0
		for j, s := range alt {
			if len(alt) == 1 {
				a = v.idf(q.slots[s].foldID)
				break
			}
			if j > 0 {
				bg := vnbigram.Join(q.slots[alt[j-1]].fold, q.slots[s].fold)
				if x := v.idfOf(df(bg)); x > a {
					a = x
				}
			}
		}
		if len(alt) > 0 && (w < 0 || a < w) {
			w = a
		}
	}
	if w < 0 {
		return 0
	}
	return w
}

// questionKind looks for the question words that say what sort of answer
// is wanted.
func questionKind(toks []vnstop.Token) kind {
	for i, t := range toks {
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1].Fold
		}
		switch {
		case t.Fold == "bao" && next == "nhieu", t.Fold == "may" && (t.Plain || t.Exact == "mâ\u0301y"),
			t.Fold == "how" && (next == "many" || next == "much"):
			return kindQuantity
		case t.Fold == "khi" && next == "nao", t.Fold == "bao" && next == "gio", t.Fold == "luc" && next == "nao",
			t.Fold == "nam" && next == "nao", t.Fold == "ngay" && next == "nao", t.Fold == "when":
			return kindTime
		case t.Fold == "o" && next == "dau", t.Fold == "tai" && next == "dau", t.Fold == "noi" && next == "nao",
			t.Fold == "where":
			return kindPlace
		}
	}
	return kindAny
}

// numeral returns the other spelling of a small number: Roman for Arabic
// and Arabic for Roman ("quý I" = "quý 1", "khóa XI" = "khóa 11").
func numeral(s string) (string, bool) {
	if isNumber(s) {
		n, err := strconv.Atoi(s)
		if err != nil {
			return "", false
		}
		if n >= 1 && n <= 39 {
			return roman(n), true
		}
		return "", false
	}
	if n, ok := romans[s]; ok {
		return strconv.Itoa(n), true
	}
	return "", false
}

// romans maps the Roman numerals 1 to 39 to their values.
var romans = func() map[string]int {
	m := map[string]int{}
	for n := 1; n <= 39; n++ {
		m[roman(n)] = n
	}
	return m
}()

// quarter reports whether s is "q1" … "q4" and returns the digit.
func quarter(s string) (string, bool) {
	if len(s) == 2 && s[0] == 'q' && s[1] >= '1' && s[1] <= '4' {
		return s[1:], true
	}
	return "", false
}

func roman(n int) string {
	var b strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}} {
		for n >= p.v {
			b.WriteString(p.s)
			n -= p.v
		}
	}
	return b.String()
}

// addRawPairs records the question's adjacent syllables (see rawPairs),
// each weighing one. (Weighing each by the idf of its rarer syllable
// declined fewer out-of-scope questions, cross-validated.)
func (q *query) addRawPairs(toks []qtoken, v *vocab) {
	seen := map[[2]string]bool{}
	w := map[uint64]float64{}
	var prev *qtoken
	for i := range toks {
		t := &toks[i]
		if !hasLetter(t.text) && !isNumber(t.fold) {
			prev = nil // no pair across punctuation
			continue
		}
		if prev != nil && !seen[[2]string{prev.fold, t.fold}] && len(seen) < maxSlots {
			seen[[2]string{prev.fold, t.fold}] = true
			fa, oka := v.fold[prev.fold]
			fb, okb := v.fold[t.fold]
			if oka && okb {
				w[uint64(fa)<<32|uint64(fb)] = 1
			}
			q.rawPairsTotal++
		}
		prev = t
	}
	q.rawPairs = slices.Sorted(maps.Keys(w))
	q.rawPairW = make([]float64, len(q.rawPairs))
	for i, k := range q.rawPairs {
		q.rawPairW[i] = w[k]
		q.rawFilter.add(uint32(k >> 32))
		q.rawFilter.add(uint32(k))
	}
}
