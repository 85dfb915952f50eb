package retrieval

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval/analysis/vietnamese"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
)

// The index has one field: a passage's folded syllables and their
// bigrams ("hop", "tac", "hop tac"). Exact spellings are checked by the
// ranker, on the passage's term ids, so a second field with diacritics
// would double the index for nothing.
const (
	fieldFold = "fold"
)

// Options tune Build.
type Options struct {
	// BatchSize is how many passages are indexed per bleve batch: in a
	// build, one segment each (default 500 on disk, 1000 in memory); in
	// an update, one batch that readers see whole (default 1000).
	BatchSize int
	// ReadOnly opens a stored index without updating it (Open only), so
	// that several processes can share one index folder.
	ReadOnly bool
	// Progress, if set, is called as passages are indexed.
	Progress func(done, total int)
}

// batchSize is opts.BatchSize or its default for updates.
func (opts Options) batchSize() int {
	if opts.BatchSize <= 0 {
		return 1000
	}
	return opts.BatchSize
}

// segmentSize is opts.BatchSize or its default for builds of a stored
// index, whose segments are merged into one at the end. Smaller
// segments cost no more CPU to build and merge (100k zipf passages, two
// runs each: 32–34 s of CPU with segments of 500 or 1000), but fewer
// passages are in flight, as bleve documents and bleve's segment under
// construction: peak RSS 381–397 MB against 460–489 MB.
func (opts Options) segmentSize() int {
	if opts.BatchSize <= 0 {
		return 500
	}
	return opts.BatchSize
}

// Index is a searchable corpus. It is safe for concurrent use.
type Index struct {
	corpus  *Corpus
	vocab   *vocab
	ids     [][]uint32 // term ids of each passage
	bleve   bleve.Index
	byKey   map[string]int // bleve id → passage
	docSets []docSet       // see docSet
	gen     string         // generation folder of a stored index
	// segTables remembers the passage of each bleve document, per
	// segment (see passageOf).
	segTables sync.Map

	closeOnce sync.Once
}

// Build loads the documents of fsys and indexes them in memory.
func Build(ctx context.Context, fsys fs.FS, opts Options) (*Index, []Warning, error) {
	c, warnings, err := LoadCorpus(ctx, fsys)
	if err != nil {
		return nil, warnings, err
	}
	m, err := newMapping()
	if err != nil {
		return nil, warnings, err
	}
	bi, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, warnings, fmt.Errorf("retrieval: create index: %w", err)
	}
	// In memory, bleve merges segments in the background and questions
	// read them as they are: fewer, larger ones.
	ix, err := buildIndex(ctx, c, bi, opts, opts.batchSize())
	if err != nil {
		bi.Close()
		return nil, warnings, err
	}
	return ix, warnings, nil
}

func (ix *Index) indexKeys() {
	ix.byKey = make(map[string]int, len(ix.corpus.Passages))
	for i := range ix.corpus.Passages {
		ix.byKey[ix.corpus.key(i)] = i
	}
	ix.docSets = make([]docSet, len(ix.corpus.Docs))
}

// docSet is the sorted term ids and folded term ids of a document,
// computed when first needed.
type docSet struct {
	once         sync.Once
	terms, folds []uint32
}

// docSet returns the term sets of document d: used to credit a name
// given once at the top of an article to the passages below it.
func (ix *Index) docSet(d int) *docSet {
	ds := &ix.docSets[d]
	ds.once.Do(func() {
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
	})
	return ds
}

// docHas reports whether the document of passage p holds concept c: a
// word anywhere in it, a phrase side by side in one of its passages.
func (ix *Index) docHas(q *query, c *concept, p int) bool {
	d := ix.corpus.Passages[p].Doc
	key := [2]int{d, q.conceptIndex(c)}
	if has, ok := q.docHasCache[key]; ok {
		return has
	}
	has := ix.docHolds(q, c, d)
	if q.docHasCache == nil {
		q.docHasCache = map[[2]int]bool{}
	}
	q.docHasCache[key] = has
	return has
}

// docHolds is docHas for document d, uncached.
func (ix *Index) docHolds(q *query, c *concept, d int) bool {
	doc := ix.corpus.Docs[d]
	for _, alt := range c.alts {
		ok := len(alt) > 0
		for _, s := range alt {
			// A word typed with diacritics must be there as typed.
			ds := ix.docSet(d)
			set, id := ds.terms, q.slots[s].exactID
			if q.slots[s].plain {
				set, id = ds.folds, q.slots[s].foldID
			}
			if _, found := slices.BinarySearch(set, id); !found {
				ok = false
			}
		}
		if !ok {
			continue
		}
		if len(alt) == 1 {
			return true
		}
		for i := doc.First; i < doc.First+doc.N && i < doc.First+50; i++ {
			sc := q.scan(ix.ids[i], ix.vocab, false)
			if q.credit(&sc, q.conceptIndex(c)) > 0 {
				return true
			}
		}
	}
	return false
}

