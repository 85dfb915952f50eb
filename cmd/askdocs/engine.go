package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/retrieval/corpus"
	"github.com/askdocs/askdocs/seeds"
)

// docsFS returns the documents named by c: a folder, or the embedded
// seeds.
func docsFS(c engineConfig) (fs.FS, string, error) {
	if c.DocsDir == "" {
		return seeds.FS, "embedded seeds", nil
	}
	st, err := os.Stat(c.DocsDir)
	if err != nil {
		return nil, "", fmt.Errorf("docs folder %s: %w", c.DocsDir, unwrapPath(err))
	}
	if !st.IsDir() {
		return nil, "", fmt.Errorf("docs folder %s: not a folder", c.DocsDir)
	}
	return os.DirFS(c.DocsDir), c.DocsDir, nil
}

// openEngine loads and indexes the documents named by c: in memory, or
// in the stored index at c.IndexPath, updated to match the documents.
func openEngine(ctx context.Context, c engineConfig, log *slog.Logger, opts retrieval.Options) (*retrieval.Index, *retrieval.UpdateReport, error) {
	fsys, name, err := docsFS(c)
	if err != nil {
		return nil, nil, err
	}
	if opts.URLs, err = c.urls(); err != nil {
		return nil, nil, err
	}
	var ix *retrieval.Index
	var rep *retrieval.UpdateReport
	var warnings []retrieval.Warning
	if c.IndexPath != "" {
		opts.ReadOnly = c.ReadOnly
		ix, rep, err = retrieval.Open(ctx, fsys, c.IndexPath, opts)
		if rep != nil {
			warnings = rep.Skipped
			if rep.Rebuilt != "" && rep.Rebuilt != "no index yet" {
				log.Warn("rebuilt index", "index", c.IndexPath, "reason", rep.Rebuilt)
			}
		}
	} else {
		ix, warnings, err = retrieval.Build(ctx, fsys, opts)
	}
	if len(warnings) > 0 {
		log.Warn(corpus.Summary(warnings), "docs", name)
	}
	for _, w := range warnings {
		log.Debug("skipped document", "file", w.Source, "reason", w.Reason)
	}
	if errors.Is(err, retrieval.ErrNoDocuments) {
		return nil, rep, fmt.Errorf("%s: %w", name, err)
	}
	if err != nil {
		return nil, rep, err
	}
	st := ix.Stats()
	log.Debug("index ready", "docs", name, "documents", st.Documents, "passages", st.Passages)
	return ix, rep, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
