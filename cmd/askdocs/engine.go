package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/seeds"
)

// openEngine loads and indexes the documents named by c.
func openEngine(ctx context.Context, c engineConfig, log *slog.Logger) (*retrieval.Index, error) {
	var fsys fs.FS = seeds.FS
	name := "embedded seeds"
	if c.DocsDir != "" {
		st, err := os.Stat(c.DocsDir)
		if err != nil {
			return nil, fmt.Errorf("docs folder %s: %w", c.DocsDir, unwrapPath(err))
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("docs folder %s: not a folder", c.DocsDir)
		}
		fsys = os.DirFS(c.DocsDir)
		name = c.DocsDir
	}
	ix, warnings, err := retrieval.Build(ctx, fsys, retrieval.Options{})
	for _, w := range warnings {
		log.Warn("skipped document", "file", w.Source, "reason", w.Reason)
	}
	if errors.Is(err, retrieval.ErrNoDocuments) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err != nil {
		return nil, err
	}
	st := ix.Stats()
	log.Debug("index ready", "docs", name, "documents", st.Documents, "passages", st.Passages)
	return ix, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
