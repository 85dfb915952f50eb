package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/retrieval/evaluation"
)

func cmdEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	ec := loadEngineConfig(getenv)
	fs := newFlags("eval")
	ec.flags(fs)
	verbose := fs.Bool("v", false, "list every question that missed")
	asJSON := fs.Bool("json", false, "print every figure as one JSON object")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"eval: want one question file (FILE.jsonl)"}
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	cases, err := retrieval.ReadEvalCases(f)
	if err != nil {
		return err
	}
	log, err := newLogger(getenv, stderr, slog.LevelWarn)
	if err != nil {
		return err
	}
	ix, _, err := openEngine(ctx, ec, log, retrieval.Options{})
	if err != nil {
		return err
	}
	defer ix.Close()
	// The baselines read the same documents (openEngine logged what it
	// skipped).
	fsys, _, err := docsFS(ec)
	if err != nil {
		return err
	}
	corpus, _, err := retrieval.LoadCorpus(ctx, fsys)
	if err != nil {
		return fmt.Errorf("eval: baselines: %w", err)
	}
	cmp, err := evaluation.Compare(ctx, ix, corpus, cases)
	if err != nil {
		return err
	}
	rep := cmp.Engine() // the engine's figures: rep.Overall, rep.ByCategory
	if *asJSON {
		return evaluation.WriteJSON(stdout, cmp, *verbose)
	}
	evaluation.WriteComparison(stdout, cmp)
	if *verbose {
		fmt.Fprintln(stdout)
		for _, f := range rep.Failures {
			fmt.Fprintln(stdout, "  "+f)
		}
	}
	return nil
}
