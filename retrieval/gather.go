package retrieval

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"sync"

	index "github.com/blevesearch/bleve_index_api"
)

// Candidate generation reads bleve's postings directly instead of
// running a bleve query. Vietnamese syllables are few and frequent, so a
// disjunction over every syllable of a question walks most of a large
// index; the ranker does not need that, since it scores candidates on
// their term ids. So only the telling terms are walked, rarest first:
// bigrams and uncommon syllables, until enough candidates are found or a
// budget of postings is spent. Common syllables still count, in the
// ranker.
const (
	// gatherPostings is the budget of postings walked per question once
	// minCandidates passages are found.
	gatherPostings = 3000
	// minCandidates is how many passages the walk tries to find.
	minCandidates = 40
)

// searchTerm is one term of the question in one field.
type searchTerm struct {
	field, term string
	weight      float64
	df          int
}

// reader is a bleve index snapshot for the time of one question.
type reader struct {
	r index.IndexReader
}

func (ix *Index) reader() (*reader, error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, fmt.Errorf("retrieval: open index reader: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("retrieval: open index reader: %w", err)
	}
	return &reader{r: r}, nil
}

func (r *reader) Close() error { return r.r.Close() }

// df counts the passages holding term in field.
func (r *reader) df(ctx context.Context, field, term string) int {
	tfr, err := r.r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0
	}
	defer tfr.Close()
	return int(tfr.Count())
}

// terms returns the question's terms to walk: each syllable and bigram
// once, folded (the ranker then tells "Biển Đông" from "biến động").
func (q *query) terms() []searchTerm {
	var out []searchTerm
	seen := map[string]bool{}
	add := func(t string, w float64) {
		if t == "" || seen[t] {
			return
		}
		seen[t] = true
		out = append(out, searchTerm{field: fieldFold, term: t, weight: w})
	}
	weights := q.slotWeights()
	for i, s := range q.slots {
		if weights[i] > 0 && s.foldID != noTerm {
			add(s.fold, weights[i])
		}
	}
	for _, bg := range q.bigrams {
		add(bg[0], 1)
	}
	return out
}

// BM25 parameters, as usual.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// gathered is a candidate passage and its BM25 score over the terms
// walked.
type gathered struct {
	passage int
	bm25    float64
}

// gather returns the passages worth ranking for q: those holding its
// rarest terms, best first by their BM25 score over those terms.
func (ix *Index) gather(ctx context.Context, r *reader, q *query, limit int) ([]gathered, error) {
	acc := accumulators.Get().(*accumulator)
	defer func() {
		acc.reset()
		accumulators.Put(acc)
	}()
	if err := ix.walk(ctx, r, q, q.terms(), acc); err != nil {
		return nil, err
	}
	return ix.best(r, acc, limit), nil
}