func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	if err := vietnamese.Register(m); err != nil {
		return nil, fmt.Errorf("retrieval: register analyzers: %w", err)
	}
	dm := bleve.NewDocumentStaticMapping()
	fm := bleve.NewTextFieldMapping()
	fm.Analyzer = vietnamese.Fold
	fm.Store = false
	fm.IncludeTermVectors = false
	fm.IncludeInAll = false
	fm.DocValues = false
	dm.AddFieldMappingsAt(fieldFold, fm)
	// No "_all" field: nothing searches it.
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	m.DefaultMapping = dm
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	m.ScoringModel = "bm25"
	return m, nil
}

// passageKey is the bleve id of a passage: its source, line and chunk,
// separated by U+001F, which sorts below any printable character, so
// ids sort in corpus order and stay the same when other files change.
func passageKey(source string, line, chunk int) string {
	b := make([]byte, 0, len(source)+16)
	b = append(b, source...)
	b = append(b, 0x1f)
	b = appendPadded(b, line, 9)
	b = append(b, 0x1f)
	b = appendPadded(b, chunk, 4)
	return string(b)
}

// appendPadded appends n in decimal, zero-padded to width digits.
func appendPadded(b []byte, n, width int) []byte {
	var d [20]byte
	s := strconv.AppendInt(d[:0], int64(n), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// key returns the bleve id of passage i.
func (c *Corpus) key(i int) string {
	p := c.Passages[i]
	return passageKey(c.Docs[p.Doc].Source, p.Line, p.Chunk)
}

// buildIndex analyses the passages of c and indexes them in the empty
// bleve index bi. The passages are analysed first, in order, growing the
// vocabulary, so that their syllables' document frequencies decide which
// bigrams are indexed (see pairDF); then batches go to indexing workers,
// so that bleve builds segments on every core, of size passages each.
func buildIndex(ctx context.Context, c *Corpus, bi bleve.Index, opts Options, size int) (*Index, error) {
	ix := &Index{corpus: c, vocab: newVocab(), bleve: bi}
	var err error
	if ix.ids, err = ix.vocab.analyzeAll(ctx, c.Passages); err != nil {
		return nil, err
	}
	ix.vocab.countPassages(ix.ids)
	ix.vocab.setPairable()
	n := len(c.Passages)
	workers := max(1, min(runtime.GOMAXPROCS(0), (n+size-1)/size, 4))
	batches := make(chan [2]int)
	errs := make(chan error, workers)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range batches {
				docs := make([]*document.Document, 0, a[1]-a[0])
				for p := a[0]; p < a[1]; p++ {
					docs = append(docs, ix.passageDoc(p))
				}
				if err := ix.indexBatch(docs); err != nil {
					errs <- err
					return
				}
				if opts.Progress != nil {
					mu.Lock()
					done += len(docs)
					opts.Progress(done, n)
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for from := 0; from < n; from += size {
		select {
		case batches <- [2]int{from, min(from+size, n)}:
		case err = <-errs:
			break feed
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(batches)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	if err != nil {
		return nil, err
	}
	ix.indexKeys()
	return ix, nil
}

// indexBatch indexes docs in one bleve batch.
func (ix *Index) indexBatch(docs []*document.Document) error {
	b := ix.bleve.NewBatch()
	for _, d := range docs {
		if err := b.IndexAdvanced(d); err != nil {
			return fmt.Errorf("retrieval: index passage %q: %w", d.ID(), err)
		}
	}
	if err := ix.bleve.Batch(b); err != nil {
		return fmt.Errorf("retrieval: index batch: %w", err)
	}
	return nil
}

// Close releases the index.
func (ix *Index) Close() error {
	var err error
	ix.closeOnce.Do(func() { err = ix.bleve.Close() })
	return err
}

// Stats counts what an index holds.
type Stats struct {
	Documents, Passages int
}

// Stats returns the size of the index.
func (ix *Index) Stats() Stats {
	return Stats{Documents: len(ix.corpus.Docs), Passages: len(ix.corpus.Passages)}
}

// maxSuggestions is how many topics an abstention suggests.
const maxSuggestions = 5

// suggestions names a few documents to rephrase towards: those of the
// closest candidates, then the first documents.
func (ix *Index) suggestions(cands []candidate) []string {
	var out []string
	seen := map[int]bool{}
	add := func(d int) {
		if !seen[d] && len(out) < maxSuggestions {
			seen[d] = true
			out = append(out, ix.corpus.Docs[d].Title)
		}
	}
	for _, c := range cands {
		add(ix.corpus.Passages[c.passage].Doc)
	}
	for d := range ix.corpus.Docs {
		add(d)
	}
	return out
}

// Tuning of ranking and abstention, measured on testdata/questions.jsonl.
const (
	candidates  = 30   // passages bleve returns for re-ranking
	minCoverage = 0.5  // abstain when the best passage covers less of the question
	keepRatio   = 0.25 // drop results scoring under this share of the best
	bleveShare  = 0.25 // weight of bleve's score in the final one
	// proximityShare is the weight of how close together the matched
	// words stand.
	proximityShare = 0.3
	softShare      = 0.2
	// docEntityShare is the credit of a name found in the passage's
	// document but not in the passage.
	docEntityShare = 1.0
	foldCredit     = 0.25 // credit of a folded-only match for a word typed with diacritics
	// minEntityWeight: names at least this telling must be in the answer
	// (so "Việt Nam" in a Vietnamese corpus is not required).
	minEntityWeight = 2.0
	// minKeyWeight: words at least this telling are what a question is
	// about.
	minKeyWeight = 1.0
)

// candidate is a passage being ranked.
type candidate struct {
	passage int
	score   float64
	cov     float64 // coverage of the question by the passage
	docCov  float64 // the same, with names its document gives
	bleve   float64 // BM25 over the terms walked in bleve's postings
}

// Search answers question with at most k results (k <= 0 means 3).
func (ix *Index) Search(ctx context.Context, question string, k int) (ans Answer, err error) {
	defer func() {
		// A damaged index file can make bleve panic mid-search: report
		// it as an error, never crash the caller.
		if r := recover(); r != nil {
			ans, err = Answer{Question: question}, fmt.Errorf("retrieval: search: internal error: %v", r)
		}
	}()
	if k <= 0 {
		k = 3
	}
	if k > 50 {
		k = 50
	}
	question = cleanQuestion(question)
	ans = Answer{Question: question}
	r, err := ix.reader()
	if err != nil {
		return ans, err
	}
	defer r.Close()
	q := parseQuery(question, ix.vocab, ix.vocab.bigramCount)
	for _, c := range q.concepts {
		ans.Terms = append(ans.Terms, c.text)
	}
	cands, err := ix.candidates(ctx, r, q)
	if err != nil {
		return ans, err
	}
	answerable := false
	for i := 0; i < len(cands) && i < 2 && !answerable; i++ {
		// The best passages, by themselves, must answer the question.
		answerable = cands[i].cov >= minCoverage && !ix.outOfScope(q, cands[i].passage)
	}
	if !answerable {
		ans.Suggestions = ix.suggestions(cands)
		return ans, nil
	}
	ans.Answered = true
	best := cands[0].score
	var results []Result
	var sents [][]termSet // sentence terms of each result, for merging
	for _, c := range cands {
		if c.docCov < minCoverage || c.score < keepRatio*best || c.cov < minCoverage/2 {
			continue // a passage must itself hold much of the question
		}
		r, ex := ix.result(q, c)
		if len(r.Highlights) == 0 {
			continue // nothing of the question shows in it
		}
		st := ex.sentenceTerms()
		if mergeDuplicate(results, sents, r, st) {
			continue
		}
		results = append(results, r)
		sents = append(sents, st)
		if len(results) == k {
			break
		}
	}
	if len(results) == 0 {
		// Every candidate fell to the filters: nothing worth showing.
		ans.Answered = false
		ans.Suggestions = ix.suggestions(cands)
		return ans, nil
	}
	ans.Results = results
	return ans, nil
}

// candidates asks bleve for the passages matching q and re-ranks them by
// how much of the question each covers.
func (ix *Index) candidates(ctx context.Context, r *reader, q *query) ([]candidate, error) {
	ps, err := ix.gather(ctx, r, q, candidates)
	if err != nil {
		return nil, err
	}
	cands := make([]candidate, 0, len(ps))
	for _, g := range ps {
		p := g.passage
		sc := q.scan(ix.ids[p], ix.vocab, true)
		m := q.cover(&sc)
		cov := m.cov // what the passage itself covers decides abstention
		m.cov += ix.docEntityCredit(q, p, &sc)
		score := m.cov + 0.5*m.bigrams + proximityShare*m.proximity*m.cov + softShare*m.soft
		if !q.holdsAnswerKind(ix.ids[p], ix.vocab) {
			score *= 0.5 // asked for a number, and holds none
		}
		if q.kind == kindPlace && namesPlace(ix.corpus.Passages[p].Text) {
			score *= 1.2 // asked where, and names a place
		}
		cands = append(cands, candidate{passage: p, cov: cov, docCov: m.cov, score: score, bleve: g.bm25})
	}
	// BM25 over the walked terms breaks near-ties: term frequency and
	// passage length.
	if len(cands) > 0 {
		top := ps[0].bm25
		for i := range cands {
			if top > 0 {
				cands[i].score *= 1 + bleveShare*cands[i].bleve/top
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return cmp.Compare(a.passage, b.passage)
	})
	return cands, nil
}

// docEntityCredit is the coverage a passage earns from names of the
// question that it lacks but its document gives elsewhere ("Tổng Bí thư
// đề nghị…" in an article about Tổng Bí thư Tô Lâm).
func (ix *Index) docEntityCredit(q *query, p int, sc *scan) float64 {
	total, got := 0.0, 0.0
	for i := range q.concepts {
		c := &q.concepts[i]
		if c.soft {
			continue
		}
		total += c.weight
		if c.entity && q.credit(sc, i) == 0 && ix.docHas(q, c, p) {
			got += docEntityShare * c.weight
		}
	}
	if total == 0 || got == 0 {
		return 0
	}
	return got / (total + q.bigramTotal)
}

// conceptIndex returns the index of c in q.concepts.
func (q *query) conceptIndex(c *concept) int {
	for i := range q.concepts {
		if &q.concepts[i] == c {
			return i
		}
	}
	return -1
}

// outOfScope reports whether the best passage p still cannot answer q:
// the question wants a number and p has none, half the question's words
// are unknown to the documents, or p's document never names a name the
// question asks about.
func (ix *Index) outOfScope(q *query, p int) bool {
	ids, v := ix.ids[p], ix.vocab
	if !q.holdsAnswerKind(ids, v) {
		return true // "bao nhiêu", "năm nào": the answer is a number
	}
	unknown, content := 0, 0
	for _, c := range q.concepts {
		if c.soft {
			continue
		}
		content++
		if c.unknown {
			unknown++
		}
	}
	if content > 0 && 2*unknown >= content {
		return true
	}
	sc := q.scan(ids, v, false)
	key, substantive := -1, 0
	for i := range q.concepts {
		c := &q.concepts[i]
		if c.entity && c.weight >= minEntityWeight && q.credit(&sc, i) == 0 && !ix.docHas(q, c, p) {
			return true
		}
		if !c.entity && !c.soft && !c.unknown && c.weight >= minKeyWeight {
			substantive++
			key = i
		}
	}
	// A question about one thing besides names ("… sinh năm nào?") is
	// not answered by a passage that lacks that thing.
	if substantive == 1 && q.credit(&sc, key) == 0 {
		return true
	}
	return false
}

// namesPlace reports whether text says where: "tại" or "ở" followed by
// a capitalised name.
func namesPlace(text string) bool {
	for _, prep := range []string{"tại ", "ở ", "Tại ", "Ở "} {
		for rest := text; ; {
			i := strings.Index(rest, prep)
			if i < 0 {
				break
			}
			rest = rest[i+len(prep):]
			if r, _ := utf8.DecodeRuneInString(rest); unicode.IsUpper(r) {
				return true
			}
		}
	}
	return false
}

// holdsAnswerKind reports whether a passage can hold the kind of answer
// q asks for: an amount for "bao nhiêu" (digits, number words, Roman
// numerals), a date or year, in digits, for "khi nào" and "năm nào".
func (q *query) holdsAnswerKind(ids []uint32, v *vocab) bool {
	switch q.kind {
	case kindQuantity:
		return hasNumber(ids, v)
	case kindTime:
		for _, id := range ids {
			if isNumber(v.terms[id].exact) {
				return true
			}
		}
		return false
	}
	return true
}

func hasNumber(ids []uint32, v *vocab) bool {
	for _, id := range ids {
		if v.terms[id].number {
			return true
		}
	}
	return false
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// result builds the Result of a candidate.
func (ix *Index) result(q *query, c candidate) (Result, cut) {
	p := ix.corpus.Passages[c.passage]
	d := ix.corpus.Docs[p.Doc]
	ex := excerpt(p.Text, ix.ids[c.passage], q, ix.vocab)
	return Result{
		ID:         d.Source + ":" + strconv.Itoa(p.Line),
		Score:      c.score,
		Source:     d.Source,
		Line:       p.Line,
		EndLine:    p.EndLine,
		Title:      d.Title,
		Excerpt:    ex.text,
		Highlights: ex.hl,
		Text:       p.Text,
	}, ex
}
