package retrieval

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/askdocs/askdocs/retrieval/analysis/vnbigram"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Candidate generation reads bleve's postings directly instead of
// running a bleve query. Vietnamese syllables are few and frequent, so a
// disjunction over every syllable of a question walks most of a large
// index; the ranker does not need that, since it scores candidates on
// their term ids. So only the telling terms are walked, rarest first:
// bigrams and uncommon syllables, until enough candidates are found or a
// budget of postings is spent. Common syllables still count, in the
// ranker. When every term is common, the rarest alone can exceed the
// budget and leave thousands of passages tied where the candidates are
// cut, which would pick them by chance: the walk then goes on, within a
// larger budget, until the terms walked tell the candidates apart.
const (
	// gatherPostings is the budget of postings walked per question once
	// minCandidates passages are found.
	gatherPostings = 3000
	// tiedPostings is the budget while more passages tie at the cut than
	// fit, and maxExtraTerms how many bigrams may be walked past
	// gatherPostings for that.
	tiedPostings  = 20000
	maxExtraTerms = 8
	// minCandidates is how many passages the walk tries to find.
	minCandidates = 40
)

// searchTerm is one term of the question in one field.
type searchTerm struct {
	field, term string
	weight      float64
	df          int
}

// reader is a bleve index snapshot for the time of one question, read
// segment by segment.
type reader struct {
	r    index.IndexReader
	segs []*scorch.SegmentSnapshot
	// offsets number the documents of all segments one after another,
	// for the accumulator: a segment's first document is its offset.
	offsets []uint64
	// walk reads postings; taken from a pool, it keeps its dictionaries
	// and iterators from question to question (bleve's TermFieldReader
	// allocates them afresh for every term).
	walk *segWalker
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
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		r.Close()
		return nil, fmt.Errorf("retrieval: open index reader: not a scorch index (%T)", r)
	}
	rd := &reader{r: r, segs: snap.Segments()}
	n := uint64(0)
	for _, ss := range rd.segs {
		rd.offsets = append(rd.offsets, n)
		n += ss.Segment().Count()
	}
	return rd, nil
}

func (r *reader) Close() error {
	if r.walk != nil {
		r.walk.release()
		r.walk = nil
	}
	return r.r.Close()
}

// segWalker reads postings lists of one field over the segments of a
// snapshot, reusing its dictionaries while the segments stay the same.
type segWalker struct {
	segs  []segment.Segment
	dicts []segment.TermDictionary
	pl    segment.PostingsList
	it    segment.PostingsIterator
}

var segWalkers = sync.Pool{New: func() any { return &segWalker{} }}

// walker returns the segment walker of r, set up for its segments.
func (r *reader) walker() (*segWalker, error) {
	if r.walk != nil {
		return r.walk, nil
	}
	w := segWalkers.Get().(*segWalker)
	same := len(w.segs) == len(r.segs)
	for i := 0; same && i < len(r.segs); i++ {
		same = w.segs[i] == r.segs[i].Segment()
	}
	if !same {
		// Other segments (the index was updated or merged): the old
		// dictionaries may belong to closed segments; drop them all.
		w.segs, w.dicts, w.pl, w.it = w.segs[:0], w.dicts[:0], nil, nil
		for _, ss := range r.segs {
			d, err := ss.Segment().Dictionary(fieldFold)
			if err != nil {
				w.segs, w.dicts = w.segs[:0], w.dicts[:0]
				segWalkers.Put(w)
				return nil, fmt.Errorf("retrieval: read dictionary: %w", err)
			}
			w.segs = append(w.segs, ss.Segment())
			w.dicts = append(w.dicts, d)
		}
	}
	r.walk = w
	return w, nil
}

func (w *segWalker) release() { segWalkers.Put(w) }

// accumulate adds to acc the BM25 score, with weight w, of every live
// posting of term, and returns how many there were.
func (r *reader) accumulate(term string, w float64, acc *accumulator) (int, error) {
	walk, err := r.walker()
	if err != nil {
		return 0, err
	}
	n := 0
	for i, d := range walk.dicts {
		pl, err := d.PostingsList([]byte(term), r.segs[i].Deleted(), walk.pl)
		if err != nil {
			return n, fmt.Errorf("retrieval: read postings: %w", err)
		}
		walk.pl = pl
		walk.it = pl.Iterator(true, false, false, walk.it)
		for off := r.offsets[i]; ; n++ {
			p, err := walk.it.Next()
			if err != nil {
				return n, fmt.Errorf("retrieval: read postings: %w", err)
			}
			if p == nil {
				break
			}
			// BM25 with term frequency saturating; passage length is
			// left to the ranker, which knows it without decoding norms.
			tf := float64(p.Frequency())
			acc.add(off+p.Number(), w*tf*(bm25K1+1)/(tf+bm25K1))
		}
	}
	return n, nil
}

