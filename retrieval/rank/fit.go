package rank

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
)

// Question is one question of a fitting set, as the engine saw it: the
// features of every candidate it gathered, which of them answer it, and
// whether the documents answer it at all.
type Question struct {
	// Set names the question set, for the report.
	Set string
	// Answerable is false for a question the documents do not answer.
	Answerable bool
	// Candidates are the gathered passages in passage order's tie-break
	// order (Order ascending).
	Candidates []Candidate
	// Signals are the question's own signals, those that do not depend
	// on a candidate (Unknown, UnknownBigram, UnknownWords, Foreign);
	// every candidate's Signals hold them too.
	Signals Signals
}

// Candidate is one gathered passage of a Question.
type Candidate struct {
	// Order breaks ties between equal scores (the passage's position).
	Order int
	// Gold is true when the passage answers the question.
	Gold     bool
	Features Vector
	// Signals are the abstention signals should this candidate rank
	// first, the question's own among them; TopScore is filled in by the
	// model.
	Signals Signals
}

// ranked returns the indexes of q's candidates best first under m.
func (m *Model) ranked(q *Question) ([]int, []float64) {
	idx := make([]int, len(q.Candidates))
	scores := make([]float64, len(q.Candidates))
	for i := range q.Candidates {
		idx[i] = i
		scores[i] = m.Score(&q.Candidates[i].Features)
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if scores[a] != scores[b] {
			return cmp.Compare(scores[b], scores[a])
		}
		return cmp.Compare(q.Candidates[a].Order, q.Candidates[b].Order)
	})
	return idx, scores
}

// goldRank returns the 1-based rank of q's first gold candidate under m,
// or 0.
func (m *Model) goldRank(q *Question) int {
	idx, _ := m.ranked(q)
	for r, i := range idx {
		if q.Candidates[i].Gold {
			return r + 1
		}
	}
	return 0
}

// Signals returns the abstention signals of q under m: those of its best
// candidate, with TopScore filled in; a question with no candidate has
// only its own.
func (m *Model) Signals(q *Question) Signals {
	idx, scores := m.ranked(q)
	if len(idx) == 0 {
		return q.Signals
	}
	s := q.Candidates[idx[0]].Signals
	s[TopScore] = scores[idx[0]]
	return s
}

// Figures are the quality of a model on a set of questions.
type Figures struct {
	Questions, Answerable, OutOfScope int
	HitAt1, HitAt5, MRR               float64 // over answerable questions, abstention aside
	FalseAbstain                      int     // answerable questions declined
	Declined                          int     // out-of-scope questions declined
}

// Measure scores m on qs.
func (m *Model) Measure(qs []Question) Figures {
	var f Figures
	for i := range qs {
		q := &qs[i]
		f.Questions++
		answers := m.Answers(m.Confidence(ptr(m.Signals(q))))
		if !q.Answerable {
			f.OutOfScope++
			if !answers {
				f.Declined++
			}
			continue
		}
		f.Answerable++
		if !answers {
			f.FalseAbstain++
		}
		r := m.goldRank(q)
		if r == 1 {
			f.HitAt1++
		}
		if r >= 1 && r <= 5 {
			f.HitAt5++
			f.MRR += 1 / float64(r)
		}
	}
	if f.Answerable > 0 {
		n := float64(f.Answerable)
		f.HitAt1, f.HitAt5, f.MRR = f.HitAt1/n, f.HitAt5/n, f.MRR/n
	}
	return f
}

func ptr[T any](v T) *T { return &v }

// FitOptions steer Fit.
type FitOptions struct {
	// MaxFalseAbstain is the share of answerable questions the chosen
	// threshold may decline on the fitting data.
	MaxFalseAbstain float64
	// Rounds of coordinate ascent over the ranking weights.
	Rounds int
	// NoRefine keeps the logistic regression's abstention weights as
	// they are, without the coordinate ascent at the operating point.
	NoRefine bool
}

