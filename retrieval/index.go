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
	"github.com/askdocs/askdocs/retrieval/corpus"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/askdocs/askdocs/retrieval/rank"
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
	// URLs makes the address of a passage whose document names none in
	// its front matter (see corpus.URLTemplate).
	URLs corpus.URLTemplate
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
	// setScratch holds *setScratch for building docSets.
	setScratch sync.Pool
	gen        string // generation folder of a stored index
	origin     Origin // where the documents came from, as stored
	urls       corpus.URLTemplate
	skipped    map[string]corpus.File // files listed but not indexed (see Live)
	// segTables remembers the passage of each bleve document, per
	// segment (see passageOf).
	segTables sync.Map
	// ranker is the ranking model, nil for the embedded one (see
	// SetModel).
	ranker *rank.Model

	closeOnce sync.Once
}

// Build loads the documents of fsys and indexes them in memory.
func Build(ctx context.Context, fsys fs.FS, opts Options) (*Index, []Warning, error) {
	c, files, warnings, err := corpus.LoadFiles(ctx, fsys)
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
	ix.skipped = notIndexed(files, ix)
	return ix, warnings, nil
}

func (ix *Index) indexKeys() {
	ix.byKey = make(map[string]int, len(ix.corpus.Passages))
	for i := range ix.corpus.Passages {
		ix.byKey[passageKeyOf(ix.corpus, i)] = i
	}
	ix.docSets = make([]docSet, len(ix.corpus.Docs))
}

// docSet is the term ids and folded term ids of a document, computed
// when first needed.
type docSet struct {
	once         sync.Once
	terms, folds idSet
}

// idSet is a set of ids: a bitmap when that is smaller than the sorted
// ids (a long document, a small vocabulary), else the sorted ids.
type idSet struct {
	bits []uint64
	ids  []uint32
}

func (s *idSet) has(id uint32) bool {
	if s.bits != nil {
		w := id / 64
		return int(w) < len(s.bits) && s.bits[w]&(1<<(id%64)) != 0
	}
	_, found := slices.BinarySearch(s.ids, id)
	return found
}

// setScratch is the scratch space of a docSet build: a bitmap over the
// vocabulary per kind of id, all clear between builds, and the ids set
// there.
type setScratch struct {
	termBits, foldBits []uint64
	terms, folds       []uint32
}

// newIDSet returns the set of ids (each set in bits), and clears their
// bits.
func newIDSet(bits []uint64, ids []uint32) idSet {
	var s idSet
	top := uint32(0)
	for _, id := range ids {
		top = max(top, id)
	}
	if words := int(top/64) + 1; len(ids) > 0 && words*8 <= len(ids)*4 {
		s.bits = slices.Clone(bits[:words])
	} else {
		s.ids = slices.Clone(ids)
		slices.Sort(s.ids)
	}
	for _, id := range ids {
		bits[id/64] = 0
	}
	return s
}

// docSet returns the term sets of document d: used to credit a name
// given once at the top of an article to the passages below it.
func (ix *Index) docSet(d int) *docSet {
	ds := &ix.docSets[d]
	ds.once.Do(func() {
		v := ix.vocab
		sc, _ := ix.setScratch.Get().(*setScratch)
		if sc == nil {
			sc = &setScratch{}
		}
		if n := (len(v.terms) + 63) / 64; len(sc.termBits) < n {
			sc.termBits = make([]uint64, n)
		}
		if n := (len(v.foldDF) + 63) / 64; len(sc.foldBits) < n {
			sc.foldBits = make([]uint64, n)
		}
		terms, folds := sc.terms[:0], sc.folds[:0]
		doc := ix.corpus.Docs[d]
		for p := doc.First; p < doc.First+doc.N; p++ {
			for _, id := range ix.ids[p] {
				if sc.termBits[id/64]&(1<<(id%64)) != 0 {
					continue
				}
				sc.termBits[id/64] |= 1 << (id % 64)
				terms = append(terms, id)
				if f := v.foldOf[id]; sc.foldBits[f/64]&(1<<(f%64)) == 0 {
					sc.foldBits[f/64] |= 1 << (f % 64)
					folds = append(folds, f)
				}
			}
		}
		ds.terms = newIDSet(sc.termBits, terms)
		ds.folds = newIDSet(sc.foldBits, folds)
		sc.terms, sc.folds = terms, folds
		ix.setScratch.Put(sc)
	})
	return ds
}