// walk adds the BM25 scores of terms to acc, rarest terms first, until
// enough passages are found and the budget of postings is spent.
func (ix *Index) walk(ctx context.Context, r *reader, q *query, terms []searchTerm, acc *accumulator) error {
	n := float64(max(1, len(ix.corpus.Passages)))
	// Document frequencies come from the vocabulary (syllables) and from
	// the counts question analysis already read (bigrams), so postings
	// are opened only for the terms walked.
	live := terms[:0]
	for _, t := range terms {
		if id, ok := ix.vocab.fold[t.term]; ok {
			t.df = int(ix.vocab.foldDF[id])
		} else {
			t.df = q.df(t.term)
		}
		if t.df == 0 {
			continue
		}
		t.weight *= math.Log(1 + (n-float64(t.df)+0.5)/(float64(t.df)+0.5))
		live = append(live, t)
	}
	// Rarest first; among equals, by term.
	sort.SliceStable(live, func(i, j int) bool {
		if live[i].df != live[j].df {
			return live[i].df < live[j].df
		}
		return live[i].term < live[j].term
	})
	walked := 0
	var doc index.TermFieldDoc
	for _, t := range live {
		if len(acc.touched) >= minCandidates && walked+t.df > gatherPostings {
			break
		}
		tfr, err := r.r.TermFieldReader(ctx, []byte(t.term), t.field, true, false, false)
		if err != nil {
			return fmt.Errorf("retrieval: read postings: %w", err)
		}
		for {
			d, err := tfr.Next(&doc)
			if err != nil {
				tfr.Close()
				return fmt.Errorf("retrieval: read postings: %w", err)
			}
			if d == nil {
				break
			}
			// BM25 with term frequency saturating; passage length is
			// left to the ranker, which knows it without decoding norms.
			tf := float64(d.Freq)
			acc.add(internalNum(d.ID), t.weight*tf*(bm25K1+1)/(tf+bm25K1))
			walked++
		}
		tfr.Close()
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// best returns the limit best passages of acc, by score then id.
func (ix *Index) best(r *reader, acc *accumulator, limit int) []gathered {
	top := acc.top(limit)
	out := make([]gathered, 0, len(top))
	var id [8]byte
	for _, s := range top {
		binary.BigEndian.PutUint64(id[:], s.num)
		ext, err := r.r.ExternalID(index.IndexInternalID(id[:]))
		if err != nil {
			continue
		}
		if p, ok := ix.byKey[ext]; ok {
			out = append(out, gathered{p, s.score})
		}
		// else: indexed by a newer update than this view
	}
	return out
}

// accumulator sums scores by internal document number in a dense array
// reused across questions; only the entries touched are cleared.
type accumulator struct {
	score   []float64
	touched []uint32
	sparse  map[uint64]float64 // numbers too large for the array
}

const maxDenseDoc = 1 << 25

var accumulators = sync.Pool{New: func() any { return &accumulator{} }}

func (a *accumulator) add(num uint64, s float64) {
	if num >= maxDenseDoc {
		if a.sparse == nil {
			a.sparse = map[uint64]float64{}
		}
		a.sparse[num] += s
		return
	}
	if num >= uint64(len(a.score)) {
		a.score = append(a.score, make([]float64, int(num)+1-len(a.score)+len(a.score)/2)...)
	}
	if a.score[num] == 0 {
		a.touched = append(a.touched, uint32(num))
	}
	a.score[num] += s
}

func (a *accumulator) reset() {
	for _, n := range a.touched {
		a.score[n] = 0
	}
	a.touched = a.touched[:0]
	a.sparse = nil
}

type scored struct {
	num   uint64
	score float64
}

// better orders scored documents: higher score, then lower number.
func better(x, y scored) bool {
	if x.score != y.score {
		return x.score > y.score
	}
	return x.num < y.num
}

// top returns the n best documents, best first, keeping a min-heap of n
// instead of sorting everything touched.
func (a *accumulator) top(n int) []scored {
	h := make([]scored, 0, n+1)
	push := func(s scored) {
		if len(h) == n {
			if !better(s, h[0]) {
				return
			}
			h[0] = s
			siftDown(h, 0)
			return
		}
		h = append(h, s)
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if !better(h[p], h[i]) {
				break
			}
			h[p], h[i] = h[i], h[p]
			i = p
		}
	}
	for _, num := range a.touched {
		push(scored{uint64(num), a.score[num]})
	}
	for num, sc := range a.sparse {
		push(scored{num, sc})
	}
	sort.Slice(h, func(i, j int) bool { return better(h[i], h[j]) })
	return h
}

// siftDown restores the min-heap (worst at the root) below i.
func siftDown(h []scored, i int) {
	for {
		l, w := 2*i+1, i
		if l < len(h) && better(h[w], h[l]) {
			w = l
		}
		if r := l + 1; r < len(h) && better(h[w], h[r]) {
			w = r
		}
		if w == i {
			return
		}
		h[i], h[w] = h[w], h[i]
		i = w
	}
}

// internalNum reads scorch's internal id, a big-endian document number.
func internalNum(id index.IndexInternalID) uint64 {
	if len(id) == 8 {
		return binary.BigEndian.Uint64(id)
	}
	var n uint64
	for _, b := range id {
		n = n<<8 | uint64(b)
	}
	return n
}
