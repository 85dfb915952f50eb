package retrieval

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/askdocs/askdocs/retrieval/corpus"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// UpdateReport says what Open did to bring a stored index up to date.
type UpdateReport struct {
	Added, Changed, Removed, Unchanged int
	Skipped                            []Warning // files that could not be used
	// Rebuilt is why the index was built from scratch (NotRebuilt if it
	// was not); RebuildDetail says more, for a damaged index or a large
	// change.
	Rebuilt       RebuildReason
	RebuildDetail string
	// Origin is where the documents of the index come from.
	Origin Origin
	// DocsGone is the folder the index records, when it no longer
	// exists: the index is then served as it is, read-only.
	DocsGone string
	Passages int
	Duration time.Duration
}

// Why is the rebuild's reason in words, with its detail: "no index
// yet", "damaged store: …", "30 of 40 passages changed".
func (r *UpdateReport) Why() string {
	if r.RebuildDetail != "" {
		return r.RebuildDetail
	}
	return string(r.Rebuilt)
}

// RebuildReason is why an index was built from scratch.
type RebuildReason string

const (
	NotRebuilt RebuildReason = ""
	// NoIndexYet: the index folder held no index.
	NoIndexYet RebuildReason = "no index yet"
	// AnalysisChanged: the index was built by another analysis version.
	AnalysisChanged RebuildReason = "analysis changed"
	// Damaged: the index could not be read whole.
	Damaged RebuildReason = "damaged"
	// LargeChange: more than a third of the passages changed, which is
	// faster to rebuild than to update (see maxInPlace).
	LargeChange RebuildReason = "large change"
	// DocumentsChanged: an index in memory is rebuilt on any change.
	DocumentsChanged RebuildReason = "documents changed"
	// Requested: the caller asked for a rebuild (LiveConfig.Rebuild).
	Requested RebuildReason = "rebuild requested"
)

// Layout of an index folder: CURRENT names the generation in use; each
// generation holds a bleve index and the store. A rebuild writes a new
// generation aside and switches CURRENT by an atomic rename, so readers
// never see a half-built index.
const (
	currentFile = "CURRENT"
	storeFile   = "store.bin"
	bleveDir    = "bleve"
)

// Open opens the index stored in dir for the documents of fsys, creating
// it, updating it incrementally (files added, changed, removed), or
// rebuilding it when it is missing, damaged or stale. With
// opts.ReadOnly it never writes: it serves what is stored and reports
// nothing as changed.
//
// Open does not look at which documents the index was built from, nor
// record them: commands open an index with OpenLive, which does.
func Open(ctx context.Context, fsys fs.FS, dir string, opts Options) (*Index, *UpdateReport, error) {
	return openSource(ctx, Source{FS: fsys}, dir, opts, false)
}

