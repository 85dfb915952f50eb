package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/askdocs/askdocs/retrieval"
)

func cmdEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	ec := loadEngineConfig(getenv)
	fs := newFlags("eval")
	ec.flags(fs)
	verbose := fs.Bool("v", false, "list every question that missed")
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
	rep, err := retrieval.Evaluate(ctx, ix, cases)
	if err != nil {
		return err
	}
	retrieval.WriteReport(stdout, rep)
	if *verbose {
		for _, f := range rep.Failures {
			fmt.Fprintln(stdout, "  "+f)
		}
	}
	return nil
}
