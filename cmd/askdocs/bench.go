package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/askdocs/askdocs/internal/bench"
	"github.com/askdocs/askdocs/internal/synth"
)

// benchDefaultPassages is the synthetic corpus size when neither
// --passages nor --docs is given.
const benchDefaultPassages = 10000

// cmdBench measures the engine on a synthetic or real corpus (package
// bench): build time and throughput next to plain bleve's, warm start,
// query latency, memory and index size.
func cmdBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := newFlags("bench")
	passages := flags.Int("passages", benchDefaultPassages, "synthetic corpus size, in paragraphs")
	vocab := flags.String("vocab", string(synth.Chain), "synthetic vocabulary: chain (the seeds' word chain) or zipf (a realistic one)")
	seed := flags.Uint64("seed", 1, "synthetic corpus seed")
	docs := flags.String("docs", "", "documents folder to measure instead of a synthetic corpus")
	queries := flags.String("queries", "", "file of questions, one a line (default: a built-in set)")
	runs := flags.Int("runs", 20, "times each question is run after the warm-up pass")
	indexDir := flags.String("index", "", "keep the index in this folder (default: a temporary one)")
	batch := flags.Int("batch", 0, "passages per bleve batch (default: the engine's)")
	baseline := flags.Bool("bleve", true, "also build the corpus with plain bleve, for comparison")
	cpuProfile := flags.String("cpuprofile", "", "write a CPU profile of the build, warm start and queries to this file")
	asJSON := flags.Bool("json", false, "print one JSON object")
	pos, err := parseFlags(flags, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("bench: unexpected argument %q", pos[0])}
	}
	set := map[string]bool{}
	flags.Visit(func(f *flag.Flag) { set[f.Name] = true })
	v, verr := synth.ParseVocab(*vocab)
	switch {
	case (set["passages"] || set["vocab"]) && *docs != "":
		return usageError{"bench: give --passages and --vocab, or --docs, not both"}
	case verr != nil:
		return usageError{fmt.Sprintf("bench: --vocab %q: want chain or zipf", *vocab)}
	case *docs == "" && *passages < 1:
		return usageError{fmt.Sprintf("bench: --passages %d: want at least 1", *passages)}
	case *batch < 0:
		return usageError{fmt.Sprintf("bench: --batch %d: want at least 1", *batch)}
	case *runs < 1:
		return usageError{fmt.Sprintf("bench: --runs %d: want at least 1", *runs)}
	}
	log, err := newLogger(getenv, stderr, slog.LevelWarn)
	if err != nil {
		return err
	}
	cfg := bench.Config{
		Docs: *docs, Vocab: v, Passages: *passages, Seed: *seed,
		Runs: *runs, IndexDir: *indexDir, BatchSize: *batch, Baseline: *baseline, Log: log,
	}
	if *queries != "" {
		if cfg.Questions, err = bench.ReadQuestions(*queries); err != nil {
			return err
		}
	}
	if *docs != "" {
		if st, err := os.Stat(*docs); err != nil {
			return fmt.Errorf("bench: docs folder %s: %w", *docs, unwrapPath(err))
		} else if !st.IsDir() {
			return fmt.Errorf("bench: docs folder %s: not a folder", *docs)
		}
	}
	if !*asJSON {
		cfg.Progress = func(format string, a ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", a...) }
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("bench: cpu profile: %w", err)
		}
		defer f.Close()
		cfg.CPUProfile = f
	}
	res, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		b, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		_, err = fmt.Fprintf(stdout, "%s\n", b)
		return err
	}
	return bench.WriteTable(stdout, res)
}
