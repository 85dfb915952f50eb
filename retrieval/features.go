package retrieval

import "github.com/askdocs/askdocs/retrieval/rank"

// This file computes the ranking features and abstention signals of
// package rank for one candidate passage. The model that weighs them is
// rank.Model; each computation here has its own table test
// (features_test.go).

// defaultModel is the fitted model of rank/model.json; it is never
// modified.
var defaultModel = rank.Default()

// model returns the ranking model the index uses.
func (ix *Index) model() *rank.Model {
	if ix.ranker != nil {
		return ix.ranker
	}
	return defaultModel
}

// SetModel makes the index rank and abstain with m instead of the
// embedded model (for fitting and evaluating models); call it before
// searching.
func (ix *Index) SetModel(m *rank.Model) { ix.ranker = m }

// bm25Terms are the question's terms for the BM25 features: each content
// syllable once (folded, with its exact id when typed with diacritics)
// and each question bigram.
type bm25Terms struct {
	fold []uint32 // folded ids
	// exact is the exact id a word typed with diacritics requires
	// (noTerm when the documents lack it); typed plain, any spelling
	// counts.
	exact []uint32
	plain []bool
	idf   []float64 // of each folded id
	ideal float64   // largest possible BM25 over fold: Σ idf·(k1+1)
	// bigramIDF is the idf of each question bigram, by its bit.
	bigramIDF   []float64
	bigramIdeal float64
	// allIdeal is the most the question could score counting the terms
	// the documents lack: unknown syllables and bigrams never seen side
	// by side, each with the idf of the rarest term.
	allIdeal float64
}

// bm25 returns (and remembers) q's BM25 terms.
func (q *query) bm25(v *vocab, k1 float64) *bm25Terms {
	if q.bm25terms != nil {
		return q.bm25terms
	}
	t := &bm25Terms{}
	seen := map[uint32]bool{}
	for i, s := range q.slots {
		c := q.slotConcept[i]
		if s.foldID == noTerm || c < 0 || q.concepts[c].soft {
			continue
		}
		if seen[s.foldID] {
			continue
		}
		seen[s.foldID] = true
		idf := v.idf(s.foldID)
		t.fold = append(t.fold, s.foldID)
		t.exact = append(t.exact, s.exactID)
		t.plain = append(t.plain, s.plain)
		t.idf = append(t.idf, idf)
		t.ideal += idf * (k1 + 1)
	}
	for _, idf := range q.bigramIDF {
		t.bigramIDF = append(t.bigramIDF, idf)
		t.bigramIdeal += idf * (k1 + 1)
	}
	unknown := q.unseenBigrams
	seenUnknown := map[string]bool{}
	for i, s := range q.slots {
		c := q.slotConcept[i]
		if s.foldID == noTerm && c >= 0 && !q.concepts[c].soft && !seenUnknown[s.fold] {
			seenUnknown[s.fold] = true
			unknown++
		}
	}
	t.allIdeal = t.ideal + t.bigramIdeal + float64(unknown)*v.idfOf(0)*(k1+1)
	q.bm25terms = t
	return t
}

// bm25Tally returns BM25Fold, BM25Exact and BM25Bigram, each divided by
// its largest possible value, and TopBM25All, from the tally of a scan;
// q.bm25 must have been called before the scan.
func (q *query) bm25Tally(tl *tally, v *vocab, k1, b float64) (fold, exact, bigram, all float64) {
	t := q.bm25terms
	if len(t.fold) == 0 && len(t.bigramIDF) == 0 {
		return 0, 0, 0, 0
	}
	norm := k1 * (1 - b + b*float64(tl.n)/v.avgLen())
	sat := func(tf int32) float64 { return float64(tf) * (k1 + 1) / (float64(tf) + norm) }
	for j, idf := range t.idf {
		fold += idf * sat(tl.tfFold[j])
		exact += idf * sat(tl.tfExact[j])
	}
	for j, idf := range t.bigramIDF {
		bigram += idf * sat(tl.tfBigram[j])
	}
	if t.allIdeal > 0 {
		all = (fold + bigram) / t.allIdeal
	}
	if t.ideal > 0 {
		fold /= t.ideal
		exact /= t.ideal
	}
	if t.bigramIdeal > 0 {
		bigram /= t.bigramIdeal
	}
	return fold, exact, bigram, all
}

