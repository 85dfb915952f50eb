package retrieval

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/askdocs/askdocs/seeds"
)

func seedIndex(t testing.TB) *Index {
	t.Helper()
	ix, warnings, err := Build(context.Background(), seeds.FS, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) > 0 {
		t.Fatalf("warnings: %v", warnings)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// TestEvaluation holds retrieval to the quality bar on the question set.
func TestEvaluation(t *testing.T) {
	rep, err := Evaluate(context.Background(), seedIndex(t), evalCases(t))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	WriteReport(&b, rep)
	t.Log("\n" + b.String())
	for _, f := range rep.Failures {
		t.Log(f)
	}
	// The floors are the fitted model's figures (rank/model.json, fitted
	// by "askdocs tune" on ../shared/bench and these questions) less a
	// small margin: a change that loses more fails here.
	o := rep.Overall
	if o.HitAt1 < 0.89 {
		t.Errorf("hit@1 = %.3f, want >= 0.89", o.HitAt1)
	}
	if o.HitAt3 < 0.94 {
		t.Errorf("hit@3 = %.3f, want >= 0.94", o.HitAt3)
	}
	if o.FalseAbstain > 2 || o.FalseAnswer > 12 {
		t.Errorf("abstained on %d in-scope and answered %d out-of-scope questions, want at most 2 and 12", o.FalseAbstain, o.FalseAnswer)
	}
	if o.AnswerInExcerpt < 0.92 {
		t.Errorf("answer in excerpt = %.3f, want >= 0.92", o.AnswerInExcerpt)
	}
}

// evalCases reads the evaluation's question set.
func evalCases(t *testing.T) []EvalCase {
	t.Helper()
	f, err := os.Open("testdata/questions.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := ReadEvalCases(f)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}
