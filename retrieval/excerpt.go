package retrieval

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval/analysis/langstem"
	sentences "github.com/askdocs/askdocs/retrieval/analysis/sentence"
	"github.com/askdocs/askdocs/retrieval/analysis/vntoken"
)

// excerptRunes is the usual longest excerpt; one sentence that runs
// longer is cut around its matches.
const excerptRunes = 300

// neighbourShare is how well, relative to the best sentence, a
// neighbouring sentence must match to join the excerpt.
const neighbourShare = 0.4

// answerRoom is how many runes after the last matched word a cut
// excerpt tries to keep.
const answerRoom = 60

// sentence is a sentence of a passage and what of the question it holds.
type sentence struct {
	start, end int // byte range in the passage
	score      float64
}

// ptext is a passage tokenised once for cutting its excerpt: every
// step below reads token offsets and term ids from it instead of
// tokenising and looking up the same words again.
type ptext struct {
	text string
	v    *vocab
	toks []ptok
}

type ptok struct {
	a, b int // byte range in text
	id   uint32
}

// newPText tokenises text. ids, when not nil, are the term ids of its
// tokens as the index holds them, so that no token is looked up again.
func newPText(text string, ids []uint32, v *vocab) *ptext {
	pt := &ptext{text: text, v: v, toks: make([]ptok, 0, len(ids))}
	var chain *langstem.Chain
	if len(ids) == 0 {
		chain = passageChain(text)
	}
	vntoken.Each(text, func(a, b int) {
		id := noTerm
		if n := len(pt.toks); n < len(ids) {
			id = ids[n]
		} else {
			id = v.lookupIn(chain, text[a:b])
		}
		pt.toks = append(pt.toks, ptok{a, b, id})
	})
	return pt
}

// in returns the tokens lying within text[start:end].
func (pt *ptext) in(start, end int) []ptok {
	i := sort.Search(len(pt.toks), func(i int) bool { return pt.toks[i].a >= start })
	j := sort.Search(len(pt.toks), func(j int) bool { return pt.toks[j].b > end })
	if j < i {
		j = i
	}
	return pt.toks[i:j]
}

// ids returns the known term ids within text[start:end].
func (pt *ptext) ids(start, end int) []uint32 {
	toks := pt.in(start, end)
	out := make([]uint32, 0, len(toks))
	for _, t := range toks {
		if t.id != noTerm {
			out = append(out, t.id)
		}
	}
	return out
}

// excerpt returns the one or two sentences of text that best match q,
// cut to about excerptRunes runes at word boundaries with "…", and the
// byte ranges of the matched words in it.
// ids, when not nil, are the term ids of text's tokens.
func excerpt(text string, ids []uint32, q *query, v *vocab) cut {
	hq := q
	pt := newPText(text, ids, v)
	sents := splitSentences(text)
	q = q.forExcerpt().local(pt, sents)
	for i := range sents {
		sents[i].score = q.sentenceScoreIn(pt, sents[i].start, sents[i].end)
	}
	best := 0
	for i, s := range sents {
		if s.score > sents[best].score {
			best = i
		}
	}
	start, end := sents[best].start, sents[best].end
	if runes(text) <= excerptRunes {
		// A short passage is shown whole: the words around the best
		// sentence (a photo credit, a date) are often the answer.
		start, end = 0, len(text)
	}
	// A best sentence shorter than an excerpt takes in its neighbours
	// while they fit, the better matching first and the next one on a
	// tie: the answer to a question is mostly next to its words.
	for lo, hi := best, best; runes(text[start:end]) < excerptRunes; {
		next, prev := hi+1, lo-1
		pick := -1
		switch {
		case next < len(sents) && (prev < 0 || sents[next].score >= sents[prev].score):
			pick = next
		case prev >= 0:
			pick = prev
		}
		if pick < 0 {
			break
		}
		s, e := min(start, sents[pick].start), max(end, sents[pick].end)
		if runes(text[s:e]) > excerptRunes {
			break
		}
		start, end = s, e
		lo, hi = min(lo, pick), max(hi, pick)
	}
	if runes(text[start:end]) <= excerptRunes-answerRoom {
		// Room left: the words after, as many as fit, cut at a word.
		end = growForward(text, start, end)
	}
	prefix, suffix := start > 0, end < len(text)
	var gap *Span
	if runes(text[start:end]) > excerptRunes {
		var cutStart, cutEnd bool
		sentStart := start
		start, end, cutStart, cutEnd, gap = clauses(pt, start, end, q)
		if gap == nil {
			// A clause alone reads as a fragment, and the words that
			// open its sentence ("In the fall of 2015, …") are often
			// the answer: take in those before it, as many as fit.
			start = growBack(text, sentStart, start, end)
			cutStart = start > sentStart
		}
		prefix, suffix = prefix || cutStart, suffix || cutEnd
	}
	if gap != nil {
		// Two clauses apart: show both, the words between cut to "…".
		first, fh, fp := piece(pt, start, gap.Start, prefix && start > 0, true, hq)
		second, sh, sp := piece(pt, gap.End, end, false, suffix, hq)
		out := first + " " + second
		for _, h := range sh {
			fh = append(fh, Span{h.Start + len(first) + 1, h.End + len(first) + 1})
		}
		sp.at += len(first) + 1
		return cut{out, fh, []part{fp, sp}, pt}
	}
	out, hl, p := piece(pt, start, end, prefix && start > 0, suffix, hq)
	return cut{out, hl, []part{p}, pt}
}