// accumulate adds the BM25 scores of t to acc and returns how many
// passages hold it: from bleve's postings, or, for a bigram bleve does
// not hold (see pairDF), from the postings of its rarer syllable and the
// passages' term ids, with the same scores.
func (ix *Index) accumulate(r *reader, t searchTerm, acc *accumulator) (int, error) {
	if a, b, ok := strings.Cut(t.term, vnbigram.Sep); ok {
		fa, oka := ix.vocab.fold[a]
		fb, okb := ix.vocab.fold[b]
		if oka && okb && !ix.vocab.pairIndexed(fa, fb) {
			rare := a
			if ix.vocab.foldDF[fb] < ix.vocab.foldDF[fa] {
				rare = b
			}
			return ix.accumulatePair(r, rare, fa, fb, t.weight, acc)
		}
	}
	return r.accumulate(t.term, t.weight, acc)
}

// accumulatePair adds to acc the BM25 score, with weight w, of the
// bigram of folded forms fa and fb in every passage holding the syllable
// rare (one of the two), counting the bigram in the passage's term ids
// as newTermsField would, and returns how many passages hold it.
func (ix *Index) accumulatePair(r *reader, rare string, fa, fb uint32, w float64, acc *accumulator) (int, error) {
	walk, err := r.walker()
	if err != nil {
		return 0, err
	}
	n := 0
	for i, d := range walk.dicts {
		pl, err := d.PostingsList([]byte(rare), r.segs[i].Deleted(), walk.pl)
		if err != nil {
			return n, fmt.Errorf("retrieval: read postings: %w", err)
		}
		walk.pl = pl
		walk.it = pl.Iterator(true, false, false, walk.it)
		for {
			p, err := walk.it.Next()
			if err != nil {
				return n, fmt.Errorf("retrieval: read postings: %w", err)
			}
			if p == nil {
				break
			}
			passage, ok := ix.passageOf(r, i, p.Number())
			if !ok {
				continue // indexed by a newer update than this view
			}
			tf := float64(ix.vocab.pairCount(ix.ids[passage], fa, fb))
			if tf == 0 {
				continue
			}
			n++
			acc.add(r.offsets[i]+p.Number(), w*tf*(bm25K1+1)/(tf+bm25K1))
		}
	}
	return n, nil
}

// pairCount counts the bigrams of folded forms a then b in ids: adjacent
// once function words are left out, as the index has bigrams.
func (v *vocab) pairCount(ids []uint32, a, b uint32) int {
	n := 0
	prev := noTerm
	for _, id := range ids {
		if v.function[id] {
			continue
		}
		f := v.foldOf[id]
		if prev == a && f == b {
			n++
		}
		prev = f
	}
	return n
}