// Fit returns a copy of m with its ranking weights fitted by coordinate
// ascent on the mean reciprocal rank of qs' answerable questions, its
// abstention weights by logistic regression, and its threshold chosen so
// that at most opts.MaxFalseAbstain of the answerable questions are
// declined. Coverage keeps its weight (scores only order, so one weight
// sets the scale).
func Fit(m *Model, qs []Question, opts FitOptions) *Model {
	out := *m
	fitWeights(&out, qs, max(1, opts.Rounds))
	vi, other := byLanguage(qs)
	fitAbstain(&out, &out.Abstain, vi)
	fitAbstain(&out, &out.AbstainOther, other)
	if !opts.NoRefine {
		refineAbstain(&out, qs, opts.MaxFalseAbstain, max(1, opts.Rounds))
	}
	calibrate(&out, qs, opts.MaxFalseAbstain)
	return &out
}

// byLanguage splits qs into Vietnamese questions and the others.
func byLanguage(qs []Question) (vi, other []Question) {
	for _, q := range qs {
		if q.Signals[Foreign] > 0 {
			other = append(other, q)
		} else {
			vi = append(vi, q)
		}
	}
	return vi, other
}

// calibrate shifts the bias of each language's abstention weights so
// that a confidence of one half is the threshold that declines at most
// maxFalse of the answerable questions of each set: the same decisions
// as thresholds chosen apart, and a confidence that reads as one.
func calibrate(m *Model, qs []Question, maxFalse float64) {
	m.Threshold = 0.5
	vi, other := byLanguage(qs)
	for _, g := range []struct {
		a  *Abstain
		qs []Question
	}{{&m.Abstain, vi}, {&m.AbstainOther, other}} {
		if len(g.qs) == 0 {
			continue
		}
		g.a.Bias -= chooseLogit(m, g.qs, maxFalse)
	}
}

// logit is the log-odds the abstention model gives a question's
// signals (Confidence is its sigmoid).
func (m *Model) logit(s *Signals) float64 {
	a := m.abstainFor(s)
	z := a.Bias
	for i, w := range a.fields() {
		z += *w * s[i]
	}
	return z
}

// chooseLogit is chooseThreshold in log-odds, where confidences near 0
// or 1 still differ: the highest log-odds threshold that declines at
// most maxFalse of the answerable questions of each set of qs.
func chooseLogit(m *Model, qs []Question, maxFalse float64) float64 {
	z := map[string][]float64{}
	for i := range qs {
		if qs[i].Answerable {
			z[qs[i].Set] = append(z[qs[i].Set], m.logit(ptr(m.Signals(&qs[i]))))
		}
	}
	t := math.Inf(1)
	for _, c := range z {
		t = min(t, thresholdFor(c, maxFalse))
	}
	if math.IsInf(t, 1) {
		return 0
	}
	return t
}

// objective is what ranking is fitted to: MRR@5 with hit@1 counted once
// more, over answerable questions, each set weighing the same whatever
// its size.
func objective(m *Model, qs []Question) float64 {
	sum, n := map[string]float64{}, map[string]float64{}
	for i := range qs {
		if !qs[i].Answerable {
			continue
		}
		r := m.goldRank(&qs[i])
		n[qs[i].Set]++
		if r == 1 {
			sum[qs[i].Set]++
		}
		if r >= 1 && r <= 5 {
			sum[qs[i].Set] += 1 / float64(r)
		}
	}
	return meanOfShares(sum, n)
}

// steps are the values coordinate ascent tries for a weight, added to
// its current value.
var steps = []float64{-1, -0.5, -0.25, -0.1, -0.05, 0.05, 0.1, 0.25, 0.5, 1}

func fitWeights(m *Model, qs []Question, rounds int) {
	best := objective(m, qs)
	ws := m.Weights.fields()
	for r := 0; r < rounds; r++ {
		improved := false
		for f, w := range ws {
			if Feature(f) == Coverage {
				continue // the scale
			}
			start := *w
			for _, d := range steps {
				*w = start + d
				if s := objective(m, qs); s > best+1e-9 {
					best, start, improved = s, *w, true
				}
			}
			*w = start
		}
		if !improved {
			break
		}
	}
}