// cut is an excerpt of a passage: its text and highlights, and where
// its parts come from, so that its words need no second tokenising.
type cut struct {
	text  string
	hl    []Span
	parts []part
	pt    *ptext
}

// part is a run of passage text, pt.text[from:from+n], shown at byte at
// of the excerpt.
type part struct{ at, from, n int }

// sentenceTerms returns the terms of each sentence of the excerpt that
// has at least four content words.
func (c cut) sentenceTerms() []termSet {
	var out []termSet
	v := c.pt.v
	for _, sn := range splitSentences(c.text) {
		var ts termSet
		for _, p := range c.parts {
			lo, hi := max(sn.start, p.at), min(sn.end, p.at+p.n)
			if lo >= hi {
				continue
			}
			for _, t := range c.pt.in(p.from+lo-p.at, p.from+hi-p.at) {
				if t.id == noTerm || v.function[t.id] {
					continue
				}
				ts.add(&v.terms[t.id])
			}
		}
		if ts.done() {
			out = append(out, ts)
		}
	}
	return out
}

// piece returns text[start:end] trimmed, with "…" before it when lead
// and after it when trail (unless it ends a sentence), its highlights,
// and where the text shown comes from.
func piece(pt *ptext, start, end int, lead, trail bool, q *query) (string, []Span, part) {
	text := pt.text
	body := strings.TrimSpace(text[start:end])
	start += strings.Index(text[start:end], body)
	// One line: the line breaks of hard-wrapped text are spaces (one
	// byte for one, so highlight offsets hold).
	out := strings.ReplaceAll(body, "\n", " ")
	shift := start
	at := 0
	if lead {
		out = "…" + out
		shift -= len("…")
		at = len("…")
	}
	if trail && !endsSentence(out) {
		out += "…"
	}
	return out, highlights(pt, start, start+len(body), shift, q), part{at, start, len(body)}
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?…", r)
}

// local returns q with each concept weighing by how few of the
// passage's sentences hold it: words every sentence repeats (the
// passage's topic) say little about which sentence answers, the words
// only one holds say much. A concept in one sentence keeps its weight;
// one in all of n sentences weighs log 2 / log(1+n) of it.
func (q *query) local(pt *ptext, sents []sentence) *query {
	n := len(sents)
	if n < 2 || len(q.concepts) == 0 {
		return q
	}
	count := make([]int, len(q.concepts))
	for _, s := range sents {
		sc := q.scan(pt.ids(s.start, s.end), pt.v, false)
		for i := range q.concepts {
			if q.credit(&sc, i) > 0 {
				count[i]++
			}
		}
	}
	lq := *q
	lq.concepts = slices.Clone(q.concepts)
	lq.hitBuf = nil
	norm := math.Log(1 + float64(n))
	for i, c := range count {
		if c > 1 {
			lq.concepts[i].weight *= math.Log(1+float64(n)/float64(c)) / norm
		}
	}
	return &lq
}

// splitSentences cuts text into sentences (package sentence).
func splitSentences(text string) []sentence {
	spans := sentences.Split(text)
	out := make([]sentence, len(spans))
	for i, sp := range spans {
		out[i] = sentence{start: sp.Start, end: sp.End}
	}
	return out
}

// sentenceScoreIn is scoreSentence for text[start:end] of pt.
func (q *query) sentenceScoreIn(pt *ptext, start, end int) float64 {
	toks := pt.in(start, end)
	ids := make([]uint32, 0, len(toks))
	known := make([]uint32, 0, len(toks))
	hasNumber := false
	for _, t := range toks {
		ids = append(ids, t.id)
		if t.id != noTerm {
			known = append(known, t.id)
			hasNumber = hasNumber || pt.v.terms[t.id].number
		}
	}
	return q.scoreSentence(ids, known, hasNumber, pt.text[start:end], pt.v)
}

