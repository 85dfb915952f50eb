package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/retrieval/corpus"
)

// cmdIndex builds or updates the stored index and says what it did.
func cmdIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	ec, envErr := loadEngineConfig(getenv)
	fs := newFlags("index")
	ec.flags(fs)
	verbose := fs.Bool("verbose", false, "list every skipped file and why")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if envErr != nil {
		return envErr
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("index: unexpected argument %q", pos[0])}
	}
	if ec.IndexPath == "" {
		return usageError{"index: needs --index DIR (or INDEX_PATH)"}
	}
	log, err := newLogger(getenv, stderr, slog.LevelWarn)
	if err != nil {
		return err
	}
	var opts retrieval.Options
	if isTerminal(stderr) {
		opts.Progress = progressBar(stderr)
	}
	ix, rep, err := openEngine(ctx, ec, log, opts)
	if err != nil {
		return err
	}
	defer ix.Close()
	if rep.DocsGone != "" {
		return fmt.Errorf("index: documents folder %s is gone: index %s left as it is (to build it from another folder: --docs DIR --rebuild)", rep.DocsGone, ec.IndexPath)
	}
	fmt.Fprintln(stdout, describeUpdate(rep))
	if *verbose {
		for _, w := range rep.Skipped {
			fmt.Fprintf(stdout, "  skipped %s\n", w)
		}
	}
	return nil
}

// describeUpdate is the one-line summary of an UpdateReport.
func describeUpdate(rep *retrieval.UpdateReport) string {
	var b strings.Builder
	if rep.Rebuilt != retrieval.NotRebuilt {
		fmt.Fprintf(&b, "built index (%s): ", rep.Why())
	} else {
		b.WriteString("updated index: ")
	}
	fmt.Fprintf(&b, "%d added, %d changed, %d removed, %d unchanged, %d skipped; %d passages in %s",
		rep.Added, rep.Changed, rep.Removed, rep.Unchanged, len(rep.Skipped), rep.Passages, rep.Duration.Round(time.Millisecond))
	if len(rep.Skipped) > 0 {
		// What was skipped, by kind; --verbose lists the files.
		b.WriteString("\n" + corpus.Summary(rep.Skipped))
	}
	return b.String()
}

// progressBar draws indexing progress on a terminal, at most every 200 ms.
func progressBar(w io.Writer) func(done, total int) {
	var last time.Time
	return func(done, total int) {
		if total < 5000 || (done < total && time.Since(last) < 200*time.Millisecond) {
			return
		}
		last = time.Now()
		const width = 30
		n := done * width / total
		fmt.Fprintf(w, "\rindexing [%s%s] %3d%% %d/%d passages", strings.Repeat("=", n), strings.Repeat(" ", width-n), done*100/total, done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
