// Package baseline owns the plain baselines every evaluation quotes:
// textbook BM25 (k1 = 0.9, b = 0.4) over diacritic-folded syllables, and
// the same BM25 with syllable bigrams added as terms.
//
// A baseline sees the syllables the engine sees — split by package
// vntoken, lowercased, tone placement unified by package vntone and
// diacritics folded by package vnfold — and nothing more: no stop words
// are removed, no stemming, no synonyms, no re-ranking. It never
// abstains. Its purpose is to say how much the engine's analysis and
// ranking add over the simplest honest search on the same corpus.
package baseline

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/retrieval/analysis/vnfold"
	"github.com/askdocs/askdocs/retrieval/analysis/vntoken"
	"github.com/askdocs/askdocs/retrieval/analysis/vntone"
)

// The BM25 parameters of both baselines.
const (
	K1 = 0.9
	B  = 0.4
)

// Names of the two baselines, as evaluations print them.
const (
	NameBM25    = "bm25"
	NameBigrams = "bm25+bigrams"
)

// BM25 is a BM25 index of a corpus's passages. It is safe for concurrent
// use once built.
type BM25 struct {
	name    string
	bigrams bool
	corpus  *retrieval.Corpus
	ids     map[string]int32 // term → index in postings
	// postings[t] lists the passages holding term t, in passage order.
	postings [][]posting
	length   []float64 // terms in each passage
	avgLen   float64
}

type posting struct {
	passage int32
	tf      int32
}

// NewBM25 indexes the passages of c by their folded syllables.
func NewBM25(c *retrieval.Corpus) *BM25 { return build(NameBM25, c, false) }

// NewBigrams indexes the passages of c by their folded syllables and the
// bigrams of adjacent syllables ("hop tac"), each bigram one more term
// (a passage's length, for BM25, counts its bigrams too).
func NewBigrams(c *retrieval.Corpus) *BM25 { return build(NameBigrams, c, true) }

func build(name string, c *retrieval.Corpus, bigrams bool) *BM25 {
	m := &BM25{
		name:    name,
		bigrams: bigrams,
		corpus:  c,
		ids:     map[string]int32{},
		length:  make([]float64, len(c.Passages)),
	}
	tf := map[string]int32{}
	var order []string
	total := 0.0
	for p, ps := range c.Passages {
		clear(tf)
		order = order[:0]
		terms := Terms(ps.Text, bigrams)
		for _, t := range terms {
			if tf[t] == 0 {
				order = append(order, t)
			}
			tf[t]++
		}
		for _, t := range order {
			id, ok := m.ids[t]
			if !ok {
				id = int32(len(m.postings))
				m.ids[t] = id
				m.postings = append(m.postings, nil)
			}
			m.postings[id] = append(m.postings[id], posting{passage: int32(p), tf: tf[t]})
		}
		m.length[p] = float64(len(terms))
		total += float64(len(terms))
	}
	if len(c.Passages) > 0 {
		m.avgLen = total / float64(len(c.Passages))
	}
	return m
}

// Name is the baseline's name: NameBM25 or NameBigrams.
func (m *BM25) Name() string { return m.name }

// Syllables returns the folded syllables of s, in order: the tokens of
// package vntoken, lowercased, with tone placement unified and
// diacritics folded ("Hợp tác" → "hop", "tac").
func Syllables(s string) []string {
	s = norm.NFC.String(s)
	var out []string
	vntoken.Each(s, func(start, end int) {
		out = append(out, vnfold.Fold(vntone.Normalize(strings.ToLower(s[start:end]))))
	})
	return out
}

// Terms returns the terms of s: its folded syllables and, with bigrams,
// each pair of adjacent syllables joined by a space, after them.
func Terms(s string, bigrams bool) []string {
	out := Syllables(s)
	if bigrams {
		n := len(out)
		for i := 1; i < n; i++ {
			out = append(out, out[i-1]+" "+out[i])
		}
	}
	return out
}

// IDF is the inverse document frequency of a term found in df of n
// passages, in the form that stays positive for common terms (Lucene's):
// ln(1 + (n − df + 0.5) / (df + 0.5)).
func IDF(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// Score is the BM25 weight of one term of the question in one passage:
// IDF · tf · (k1 + 1) / (tf + k1 · (1 − b + b · length / avgLen)).
func Score(idf float64, tf int, length, avgLen float64) float64 {
	t := float64(tf)
	return idf * t * (K1 + 1) / (t + K1*(1-B+B*length/avgLen))
}

// Search returns the k passages with the highest BM25 score for the
// question's terms, each distinct term counted once; ties go to the
// earlier passage. It never abstains: Answered is true whenever a
// passage shares a term with the question. Confidence is the top score
// over the score of a passage holding every term of the question
// infinitely often (the sum of IDF · (k1 + 1)), a crude measure in
// [0, 1) for tracing what a threshold on the top score would decline.
func (m *BM25) Search(ctx context.Context, question string, k int) (retrieval.Answer, error) {
	if err := ctx.Err(); err != nil {
		return retrieval.Answer{}, err
	}
	question = norm.NFC.String(question)
	ans := retrieval.Answer{Question: question}
	seen := map[string]bool{}
	n := len(m.corpus.Passages)
	scores := map[int32]float64{}
	best := 0.0
	for _, t := range Terms(question, m.bigrams) {
		if seen[t] {
			continue
		}
		seen[t] = true
		ans.Terms = append(ans.Terms, t)
		id, ok := m.ids[t]
		if !ok {
			// Unknown to the corpus: its IDF is that of df = 0.
			best += IDF(n, 0) * (K1 + 1)
			continue
		}
		ps := m.postings[id]
		idf := IDF(n, len(ps))
		best += idf * (K1 + 1)
		for _, p := range ps {
			scores[p.passage] += Score(idf, int(p.tf), m.length[p.passage], m.avgLen)
		}
	}
	ranked := make([]int32, 0, len(scores))
	for p := range scores {
		ranked = append(ranked, p)
	}
	slices.SortFunc(ranked, func(a, b int32) int {
		if c := cmp.Compare(scores[b], scores[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	if k > 0 && len(ranked) > k {
		ranked = ranked[:k]
	}
	for _, p := range ranked {
		ps := m.corpus.Passages[p]
		d := m.corpus.Docs[ps.Doc]
		ans.Results = append(ans.Results, retrieval.Result{
			ID:      d.Source + ":" + strconv.Itoa(ps.Line),
			Score:   scores[p],
			Source:  d.Source,
			Line:    ps.Line,
			EndLine: ps.EndLine,
			Title:   d.Title,
			Excerpt: ps.Text,
			Text:    ps.Text,
		})
	}
	ans.Answered = len(ans.Results) > 0
	if ans.Answered && best > 0 {
		ans.Confidence = ans.Results[0].Score / best
	}
	return ans, nil
}