// kindFeatures returns KindMatch and KindMiss: whether a passage holds
// the kind of answer the question asks for (a number for "bao nhiêu" /
// "how many", a date or year for "khi nào" / "when", a place for "ở
// đâu" / "where"; a passage that names no place is no miss).
func (ix *Index) kindFeatures(q *query, p int) (match, miss float64) {
	switch q.kind {
	case kindQuantity, kindTime:
		if q.holdsAnswerKind(ix.ids[p], ix.vocab) {
			return 1, 0
		}
		return 0, 1
	case kindPlace:
		if namesPlace(ix.corpus.Passages[p].Text) {
			return 1, 0
		}
	}
	return 0, 0
}

// contentWeight is the weight of the question's concepts that are not
// soft.
func (q *query) contentWeight() float64 {
	t := 0.0
	for _, c := range q.concepts {
		if !c.soft {
			t += c.weight
		}
	}
	return t
}

// unknownShare is the share of the question's weight in concepts the
// documents never use (the Unknown signal). An unknown word counts with
// its full weight here, not the reduced one ranking gives it (see
// unknownWeight): for ranking it may be a paraphrase, for abstention it
// is a part of the question nothing answers.
func (q *query) unknownShare() float64 {
	total, unknown := 0.0, 0.0
	for _, c := range q.concepts {
		if c.soft {
			continue
		}
		w := c.weight
		if c.unknown && !c.entity {
			w /= unknownWeight
		}
		total += w
		if c.unknown {
			unknown += w
		}
	}
	if total == 0 {
		return 0
	}
	return unknown / total
}