// openSource is Open for the documents of src, recording src.Origin when it is
// known; with rebuild, the index is built from scratch whatever it holds.
func openSource(ctx context.Context, src Source, dir string, opts Options, rebuildAll bool) (*Index, *UpdateReport, error) {
	start := time.Now()
	rep := &UpdateReport{Origin: src.Origin}
	if opts.ReadOnly {
		ix, why := openStored(dir, true)
		if ix == nil {
			return nil, rep, fmt.Errorf("retrieval: open %s: %s (build it with: askdocs index)", dir, why.text())
		}
		ix.urls = opts.URLs
		rep.Origin = ix.origin
		rep.Unchanged = len(ix.corpus.Docs)
		rep.Passages = len(ix.corpus.Passages)
		rep.Duration = time.Since(start)
		return ix, rep, nil
	}
	files, warnings, err := corpus.List(ctx, src.FS)
	rep.Skipped = warnings
	if err != nil {
		return nil, rep, err
	}
	ix, why := openStored(dir, false)
	if ix != nil && rebuildAll {
		ix.Close()
		ix, why = nil, storedState{reason: Requested}
	}
	if ix == nil {
		rep.Rebuilt, rep.RebuildDetail = why.reason, why.detail
		ix, err = rebuild(ctx, src.FS, src.Origin, files, dir, opts, rep)
		if err != nil {
			return nil, rep, err
		}
		ix.skipped = notIndexed(files, ix)
		rep.Passages = len(ix.corpus.Passages)
		rep.Duration = time.Since(start)
		return ix, rep, nil
	}
	ix.urls = opts.URLs
	recorded := ix.origin
	if src.Origin.Known() {
		ix.origin = src.Origin // the same documents (OpenLive checked), perhaps a new hash
	}
	nix, err := ix.update(ctx, src.FS, files, dir, opts, rep)
	if err == nil && nix == ix && ix.origin != recorded {
		err = writeStore(filepath.Join(ix.gen, storeFile), ix)
	}
	if lc := (largeChange{}); errors.As(err, &lc) {
		// Closed and no longer referenced, ix's memory can go while the
		// new generation builds.
		ix.Close()
		rep.Rebuilt, rep.RebuildDetail = LargeChange, lc.Error()
		if nix, err = rebuild(ctx, src.FS, ix.origin, files, dir, opts, rep); err != nil {
			return nil, rep, err
		}
	} else if err != nil {
		ix.Close()
		return nil, rep, err
	}
	nix.skipped = notIndexed(files, nix)
	rep.Passages = len(nix.corpus.Passages)
	rep.Duration = time.Since(start)
	return nix, rep, nil
}

// storedState is why a stored index cannot be opened as it is.
type storedState struct {
	reason RebuildReason
	detail string
}

func (s storedState) text() string {
	if s.detail != "" {
		return s.detail
	}
	return string(s.reason)
}

// openStored opens the current generation of dir, or returns why it
// cannot.
func openStored(dir string, readOnly bool) (*Index, storedState) {
	cur, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, storedState{reason: NoIndexYet}
	}
	if err != nil {
		return nil, storedState{Damaged, "unreadable: " + errText(err)}
	}
	gen := filepath.Join(dir, strings.TrimSpace(string(cur)))
	ix, err := readStore(filepath.Join(gen, storeFile))
	switch {
	case errors.Is(err, errStaleStore):
		return nil, storedState{reason: AnalysisChanged}
	case err != nil:
		return nil, storedState{Damaged, "damaged store: " + errText(err)}
	}
	cfg := serveConfig()
	if readOnly {
		cfg["read_only"] = true
	}
	bi, err := openBleve(filepath.Join(gen, bleveDir), cfg)
	if err != nil {
		return nil, storedState{Damaged, "damaged bleve index: " + err.Error()}
	}
	n, err := bi.DocCount()
	if err != nil || n != uint64(len(ix.corpus.Passages)) {
		bi.Close()
		return nil, storedState{Damaged, fmt.Sprintf("damaged: bleve holds %d passages, the store %d", n, len(ix.corpus.Passages))}
	}
	ix.bleve = bi
	ix.gen = gen
	return ix, storedState{}
}

// storedOrigin is the origin the index in dir records, if it has an
// index and the origin can be read.
func storedOrigin(dir string) (o Origin, exists bool) {
	cur, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return Origin{}, false
	}
	if err != nil {
		return Origin{}, true
	}
	o, _ = readStoreOrigin(filepath.Join(dir, strings.TrimSpace(string(cur)), storeFile))
	return o, true
}

// openBleve opens a stored bleve index. A damaged segment file can make
// bleve panic rather than fail; that is reported as an error too.
func openBleve(path string, cfg map[string]interface{}) (bi bleve.Index, err error) {
	defer func() {
		if r := recover(); r != nil {
			bi, err = nil, fmt.Errorf("unreadable segment (%v)", r)
		}
	}()
	return bleve.OpenUsing(path, cfg)
}

