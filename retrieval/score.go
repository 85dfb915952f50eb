package retrieval

import (
	"math/bits"
	"slices"
)

// scan is what one pass over a passage's term ids finds of a query: the
// slots matched (folded, and exactly), the phrase pairs and question
// bigrams found side by side, and where the matches stand.
type scan struct {
	exact, fold, pairs, bigrams uint64
	hits                        []hit
}

type hit struct{ pos, concept int }

// prepare builds the lookup tables scan uses; parseQuery calls it last.
func (q *query) prepare() {
	q.foldSlots = make(map[uint32]uint64, len(q.slots))
	q.exactSlots = make(map[uint32]uint64, len(q.slots))
	for i, s := range q.slots {
		if s.foldID != noTerm {
			q.foldSlots[s.foldID] |= 1 << i
			q.foldFilter.add(s.foldID)
		}
		if s.exactID != noTerm {
			q.exactSlots[s.exactID] |= 1 << i
		}
	}
	q.slotConcept = make([]int, len(q.slots))
	for i := range q.slotConcept {
		q.slotConcept[i] = -1
	}
	for ci, c := range q.concepts {
		for _, alt := range c.alts {
			for _, s := range alt {
				if q.slotConcept[s] < 0 {
					q.slotConcept[s] = ci
				}
			}
		}
	}
	for k := range q.bigramIDs {
		q.bigramFilter.add(uint32(k >> 32))
		q.bigramFilter.add(uint32(k))
	}
	q.bigramTotal = sum(q.bigramW)
}

// idFilter is a hashed set of term ids with false positives: most
// syllables of a passage are not in a question, and one bit test rules
// them out before a map lookup.
type idFilter [64]uint64

func (f *idFilter) add(id uint32) {
	h := id % uint32(len(f)*64)
	f[h/64] |= 1 << (h % 64)
}

func (f *idFilter) has(id uint32) bool {
	h := id % uint32(len(f)*64)
	return f[h/64]&(1<<(h%64)) != 0
}

// isBigram reports whether the folded ids a, b are a question bigram,
// and its bit.
func (q *query) isBigram(a, b uint32) (int, bool) {
	if !q.bigramFilter.has(a) || !q.bigramFilter.has(b) {
		return 0, false
	}
	bit, ok := q.bigramIDs[uint64(a)<<32|uint64(b)]
	return bit, ok
}

// scan reads the term ids of a passage once. With hits it also records
// the positions of matches, for proximity, in a buffer the next scan
// with hits reuses.
func (q *query) scan(ids []uint32, v *vocab, withHits bool) scan {
	return q.scanTally(ids, v, withHits, nil)
}

// tally is what the ranking features count in the same pass as a scan
// (see scanTally): how often each BM25 term occurs, folded and exactly,
// and each question bigram, and the weight of the question's raw pairs
// found (see rawPairTally).
type tally struct {
	tfFold, tfExact [maxSlots]int32 // by index in bm25Terms.fold
	tfBigram        [64]int32       // by bigram bit
	rawGot          float64
	n               int // ids read
}

// scanTally is scan that also fills t when t is not nil, so that the
// features of a candidate take one pass over its term ids.
func (q *query) scanTally(ids []uint32, v *vocab, withHits bool, t *tally) scan {
	var sc scan
	if withHits {
		sc.hits = q.hitBuf[:0]
		defer func() { q.hitBuf = sc.hits }()
	}
	var bt *bm25Terms
	var rawFound uint64
	raw := false
	if t != nil {
		bt = q.bm25terms
		t.n = len(ids)
		raw = q.rawPairsTotal != 0 && len(q.rawPairs) > 0
	}
	prevFold := noTerm
	prevAny := noTerm   // the folded id before, function word or not
	var prevMask uint64 // slots the previous content syllable matched
	pos := 0
	foldOf, function := v.foldOf, v.function
	for _, id := range ids {
		fid := foldOf[id]
		if raw {
			a := prevAny
			prevAny = fid
			if a != noTerm && q.rawFilter.has(fid) && q.rawFilter.has(a) {
				if j, ok := slices.BinarySearch(q.rawPairs, uint64(a)<<32|uint64(fid)); ok && rawFound&(1<<j) == 0 {
					rawFound |= 1 << j
					t.rawGot += q.rawPairW[j]
				}
			}
		}
		var mask uint64
		if q.foldFilter.has(fid) {
			mask = q.foldSlots[fid] // most syllables are not asked for
		}
		if mask != 0 {
			sc.fold |= mask
			sc.exact |= q.exactSlots[id]
			if bt != nil {
				for j, f := range bt.fold {
					if f == fid {
						t.tfFold[j]++
						if bt.plain[j] || bt.exact[j] == id {
							t.tfExact[j]++
						}
					}
				}
			}
			if withHits && !function[id] && len(sc.hits) < 4096 {
				for m := mask; m != 0; m &= m - 1 {
					if c := q.slotConcept[bits.TrailingZeros64(m)]; c >= 0 {
						sc.hits = append(sc.hits, hit{pos, c})
					}
				}
			}
			if prevMask != 0 {
				for i, p := range q.pairs {
					if prevMask&(1<<p[0]) != 0 && mask&(1<<p[1]) != 0 {
						sc.pairs |= 1 << i
					}
				}
			}
		}
		if function[id] {
			continue
		}
		pos++
		prevMask = mask
		if prevFold != noTerm && q.bigramFilter.has(fid) && q.bigramFilter.has(prevFold) {
			if bit, ok := q.bigramIDs[uint64(prevFold)<<32|uint64(fid)]; ok {
				sc.bigrams |= 1 << bit
				if t != nil {
					t.tfBigram[bit]++
				}
			}
		}
		prevFold = fid
	}
	return sc
}

