package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/retrieval/corpus"
	"github.com/askdocs/askdocs/seeds"
)

// seedsName is how the embedded documents are named in messages and in
// the index's record of its corpus.
const seedsName = "embedded seeds"

// liveConfig turns c into what retrieval.OpenLive needs: the documents
// named (none: those the stored index records, or the seeds) and the
// index.
func liveConfig(c engineConfig, opts retrieval.Options) (retrieval.LiveConfig, error) {
	def, err := retrieval.Embedded(seedsName, seeds.FS)
	if err != nil {
		return retrieval.LiveConfig{}, err
	}
	lc := retrieval.LiveConfig{Default: def, Dir: c.IndexPath, ReadOnly: c.ReadOnly, Rebuild: c.Rebuild, Options: opts}
	if c.DocsDir != "" {
		if lc.Docs, err = retrieval.Folder(c.DocsDir); err != nil {
			return lc, err
		}
	}
	return lc, nil
}

// openEngine opens the documents and index named by c (see
// retrieval.OpenLive), logging what was skipped, rebuilt or left as it
// is, and turning a refusal into a line that says what to do.
func openEngine(ctx context.Context, c engineConfig, log *slog.Logger, opts retrieval.Options) (*retrieval.Live, *retrieval.UpdateReport, error) {
	if c.ReadOnly && c.Rebuild {
		return nil, nil, usageError{"--rebuild and INDEX_READONLY=true: a read-only index cannot be rebuilt"}
	}
	urls, err := c.urls()
	if err != nil {
		return nil, nil, err
	}
	opts.URLs = urls
	lc, err := liveConfig(c, opts)
	if err != nil {
		return nil, nil, err
	}
	live, rep, err := retrieval.OpenLive(ctx, lc)
	if rep != nil && len(rep.Skipped) > 0 {
		log.Warn(corpus.Summary(rep.Skipped), "docs", rep.Origin.String())
		for _, w := range rep.Skipped {
			log.Debug("skipped document", "file", w.Source, "reason", w.Reason)
		}
	}
	var other *retrieval.OtherCorpusError
	var unrecorded *retrieval.UnrecordedOriginError
	switch {
	case errors.As(err, &other):
		return nil, rep, fmt.Errorf("index %s holds the documents of %s, not %s: to replace it with %s on purpose, add --rebuild",
			other.Index, other.Recorded, other.Given, other.Given)
	case errors.As(err, &unrecorded):
		return nil, rep, fmt.Errorf("index %s does not record which documents it was built from (built by an older askdocs?): name them with --docs DIR",
			unrecorded.Index)
	case errors.Is(err, retrieval.ErrNoDocuments):
		return nil, rep, fmt.Errorf("%s: %w", rep.Origin, err)
	case err != nil:
		return nil, rep, err
	}
	switch {
	case rep.DocsGone != "":
		log.Warn("documents folder is gone: serving the index as it is, read-only", "index", c.IndexPath, "docs", rep.DocsGone)
	case c.ReadOnly && lc.Docs.FS != nil && !lc.Docs.Origin.Same(rep.Origin):
		log.Warn("read-only index holds other documents than those named: serving it as it is",
			"index", c.IndexPath, "holds", rep.Origin.String(), "named", lc.Docs.Origin.String())
	}
	if rep.Rebuilt != retrieval.NotRebuilt && rep.Rebuilt != retrieval.NoIndexYet && rep.Rebuilt != retrieval.Requested {
		log.Warn("rebuilt index", "index", c.IndexPath, "reason", rep.Why())
	}
	st := live.Stats()
	log.Debug("index ready", "docs", rep.Origin.String(), "documents", st.Documents, "passages", st.Passages)
	return live, rep, nil
}

// unwrapPath drops the operation and path of a *fs.PathError, for
// messages that name the path themselves.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
