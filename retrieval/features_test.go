package retrieval

import (
	"context"
	"math"
	"testing"

	"github.com/askdocs/askdocs/retrieval/rank"
)

// featureCorpus has passages that differ in one signal at a time.
var featureCorpus = map[string]string{
	"a.txt": "Hợp tác quốc phòng giữa hai nước.\n\nHợp tác kinh tế giữa hai nước đạt 5 tỷ USD.\n\nQuốc phòng và hợp tác là hai việc.\n",
	"b.txt": "Lào và Campuchia.\n\nCampuchia tổ chức lễ hội tại Phnom Penh.\n",
}

// explain returns the features and signals of every candidate of q,
// keyed by passage id ("a.txt:1").
func explain(t *testing.T, ix *Index, q string) (map[string]Explained, float64, float64) {
	t.Helper()
	ex, sig, err := ix.Explain(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Explained{}
	for _, e := range ex {
		out[e.Source+":"+itoa(e.Line)] = e
	}
	return out, sig[rank.Unknown], sig[rank.UnknownBigram]
}

func itoa(n int) string { return string(rune('0'+n/10%10)) + string(rune('0'+n%10)) }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestFeatures checks each feature on passages built to differ in it.
func TestFeatures(t *testing.T) {
	ix := buildFS(t, featureCorpus)
	cases := []struct {
		name     string
		q        string
		feature  rank.Feature
		more     string // the passage with the larger value
		less     string // "" for a passage that is not a candidate
		wantMore float64
		wantLess float64
		exact    bool // compare wantMore/wantLess exactly
	}{
		// Both hold "hợp tác quốc phòng"; only a.txt:1 side by side.
		{name: "bigram cover", q: "hợp tác quốc phòng", feature: rank.BigramCover, more: "a.txt:01", less: "a.txt:05", wantMore: 1, exact: false},
		// Only a.txt:3 holds a number.
		{name: "kind match", q: "hợp tác kinh tế bao nhiêu", feature: rank.KindMatch, more: "a.txt:03", less: "a.txt:01", wantMore: 1, wantLess: 0, exact: true},
		{name: "kind miss", q: "hợp tác kinh tế bao nhiêu", feature: rank.KindMiss, more: "a.txt:01", less: "a.txt:03", wantMore: 1, wantLess: 0, exact: true},
		// Typed with diacritics: "quốc phòng" exactly in a.txt:1; the
		// folded BM25 counts it in both.
		{name: "coverage", q: "hợp tác quốc phòng", feature: rank.Coverage, more: "a.txt:01", less: "a.txt:03"},
		{name: "bm25 fold", q: "quoc phong", feature: rank.BM25Fold, more: "a.txt:01", less: "a.txt:03"},
		{name: "place", q: "lễ hội tổ chức ở đâu", feature: rank.KindMatch, more: "b.txt:03", wantMore: 1, exact: true},
		// "Lào" is named in b.txt:1 only; its document names it for b.txt:3.
		{name: "doc share", q: "Lào Campuchia lễ hội", feature: rank.DocShare, more: "b.txt:03", less: "a.txt:03"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _, _ := explain(t, ix, c.q)
			m, ok := got[c.more]
			if !ok {
				t.Fatalf("%s is not a candidate of %q: %v", c.more, c.q, keys(got))
			}
			fm := m.Features[c.feature]
			if c.exact && !near(fm, c.wantMore) {
				t.Errorf("%s of %s = %v, want %v", c.feature, c.more, fm, c.wantMore)
			}
			if c.wantMore != 0 && !c.exact && !near(fm, c.wantMore) {
				t.Errorf("%s of %s = %v, want %v", c.feature, c.more, fm, c.wantMore)
			}
			if c.less == "" {
				return
			}
			l, ok := got[c.less]
			if !ok {
				return // not even a candidate: less by far
			}
			fl := l.Features[c.feature]
			if c.exact && !near(fl, c.wantLess) {
				t.Errorf("%s of %s = %v, want %v", c.feature, c.less, fl, c.wantLess)
			}
			if !(fm > fl) {
				t.Errorf("%s: %s has %v, %s has %v; want the first larger", c.feature, c.more, fm, c.less, fl)
			}
		})
	}
}