// scoreSentence is how much of q a sentence holds: the weights of the
// concepts it covers, a bonus for each question bigram it has as written,
// and a small one when it holds the sort of answer asked for (a number
// for "bao nhiêu", a year or date for "khi nào").
func (q *query) scoreSentence(ids, known []uint32, hasNumber bool, s string, v *vocab) float64 {
	score := q.coverage(known, v) * q.totalWeight()
	score += 0.5 * float64(q.bigramHits(ids, v))
	if hasNumber && (q.kind == kindQuantity || q.kind == kindTime) {
		score += 0.5
	}
	if q.kind == kindPlace && namesPlace(s) {
		score += 0.5
	}
	return score
}

func (q *query) totalWeight() float64 {
	t := 0.0
	for _, c := range q.concepts {
		t += c.weight
	}
	return t
}

// bigramHits counts the question's bigrams found among adjacent
// non-function syllables of ids.
func (q *query) bigramHits(ids []uint32, v *vocab) int {
	if len(q.bigramIDs) == 0 {
		return 0
	}
	n := 0
	prev := noTerm
	for _, id := range ids {
		if id == noTerm {
			prev = noTerm
			continue
		}
		t := &v.terms[id]
		if t.function {
			continue
		}
		if prev != noTerm {
			if _, ok := q.isBigram(prev, t.foldID); ok {
				n++
			}
		}
		prev = t.foldID
	}
	return n
}

// clauses cuts a long sentence text[start:end] to the one or two of its
// clauses (parts between semicolons) that together cover the most of the
// question, in order; two clauses apart are joined by the caller's "…".
// A clause that alone is too long is cut by window.
func clauses(pt *ptext, start, end int, q *query) (s, e int, cutStart, cutEnd bool, gap *Span) {
	text, v := pt.text, pt.v
	var parts []sentence
	a := start
	for i := start; i < end; i++ {
		if text[i] == ';' {
			parts = append(parts, sentence{start: a, end: i + 1})
			a = i + 1
		}
	}
	parts = append(parts, sentence{start: a, end: end})
	if len(parts) < 2 {
		s, e, cutStart, cutEnd = window(pt, start, end, q)
		return s, e, cutStart, cutEnd, nil
	}
	// Each clause is scanned once; a pair's score joins two scans.
	scans := make([]clauseScan, len(parts))
	single := 0
	for i, p := range parts {
		scans[i] = q.scanClause(pt.ids(p.start, p.end), v)
		if scans[i].score(q, nil) > scans[single].score(q, nil) {
			single = i
		}
	}
	if runes(strings.TrimSpace(text[parts[single].start:parts[single].end])) > excerptRunes {
		// The best clause alone is too long: cut within it.
		s, e, _, _ = window(pt, parts[single].start, parts[single].end, q)
		return s, e, s > start, e < end, nil
	}
	bestScore, bi, bj := -1.0, -1, -1
	for i := range parts {
		for j := i; j < len(parts); j++ {
			n := runes(strings.TrimSpace(text[parts[i].start:parts[i].end]))
			if j > i {
				n += runes(strings.TrimSpace(text[parts[j].start:parts[j].end])) + 3
			}
			if n > excerptRunes {
				continue
			}
			var other *clauseScan
			if j > i {
				other = &scans[j]
			}
			score := scans[i].score(q, other)
			if j > i {
				score -= 0.05 // one clause when it does as well
			}
			if score > bestScore+1e-9 {
				bestScore, bi, bj = score, i, j
			}
		}
	}
	if bi < 0 {
		best := 0
		for i := range parts {
			if scans[i].score(q, nil) > scans[best].score(q, nil) {
				best = i
			}
		}
		s, e, _, _ = window(pt, parts[best].start, parts[best].end, q)
		return s, e, s > start, e < end, nil
	}
	// Adjacent clauses read as one run; grow it while it fits.
	if bj == bi+1 || bj == bi {
		lo, hi := bi, bj
		for hi+1 < len(parts) && runes(text[parts[lo].start:parts[hi+1].end]) <= excerptRunes {
			hi++
		}
		for lo > 0 && runes(text[parts[lo-1].start:parts[hi].end]) <= excerptRunes {
			lo--
		}
		return parts[lo].start, parts[hi].end, parts[lo].start > start, parts[hi].end < end, nil
	}
	return parts[bi].start, parts[bj].end, parts[bi].start > start, parts[bj].end < end,
		&Span{parts[bi].end, parts[bj].start}
}