// rebuild builds a new generation of dir from every file and makes it
// current.
func rebuild(ctx context.Context, fsys fs.FS, origin Origin, files []corpus.File, dir string, opts Options, rep *UpdateReport) (*Index, error) {
	c := &Corpus{}
	read, err := corpus.ReadAll(ctx, fsys, files)
	if err != nil {
		return nil, err
	}
	for _, r := range read {
		if w, ok := c.Add(r); !ok {
			rep.Skipped = append(rep.Skipped, w)
			continue
		}
		rep.Added++
	}
	if len(c.Passages) == 0 {
		return nil, ErrNoDocuments
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("retrieval: create index folder: %w", err)
	}
	gen := filepath.Join(dir, "gen-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	tmp := gen + ".tmp"
	os.RemoveAll(tmp)
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	bi, err := bleve.NewUsing(filepath.Join(tmp, bleveDir), m, scorch.Name, scorch.Name, buildConfig())
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("retrieval: create index: %w", err)
	}
	fail := func(err error) (*Index, error) {
		bi.Close()
		os.RemoveAll(tmp)
		return nil, err
	}
	ix, err := buildIndex(ctx, c, bi, opts, opts.segmentSize())
	if err != nil {
		return fail(err)
	}
	ix.origin = origin
	if err := writeStore(filepath.Join(tmp, storeFile), ix); err != nil {
		return fail(err)
	}
	// One segment: every question then opens one dictionary and one
	// postings list per term instead of one per segment.
	if err := mergeOne(ctx, bi); err != nil {
		return fail(err)
	}
	// bleve keeps the folder open by path: close it, move the whole
	// generation into place, and reopen it there.
	if err := bi.Close(); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("retrieval: close new index: %w", err)
	}
	if err := os.Rename(tmp, gen); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("retrieval: move new index: %w", err)
	}
	if err := setCurrent(dir, gen); err != nil {
		return nil, err
	}
	bi, err = bleve.OpenUsing(filepath.Join(gen, bleveDir), serveConfig())
	if err != nil {
		return nil, fmt.Errorf("retrieval: reopen index: %w", err)
	}
	ix.bleve, ix.gen = bi, gen
	removeOldGenerations(dir, gen)
	return ix, nil
}

// setCurrent points dir's CURRENT at gen, atomically.
func setCurrent(dir, gen string) error {
	tmp := filepath.Join(dir, currentFile+".tmp")
	if err := os.WriteFile(tmp, []byte(filepath.Base(gen)+"\n"), 0o644); err != nil {
		return fmt.Errorf("retrieval: switch index: %w", err)
	}
	if f, err := os.Open(tmp); err == nil {
		f.Sync()
		f.Close()
	}
	if err := os.Rename(tmp, filepath.Join(dir, currentFile)); err != nil {
		return fmt.Errorf("retrieval: switch index: %w", err)
	}
	return nil
}

