// Package evaluation owns scoring a question set: it runs every question
// of a set (retrieval.EvalCase) through a search engine and through the
// plain baselines of package baseline on the same corpus, and scores
// ranking (hit@k, MRR@5), abstention (answerable questions abstained on,
// out-of-scope questions answered, the trade-off at other thresholds of
// the engine's confidence) and excerpts (does the excerpt hold the
// answer, how long is it). Reports are printed as tables or as one JSON
// object, so figures can be quoted exactly.
package evaluation

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/retrieval/baseline"
)

// K is how many results each question asks for: hit@5 and MRR@5 look
// no further.
const K = 5

// Searcher answers questions; *retrieval.Index and *baseline.BM25 are
// two.
type Searcher interface {
	Search(ctx context.Context, question string, k int) (retrieval.Answer, error)
}

// System is a named searcher to evaluate.
type System struct {
	Name     string
	Searcher Searcher
}

// Scores are the evaluation figures of a group of questions. A rate
// whose denominator is zero is reported as 0 here and as null in JSON.
type Scores struct {
	Questions int // all questions
	InScope   int // questions with gold passages
	OutScope  int // questions that must abstain
	WithAns   int // in-scope questions with an answer substring
	// AnsweredWithAns is the in-scope questions with an answer substring
	// that were answered: the denominator of AnswerInTop1.
	AnsweredWithAns int
	// AnsweredInScope is the in-scope questions answered: the population
	// of MedianTop1Runes.
	AnsweredInScope int

	// Hit rates and MRR are over in-scope questions; an abstention is a
	// miss.
	HitAt1, HitAt3, HitAt5, MRRAt5 float64
	// AbstainAccuracy is the share of questions answered or abstained on
	// correctly: in scope answered, out of scope abstained.
	AbstainAccuracy float64
	// AnswerInTop1 is the share of answered in-scope questions with an
	// answer substring whose top excerpt contains it.
	AnswerInTop1 float64
	// AnswerInExcerpt is the share of in-scope questions with an answer
	// substring that one of the top-3 excerpts contains (an abstention
	// counts as a miss).
	AnswerInExcerpt float64
	// MedianTop1Runes is the median length, in characters, of the top
	// excerpt of answered in-scope questions.
	MedianTop1Runes float64
	FalseAbstain    int // in-scope questions abstained on
	FalseAnswer     int // out-of-scope questions answered
}

// Outcome is what happened to one question.
type Outcome struct {
	Question   string
	Category   string
	InScope    bool
	Answered   bool
	Confidence float64
	// Rank is the 1-based rank of the first result matching a gold
	// passage, 0 when none of the first K does.
	Rank int
	// HasAnswer says the case names an answer substring; AnswerTop1 and
	// AnswerTop3 say whether the top excerpt, or one of the top three,
	// contains it.
	HasAnswer              bool
	AnswerTop1, AnswerTop3 bool
	// Top1Runes is the length of the top excerpt in characters (0 when
	// there is no result).
	Top1Runes int
}

// Report is the evaluation of one system.
type Report struct {
	System     string
	Overall    Scores
	ByCategory map[string]Scores
	// Outcomes are the questions' outcomes, in the order of the set.
	Outcomes []Outcome
	// Failures describe each question that missed, for tuning.
	Failures []string
}