// growBack moves start back towards min, word by word, while
// text[start:end] stays within excerptRunes.
func growBack(text string, min, start, end int) int {
	for start > min {
		i := strings.LastIndexByte(strings.TrimRight(text[min:start], " "), ' ')
		next := min
		if i >= 0 {
			next = min + i + 1
		}
		if runes(text[next:end]) > excerptRunes-2 {
			break
		}
		start = next
	}
	return start
}

// growForward returns end moved right over the words of text after it,
// as many as keep text[start:end] within excerptRunes, stopping at a
// word boundary.
func growForward(text string, start, end int) int {
	for end < len(text) {
		rest := text[end:]
		j := strings.IndexByte(strings.TrimLeft(rest, " "), ' ')
		next := len(text)
		if j >= 0 {
			next = end + (len(rest) - len(strings.TrimLeft(rest, " "))) + j
		}
		if runes(text[start:next]) > excerptRunes-2 {
			break
		}
		end = next
	}
	return end
}

// clauseScan is what a clause holds of the question, kept so that the
// score of two clauses together needs no second pass over their words.
type clauseScan struct {
	sc      scan
	hits    int // question bigrams found
	numbers bool
}

func (q *query) scanClause(ids []uint32, v *vocab) clauseScan {
	cs := clauseScan{sc: q.scan(ids, v, false), hits: q.bigramHits(ids, v)}
	for _, id := range ids {
		if v.terms[id].number {
			cs.numbers = true
			break
		}
	}
	return cs
}

// score is how much of q the clause holds (as scoreSentence), or the
// clause and other together.
func (c *clauseScan) score(q *query, other *clauseScan) float64 {
	sc, hits, numbers := c.sc, c.hits, c.numbers
	if other != nil {
		sc.exact |= other.sc.exact
		sc.fold |= other.sc.fold
		sc.pairs |= other.sc.pairs
		sc.bigrams |= other.sc.bigrams
		hits += other.hits
		numbers = numbers || other.numbers
	}
	score := q.cover(&sc).cov*q.totalWeight() + 0.5*float64(hits)
	if numbers && (q.kind == kindQuantity || q.kind == kindTime) {
		score += 0.5
	}
	return score
}

// window cuts text[start:end] to about excerptRunes runes: of all the
// windows of whole words that fit, the one that covers the most of the
// question (each concept once, bigrams as a bonus); among equals, the one
// that starts at the clause holding the first match, since answers tend
// to follow the words of the question.
func window(pt *ptext, start, end int, q *query) (s, e int, cutStart, cutEnd bool) {
	text, v := pt.text, pt.v
	type tok struct {
		a, b   int // byte range
		ra, rb int // rune range, from start
		id     uint32
		match  bool
	}
	in := pt.in(start, end)
	toks := make([]tok, 0, len(in))
	weights := q.slotWeights()
	ra, last := 0, start
	for _, t := range in {
		ra += utf8.RuneCountInString(text[last:t.a])
		rb := ra + utf8.RuneCountInString(text[t.a:t.b])
		toks = append(toks, tok{t.a, t.b, ra, rb, t.id, t.id != noTerm && q.matchWeight(t.id, v, weights) > 0})
		ra, last = rb, t.b
	}
	if len(toks) == 0 {
		return start, end, false, false
	}
	budget := excerptRunes - 2
	bestScore, bestI, bestJ := -1.0, 0, 1
	// The known ids of the range, and for each token the count of known
	// ids before it, the next match from it and the last match before it.
	ids := make([]uint32, 0, len(toks))
	known := make([]int, len(toks)+1)
	nextMatch, lastMatch := make([]int, len(toks)+1), make([]int, len(toks)+1)
	lastMatch[0] = -1
	for k, t := range toks {
		if t.id != noTerm {
			ids = append(ids, t.id)
		}
		known[k+1] = len(ids)
		lastMatch[k+1] = lastMatch[k]
		if t.id != noTerm && t.match {
			lastMatch[k+1] = k
		}
	}
	nextMatch[len(toks)] = len(toks)
	for k := len(toks) - 1; k >= 0; k-- {
		nextMatch[k] = nextMatch[k+1]
		if toks[k].id != noTerm && toks[k].match {
			nextMatch[k] = k
		}
	}
	sl := q.newSlide(ids, v)
	total := q.totalWeight()
	j := 0
	for i := range toks {
		if j < i+1 {
			j = i + 1
		}
		for j < len(toks) && toks[j].rb-toks[i].ra <= budget {
			j++
		}
		first, last := -1, -1
		if nextMatch[i] < j {
			first, last = nextMatch[i], lastMatch[j]
		}
		sl.to(known[i], known[j])
		score := q.cover(&sl.sc).cov*total + 0.5*float64(sl.hits)
		// Among windows covering as much, prefer the one whose first
		// match comes soonest after a clause start, leaving the most
		// room for what follows.
		lead := 0
		if first >= 0 {
			lead = toks[first].ra - toks[i].ra
			if i > 0 && !clauseStart(text, start, toks[i].a) {
				lead += 40
			}
		}
		score -= float64(lead) * 1e-4
		// The answer usually follows the question's words: keep some
		// words after the last match when the sentence goes on.
		if last >= 0 && j < len(toks) {
			if tail := toks[j-1].rb - toks[last].rb; tail < answerRoom {
				score -= float64(answerRoom-tail) * 2e-3
			}
		}
		if score > bestScore+1e-9 {
			bestScore, bestI, bestJ = score, i, j
		}
	}
	s, e = toks[bestI].a, toks[bestJ-1].b
	if runes(text[s:e]) > budget {
		// One word longer than an excerpt (a URL, a hash): cut it.
		e = s
		for n := 0; n < budget && e < end; n++ {
			_, size := utf8.DecodeRuneInString(text[e:])
			e += size
		}
		return s, e, s > start, e < end
	}
	// Keep the punctuation that closes the last word.
	for e < end {
		r, size := utf8.DecodeRuneInString(text[e:])
		if !strings.ContainsRune(".,;:!?)”\"%", r) {
			break
		}
		e += size
	}
	return s, e, s > start, e < end
}