// mergeOne merges the segments of bi into one, all at once, so that
// each posting is copied once.
func mergeOne(ctx context.Context, bi bleve.Index) error {
	adv, err := bi.Advanced()
	if err != nil {
		return fmt.Errorf("retrieval: merge index: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	one := mergeplan.SingleSegmentMergePlanOptions
	one.SegmentsPerMergeTask = 1 << 20
	if err := sc.ForceMerge(ctx, &one); err != nil {
		return fmt.Errorf("retrieval: merge index: %w", err)
	}
	return nil
}

// maxInPlace is the share of a corpus's passages that an update
// re-indexes in place; when more changed, the index is built again, in a
// new generation aside. Re-indexing much of a corpus in place costs more
// time and memory than building it again: for all 100,000 passages of the
// benchmark corpus, 28 s and 3.7 GB in place against 11 s and 330 MB.
const maxInPlace = 1.0 / 3

// largeChange is update's answer when more than maxInPlace of the
// passages changed: the caller rebuilds.
type largeChange struct{ changed, of int }

func (e largeChange) Error() string {
	return fmt.Sprintf("%d of %d passages changed", e.changed, e.of)
}

// removeOldGenerations deletes every generation but keep, and leftovers
// of builds that were interrupted.
func removeOldGenerations(dir, keep string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "gen-") && e.Name() != filepath.Base(keep) {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// update brings a stored index up to date with files: documents whose
// size or time changed are read, and re-indexed if their content did.
// Up to opts.BatchSize passages, the bleve changes go in one batch, which
// readers see whole or not at all; more go in several. The store is then
// rewritten. It returns a new Index sharing ix's bleve index (ix itself
// stays usable until the caller drops it), or, when much of the corpus
// changed, a new generation built aside (see maxInPlace).
func (ix *Index) update(ctx context.Context, fsys fs.FS, files []corpus.File, dir string, opts Options, rep *UpdateReport) (*Index, error) {
	skipped := len(rep.Skipped)
	old := make(map[string]int, len(ix.corpus.Docs))
	for i, d := range ix.corpus.Docs {
		old[d.Source] = i
	}
	type fresh struct {
		doc  Document
		read corpus.Read
	}
	var keep []int                   // old documents kept as they are
	var changed []fresh              // new or changed documents
	touched := []string{}            // sources whose old passages leave the index
	retimed := map[int]corpus.File{} // kept documents with a new time
	seen := map[string]bool{}
	for _, f := range files {
		seen[f.Source] = true
		i, had := old[f.Source]
		if had {
			d := ix.corpus.Docs[i]
			if d.Size == f.Size && d.ModTime.Equal(f.ModTime) {
				keep = append(keep, i)
				continue
			}
		}
		known := ""
		if had {
			known = ix.corpus.Docs[i].Hash
		}
		r, same := corpus.ReadChanged(fsys, f, known) // not parsed again when the same
		doc := r.Doc
		if same {
			keep = append(keep, i) // touched, not changed
			retimed[i] = f
			continue
		}
		if r.Skip != nil {
			rep.Skipped = append(rep.Skipped, *r.Skip)
			if had {
				touched = append(touched, f.Source)
				rep.Removed++
			}
			continue
		}
		changed = append(changed, fresh{doc, r})
		if had {
			touched = append(touched, f.Source)
			rep.Changed++
		} else {
			rep.Added++
		}
	}
	for _, d := range ix.corpus.Docs {
		if !seen[d.Source] {
			touched = append(touched, d.Source)
			rep.Removed++
		}
	}
	rep.Unchanged = len(keep)
	if len(changed) == 0 && len(touched) == 0 {
		if len(retimed) == 0 {
			return ix, nil
		}
		// Only times changed: record them, so the next look is quick.
		c := *ix.corpus
		c.Docs = append([]Document(nil), c.Docs...)
		for i, f := range retimed {
			c.Docs[i].ModTime, c.Docs[i].Size = f.ModTime, f.Size
		}
		nix := &Index{corpus: &c, vocab: ix.vocab, ids: ix.ids, bleve: ix.bleve, gen: ix.gen, origin: ix.origin,
			byKey: ix.byKey, docSets: make([]docSet, len(c.Docs)), urls: opts.URLs}
		if err := writeStore(filepath.Join(ix.gen, storeFile), nix); err != nil {
			return nil, err
		}
		return nix, nil
	}
	// The new corpus: kept documents with their passages and term ids,
	// and the changed ones, analysed with the same vocabulary.
	c := &Corpus{}
	var ids [][]uint32
	type entry struct {
		source string
		old    int
		fresh  *fresh
	}
	var all []entry
	for _, i := range keep {
		all = append(all, entry{source: ix.corpus.Docs[i].Source, old: i})
	}
	for k := range changed {
		all = append(all, entry{source: changed[k].doc.Source, old: -1, fresh: &changed[k]})
	}
	sort.Slice(all, func(a, b int) bool { return all[a].source < all[b].source })
	var added []int // passages to index
	for _, e := range all {
		if e.fresh == nil {
			d := ix.corpus.Docs[e.old]
			if f, ok := retimed[e.old]; ok {
				d.ModTime, d.Size = f.ModTime, f.Size
			}
			first := len(c.Passages)
			for p := d.First; p < d.First+d.N; p++ {
				pp := ix.corpus.Passages[p]
				pp.Doc = len(c.Docs)
				c.Passages = append(c.Passages, pp)
				ids = append(ids, ix.ids[p])
			}
			d.First = first
			c.Docs = append(c.Docs, d)
			continue
		}
		before := len(c.Passages)
		if w, ok := c.Add(e.fresh.read); !ok {
			rep.Skipped = append(rep.Skipped, w)
			continue
		}
		for p := before; p < len(c.Passages); p++ {
			ids = append(ids, nil) // analysed below
			added = append(added, p)
		}
	}
	if len(c.Passages) == 0 {
		return nil, ErrNoDocuments
	}
	size := opts.batchSize()
	if len(added) > size && float64(len(added)) > maxInPlace*float64(len(c.Passages)) {
		*rep = UpdateReport{Skipped: rep.Skipped[:skipped], Origin: rep.Origin}
		return nil, largeChange{len(added), len(c.Passages)}
	}
	v := ix.vocab.clone()
	for _, p := range added {
		ids[p] = v.analyzePassage(c.Passages[p].Text)
	}
	v.countPassages(ids)
	nix := &Index{corpus: c, vocab: v, ids: ids, bleve: ix.bleve, gen: ix.gen, origin: ix.origin, urls: opts.URLs}
	nix.indexKeys()
	// The first batch deletes the passages of touched documents and adds
	// the new ones, as many as fit; further batches add the rest.
	b := ix.bleve.NewBatch()
	gone := map[string]bool{}
	for _, s := range touched {
		gone[s] = true
	}
	for key := range ix.byKey {
		src, _, _ := strings.Cut(key, "\x1f")
		if gone[src] {
			b.Delete(key)
		}
	}
	for i := 0; i == 0 || i < len(added); i += size {
		for _, p := range added[i:min(i+size, len(added))] {
			if err := b.IndexAdvanced(nix.passageDoc(p)); err != nil {
				return nil, fmt.Errorf("retrieval: index passage: %w", err)
			}
		}
		if err := ix.bleve.Batch(b); err != nil {
			return nil, fmt.Errorf("retrieval: update index: %w", err)
		}
		b = ix.bleve.NewBatch() // not Reset: bleve may still read the old one
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	if err := writeStore(filepath.Join(ix.gen, storeFile), nix); err != nil {
		return nil, err
	}
	return nix, nil
}

// clone returns a copy of v that can grow without changing v.
func (v *vocab) clone() *vocab {
	return &vocab{
		surface:  maps.Clone(v.surface),
		exact:    maps.Clone(v.exact),
		fold:     maps.Clone(v.fold),
		terms:    slices.Clone(v.terms),
		foldOf:   slices.Clone(v.foldOf),
		function: slices.Clone(v.function),
		foldDF:   slices.Clone(v.foldDF),
		pairable: v.pairable, // read only: what the index holds
		// bigram counts are recounted by countPassages after an update
		n: v.n,
	}
}

// buildConfig is bleve's configuration while a new generation is built:
// segments are not merged in the background but all at once at the end
// (see rebuild), so that each posting is rewritten once, not once per
// tier.
func buildConfig() map[string]interface{} {
	return map[string]interface{}{
		"scorchMergePlanOptions": map[string]interface{}{
			"MaxSegmentsPerTier":   1 << 20,
			"SegmentsPerMergeTask": 1 << 20,
		},
	}
}

// serveConfig overrides buildConfig, which bleve stores with the index,
// once a generation is in use: updates are merged as usual.
func serveConfig() map[string]interface{} {
	o := mergeplan.DefaultMergePlanOptions
	return map[string]interface{}{
		"scorchMergePlanOptions": map[string]interface{}{
			"MaxSegmentsPerTier":   o.MaxSegmentsPerTier,
			"SegmentsPerMergeTask": o.SegmentsPerMergeTask,
		},
	}
}