// rareCoverage is the share of the question's squared concept weights
// that a scanned passage holds, each concept by its credit (the
// RareCoverage feature).
func (q *query) rareCoverage(cr *[maxConcepts]float64) float64 {
	total, got := 0.0, 0.0
	for i, c := range q.concepts {
		if c.soft {
			continue
		}
		w := c.weight * c.weight
		total += w
		got += w * cr[i]
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// unknownWordShare is the share of the question's content concepts, by
// count, that the documents never use (the UnknownWords signal).
func (q *query) unknownWordShare() float64 {
	n, unknown := 0, 0
	for _, c := range q.concepts {
		if c.soft {
			continue
		}
		n++
		if c.unknown {
			unknown++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(unknown) / float64(n)
}

// missing returns the MissingName and MissingKey signals of a passage:
// the share of the question's weight in names neither the passage nor
// its document holds, and in the question's weightiest other word when
// the passage lacks it.
func (ix *Index) missing(q *query, p int, cr *[maxConcepts]float64) (name, key float64) {
	total := q.contentWeight()
	if total == 0 {
		return 0, 0
	}
	k, kw := -1, 0.0
	for i := range q.concepts {
		c := &q.concepts[i]
		if c.soft || c.unknown {
			continue
		}
		if c.entity {
			if cr[i] == 0 && !ix.docHas(q, i, p) {
				name += c.weight
			}
			continue
		}
		if c.weight > kw {
			k, kw = i, c.weight
		}
	}
	if k >= 0 && cr[k] == 0 {
		key = kw
	}
	return name / total, key / total
}

// features computes the ranking features and abstention signals of
// passage p for q; s starts as the question's own signals (see
// questionSignals), computed once per question.
func (ix *Index) features(q *query, p int, m *rank.Model, own *rank.Signals) (rank.Vector, rank.Signals) {
	var f rank.Vector
	s := *own
	// One pass over the passage gives the scan and the counts of the
	// BM25 and phrasing features.
	q.bm25(ix.vocab, m.K1)
	var t tally
	sc := q.scanTally(ix.ids[p], ix.vocab, true, &t)
	cr := q.credits(&sc)
	mi := q.coverCredits(&sc, cr)
	f[rank.BM25Fold], f[rank.BM25Exact], f[rank.BM25Bigram], s[rank.TopBM25All] = q.bm25Tally(&t, ix.vocab, m.K1, m.B)
	f[rank.Coverage] = mi.cov
	f[rank.DocCoverage] = mi.cov + ix.docEntityCredit(q, p, cr)
	f[rank.Proximity] = mi.proximity
	f[rank.Soft] = mi.soft
	f[rank.RareCoverage] = q.rareCoverage(cr)
	f[rank.BigramCover] = mi.bigrams
	f[rank.DocShare] = ix.docShare(q, p)
	f[rank.KindMatch], f[rank.KindMiss] = ix.kindFeatures(q, p)
	s[rank.TopCoverage] = f[rank.Coverage]
	s[rank.TopDocCoverage] = f[rank.DocCoverage]
	s[rank.TopBM25] = f[rank.BM25Fold]
	s[rank.TopBigram] = f[rank.BM25Bigram]
	s[rank.MissingName], s[rank.MissingKey] = ix.missing(q, p, cr)
	s[rank.TopDocShare] = f[rank.DocShare]
	s[rank.TopBigramCover] = f[rank.BigramCover]
	s[rank.TopRareCoverage] = f[rank.RareCoverage]
	f[rank.Phrasing] = q.rawPairTally(&t)
	s[rank.TopPhrasing] = f[rank.Phrasing]
	return f, s
}

// questionSignals returns the signals of q that do not depend on a
// candidate: Unknown, UnknownBigram, UnknownWords and Foreign.
func (q *query) questionSignals() rank.Signals {
	var s rank.Signals
	s[rank.Unknown] = q.unknownShare()
	s[rank.UnknownBigram] = q.unknownBigramShare()
	s[rank.UnknownWords] = q.unknownWordShare()
	if q.foreign {
		s[rank.Foreign] = 1
	}
	return s
}

// docEntityCredit is the coverage a passage earns from names of the
// question that it lacks but its document gives elsewhere ("Tổng Bí thư
// đề nghị…" in an article about Tổng Bí thư Tô Lâm).
func (ix *Index) docEntityCredit(q *query, p int, cr *[maxConcepts]float64) float64 {
	total, got := 0.0, 0.0
	for i := range q.concepts {
		c := &q.concepts[i]
		if c.soft {
			continue
		}
		total += c.weight
		if c.entity && cr[i] == 0 && ix.docHas(q, i, p) {
			got += docEntityShare * c.weight
		}
	}
	if total == 0 || got == 0 {
		return 0
	}
	return got / (total + q.bigramTotal)
}

// docShare is the share of the question's weight that passage p's
// document holds anywhere (the DocShare feature): every syllable of one
// of a concept's spellings, wherever they stand in the document (the
// phrase need not be whole, which would mean reading its passages).
func (ix *Index) docShare(q *query, p int) float64 {
	d := ix.corpus.Passages[p].Doc
	total, got := 0.0, 0.0
	for i := range q.concepts {
		c := &q.concepts[i]
		if c.soft {
			continue
		}
		total += c.weight
		if c.unknown {
			continue
		}
		for _, alt := range c.alts {
			if ix.docHasWords(q, alt, d) {
				got += c.weight
				break
			}
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// unknownBigramShare is the share of the question's adjacent content
// syllables, both known to the documents, that never stand together
// there (the UnknownBigram signal).
func (q *query) unknownBigramShare() float64 {
	if q.statedBigrams == 0 {
		return 0
	}
	return float64(q.unseenBigrams) / float64(q.statedBigrams)
}

// rawPairTally is the weighted share of the question's adjacent
// syllables, as typed, that stand side by side in the scanned passage
// (the TopPhrasing signal), from the scan's tally: a question put in the
// words of its answer shares much of its phrasing.
func (q *query) rawPairTally(t *tally) float64 {
	if q.rawPairsTotal == 0 || len(q.rawPairs) == 0 {
		return 0
	}
	return t.rawGot / q.rawPairsTotal
}
