package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/retrieval/rank"
	"github.com/askdocs/askdocs/seeds"
)

// tuneSet is one corpus and its question file.
type tuneSet struct{ name, docs, questions string }

// defaultTuneSets are the development sets: the shared XQuAD halves,
// when present, and the project's own seed questions.
func defaultTuneSets() []tuneSet {
	var out []tuneSet
	for _, s := range []string{"xquad-vi/rank", "xquad-en/rank", "xquad-vi/scope", "xquad-en/scope"} {
		dir := filepath.Join("..", "shared", "bench", s)
		out = append(out, tuneSet{name: s, docs: filepath.Join(dir, "docs"), questions: filepath.Join(dir, "questions.jsonl")})
	}
	return append(out, tuneSet{name: "seeds", questions: filepath.Join("retrieval", "testdata", "questions.jsonl")})
}

type setFlag []tuneSet

func (s *setFlag) String() string { return fmt.Sprint(*s) }
func (s *setFlag) Set(v string) error {
	docs, qs, ok := strings.Cut(v, ":")
	if !ok || qs == "" {
		return fmt.Errorf("want DOCS:QUESTIONS.jsonl (DOCS empty for the embedded seeds), got %q", v)
	}
	*s = append(*s, tuneSet{name: v, docs: docs, questions: qs})
	return nil
}

func cmdTune(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlags("tune")
	var sets setFlag
	fl.Var(&sets, "set", "a development set DOCS:QUESTIONS.jsonl (repeatable; default: ../shared/bench and the seed questions)")
	folds := fl.Int("folds", 5, "folds of cross-validation")
	out := fl.String("out", filepath.Join("retrieval", "rank", "model.json"), "where to write the fitted model (\"\" to write nothing)")
	maxFalse := fl.Float64("max-false-abstain", 0.015, "share of answerable questions the threshold may decline")
	rounds := fl.Int("rounds", 8, "rounds of coordinate ascent")
	noRefine := fl.Bool("no-refine", false, "keep the logistic regression's abstention weights, without refining them at the operating point")
	dump := fl.String("dump", "", "also write every question's candidates and features to this JSON file, for study")
	if _, err := parseFlags(fl, args); err != nil {
		return err
	}
	if len(sets) == 0 {
		sets = defaultTuneSets()
	}
	base := rank.Default()
	var qs []rank.Question
	loaded := 0
	for _, s := range sets {
		got, err := tuneQuestions(ctx, s, base)
		if err != nil {
			if os.IsNotExist(err) {
				fmt.Fprintf(stderr, "tune: skipping %s: %v\n", s.name, err)
				continue
			}
			return err
		}
		fmt.Fprintf(stdout, "%-16s %d questions\n", s.name, len(got))
		qs = append(qs, got...)
		loaded++
	}
	if len(qs) == 0 {
		return fmt.Errorf("tune: no development set found")
	}
	if *dump != "" {
		b, err := json.Marshal(qs)
		if err != nil {
			return fmt.Errorf("tune: dump: %w", err)
		}
		if err := os.WriteFile(*dump, b, 0o644); err != nil {
			return fmt.Errorf("tune: dump: %w", err)
		}
	}
	opts := rank.FitOptions{MaxFalseAbstain: *maxFalse, Rounds: *rounds, NoRefine: *noRefine}
	fmt.Fprintf(stdout, "\nbefore fitting (in-sample):\n")
	writeFigures(stdout, base, qs)
	fmt.Fprintf(stdout, "\n%d-fold cross-validated (each question scored by a model fitted without it):\n", *folds)
	for _, f := range rank.CrossValidate(base, qs, *folds, opts) {
		fmt.Fprintf(stdout, "  %-16s %s\n", f.Set, f.Figures)
	}
	m := rank.Fit(base, qs, opts)
	m.Fitted = fmt.Sprintf("askdocs tune on %d questions of %d sets, coordinate ascent (%d rounds) and logistic regression; threshold for at most %.1f%% false abstentions", len(qs), loaded, *rounds, 100**maxFalse)
	fmt.Fprintf(stdout, "\nfitted on everything (in-sample):\n")
	writeFigures(stdout, m, qs)
	if *out == "" {
		return nil
	}
	b, err := m.Marshal()
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return fmt.Errorf("tune: write model: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return nil
}

// writeFigures prints m's figures on qs per set and overall.
func writeFigures(w io.Writer, m *rank.Model, qs []rank.Question) {
	by := map[string][]rank.Question{}
	var names []string
	for _, q := range qs {
		if _, ok := by[q.Set]; !ok {
			names = append(names, q.Set)
		}
		by[q.Set] = append(by[q.Set], q)
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %-16s %s\n", n, m.Measure(by[n]))
	}
	fmt.Fprintf(w, "  %-16s %s\n", "all", m.Measure(qs))
}

// tuneQuestions builds the index of one set and explains its questions.
func tuneQuestions(ctx context.Context, s tuneSet, m *rank.Model) ([]rank.Question, error) {
	f, err := os.Open(s.questions)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cases, err := retrieval.ReadEvalCases(f)
	if err != nil {
		return nil, fmt.Errorf("tune: %s: %w", s.questions, err)
	}
	var fsys fs.FS = seeds.FS
	if s.docs != "" {
		if _, err := os.Stat(s.docs); err != nil {
			return nil, err
		}
		fsys = os.DirFS(s.docs)
	}
	ix, _, err := retrieval.Build(ctx, fsys, retrieval.Options{})
	if err != nil {
		return nil, fmt.Errorf("tune: %s: %w", s.name, err)
	}
	defer ix.Close()
	ix.SetModel(m)
	return retrieval.FitQuestions(ctx, ix, s.name, cases)
}