// clauseStart reports whether the word at offset a begins a clause: it
// follows a comma, semicolon, colon or dash, or begins the range.
func clauseStart(text string, start, a int) bool {
	p := strings.TrimRight(text[start:a], " ")
	if p == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(p)
	return strings.ContainsRune(",;:–-(“\"", r)
}

// slotWeights gives each slot the weight of its concept.
func (q *query) slotWeights() []float64 {
	w := make([]float64, len(q.slots))
	for _, c := range q.concepts {
		for _, alt := range c.alts {
			for _, s := range alt {
				w[s] = max(w[s], c.weight)
			}
		}
	}
	return w
}

// matchWeight is the weight of the best slot term id matches, 0 if none.
func (q *query) matchWeight(id uint32, v *vocab, weights []float64) float64 {
	t := &v.terms[id]
	if t.function {
		return 0
	}
	w := 0.0
	for i, s := range q.slots {
		if s.foldID == t.foldID {
			w = max(w, weights[i])
		}
	}
	return w
}

// highlights returns the byte ranges, in the excerpt, of the words of
// text[start:end] that the question asked for: a whole phrase of an
// alternative where it stands as written, a syllable typed with
// diacritics only where it matches exactly (not "năm" for "Nam"), a
// plain one where it matches folded. shift maps text offsets to excerpt
// offsets. Adjacent matches separated only by spaces merge.
func highlights(pt *ptext, start, end, shift int, q *query) []Span {
	text, v := pt.text, pt.v
	toks := pt.in(start, end)
	hit := make([]bool, len(toks))
	slotMatch := func(s int, id uint32) bool {
		if id == noTerm || v.terms[id].function {
			return false
		}
		sl := q.slots[s]
		if sl.plain {
			return sl.foldID == v.terms[id].foldID
		}
		return sl.exactID == id
	}
	for _, c := range q.concepts {
		for _, alt := range c.alts {
			if len(alt) == 0 {
				continue
			}
			for i := 0; i+len(alt) <= len(toks); i++ {
				ok := true
				for j, s := range alt {
					if !slotMatch(s, toks[i+j].id) {
						ok = false
						break
					}
				}
				if ok {
					for j := range alt {
						hit[i+j] = true
					}
				}
			}
		}
	}
	var out []Span
	for i, t := range toks {
		if !hit[i] {
			continue
		}
		sp := Span{t.a - shift, t.b - shift}
		if n := len(out); n > 0 && strings.TrimSpace(text[out[n-1].End+shift:t.a]) == "" {
			out[n-1].End = sp.End
			continue
		}
		out = append(out, sp)
	}
	return out
}