// Categories returns the report's categories, sorted.
func (r *Report) Categories() []string {
	out := make([]string, 0, len(r.ByCategory))
	for c := range r.ByCategory {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Evaluate runs every case through s and scores the answers.
func Evaluate(ctx context.Context, name string, s Searcher, cases []retrieval.EvalCase) (*Report, error) {
	rep := &Report{System: name, ByCategory: map[string]Scores{}}
	for _, c := range cases {
		a, err := s.Search(ctx, c.Q, K)
		if err != nil {
			return nil, fmt.Errorf("evaluation: %s: %q: %w", name, c.Q, err)
		}
		o := outcome(c, a)
		rep.Outcomes = append(rep.Outcomes, o)
		if f := failure(c, a, o); f != "" {
			rep.Failures = append(rep.Failures, f)
		}
		if o.InScope && o.HasAnswer && o.Answered && !o.AnswerTop3 {
			ex := ""
			if len(a.Results) > 0 {
				ex = a.Results[0].Excerpt
			}
			rep.Failures = append(rep.Failures, fmt.Sprintf("answer %q not in excerpts of %q: %q", c.Answer, c.Q, ex))
		}
	}
	rep.Overall = score(rep.Outcomes)
	by := map[string][]Outcome{}
	for _, o := range rep.Outcomes {
		by[o.Category] = append(by[o.Category], o)
	}
	for c, os := range by {
		rep.ByCategory[c] = score(os)
	}
	return rep, nil
}

func outcome(c retrieval.EvalCase, a retrieval.Answer) Outcome {
	o := Outcome{
		Question:   c.Q,
		Category:   c.Category,
		InScope:    len(c.Gold) > 0,
		Answered:   a.Answered,
		Confidence: a.Confidence,
		HasAnswer:  c.Answer != "",
	}
	for i, r := range a.Results {
		if i >= K {
			break
		}
		if o.Rank == 0 && matchesGold(r, c.Gold) {
			o.Rank = i + 1
		}
		if i < 3 && o.HasAnswer && strings.Contains(r.Excerpt, c.Answer) {
			o.AnswerTop3 = true
			if i == 0 {
				o.AnswerTop1 = true
			}
		}
	}
	if len(a.Results) > 0 {
		o.Top1Runes = utf8.RuneCountInString(a.Results[0].Excerpt)
	}
	if !a.Answered {
		// An abstention shows nothing, whatever it returned.
		o.Rank, o.AnswerTop1, o.AnswerTop3, o.Top1Runes = 0, false, false, 0
	}
	return o
}

func failure(c retrieval.EvalCase, a retrieval.Answer, o Outcome) string {
	top := ""
	if len(a.Results) > 0 {
		top = a.Results[0].ID
	}
	switch {
	case !o.InScope && a.Answered:
		return fmt.Sprintf("answered out-of-scope %q: top %s", c.Q, top)
	case o.InScope && !a.Answered:
		return fmt.Sprintf("abstained on %q (terms %q)", c.Q, a.Terms)
	case o.InScope && o.Rank != 1:
		return fmt.Sprintf("rank %d for %q (gold %s:%d, top %s)", o.Rank, c.Q, c.Gold[0].Source, c.Gold[0].Line, top)
	}
	return ""
}

// score computes the Scores of a group of outcomes.
func score(os []Outcome) Scores {
	var s Scores
	var hit1, hit3, hit5, rr, absOK, top1, top3 float64
	var lengths []int
	for _, o := range os {
		s.Questions++
		if !o.InScope {
			s.OutScope++
			if o.Answered {
				s.FalseAnswer++
			} else {
				absOK++
			}
			continue
		}
		s.InScope++
		if o.Answered {
			absOK++
			s.AnsweredInScope++
			lengths = append(lengths, o.Top1Runes)
		} else {
			s.FalseAbstain++
		}
		if o.Rank == 1 {
			hit1++
		}
		if o.Rank >= 1 && o.Rank <= 3 {
			hit3++
		}
		if o.Rank >= 1 && o.Rank <= 5 {
			hit5++
			rr += 1 / float64(o.Rank)
		}
		if o.HasAnswer {
			s.WithAns++
			if o.AnswerTop3 {
				top3++
			}
			if o.Answered {
				s.AnsweredWithAns++
				if o.AnswerTop1 {
					top1++
				}
			}
		}
	}
	if s.InScope > 0 {
		n := float64(s.InScope)
		s.HitAt1, s.HitAt3, s.HitAt5, s.MRRAt5 = hit1/n, hit3/n, hit5/n, rr/n
	}
	if s.Questions > 0 {
		s.AbstainAccuracy = absOK / float64(s.Questions)
	}
	if s.WithAns > 0 {
		s.AnswerInExcerpt = top3 / float64(s.WithAns)
	}
	if s.AnsweredWithAns > 0 {
		s.AnswerInTop1 = top1 / float64(s.AnsweredWithAns)
	}
	s.MedianTop1Runes = median(lengths)
	return s
}

// median returns the median of xs (the mean of the two middle values
// when there are an even number), 0 for none.
func median(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return float64(xs[m])
	}
	return float64(xs[m-1]+xs[m]) / 2
}

// matchesGold reports whether r, or a duplicate merged into it, is one of
// the gold passages.
func matchesGold(r retrieval.Result, gold []retrieval.Location) bool {
	locs := append([]retrieval.Location{{Source: r.Source, Line: r.Line, EndLine: r.EndLine}}, r.Also...)
	for _, l := range locs {
		if l.Answers(gold) {
			return true
		}
	}
	return false
}

// OperatingPoint is what a threshold on the confidence would do: abstain
// on every question whose confidence is below it.
type OperatingPoint struct {
	// Threshold is the confidence below which the engine would abstain;
	// for the point the engine ran at, AsRun is true and Threshold is
	// unused.
	Threshold float64
	AsRun     bool
	// AnswerableAbstained of InScope answerable questions would be
	// abstained on; OutScopeDeclined of OutScope out-of-scope questions
	// would be declined.
	AnswerableAbstained, InScope int
	OutScopeDeclined, OutScope   int
}

// Thresholds are the confidence thresholds of the trade-off table. The
// engine's model is calibrated to answer from 0.5 (rank.Model), so they
// gather there.
var Thresholds = []float64{0.2, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8}

// OperatingPoints returns the trade-off between abstaining on answerable
// questions and declining out-of-scope ones at each of the thresholds,
// then at the point the system ran at (its own Answered decisions).
func (r *Report) OperatingPoints(thresholds []float64) []OperatingPoint {
	var out []OperatingPoint
	for _, t := range thresholds {
		p := OperatingPoint{Threshold: t}
		for _, o := range r.Outcomes {
			p.count(o, o.Confidence < t)
		}
		out = append(out, p)
	}
	p := OperatingPoint{AsRun: true}
	for _, o := range r.Outcomes {
		p.count(o, !o.Answered)
	}
	return append(out, p)
}

func (p *OperatingPoint) count(o Outcome, abstain bool) {
	if o.InScope {
		p.InScope++
		if abstain {
			p.AnswerableAbstained++
		}
		return
	}
	p.OutScope++
	if abstain {
		p.OutScopeDeclined++
	}
}

// MaxFalseAbstain is the share of answerable questions a threshold may
// abstain on in BestDecline: issue 9's target for abstention.
const MaxFalseAbstain = 0.02

// BestDecline returns the operating point, among thresholds at each
// distinct confidence of the run, that declines the most out-of-scope
// questions while abstaining on at most maxShare of the answerable
// ones (the lowest such threshold): what the system's confidence could
// do at best on this set, for the engine and for a baseline's top score
// alike. The threshold is chosen on the set itself, so the figure is an
// optimistic bound, not a held-out measurement.
func (r *Report) BestDecline(maxShare float64) OperatingPoint {
	ts := []float64{0}
	for _, o := range r.Outcomes {
		ts = append(ts, o.Confidence)
	}
	slices.Sort(ts)
	ts = slices.Compact(ts)
	// Declining the most confident question takes a threshold above it.
	ts = append(ts, math.Nextafter(ts[len(ts)-1], math.Inf(1)))
	var best OperatingPoint
	for i, t := range ts {
		p := OperatingPoint{Threshold: t}
		for _, o := range r.Outcomes {
			p.count(o, o.Confidence < t)
		}
		if float64(p.AnswerableAbstained) > maxShare*float64(p.InScope) {
			break // abstentions only grow with the threshold
		}
		if i == 0 || p.OutScopeDeclined > best.OutScopeDeclined {
			best = p // the lowest threshold that declines this many
		}
	}
	return best
}

// Comparison is the evaluation of an engine and of the baselines on the
// same corpus and questions.
type Comparison struct {
	// Systems are the reports, the engine's first, then the baselines'.
	Systems []*Report
}

// Engine returns the report of the engine: the first system.
func (c *Comparison) Engine() *Report { return c.Systems[0] }

// Baselines returns the reports of the baselines.
func (c *Comparison) Baselines() []*Report { return c.Systems[1:] }

// Run evaluates every system on the cases; the first is the engine, the
// others the baselines it is compared with.
func Run(ctx context.Context, cases []retrieval.EvalCase, systems ...System) (*Comparison, error) {
	if len(systems) == 0 {
		return nil, fmt.Errorf("evaluation: no system to evaluate")
	}
	c := &Comparison{}
	for _, s := range systems {
		r, err := Evaluate(ctx, s.Name, s.Searcher, cases)
		if err != nil {
			return nil, err
		}
		c.Systems = append(c.Systems, r)
	}
	return c, nil
}

// Compare evaluates the engine, named "askdocs", and the two baselines
// built from corpus, which must be the corpus the engine indexed.
func Compare(ctx context.Context, engine Searcher, corpus *retrieval.Corpus, cases []retrieval.EvalCase) (*Comparison, error) {
	bm, bi := baseline.NewBM25(corpus), baseline.NewBigrams(corpus)
	return Run(ctx, cases,
		System{Name: "askdocs", Searcher: engine},
		System{Name: bm.Name(), Searcher: bm},
		System{Name: bi.Name(), Searcher: bi})
}