func keys(m map[string]Explained) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// bm25Features returns bm25Tally's figures for the passage of term ids,
// scanned by itself.
func (q *query) bm25Features(ids []uint32, v *vocab, k1, b float64) (fold, exact, bigram, all float64) {
	q.bm25(v, k1)
	var t tally
	q.scanTally(ids, v, false, &t)
	return q.bm25Tally(&t, v, k1, b)
}

// TestBM25Features checks the BM25 features' values against BM25
// computed by hand: one term, held once by one of two passages of equal
// length.
func TestBM25Features(t *testing.T) {
	ix := buildFS(t, map[string]string{"x.txt": "mèo đen\n\nchó vàng\n"})
	m := rank.Default()
	q := parseQuery("mèo", ix.vocab, ix.vocab.bigramCount)
	fold, exact, bigram, _ := q.bm25Features(ix.ids[0], ix.vocab, m.K1, m.B)
	// tf 1, passage as long as the mean: tf·(k1+1)/(tf+k1) over k1+1.
	want := 1 / (1 + m.K1)
	if !near(fold, want) || !near(exact, want) || bigram != 0 {
		t.Errorf("bm25Features(mèo, \"mèo đen\") = %v, %v, %v; want %v, %v, 0", fold, exact, bigram, want, want)
	}
	// Typed with diacritics, "mẹo" folds like "mèo" but is not it.
	q = parseQuery("mẹo", ix.vocab, ix.vocab.bigramCount)
	fold, exact, _, _ = q.bm25Features(ix.ids[0], ix.vocab, m.K1, m.B)
	if !near(fold, want) || exact != 0 {
		t.Errorf("bm25Features(mẹo, \"mèo đen\") = fold %v exact %v; want %v and 0", fold, exact, want)
	}
	// The bigram "mèo đen" side by side.
	q = parseQuery("mèo đen", ix.vocab, ix.vocab.bigramCount)
	_, _, bigram, _ = q.bm25Features(ix.ids[0], ix.vocab, m.K1, m.B)
	if !near(bigram, want) {
		t.Errorf("bm25Features(mèo đen) bigram = %v, want %v", bigram, want)
	}
	if _, _, b, _ := q.bm25Features(ix.ids[1], ix.vocab, m.K1, m.B); b != 0 {
		t.Errorf("bm25Features(mèo đen, \"chó vàng\") bigram = %v, want 0", b)
	}
}

// TestSignals checks the question-level abstention signals.
func TestSignals(t *testing.T) {
	ix := buildFS(t, featureCorpus)
	cases := []struct {
		q                      string
		unknown, unknownBigram float64
	}{
		{"hợp tác quốc phòng", 0, 0},
		// Of "quốc phòng", "phòng kinh" and "kinh tế", "phòng kinh"
		// never stands side by side.
		{"quốc phòng kinh tế", 0, 1.0 / 3},
		{"xylophone", 1, 0},
	}
	for _, c := range cases {
		_, u, ub := explain(t, ix, c.q)
		if !near(u, c.unknown) || !near(ub, c.unknownBigram) {
			t.Errorf("%q: unknown %v, unknown bigram %v; want %v, %v", c.q, u, ub, c.unknown, c.unknownBigram)
		}
	}
	// A name the passage and its document lack is missing; one its
	// document gives is not.
	got, _, _ := explain(t, ix, "hợp tác kinh tế với Campuchia")
	if s := got["a.txt:03"].Signals[rank.MissingName]; !(s > 0) {
		t.Errorf("MissingName of a.txt:3 for Campuchia = %v, want > 0", s)
	}
	got, _, _ = explain(t, ix, "Lào tổ chức lễ hội")
	if s := got["b.txt:03"].Signals[rank.MissingName]; s != 0 {
		t.Errorf("MissingName of b.txt:3 for Lào (named in its document) = %v, want 0", s)
	}
}