// fitAbstain fits the abstention weights ab by L2-regularised logistic
// regression of "answerable" on the best candidate's signals of qs, with
// the answerable and out-of-scope questions weighed equally.
func fitAbstain(m *Model, ab *Abstain, qs []Question) {
	xs := make([]Signals, 0, len(qs))
	ys := make([]float64, 0, len(qs))
	pos, neg := 0.0, 0.0
	for i := range qs {
		xs = append(xs, m.Signals(&qs[i]))
		if qs[i].Answerable {
			ys = append(ys, 1)
			pos++
		} else {
			ys = append(ys, 0)
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return // nothing to tell apart: keep the weights
	}
	wPos, wNeg := 0.5/pos, 0.5/neg
	fs := ab.fields()
	const rate, l2, iters = 2.0, 1e-3, 3000
	for it := 0; it < iters; it++ {
		var grad [NumSignals]float64
		gb := 0.0
		for i, x := range xs {
			z := ab.Bias
			for j, w := range fs {
				z += *w * x[j]
			}
			d := sigmoid(z) - ys[i]
			if ys[i] == 1 {
				d *= wPos
			} else {
				d *= wNeg
			}
			gb += d
			for j := range grad {
				grad[j] += d * x[j]
			}
		}
		ab.Bias -= rate * gb
		for j, w := range fs {
			*w -= rate * (grad[j] + l2**w)
		}
	}
}

// declined is the share of qs' out-of-scope questions declined at the
// threshold that declines at most maxFalse of the answerable ones, the
// sets weighing alike; what abstention is refined for.
func declined(m *Model, qs []Question, maxFalse float64) float64 {
	t := *m
	calibrate(&t, qs, maxFalse)
	got, n := map[string]float64{}, map[string]float64{}
	for i := range qs {
		if qs[i].Answerable {
			continue
		}
		n[qs[i].Set]++
		if !t.Answers(t.Confidence(ptr(t.Signals(&qs[i])))) {
			got[qs[i].Set]++
		}
	}
	return meanOfShares(got, n)
}

// meanOfShares sums got[set]/n[set] over the sets in the order of their
// names, so that a fit gives the same figures to the last bit every time
// (a map's order would change the rounding, and coordinate ascent's
// choices with it).
func meanOfShares(got, n map[string]float64) float64 {
	s := 0.0
	for _, set := range slices.Sorted(maps.Keys(n)) {
		s += got[set] / n[set]
	}
	return s
}

// abstainSteps are the changes coordinate ascent tries to an abstention
// weight.
var abstainSteps = []float64{-2, -1, -0.5, -0.25, 0.25, 0.5, 1, 2}

// refineAbstain improves the logistic fit by coordinate ascent on what
// matters at the operating point: out-of-scope questions declined while
// at most maxFalse answerable ones are.
func refineAbstain(m *Model, qs []Question, maxFalse float64, rounds int) {
	best := declined(m, qs, maxFalse)
	vi, other := m.Abstain.fields(), m.AbstainOther.fields()
	fs := append(append([]*float64{&m.Abstain.Bias}, vi[:]...), append([]*float64{&m.AbstainOther.Bias}, other[:]...)...)
	for r := 0; r < rounds; r++ {
		improved := false
		for _, w := range fs {
			start := *w
			for _, d := range abstainSteps {
				*w = start + d
				if s := declined(m, qs, maxFalse); s > best+1e-9 {
					best, start, improved = s, *w, true
				}
			}
			*w = start
		}
		if !improved {
			break
		}
	}
}

// chooseThreshold returns the highest threshold that declines at most
// maxFalse of the answerable questions of each set of qs.
func chooseThreshold(m *Model, qs []Question, maxFalse float64) float64 {
	conf := map[string][]float64{}
	for i := range qs {
		if qs[i].Answerable {
			conf[qs[i].Set] = append(conf[qs[i].Set], m.Confidence(ptr(m.Signals(&qs[i]))))
		}
	}
	if len(conf) == 0 {
		return m.Threshold
	}
	t := 1.0
	for _, c := range conf {
		t = min(t, thresholdFor(c, maxFalse))
	}
	return t
}

// thresholdFor returns the highest threshold that declines at most
// maxFalse of the confidences conf.
func thresholdFor(conf []float64, maxFalse float64) float64 {
	slices.Sort(conf)
	k := int(math.Floor(maxFalse * float64(len(conf)))) // may decline conf[:k]
	if k >= len(conf) {
		return conf[len(conf)-1]
	}
	// Between the k-th lowest confidence and the next: declining the k
	// below it.
	t := conf[k]
	if k > 0 {
		t = (conf[k-1] + conf[k]) / 2
	}
	return math.Nextafter(t, math.Inf(-1)) // conf[k] is answered
}

// Fold is the cross-validated figures of one set.
type Fold struct {
	Set     string
	Figures Figures
}

// CrossValidate fits m on k−1 of k folds of qs and measures it on the
// remaining one, for each fold in turn, and returns the figures of the
// held-out questions, per set and overall ("all"). Folds are fixed by
// each question's position, so the result is deterministic.
func CrossValidate(m *Model, qs []Question, k int, opts FitOptions) []Fold {
	if k < 2 {
		k = 2
	}
	var fitted []*Model
	for f := 0; f < k; f++ {
		var train, test []Question
		for i := range qs {
			if i%k == f {
				test = append(test, qs[i])
			} else {
				train = append(train, qs[i])
			}
		}
		fitted = append(fitted, Fit(m, train, opts))
	}
	// Measure each held-out question with the model that did not see it.
	bySet := map[string][]Figures{}
	var sets []string
	for f := 0; f < k; f++ {
		groups := map[string][]Question{}
		for i := range qs {
			if i%k == f {
				groups[qs[i].Set] = append(groups[qs[i].Set], qs[i])
				groups["all"] = append(groups["all"], qs[i])
			}
		}
		for set, g := range groups {
			if _, ok := bySet[set]; !ok {
				sets = append(sets, set)
			}
			bySet[set] = append(bySet[set], fitted[f].Measure(g))
		}
	}
	slices.Sort(sets)
	var out []Fold
	for _, s := range sets {
		out = append(out, Fold{Set: s, Figures: sumFigures(bySet[s])})
	}
	return out
}

// sumFigures pools the figures of disjoint question groups.
func sumFigures(fs []Figures) Figures {
	var t Figures
	for _, f := range fs {
		n := float64(f.Answerable)
		t.Questions += f.Questions
		t.Answerable += f.Answerable
		t.OutOfScope += f.OutOfScope
		t.FalseAbstain += f.FalseAbstain
		t.Declined += f.Declined
		t.HitAt1 += f.HitAt1 * n
		t.HitAt5 += f.HitAt5 * n
		t.MRR += f.MRR * n
	}
	if t.Answerable > 0 {
		n := float64(t.Answerable)
		t.HitAt1, t.HitAt5, t.MRR = t.HitAt1/n, t.HitAt5/n, t.MRR/n
	}
	return t
}

// String formats figures on one line.
func (f Figures) String() string {
	s := fmt.Sprintf("n %d  hit@1 %.3f  hit@5 %.3f  MRR@5 %.3f  abstained on answerable %d/%d (%.1f%%)",
		f.Questions, f.HitAt1, f.HitAt5, f.MRR, f.FalseAbstain, f.Answerable, pct(f.FalseAbstain, f.Answerable))
	if f.OutOfScope > 0 {
		s += fmt.Sprintf("  out of scope declined %d/%d (%.1f%%)", f.Declined, f.OutOfScope, pct(f.Declined, f.OutOfScope))
	}
	return s
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
