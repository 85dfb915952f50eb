package retrieval

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/askdocs/askdocs/retrieval/corpus"
)

// Live is a searchable corpus that follows changes to its documents: a
// refresh builds or updates an index aside, then swaps it in between two
// questions, so no question fails or sees half an index. OpenLive makes
// one, and it owns the index until Close.
type Live struct {
	src      Source
	dir      string // stored index folder, or "" for an index in memory
	opts     Options
	readOnly bool // never refreshed

	mu sync.RWMutex // held for reading by searches, for writing by a swap
	ix *Index
	// skipped are the files the index was last built or updated without
	// (images, scans, bad text), as listed then: unchanged, they are not
	// read again at every look. Guarded by refresh.
	skipped map[string]corpus.File

	refresh sync.Mutex // one refresh at a time
}

// LiveConfig says which documents and which index OpenLive serves.
type LiveConfig struct {
	// Docs are the documents to serve. Without an FS, a stored index is
	// opened with the documents it records, and Default is used when
	// there is no stored index yet, or none is kept (Dir is "").
	Docs, Default Source
	// Dir is the stored index's folder; "" builds the index in memory.
	Dir string
	// ReadOnly serves a stored index as it is, never updating it, so
	// that several processes can share one folder. Docs are not read.
	ReadOnly bool
	// Rebuild builds the stored index from scratch. It is the only way
	// to replace an index built from other documents than Docs: without
	// it OpenLive refuses, with an *OtherCorpusError.
	Rebuild bool
	// Options tune the build (BatchSize, Progress while opening).
	Options Options
}

// OpenLive opens the index cfg names for the documents cfg names: built
// in memory, or the stored index created, updated incrementally or
// rebuilt (when missing, damaged, stale or asked to). It never replaces
// a stored index built from other documents unless cfg.Rebuild: with no
// Docs it uses the folder the index records, and when that folder is
// gone it serves the index as it is, read-only (the report's DocsGone
// says so). The report says what opening did.
func OpenLive(ctx context.Context, cfg LiveConfig) (*Live, *UpdateReport, error) {
	opts := cfg.Options
	if cfg.Dir == "" {
		start := time.Now()
		src := cfg.Docs
		if src.FS == nil {
			src = cfg.Default
		}
		ix, warnings, err := Build(ctx, src.FS, opts)
		rep := &UpdateReport{Skipped: warnings, Origin: src.Origin}
		if err != nil {
			return nil, rep, err
		}
		ix.origin = src.Origin
		rep.Added, rep.Passages, rep.Duration = len(ix.corpus.Docs), len(ix.corpus.Passages), time.Since(start)
		return newLive(ix, src, "", opts, false), rep, nil
	}
	if cfg.ReadOnly && cfg.Rebuild {
		return nil, nil, fmt.Errorf("retrieval: open %s: a read-only index cannot be rebuilt", cfg.Dir)
	}
	src, readOnly, gone, err := storedSource(cfg)
	if err != nil {
		return nil, nil, err
	}
	opts.ReadOnly = readOnly
	ix, rep, err := openSource(ctx, src, cfg.Dir, opts, cfg.Rebuild)
	if err != nil {
		return nil, rep, err
	}
	rep.DocsGone = gone
	return newLive(ix, src, cfg.Dir, opts, readOnly), rep, nil
}

// storedSource picks the documents of the stored index cfg.Dir: those
// given, if the index was built from them (the same folder, even by
// another path) or cfg.Rebuild; else those it records. When the recorded
// folder is gone, the index is served read-only and gone names it.
func storedSource(cfg LiveConfig) (src Source, readOnly bool, gone string, err error) {
	recorded, exists := storedOrigin(cfg.Dir)
	src = cfg.Docs
	switch {
	case !exists:
		if src.FS == nil {
			src = cfg.Default
		}
		return src, cfg.ReadOnly, "", nil
	case cfg.ReadOnly:
		return Source{Origin: recorded}, true, "", nil
	case src.FS != nil:
		switch {
		case cfg.Rebuild || !recorded.Known() || recorded.Same(src.Origin):
		case sameFolder(recorded.Dir, src.Origin.Dir):
			src.Origin = recorded // the folder keeps the name it was recorded by
		default:
			return Source{}, false, "", &OtherCorpusError{Index: cfg.Dir, Recorded: recorded, Given: src.Origin}
		}
		return src, false, "", nil
	case recorded.Dir != "":
		src, err := Folder(recorded.Dir)
		if errors.Is(err, fs.ErrNotExist) {
			return Source{Origin: recorded}, true, recorded.Dir, nil
		}
		return src, false, "", err
	case recorded.Known():
		if !recorded.Same(cfg.Default.Origin) && !cfg.Rebuild {
			return Source{}, false, "", &OtherCorpusError{Index: cfg.Dir, Recorded: recorded, Given: cfg.Default.Origin}
		}
		return cfg.Default, false, "", nil
	case cfg.Rebuild:
		return cfg.Default, false, "", nil
	}
	return Source{}, false, "", &UnrecordedOriginError{Index: cfg.Dir}
}

