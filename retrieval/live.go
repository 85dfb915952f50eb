package retrieval

import (
	"context"
	"errors"
	"io/fs"
	"sync"
	"time"

	"github.com/askdocs/askdocs/retrieval/corpus"
)

// Live is a searchable corpus that follows changes to its documents: a
// refresh builds or updates an index aside, then swaps it in between two
// questions, so no question fails or sees half an index.
type Live struct {
	fsys fs.FS
	dir  string // stored index folder, or "" for an index in memory
	opts Options

	mu sync.RWMutex // held for reading by searches, for writing by a swap
	ix *Index

	refresh sync.Mutex // one refresh at a time
	// skipped are the files the index was last built or updated without
	// (images, scans, bad text), as listed then: unchanged, they are not
	// read again at every look. Guarded by refresh.
	skipped map[string]corpus.File
}

// NewLive serves ix, built from fsys (and stored in dir, if not ""), and
// refreshes it from there.
func NewLive(ix *Index, fsys fs.FS, dir string, opts Options) *Live {
	opts.ReadOnly = false
	opts.Progress = nil
	return &Live{fsys: fsys, dir: dir, opts: opts, ix: ix, skipped: ix.skipped}
}

// Search answers with the current index.
func (l *Live) Search(ctx context.Context, question string, k int) (Answer, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.Search(ctx, question, k)
}

// Stats returns the size of the current index.
func (l *Live) Stats() Stats {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ix.Stats()
}

// Refresh brings the index up to date with the documents. It returns nil
// and no error when nothing changed.
func (l *Live) Refresh(ctx context.Context) (*UpdateReport, error) {
	l.refresh.Lock()
	defer l.refresh.Unlock()
	start := time.Now()
	files, warnings, err := corpus.List(ctx, l.fsys)
	if err != nil {
		return nil, err
	}
	l.mu.RLock()
	cur := l.ix
	l.mu.RUnlock()
	if !cur.changed(files, l.skipped) {
		return nil, nil
	}
	rep := &UpdateReport{Skipped: warnings}
	var next *Index
	if cur.gen != "" {
		next, err = cur.update(ctx, l.fsys, files, l.dir, l.opts, rep)
		var lc largeChange
		if errors.As(err, &lc) {
			// Questions go on with cur while the new generation builds.
			rep.Rebuilt = lc.Error()
			next, err = rebuild(ctx, l.fsys, files, l.dir, l.opts, rep)
		}
	} else {
		var w []Warning
		next, w, err = Build(ctx, l.fsys, l.opts)
		rep.Skipped, rep.Rebuilt = w, "documents changed"
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
// that changed something, or failed, to report.
func (l *Live) Watch(ctx context.Context, interval time.Duration, report func(*UpdateReport, error)) {
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