// terms returns the question's terms to walk: each syllable and bigram
// once, folded (the ranker then tells "Biển Đông" from "biến động").
func (q *query) terms() []searchTerm {
	out := make([]searchTerm, 0, len(q.slots)+len(q.bigrams))
	add := func(t string, w float64) {
		if t == "" {
			return
		}
		for _, x := range out { // a question has few terms
			if x.term == t {
				return
			}
		}
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
	if err := ix.walk(ctx, r, q, q.terms(), acc, limit); err != nil {
		return nil, err
	}
	return ix.best(r, acc, limit), nil
}

// walk adds the BM25 scores of terms to acc, rarest terms first, until
// enough passages are found and the budget of postings is spent (the
// larger one while the best limit passages cannot be told apart).
func (ix *Index) walk(ctx context.Context, r *reader, q *query, terms []searchTerm, acc *accumulator, limit int) error {
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
	slices.SortStableFunc(live, func(a, b searchTerm) int {
		if a.df != b.df {
			return cmp.Compare(a.df, b.df)
		}
		return strings.Compare(a.term, b.term)
	})
	walked, walkedTerms, extra := 0, 0, 0
	for _, t := range live {
		if len(acc.touched) >= minCandidates && walked+t.df > gatherPostings {
			// Past the budget, a bigram may still be walked while the
			// candidates cannot be told apart (see tiedPostings); twice as
			// far when the rarest term alone was past the budget, since
			// every passage it found then scores alike.
			budget := tiedPostings
			if walkedTerms == 1 {
				budget *= 2
			}
			if extra == maxExtraTerms || walked+t.df > budget {
				break
			}
			if !strings.Contains(t.term, vnbigram.Sep) {
				continue // a syllable tells passages apart far less
			}
			if !acc.tiedAtCut(limit) {
				break
			}
			extra++
		}
		n, err := ix.accumulate(r, t, acc)
		walked += n
		walkedTerms++
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// best returns the limit best passages of acc, by score then id.
func (ix *Index) best(r *reader, acc *accumulator, limit int) []gathered {
	top := acc.top(limit)
	cut := len(top)
	if len(top) == limit && limit > 0 {
		// When more passages score as the last one kept than fit, bleve's
		// numbering, which depends on how the index happened to be built,
		// must not choose among them: passage order does.
		for cut > 0 && top[cut-1].score == top[limit-1].score {
			cut--
		}
	}
	out := make([]gathered, 0, len(top))
	for _, s := range top[:cut] {
		if p, ok := ix.passageOfNum(r, s.num); ok {
			out = append(out, gathered{p, s.score})
		}
		// else: indexed by a newer update than this view
	}
	if cut == len(top) {
		return out
	}
	edge := top[cut].score
	var ties []gathered
	for _, num := range acc.withScore(edge) {
		if p, ok := ix.passageOfNum(r, num); ok {
			ties = append(ties, gathered{p, edge})
		}
	}
	slices.SortFunc(ties, func(a, b gathered) int { return cmp.Compare(a.passage, b.passage) })
	return append(out, ties[:min(len(ties), limit-cut)]...)
}

// passageOfNum returns the passage of the document numbered num across
// r's segments.
func (ix *Index) passageOfNum(r *reader, num uint64) (int, bool) {
	seg := sort.Search(len(r.offsets), func(i int) bool { return r.offsets[i] > num }) - 1
	if seg < 0 {
		return 0, false
	}
	return ix.passageOf(r, seg, num-r.offsets[seg])
}

// passageOf returns the passage of document num of a segment. Segments
// never renumber their documents, so the answer is remembered per
// segment, sparing bleve's stored-field reads on later questions.
func (ix *Index) passageOf(r *reader, seg int, num uint64) (int, bool) {
	ss := r.segs[seg]
	tab := ix.segTable(r, ss.Segment())
	if num < uint64(len(tab)) {
		if p := tab[num].Load(); p != 0 {
			return int(p - 1), p > 0
		}
	}
	id, err := ss.DocID(num)
	if err != nil || id == nil {
		return 0, false
	}
	p, ok := ix.byKey[string(id)]
	if num < uint64(len(tab)) {
		v := int32(-1)
		if ok {
			v = int32(p) + 1
		}
		tab[num].Store(v)
	}
	return p, ok
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

// tiedAtCut reports whether the k best documents cannot be told from the
// next: the k-th and the (k+1)-th score the same.
func (a *accumulator) tiedAtCut(k int) bool {
	n := len(a.touched) + len(a.sparse)
	if n <= k || k <= 0 {
		return false
	}
	scores := make([]float64, 0, n)
	for _, num := range a.touched {
		scores = append(scores, a.score[num])
	}
	for _, s := range a.sparse {
		scores = append(scores, s)
	}
	edge := kthLargest(scores, k)
	same := 0
	for _, s := range scores {
		if s == edge {
			same++
		}
	}
	return same > k
}

// kthLargest returns the k-th largest of xs (1-based), reordering xs:
// quickselect, linear on average.
func kthLargest(xs []float64, k int) float64 {
	lo, hi, want := 0, len(xs)-1, k-1
	for lo < hi {
		pivot := xs[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for xs[i] > pivot {
				i++
			}
			for xs[j] < pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case want <= j:
			hi = j
		case want >= i:
			lo = i
		default:
			return xs[want]
		}
	}
	return xs[want]
}

// withScore returns the documents scoring exactly s.
func (a *accumulator) withScore(s float64) []uint64 {
	var out []uint64
	for _, n := range a.touched {
		if a.score[n] == s {
			out = append(out, uint64(n))
		}
	}
	for n, sc := range a.sparse {
		if sc == s {
			out = append(out, n)
		}
	}
	return out
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
	if n <= 0 {
		return nil
	}
	h := make(worstFirst, 0, n+1)
	push := func(s scored) {
		if len(h) < n {
			heap.Push(&h, s)
		} else if better(s, h[0]) {
			h[0] = s
			heap.Fix(&h, 0)
		}
	}
	for _, num := range a.touched {
		push(scored{uint64(num), a.score[num]})
	}
	for num, sc := range a.sparse {
		push(scored{num, sc})
	}
	slices.SortFunc(h, func(x, y scored) int {
		switch {
		case better(x, y):
			return -1
		case better(y, x):
			return 1
		}
		return 0
	})
	return h
}

// worstFirst is a heap (container/heap) of the best passages found so
// far, the worst of them at its root, to be replaced by a better one.
type worstFirst []scored

func (h worstFirst) Len() int           { return len(h) }
func (h worstFirst) Less(i, j int) bool { return better(h[j], h[i]) }
func (h worstFirst) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *worstFirst) Push(x any)        { *h = append(*h, x.(scored)) }
func (h *worstFirst) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// segTable returns the remembered passages of seg's documents: passage+1,
// -1 for none, 0 for not yet known.
func (ix *Index) segTable(r *reader, seg segment.Segment) []atomic.Int32 {
	if t, ok := ix.segTables.Load(seg); ok {
		return t.([]atomic.Int32)
	}
	// A new segment (an update, a merge): forget those r no longer has.
	ix.segTables.Range(func(k, _ any) bool {
		live := false
		for _, ss := range r.segs {
			live = live || ss.Segment() == k
		}
		if !live {
			ix.segTables.Delete(k)
		}
		return true
	})
	t, _ := ix.segTables.LoadOrStore(seg, make([]atomic.Int32, seg.Count()))
	return t.([]atomic.Int32)
}