// docHas reports whether the document of passage p holds q's concept c
// (an index in q.concepts): a word anywhere in it, a phrase side by side in one of its passages.
func (ix *Index) docHas(q *query, c, p int) bool {
	d := ix.corpus.Passages[p].Doc
	key := [2]int{d, c}
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
func (ix *Index) docHolds(q *query, c, d int) bool {
	doc := ix.corpus.Docs[d]
	for _, alt := range q.concepts[c].alts {
		if !ix.docHasWords(q, alt, d) {
			continue
		}
		if len(alt) == 1 {
			return true
		}
		for i := doc.First; i < doc.First+doc.N && i < doc.First+50; i++ {
			sc := q.scan(ix.ids[i], ix.vocab, false)
			if q.credit(&sc, c) > 0 {
				return true
			}
		}
	}
	return false
}

// docHasWords reports whether document d holds every syllable of the
// slots alt, anywhere; a word typed with diacritics must be there as
// typed.
func (ix *Index) docHasWords(q *query, alt []int, d int) bool {
	if len(alt) == 0 {
		return false
	}
	ds := ix.docSet(d)
	for _, s := range alt {
		set, id := &ds.terms, q.slots[s].exactID
		if q.slots[s].plain {
			set, id = &ds.folds, q.slots[s].foldID
		}
		if !set.has(id) {
			return false
		}
	}
	return true
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

// buildIndex analyses the passages of c and indexes them in the empty
// bleve index bi. The passages are analysed first, in order, growing the
// vocabulary, so that their syllables' document frequencies decide which
// bigrams are indexed (see pairDF); then batches go to indexing workers,
// so that bleve builds segments on every core, of size passages each.
func buildIndex(ctx context.Context, c *Corpus, bi bleve.Index, opts Options, size int) (*Index, error) {
	ix := &Index{corpus: c, vocab: newVocab(), bleve: bi, urls: opts.URLs}
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

// docEntityShare is the credit, in DocCoverage, of a name found in the
// passage's document but not in the passage.
const docEntityShare = 1.0

// foldCredit is the credit of a folded-only match for a word typed with
// diacritics.
const foldCredit = 0.25

// candidate is a passage being ranked.
type candidate struct {
	passage  int
	score    float64
	features rank.Vector
	signals  rank.Signals
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
	q, cands, err := ix.ranked(ctx, question)
	if err != nil {
		return ans, err
	}
	for _, c := range q.concepts {
		ans.Terms = append(ans.Terms, c.text)
	}
	m := ix.model()
	ans.Confidence = m.Confidence(ix.signals(q, cands))
	if !m.Answers(ans.Confidence) {
		ans.Suggestions = ix.suggestions(cands)
		return ans, nil
	}
	ans.Answered = true
	var results []Result
	var sents [][]termSet // sentence terms of each result, for merging
	for _, c := range cands {
		if c.score < m.KeepShare*cands[0].score {
			break
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
		// Nothing of the question shows in any candidate.
		ans.Answered = false
		ans.Suggestions = ix.suggestions(cands)
		return ans, nil
	}
	ans.Results = results
	return ans, nil
}

// signals returns the abstention signals of a ranked question: those of
// its best candidate, or only the question's own when there is none.
func (ix *Index) signals(q *query, cands []candidate) *rank.Signals {
	if len(cands) == 0 {
		s := q.questionSignals()
		return &s
	}
	s := cands[0].signals
	s[rank.TopScore] = cands[0].score
	return &s
}

// ranked analyses a cleaned question and returns its candidates, best
// first.
func (ix *Index) ranked(ctx context.Context, question string) (*query, []candidate, error) {
	r, err := ix.reader()
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	q := parseQuery(question, ix.vocab, ix.vocab.bigramCount)
	cands, err := ix.candidates(ctx, r, q)
	return q, cands, err
}

// candidates gathers the passages holding q's terms from bleve's
// postings and ranks them by the model.
func (ix *Index) candidates(ctx context.Context, r *reader, q *query) ([]candidate, error) {
	m := ix.model()
	ps, err := ix.gather(ctx, r, q, m.Candidates)
	if err != nil {
		return nil, err
	}
	cands := make([]candidate, 0, len(ps))
	own := q.questionSignals()
	for _, g := range ps {
		f, s := ix.features(q, g.passage, m, &own)
		cands = append(cands, candidate{passage: g.passage, score: m.Score(&f), features: f, signals: s})
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return cmp.Compare(a.passage, b.passage)
	})
	return cands, nil
}

// Explained is one candidate of Explain.
type Explained struct {
	Location
	// Order is the passage's position in the corpus, which breaks ties.
	Order    int
	Score    float64
	Features rank.Vector
	Signals  rank.Signals
}

// Explain returns what Search weighs for question: every candidate with
// its features and abstention signals, best first, and the question's
// own signals (those of questionSignals; the others are zero). "askdocs
// tune" fits the model on these.
func (ix *Index) Explain(ctx context.Context, question string) (cands []Explained, signals rank.Signals, err error) {
	q, ranked, err := ix.ranked(ctx, cleanQuestion(question))
	if err != nil {
		return nil, signals, err
	}
	out := make([]Explained, 0, len(ranked))
	for _, c := range ranked {
		p := ix.corpus.Passages[c.passage]
		out = append(out, Explained{
			Location: Location{Source: ix.corpus.Docs[p.Doc].Source, Line: p.Line, EndLine: p.EndLine},
			Order:    c.passage, Score: c.score, Features: c.features, Signals: c.signals,
		})
	}
	return out, q.questionSignals(), nil
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
		Section:    p.Section,
		Page:       p.Page,
		URL:        ix.passageURL(d, p),
		Excerpt:    ex.text,
		Highlights: ex.hl,
		Text:       p.Text,
	}, ex
}
