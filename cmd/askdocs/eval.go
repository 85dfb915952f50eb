package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/retrieval/evaluation"
)

// evalThresholds are the figures `askdocs eval` must reach to exit 0.
type evalThresholds struct {
	minHit1, minHit3, minMRR, minAbstain, minAnswer float64 // shares, 0 to 1
	maxFalseAbstain, maxFalseAnswer                 int     // counts; -1: any
}

func (th *evalThresholds) flags(fs *flag.FlagSet) {
	fs.Float64Var(&th.minHit1, "min-hit1", 0, "fail (exit 1) when overall hit@1 is below the share `X`, 0 to 1")
	fs.Float64Var(&th.minHit3, "min-hit3", 0, "fail when overall hit@3 is below `X`")
	fs.Float64Var(&th.minMRR, "min-mrr", 0, "fail when overall MRR@5 is below `X`")
	fs.Float64Var(&th.minAbstain, "min-abstain", 0, "fail when overall abstention accuracy is below `X`")
	fs.Float64Var(&th.minAnswer, "min-answer", 0, "fail when the overall answer-in-excerpt rate is below `X`")
	fs.IntVar(&th.maxFalseAbstain, "max-false-abstain", -1, "fail when more than `N` in-scope questions are declined; -1: no limit")
	fs.IntVar(&th.maxFalseAnswer, "max-false-answer", -1, "fail when more than `N` out-of-scope questions are answered; -1: no limit")
}

// check validates the thresholds themselves.
func (th *evalThresholds) check() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"min-hit1", th.minHit1}, {"min-hit3", th.minHit3}, {"min-mrr", th.minMRR}, {"min-abstain", th.minAbstain}, {"min-answer", th.minAnswer}} {
		if f.v < 0 || f.v > 1 {
			return usageError{fmt.Sprintf("eval: --%s %g: want 0 to 1", f.name, f.v)}
		}
	}
	if th.maxFalseAbstain < -1 || th.maxFalseAnswer < -1 {
		return usageError{"eval: --max-false-abstain and --max-false-answer: want -1 (any) or a count"}
	}
	return nil
}

// shortfalls lists every figure of s that misses its threshold. A
// figure over no questions (hit@k with none in scope, answer with no
// answer given) is not measured, so it cannot miss.
func (th *evalThresholds) shortfalls(s evaluation.Scores) []string {
	var out []string
	low := func(name string, over int, got, want float64) {
		if over > 0 && got < want {
			out = append(out, fmt.Sprintf("%s %.3f < %.3f", name, got, want))
		}
	}
	low("hit@1", s.InScope, s.HitAt1, th.minHit1)
	low("hit@3", s.InScope, s.HitAt3, th.minHit3)
	low("MRR@5", s.InScope, s.MRRAt5, th.minMRR)
	low("abstain", s.Questions, s.AbstainAccuracy, th.minAbstain)
	low("answer", s.WithAns, s.AnswerInExcerpt, th.minAnswer)
	if th.maxFalseAbstain >= 0 && s.FalseAbstain > th.maxFalseAbstain {
		out = append(out, fmt.Sprintf("abstained on %d in-scope > %d", s.FalseAbstain, th.maxFalseAbstain))
	}
	if th.maxFalseAnswer >= 0 && s.FalseAnswer > th.maxFalseAnswer {
		out = append(out, fmt.Sprintf("answered %d out-of-scope > %d", s.FalseAnswer, th.maxFalseAnswer))
	}
	return out
}

func cmdEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	ec, envErr := loadEngineConfig(getenv)
	fs := newFlags("eval")
	ec.flags(fs)
	verbose := fs.Bool("v", false, "list every question that missed, after the report")
	asJSON := fs.Bool("json", false, "print every figure as one JSON object")
	var th evalThresholds
	th.flags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if envErr != nil {
		return envErr
	}
	if len(pos) != 1 {
		return usageError{"eval: want one question file (FILE.jsonl)"}
	}
	if err := th.check(); err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	cases, err := retrieval.ReadEvalCases(f)
	if err != nil {
		return fmt.Errorf("eval: %s: %w", pos[0], err)
	}
	if len(cases) == 0 {
		return fmt.Errorf("eval: %s: no questions", pos[0])
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
	// The baselines score the very passages the engine searches.
	cmp, err := evaluation.Compare(ctx, ix, ix.Corpus(), cases)
	if err != nil {
		return err
	}
	rep := cmp.Engine() // the engine's figures: rep.Overall, rep.ByCategory
	if *asJSON {
		if err := evaluation.WriteJSON(stdout, cmp, *verbose); err != nil {
			return err
		}
	} else {
		evaluation.WriteComparison(stdout, cmp)
	}
	if *verbose && !*asJSON {
		fmt.Fprintln(stdout)
		for _, f := range rep.Failures {
			fmt.Fprintln(stdout, "  "+f)
		}
	}
	if short := th.shortfalls(rep.Overall); len(short) > 0 {
		return fmt.Errorf("eval: below the thresholds: %s", strings.Join(short, "; "))
	}
	return nil
}
