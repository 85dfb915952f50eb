package rank

import (
	"strings"
	"testing"
)

func TestDefaultModelParses(t *testing.T) {
	m := Default()
	if m.Candidates < 1 || m.K1 <= 0 {
		t.Fatalf("Default() = %+v", m)
	}
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse(Marshal(Default())): %v", err)
	}
	if *again != *m {
		t.Errorf("model changed through Marshal and Parse:\n%+v\n%+v", again, m)
	}
}

func TestParseRejects(t *testing.T) {
	good := `{"candidates": 40, "k1": 1.2, "b": 0.75, "threshold": 0.5, "keep_share": 0, "weights": {}, "abstain": {}}`
	if _, err := Parse([]byte(good)); err != nil {
		t.Fatalf("Parse(good) = %v", err)
	}
	cases := []struct{ json, want string }{
		{strings.Replace(good, `"b": 0.75`, `"b": 0.75, "bb": 1`, 1), `unknown field "bb"`},
		{strings.Replace(good, `"candidates": 40`, `"candidates": 0`, 1), "candidates 0 out of range"},
		{strings.Replace(good, `"k1": 1.2`, `"k1": -1`, 1), "k1 -1 out of range"},
		{strings.Replace(good, `"b": 0.75`, `"b": 2`, 1), "b 2 out of range"},
		{strings.Replace(good, `"threshold": 0.5`, `"threshold": 1.5`, 1), "threshold 1.5 out of range"},
		{`{`, "unexpected EOF"},
	}
	for _, c := range cases {
		_, err := Parse([]byte(c.json))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%s) = %v, want an error with %q", c.json, err, c.want)
		}
	}
}

func TestScoreAndConfidence(t *testing.T) {
	m := &Model{Weights: Weights{BM25Fold: 2, Coverage: 1, KindMiss: -1}, Abstain: Abstain{Bias: -1, TopCoverage: 2}, Threshold: 0.5}
	cases := []struct {
		v    Vector
		want float64
	}{
		{Vector{}, 0},
		{Vector{BM25Fold: 0.5}, 1},
		{Vector{BM25Fold: 0.5, Coverage: 1, KindMiss: 1}, 1},
		{Vector{Proximity: 1}, 0}, // weight 0
	}
	for _, c := range cases {
		if got := m.Score(&c.v); got != c.want {
			t.Errorf("Score(%v) = %v, want %v", c.v, got, c.want)
		}
	}
	if c := m.Confidence(&Signals{TopCoverage: 0.5}); c != 0.5 || !m.Answers(c) {
		t.Errorf("Confidence(coverage 0.5) = %v (answers %v), want 0.5, answering", c, m.Answers(c))
	}
	if c := m.Confidence(&Signals{}); !(c < 0.5) || m.Answers(c) {
		t.Errorf("Confidence(nothing) = %v, want < 0.5 and declining", c)
	}
}

// synthetic makes questions whose gold candidate has the larger
// Coverage but the smaller BM25Fold, and out-of-scope questions whose
// best candidate covers little.
func synthetic(n int) []Question {
	var qs []Question
	for i := 0; i < n; i++ {
		qs = append(qs, Question{Set: "s", Answerable: true, Candidates: []Candidate{
			{Order: 0, Features: Vector{BM25Fold: 0.9, Coverage: 0.5}, Signals: Signals{TopCoverage: 0.5}},
			{Order: 1, Gold: true, Features: Vector{BM25Fold: 0.2, Coverage: 0.8 + float64(i%10)/100}, Signals: Signals{TopCoverage: 0.8 + float64(i%10)/100}},
		}})
		qs = append(qs, Question{Set: "s", Candidates: []Candidate{
			{Order: 0, Features: Vector{BM25Fold: 0.3, Coverage: 0.2 + float64(i%10)/100}, Signals: Signals{TopCoverage: 0.2 + float64(i%10)/100}},
		}})
	}
	return qs
}

func TestFit(t *testing.T) {
	start := &Model{Candidates: 10, K1: 1.2, B: 0.75, Weights: Weights{BM25Fold: 1, Coverage: 0.1}, Threshold: 0.5}
	qs := synthetic(40)
	if f := start.Measure(qs); f.HitAt1 != 0 {
		t.Fatalf("before fitting hit@1 = %v, want 0 (BM25 outweighs coverage)", f.HitAt1)
	}
	m := Fit(start, qs, FitOptions{MaxFalseAbstain: 0, Rounds: 4})
	f := m.Measure(qs)
	if f.HitAt1 != 1 || f.FalseAbstain != 0 || f.Declined != f.OutOfScope {
		t.Errorf("fitted: %s; want hit@1 1, no false abstention, every out-of-scope question declined", f)
	}
	if m.Weights.Coverage != start.Weights.Coverage {
		t.Errorf("Coverage weight moved from %v to %v; it sets the scale", start.Weights.Coverage, m.Weights.Coverage)
	}
	if *start != (Model{Candidates: 10, K1: 1.2, B: 0.75, Weights: Weights{BM25Fold: 1, Coverage: 0.1}, Threshold: 0.5}) {
		t.Errorf("Fit changed its argument: %+v", start)
	}
}

func TestCrossValidate(t *testing.T) {
	start := &Model{Candidates: 10, K1: 1.2, B: 0.75, Weights: Weights{BM25Fold: 1, Coverage: 0.1}, Threshold: 0.5}
	qs := synthetic(20)
	a := CrossValidate(start, qs, 4, FitOptions{Rounds: 2})
	b := CrossValidate(start, qs, 4, FitOptions{Rounds: 2})
	if len(a) != 2 || a[0].Set != "all" || a[1].Set != "s" {
		t.Fatalf("CrossValidate sets = %+v, want all and s", a)
	}
	if a[0] != b[0] || a[1] != b[1] {
		t.Errorf("CrossValidate is not deterministic: %+v vs %+v", a, b)
	}
	if a[0].Figures.Questions != len(qs) {
		t.Errorf("held-out questions = %d, want every one of %d", a[0].Figures.Questions, len(qs))
	}
	if a[0].Figures.HitAt1 != 1 {
		t.Errorf("cross-validated hit@1 = %v, want 1 on a set this plain", a[0].Figures.HitAt1)
	}
}

func TestChooseThreshold(t *testing.T) {
	m := &Model{Abstain: Abstain{TopCoverage: 10, Bias: -5}}
	var qs []Question
	for i := 0; i < 100; i++ {
		qs = append(qs, Question{Answerable: true, Candidates: []Candidate{{Signals: Signals{TopCoverage: float64(i) / 100}}}})
	}
	for _, c := range []struct {
		max  float64
		want int // answerable declined
	}{{0, 0}, {0.02, 2}, {0.1, 10}} {
		mm := *m
		mm.Threshold = chooseThreshold(&mm, qs, c.max)
		if f := mm.Measure(qs); f.FalseAbstain != c.want {
			t.Errorf("threshold for at most %v false abstentions declines %d, want %d", c.max, f.FalseAbstain, c.want)
		}
	}
}