// credit is how fully the scanned passage holds concept c: 1 for an
// alternative matched as typed, foldCredit when a word typed with
// diacritics matches only folded, 0 when a syllable is missing or a
// phrase's syllables do not stand together.
func (q *query) credit(sc *scan, c int) float64 {
	credit := 0.0
	for _, alt := range q.concepts[c].alts {
		a := 1.0
		for j, s := range alt {
			switch {
			case sc.fold&(1<<s) == 0:
				a = 0
			case j > 0 && sc.pairs&q.pairBit(alt[j-1], s) == 0:
				a = 0
			case !q.slots[s].plain && sc.exact&(1<<s) == 0:
				a = min(a, foldCredit)
			}
		}
		if len(alt) > 0 && a > credit {
			credit = a
		}
	}
	return credit
}

// matchInfo is how well a passage matches a question.
type matchInfo struct {
	// cov is the share of the question's weight the passage holds: each
	// concept once, by its credit, and the question's bigrams found side
	// by side ("nam moi" matching "năm mới" says more than the two
	// syllables apart).
	cov float64
	// bigrams is the weighted share of the question's bigrams the
	// passage has side by side.
	bigrams float64
	// proximity is how tightly the matched words cluster (0 to 1).
	proximity float64
	// soft is the share of the question's soft concepts (plain
	// syllables that may be stop words) the passage holds; it ranks but
	// does not count towards coverage.
	soft float64
}

// credits returns the credit of each of q's concepts in the scanned
// passage.
func (q *query) credits(sc *scan) *[maxConcepts]float64 {
	var cr [maxConcepts]float64
	for i := range q.concepts {
		cr[i] = q.credit(sc, i)
	}
	return &cr
}

// cover turns a scan into a matchInfo.
func (q *query) cover(sc *scan) matchInfo {
	return q.coverCredits(sc, q.credits(sc))
}

// coverCredits is cover given the concepts' credits in the scan.
func (q *query) coverCredits(sc *scan, cr *[maxConcepts]float64) matchInfo {
	var mi matchInfo
	if q.bigramTotal > 0 {
		for i, w := range q.bigramW {
			if sc.bigrams&(1<<i) != 0 {
				mi.bigrams += w
			}
		}
		mi.bigrams /= q.bigramTotal
	}
	total, got, softTotal, softGot := 0.0, 0.0, 0.0, 0.0
	for i, c := range q.concepts {
		credit := cr[i]
		if c.soft {
			softTotal += c.weight
			softGot += credit * c.weight
			continue
		}
		total += c.weight
		got += credit * c.weight
	}
	if softTotal > 0 {
		mi.soft = softGot / softTotal
	}
	if total+q.bigramTotal > 0 {
		mi.cov = (got + mi.bigrams*q.bigramTotal) / (total + q.bigramTotal)
	}
	mi.proximity = proximity(sc.hits)
	return mi
}

// coverage returns the share of q the passage of term ids covers
// (matchInfo.cov).
func (q *query) coverage(ids []uint32, v *vocab) float64 {
	sc := q.scan(ids, v, false)
	return q.cover(&sc).cov
}