// sameFolder reports whether paths a and b, both set, name one folder
// (through a symbolic link, say).
func sameFolder(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

// newLive serves ix, built from src (and stored in dir, if not ""), and
// refreshes it from there unless readOnly.
func newLive(ix *Index, src Source, dir string, opts Options, readOnly bool) *Live {
	opts.ReadOnly = false
	opts.Progress = nil
	return &Live{src: src, dir: dir, opts: opts, ix: ix, readOnly: readOnly || src.FS == nil, skipped: ix.skipped}
}

// ReadOnly reports whether l serves its index as it is, never refreshing
// it: opened read-only, or its documents are gone.
func (l *Live) ReadOnly() bool { return l.readOnly }

// Search answers with the current index.
func (l *Live) Search(ctx context.Context, question string, k int) (Answer, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.Search(ctx, question, k)
}

// Corpus returns the documents and passages of the current index, for
// an evaluation to score baselines on exactly what the engine searches.
// It is never modified; a refresh makes a new one.
func (l *Live) Corpus() *Corpus {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.corpus
}

// Stats returns the size of the current index.
func (l *Live) Stats() Stats {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.Stats()
}

// Refresh brings the index up to date with the documents. It returns nil
// and no error when nothing changed, or l is read-only.
func (l *Live) Refresh(ctx context.Context) (*UpdateReport, error) {
	if l.readOnly {
		return nil, nil
	}
	l.refresh.Lock()
	defer l.refresh.Unlock()
	start := time.Now()
	files, warnings, err := corpus.List(ctx, l.src.FS)
	if err != nil {
		return nil, err
	}
	l.mu.RLock()
	cur := l.ix
	l.mu.RUnlock()
	if !cur.changed(files, l.skipped) {
		return nil, nil
	}
	rep := &UpdateReport{Skipped: warnings, Origin: l.src.Origin}
	var next *Index
	if cur.gen != "" {
		next, err = cur.update(ctx, l.src.FS, files, l.dir, l.opts, rep)
		var lc largeChange
		if errors.As(err, &lc) {
			// Questions go on with cur while the new generation builds.
			rep.Rebuilt, rep.RebuildDetail = LargeChange, lc.Error()
			next, err = rebuild(ctx, l.src.FS, cur.origin, files, l.dir, l.opts, rep)
		}
	} else {
		var w []Warning
		next, w, err = Build(ctx, l.src.FS, l.opts)
		rep.Skipped, rep.Rebuilt = w, DocumentsChanged
		if next != nil {
			next.origin = cur.origin
		}
	}
	if err != nil {
		return rep, err
	}
	l.skipped = notIndexed(files, next)
	if next == cur {
		return nil, nil // only files that still cannot be used
	}
	l.mu.Lock()
	l.ix = next
	l.mu.Unlock()
	if next != cur && next.bleve != cur.bleve {
		cur.Close() // no search holds it: the swap waited for them
	}
	rep.Passages = len(next.corpus.Passages)
	rep.Duration = time.Since(start)
	return rep, nil
}

// Watch refreshes every interval until ctx ends, reporting each refresh
// that changed something, or failed, to report. It returns at once when
// there is nothing to watch: l is read-only, its documents are embedded
// (they never change), or interval is not positive.
func (l *Live) Watch(ctx context.Context, interval time.Duration, report func(*UpdateReport, error)) {
	if l.readOnly || l.src.Origin.Dir == "" || interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			rep, err := l.Refresh(ctx)
			if (rep != nil || err != nil) && ctx.Err() == nil {
				report(rep, err)
			}
		}
	}
}

// Close closes the current index.
func (l *Live) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ix.Close()
}

// notIndexed returns the files that are not documents of ix.
func notIndexed(files []corpus.File, ix *Index) map[string]corpus.File {
	in := make(map[string]bool, len(ix.corpus.Docs))
	for _, d := range ix.corpus.Docs {
		in[d.Source] = true
	}
	out := map[string]corpus.File{}
	for _, f := range files {
		if !in[f.Source] {
			out[f.Source] = f
		}
	}
	return out
}

// changed reports whether files differ from the documents ix was built
// from, by name, size or modification time. A file touched but not
// changed counts as changed here; the update then finds it unchanged. A
// file skipped before counts as changed unless it is in skipped with the
// same size and time.
func (ix *Index) changed(files []corpus.File, skipped map[string]corpus.File) bool {
	docs := ix.corpus.Docs
	byName := make(map[string]Document, len(docs))
	for _, d := range docs {
		byName[d.Source] = d
	}
	n := 0
	for _, f := range files {
		d, ok := byName[f.Source]
		if !ok {
			if s, was := skipped[f.Source]; was && s.Size == f.Size && s.ModTime.Equal(f.ModTime) {
				continue // skipped as it is
			}
			return true
		}
		n++
		if d.Size != f.Size || !d.ModTime.Equal(f.ModTime) {
			return true
		}
	}
	return n != len(docs)
}
