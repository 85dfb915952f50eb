package retrieval

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"math/bits"
	"os"
	"slices"
	"testing"

	"github.com/askdocs/askdocs/internal/synth"
	"github.com/askdocs/askdocs/retrieval/rank"
)

// featureRef is the implementation of Index.features as it stood before
// the query path was made cheaper (one pass per feature, map-built
// document sets, credit recomputed per signal), kept to prove that every
// feature and signal is unchanged (TestFeaturesMatchReference). It
// shares nothing with the current code but the query's analysis and the
// index's data.
type featureRef struct {
	ix       *Index
	q        *query
	hasCache map[[2]int]bool
	docSets  map[int]*refDocSet
	terms    *bm25Terms
}

type refDocSet struct{ terms, folds []uint32 }

type refScan struct {
	exact, fold, pairs, bigrams uint64
	hits                        []hit
}

func (r *featureRef) scan(ids []uint32, withHits bool) refScan {
	q, v := r.q, r.ix.vocab
	var sc refScan
	prevFold := noTerm
	var prevMask uint64
	pos := 0
	for _, id := range ids {
		fid := v.foldOf[id]
		var mask uint64
		if q.foldFilter.has(fid) {
			mask = q.foldSlots[fid]
		}
		if mask != 0 {
			sc.fold |= mask
			sc.exact |= q.exactSlots[id]
			if withHits && !v.function[id] && len(sc.hits) < 4096 {
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
		if v.function[id] {
			continue
		}
		pos++
		prevMask = mask
		if prevFold != noTerm && q.bigramFilter.has(fid) && q.bigramFilter.has(prevFold) {
			if bit, ok := q.bigramIDs[uint64(prevFold)<<32|uint64(fid)]; ok {
				sc.bigrams |= 1 << bit
			}
		}
		prevFold = fid
	}
	return sc
}

func (r *featureRef) credit(sc *refScan, c int) float64 {
	q := r.q
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

func (r *featureRef) cover(sc *refScan) matchInfo {
	q := r.q
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
		credit := r.credit(sc, i)
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

func (r *featureRef) bm25(k1 float64) *bm25Terms {
	if r.terms != nil {
		return r.terms
	}
	q, v := r.q, r.ix.vocab
	t := &bm25Terms{}
	seen := map[uint32]bool{}
	for i, s := range q.slots {
		c := q.slotConcept[i]
		if s.foldID == noTerm || c < 0 || q.concepts[c].soft || seen[s.foldID] {
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
	for _, w := range q.bigramW {
		idf := w / bigramShare
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
	r.terms = t
	return t
}

func (r *featureRef) bm25Features(ids []uint32, k1, b float64) (fold, exact, bigram, all float64) {
	q, v := r.q, r.ix.vocab
	t := r.bm25(k1)
	if len(t.fold) == 0 && len(t.bigramIDF) == 0 {
		return 0, 0, 0, 0
	}
	var tfFold, tfExact [maxSlots]float64
	tfBigram := make([]float64, len(t.bigramIDF))
	prev := noTerm
	for _, id := range ids {
		fid := v.foldOf[id]
		if q.foldFilter.has(fid) {
			for j, f := range t.fold {
				if f == fid {
					tfFold[j]++
					if t.plain[j] || t.exact[j] == id {
						tfExact[j]++
					}
				}
			}
		}
		if v.function[id] {
			continue
		}
		if prev != noTerm {
			if bit, ok := q.isBigram(prev, fid); ok {
				tfBigram[bit]++
			}
		}
		prev = fid
	}
	norm := k1 * (1 - b + b*float64(len(ids))/v.avgLen())
	sat := func(tf float64) float64 { return tf * (k1 + 1) / (tf + norm) }
	for j, idf := range t.idf {
		fold += idf * sat(tfFold[j])
		exact += idf * sat(tfExact[j])
	}
	for j, idf := range t.bigramIDF {
		bigram += idf * sat(tfBigram[j])
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

func (r *featureRef) docSet(d int) *refDocSet {
	if ds, ok := r.docSets[d]; ok {
		return ds
	}
	ix := r.ix
	ds := &refDocSet{}
	doc := ix.corpus.Docs[d]
	seen, seenF := map[uint32]bool{}, map[uint32]bool{}
	for p := doc.First; p < doc.First+doc.N; p++ {
		for _, id := range ix.ids[p] {
			if !seen[id] {
				seen[id] = true
				ds.terms = append(ds.terms, id)
			}
			if f := ix.vocab.terms[id].foldID; !seenF[f] {
				seenF[f] = true
				ds.folds = append(ds.folds, f)
			}
		}
	}
	slices.Sort(ds.terms)
	slices.Sort(ds.folds)
	r.docSets[d] = ds
	return ds
}

func (r *featureRef) docHasWords(alt []int, d int) bool {
	q := r.q
	if len(alt) == 0 {
		return false
	}
	ds := r.docSet(d)
	for _, s := range alt {
		set, id := ds.terms, q.slots[s].exactID
		if q.slots[s].plain {
			set, id = ds.folds, q.slots[s].foldID
		}
		if _, found := slices.BinarySearch(set, id); !found {
			return false
		}
	}
	return true
}

func (r *featureRef) docHas(ci, p int) bool {
	ix, q := r.ix, r.q
	d := ix.corpus.Passages[p].Doc
	key := [2]int{d, ci}
	if has, ok := r.hasCache[key]; ok {
		return has
	}
	has := false
	doc := ix.corpus.Docs[d]
outer:
	for _, alt := range q.concepts[ci].alts {
		if !r.docHasWords(alt, d) {
			continue
		}
		if len(alt) == 1 {
			has = true
			break
		}
		for i := doc.First; i < doc.First+doc.N && i < doc.First+50; i++ {
			sc := r.scan(ix.ids[i], false)
			if r.credit(&sc, ci) > 0 {
				has = true
				break outer
			}
		}
	}
	r.hasCache[key] = has
	return has
}

func (r *featureRef) docEntityCredit(p int, sc *refScan) float64 {
	q := r.q
	total, got := 0.0, 0.0
	for i := range q.concepts {
		c := &q.concepts[i]
		if c.soft {
			continue
		}
		total += c.weight
		if c.entity && r.credit(sc, i) == 0 && r.docHas(i, p) {
			got += docEntityShare * c.weight
		}
	}
	if total == 0 || got == 0 {
		return 0
	}
	return got / (total + q.bigramTotal)
}

func (r *featureRef) rareCoverage(sc *refScan) float64 {
	q := r.q
	total, got := 0.0, 0.0
	for i, c := range q.concepts {
		if c.soft {
			continue
		}
		w := c.weight * c.weight
		total += w
		got += w * r.credit(sc, i)
	}
	if total == 0 {
		return 0
	}
	return got / total
}

func (r *featureRef) docShare(p int) float64 {
	q := r.q
	d := r.ix.corpus.Passages[p].Doc
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
			if r.docHasWords(alt, d) {
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

func (r *featureRef) kindFeatures(p int) (match, miss float64) {
	q, ix := r.q, r.ix
	switch q.kind {
	case kindQuantity:
		if hasNumber(ix.ids[p], ix.vocab) {
			return 1, 0
		}
		return 0, 1
	case kindTime:
		for _, id := range ix.ids[p] {
			if isNumber(ix.vocab.terms[id].exact) {
				return 1, 0
			}
		}
		return 0, 1
	case kindPlace:
		if namesPlace(ix.corpus.Passages[p].Text) {
			return 1, 0
		}
	}
	return 0, 0
}

func (r *featureRef) missing(p int, sc *refScan) (name, key float64) {
	q := r.q
	total := 0.0
	for _, c := range q.concepts {
		if !c.soft {
			total += c.weight
		}
	}
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
			if r.credit(sc, i) == 0 && !r.docHas(i, p) {
				name += c.weight
			}
			continue
		}
		if c.weight > kw {
			k, kw = i, c.weight
		}
	}
	if k >= 0 && r.credit(sc, k) == 0 {
		key = kw
	}
	return name / total, key / total
}

func (r *featureRef) rawPairShare(ids []uint32) float64 {
	q, v := r.q, r.ix.vocab
	if q.rawPairsTotal == 0 || len(q.rawPairs) == 0 {
		return 0
	}
	var found [maxSlots]bool
	got := 0.0
	prev := noTerm
	for _, id := range ids {
		f := v.foldOf[id]
		a := prev
		prev = f
		if a == noTerm || !q.rawFilter.has(f) || !q.rawFilter.has(a) {
			continue
		}
		if j, ok := slices.BinarySearch(q.rawPairs, uint64(a)<<32|uint64(f)); ok && !found[j] {
			found[j] = true
			got += q.rawPairW[j]
		}
	}
	return got / q.rawPairsTotal
}

func (r *featureRef) features(p int, m *rank.Model) (rank.Vector, rank.Signals) {
	ix, q := r.ix, r.q
	var f rank.Vector
	var s rank.Signals
	sc := r.scan(ix.ids[p], true)
	mi := r.cover(&sc)
	f[rank.BM25Fold], f[rank.BM25Exact], f[rank.BM25Bigram], s[rank.TopBM25All] = r.bm25Features(ix.ids[p], m.K1, m.B)
	f[rank.Coverage] = mi.cov
	f[rank.DocCoverage] = mi.cov + r.docEntityCredit(p, &sc)
	f[rank.Proximity] = mi.proximity
	f[rank.Soft] = mi.soft
	f[rank.RareCoverage] = r.rareCoverage(&sc)
	f[rank.BigramCover] = mi.bigrams
	f[rank.DocShare] = r.docShare(p)
	f[rank.KindMatch], f[rank.KindMiss] = r.kindFeatures(p)
	s[rank.TopCoverage] = f[rank.Coverage]
	s[rank.TopDocCoverage] = f[rank.DocCoverage]
	s[rank.TopBM25] = f[rank.BM25Fold]
	s[rank.TopBigram] = f[rank.BM25Bigram]
	s[rank.MissingName], s[rank.MissingKey] = r.missing(p, &sc)
	s[rank.TopDocShare] = f[rank.DocShare]
	s[rank.TopBigramCover] = f[rank.BigramCover]
	s[rank.TopRareCoverage] = f[rank.RareCoverage]
	f[rank.Phrasing] = r.rawPairShare(ix.ids[p])
	s[rank.TopPhrasing] = f[rank.Phrasing]
	s[rank.Unknown] = q.unknownShare()
	s[rank.UnknownBigram] = q.unknownBigramShare()
	s[rank.UnknownWords] = q.unknownWordShare()
	if q.foreign {
		s[rank.Foreign] = 1
	}
	return f, s
}

// referenceQuestions are the questions of testdata/questions.jsonl and
// fresh.jsonl, the benchmark questions, and questions naming the rare
// tokens of the synthetic corpora.
func referenceQuestions(t *testing.T) []string {
	t.Helper()
	var qs []string
	for _, name := range []string{"testdata/questions.jsonl", "testdata/fresh.jsonl"} {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var c struct {
				Q string `json:"q"`
			}
			if json.Unmarshal(sc.Bytes(), &c) == nil && c.Q != "" {
				qs = append(qs, c.Q)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	if len(qs) < 100 {
		t.Fatalf("read %d questions from testdata, want at least 100", len(qs))
	}
	qs = append(qs, benchQuestions...)
	for _, k := range []int{1, 3, 40, 77} {
		qs = append(qs, synth.RareToken(k)+" là ai?", synth.RareToken(k), synth.RareToken(k)+" "+synth.RareToken(k+1))
	}
	return qs
}

// TestFeaturesMatchReference checks that the features and signals of
// every candidate Explain gives, on the seeds and on synthetic corpora,
// are those featureRef computes: bit for bit.
func TestFeaturesMatchReference(t *testing.T) {
	qs := referenceQuestions(t)
	indexes := map[string]*Index{"seeds": seedIndex(t)}
	for _, v := range []synth.Vocab{synth.Zipf, synth.Chain} {
		dir := t.TempDir()
		if _, err := synth.WriteCorpusOf(dir, v, 1, 3000, 300); err != nil {
			t.Fatal(err)
		}
		ix, _, err := Build(context.Background(), os.DirFS(dir), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		indexes[string(v)] = ix
	}
	// On the synthetic corpora, every third question of testdata (and
	// all the others) keeps the test quick under -race.
	var some []string
	for i, question := range qs {
		if i%3 == 0 || i >= len(qs)-len(benchQuestions)-12 {
			some = append(some, question)
		}
	}
	for name, ix := range indexes {
		t.Run(name, func(t *testing.T) {
			qs := qs
			if name != "seeds" {
				qs = some
			}
			compared := 0
			for _, question := range qs {
				ex, _, err := ix.Explain(context.Background(), question)
				if err != nil {
					t.Fatal(err)
				}
				r := &featureRef{ix: ix, q: parseQuery(cleanQuestion(question), ix.vocab, ix.vocab.bigramCount),
					hasCache: map[[2]int]bool{}, docSets: map[int]*refDocSet{}}
				m := ix.model()
				for _, e := range ex {
					f, s := r.features(e.Order, m)
					for i := range f {
						if math.Float64bits(f[i]) != math.Float64bits(e.Features[i]) {
							t.Errorf("%q passage %d: feature %v = %v, reference %v", question, e.Order, rank.Feature(i), e.Features[i], f[i])
						}
					}
					for i := range s {
						if math.Float64bits(s[i]) != math.Float64bits(e.Signals[i]) {
							t.Errorf("%q passage %d: signal %v = %v, reference %v", question, e.Order, rank.Signal(i), e.Signals[i], s[i])
						}
					}
					if sc := m.Score(&f); math.Float64bits(sc) != math.Float64bits(e.Score) {
						t.Errorf("%q passage %d: score %v, reference %v", question, e.Order, e.Score, sc)
					}
					compared++
				}
			}
			if compared < 500 {
				t.Errorf("compared %d candidates, want at least 500", compared)
			}
			t.Logf("%d questions, %d candidates compared", len(qs), compared)
		})
	}
}

// TestIDSet checks both forms of a document's term set: a bitmap for
// dense ids, sorted ids for sparse ones, and that building one leaves
// the scratch bitmap clear.
func TestIDSet(t *testing.T) {
	for _, tt := range []struct {
		name   string
		ids    []uint32
		bitmap bool
	}{
		{"empty", nil, false},
		{"dense", []uint32{5, 1, 0, 63, 64, 2, 3, 4, 70, 65}, true},
		{"sparse", []uint32{9000, 3, 70000, 12}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bits := make([]uint64, 70000/64+1)
			for _, id := range tt.ids {
				bits[id/64] |= 1 << (id % 64)
			}
			s := newIDSet(bits, tt.ids)
			if got := s.bits != nil; got != tt.bitmap {
				t.Errorf("bitmap = %v, want %v", got, tt.bitmap)
			}
			for _, w := range bits {
				if w != 0 {
					t.Fatal("scratch bitmap not cleared")
				}
			}
			want := map[uint32]bool{}
			for _, id := range tt.ids {
				want[id] = true
			}
			for _, id := range []uint32{0, 1, 2, 3, 4, 5, 6, 12, 13, 63, 64, 65, 66, 70, 128, 9000, 70000, 70001, noTerm} {
				if got := s.has(id); got != want[id] {
					t.Errorf("has(%d) = %v, want %v", id, got, want[id])
				}
			}
		})
	}
}