// proximity is how close together a passage holds the concepts it
// matches: the number of distinct concepts over the length of the
// shortest run of words holding them all, at most 1.
func proximity(hits []hit) float64 {
	var distinct [maxConcepts]int
	k := 0
	for _, h := range hits {
		if distinct[h.concept] == 0 {
			k++
		}
		distinct[h.concept] = 1
	}
	if k < 2 {
		return 0
	}
	distinct = [maxConcepts]int{}
	best := -1
	have := 0
	j := 0
	for i := range hits {
		for j < len(hits) && have < k {
			if distinct[hits[j].concept] == 0 {
				have++
			}
			distinct[hits[j].concept]++
			j++
		}
		if have == k {
			if span := hits[j-1].pos - hits[i].pos + 1; best < 0 || span < best {
				best = span
			}
		}
		distinct[hits[i].concept]--
		if distinct[hits[i].concept] == 0 {
			have--
		}
	}
	if best <= 0 {
		return 0
	}
	return min(1, float64(k+1)/float64(best))
}

// slide scans a run of term ids that grows at the right and shrinks at
// the left: it gives what scan gives for ids[lo:hi] (without hits), and
// the question bigrams counted there, so that every window of a long
// sentence is scored without scanning each one from scratch.
type slide struct {
	q *query
	// Per id, from one pass: the slots it matches folded and exactly,
	// the phrase pairs and the question bigram (-1 for none) it makes
	// with the previous content syllable, and where that one is.
	fold, exact, pairs []uint64
	bigram, prev       []int
	function           []bool
	lo, hi             int
	n                  [4][64]int32 // counts of each bit of sc's masks
	sc                 scan
	hits               int // question bigrams in the run, repeats counted
}

func (q *query) newSlide(ids []uint32, v *vocab) *slide {
	n := len(ids)
	sl := &slide{q: q, fold: make([]uint64, n), exact: make([]uint64, n), pairs: make([]uint64, n),
		bigram: make([]int, n), prev: make([]int, n), function: make([]bool, n)}
	last := -1 // previous content syllable
	for k, id := range ids {
		fid := v.foldOf[id]
		if q.foldFilter.has(fid) {
			sl.fold[k] = q.foldSlots[fid]
		}
		if sl.fold[k] != 0 {
			sl.exact[k] = q.exactSlots[id]
		}
		sl.prev[k], sl.bigram[k], sl.function[k] = last, -1, v.function[id]
		if last >= 0 && sl.fold[k] != 0 && sl.fold[last] != 0 {
			for i, p := range q.pairs {
				if sl.fold[last]&(1<<p[0]) != 0 && sl.fold[k]&(1<<p[1]) != 0 {
					sl.pairs[k] |= 1 << i
				}
			}
		}
		if sl.function[k] {
			continue
		}
		if last >= 0 {
			if bit, ok := q.isBigram(v.foldOf[ids[last]], fid); ok {
				sl.bigram[k] = bit
			}
		}
		last = k
	}
	return sl
}

// add adds (d = 1) or removes (d = -1) the bits of m in mask i of the
// scan.
func (sl *slide) add(i int, m uint64, d int32) {
	masks := [4]*uint64{&sl.sc.fold, &sl.sc.exact, &sl.sc.pairs, &sl.sc.bigrams}
	for ; m != 0; m &= m - 1 {
		b := bits.TrailingZeros64(m)
		sl.n[i][b] += d
		if sl.n[i][b] == 0 {
			*masks[i] &^= 1 << b
		} else {
			*masks[i] |= 1 << b
		}
	}
}

// link counts (d = 1) or uncounts (d = -1) what id k makes with the
// content syllable before it.
func (sl *slide) link(k int, d int32) {
	sl.add(2, sl.pairs[k], d)
	if b := sl.bigram[k]; b >= 0 {
		sl.add(3, 1<<b, d)
		sl.hits += int(d)
	}
}

// to moves the run to ids[lo:hi]; neither end may move left.
func (sl *slide) to(lo, hi int) {
	for ; sl.hi < hi; sl.hi++ {
		k := sl.hi
		sl.add(0, sl.fold[k], 1)
		sl.add(1, sl.exact[k], 1)
		if sl.prev[k] >= sl.lo {
			sl.link(k, 1)
		}
	}
	for ; sl.lo < lo; sl.lo++ {
		k := sl.lo
		sl.add(0, sl.fold[k], -1)
		sl.add(1, sl.exact[k], -1)
		// What the ids up to the next content syllable made with k
		// leaves the run with it.
		for n := k + 1; n < sl.hi && !sl.function[k]; n++ {
			if sl.prev[n] == k {
				sl.link(n, -1)
			}
			if !sl.function[n] {
				break
			}
		}
	}
}
