package evaluation

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/retrieval/baseline"
)

// benchDir is the development sets, outside the repository (see issue
// 9): ../shared/bench from the repository root.
const benchDir = "../../../shared/bench"

// TestBaselinesOnXQuAD pins the baselines' figures on the development
// sets: how many answerable questions each ranks first, and among the
// first five. They move only if the baselines, the corpus loader or the
// syllable analysis change; the engine is compared with them.
func TestBaselinesOnXQuAD(t *testing.T) {
	for _, tt := range []struct {
		set                      string
		inScope, outScope        int
		bm25Hit1, bm25Hit5       int
		bigramsHit1, bigramsHit5 int
	}{
		{"xquad-vi/rank", 623, 0, 529, 607, 562, 615},
		{"xquad-en/rank", 623, 0, 574, 613, 553, 610},
		{"xquad-vi/scope", 352, 271, 311, 348, 325, 351},
		{"xquad-en/scope", 352, 271, 327, 351, 322, 350},
	} {
		t.Run(tt.set, func(t *testing.T) {
			dir := filepath.Join(benchDir, tt.set)
			if _, err := os.Stat(filepath.Join(dir, "questions.jsonl")); err != nil {
				t.Skipf("no development set here (%v): it lives in ../shared/bench, outside the repository", err)
			}
			ctx := context.Background()
			c, _, err := retrieval.LoadCorpus(ctx, os.DirFS(filepath.Join(dir, "docs")))
			if err != nil {
				t.Fatal(err)
			}
			cases := readCases(t, filepath.Join(dir, "questions.jsonl"))
			bm, bi := baseline.NewBM25(c), baseline.NewBigrams(c)
			cmp, err := Run(ctx, cases, System{bm.Name(), bm}, System{bi.Name(), bi})
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range [][2]int{{tt.bm25Hit1, tt.bm25Hit5}, {tt.bigramsHit1, tt.bigramsHit5}} {
				o := cmp.Systems[i].Overall
				got := [2]int{count(o.HitAt1, o.InScope), count(o.HitAt5, o.InScope)}
				if o.InScope != tt.inScope || o.OutScope != tt.outScope || got != want {
					t.Errorf("%s: %d in scope, %d out; hit@1 %d, hit@5 %d; want %d, %d; %d, %d",
						cmp.Systems[i].System, o.InScope, o.OutScope, got[0], got[1], tt.inScope, tt.outScope, want[0], want[1])
				}
				if o.FalseAbstain != 0 || o.FalseAnswer != tt.outScope {
					t.Errorf("%s abstained on %d, answered %d out of scope: a baseline never abstains", cmp.Systems[i].System, o.FalseAbstain, o.FalseAnswer)
				}
			}
		})
	}
}

// count turns a rate over n questions back into a count.
func count(rate float64, n int) int { return int(math.Round(rate * float64(n))) }
