package evaluation

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteReport prints one system's figures as a table, a row per category
// and one overall, then its abstention counts.
func WriteReport(w io.Writer, r *Report) {
	cw := categoryWidth(r)
	fmt.Fprintf(w, "%-*s %5s %7s %7s %7s %7s %9s %7s %7s %7s\n", cw, r.System, "n",
		"hit@1", "hit@3", "hit@5", "MRR@5", "abstain", "ans@1", "ans@3", "len@1")
	row := func(name string, s Scores) {
		fmt.Fprintf(w, "%-*s %5d %s %s %s %s %s %s %s %s\n", cw, name, s.Questions,
			rate(s.HitAt1, s.InScope, 7), rate(s.HitAt3, s.InScope, 7),
			rate(s.HitAt5, s.InScope, 7), rate(s.MRRAt5, s.InScope, 7),
			rate(s.AbstainAccuracy, s.Questions, 9),
			rate(s.AnswerInTop1, s.AnsweredWithAns, 7), rate(s.AnswerInExcerpt, s.WithAns, 7),
			length(s.MedianTop1Runes, s.AnsweredInScope, 7))
	}
	for _, c := range r.Categories() {
		row(c, r.ByCategory[c])
	}
	row("overall", r.Overall)
	fmt.Fprintf(w, "in scope %d (abstained on %d), out of scope %d (answered %d)\n",
		r.Overall.InScope, r.Overall.FalseAbstain, r.Overall.OutScope, r.Overall.FalseAnswer)
}

// figures are the figures compared with the baselines.
var figures = []struct {
	name string
	get  func(Scores) float64
}{
	{"hit@1", func(s Scores) float64 { return s.HitAt1 }},
	{"hit@5", func(s Scores) float64 { return s.HitAt5 }},
	{"MRR@5", func(s Scores) float64 { return s.MRRAt5 }},
}

// WriteComparison prints the engine's table (WriteReport), then hit@1,
// hit@5 and MRR@5 of the engine and of each baseline side by side, per
// category and overall, with the differences, then the trade-off of the
// engine's abstention when the set has out-of-scope questions.
func WriteComparison(w io.Writer, c *Comparison) {
	e := c.Engine()
	WriteReport(w, e)
	if bs := c.Baselines(); len(bs) > 0 {
		fmt.Fprintf(w, "\n%s against the baselines (Δ = %s − baseline; best = the better baseline for each figure and row)\n", e.System, e.System)
		cw := categoryWidth(e)
		for _, f := range figures {
			fmt.Fprintln(w)
			head := fmt.Sprintf("%-*s %5s %*s", cw, f.name, "n", colWidth(e.System), e.System)
			for _, b := range bs {
				head += fmt.Sprintf(" %*s", colWidth(b.System), b.System)
			}
			for _, b := range bs {
				head += fmt.Sprintf(" %*s", colWidth("Δ "+b.System), "Δ "+b.System)
			}
			if len(bs) > 1 {
				head += fmt.Sprintf(" %7s", "Δ best")
			}
			fmt.Fprintln(w, head)
			row := func(name string, get func(*Report) Scores) {
				es := get(e)
				line := fmt.Sprintf("%-*s %5d %s", cw, name, es.Questions, rate(f.get(es), es.InScope, colWidth(e.System)))
				var others []Scores
				for _, b := range bs {
					bsc := get(b)
					others = append(others, bsc)
					line += " " + rate(f.get(bsc), bsc.InScope, colWidth(b.System))
				}
				for i, b := range bs {
					line += " " + delta(f.get(es)-f.get(others[i]), es.InScope, colWidth("Δ "+b.System))
				}
				if len(bs) > 1 {
					n := es.InScope
					best, ok := bestOf(others, f.get)
					if !ok {
						n = 0 // no baseline has a figure here
					}
					line += " " + delta(f.get(es)-best, n, 7)
				}
				fmt.Fprintln(w, line)
			}
			for _, cat := range e.Categories() {
				row(cat, func(r *Report) Scores { return r.ByCategory[cat] })
			}
			row("overall", func(r *Report) Scores { return r.Overall })
		}
	}
	if e.Overall.OutScope > 0 && e.Overall.InScope > 0 {
		fmt.Fprintf(w, "\n%s abstention trade-off (abstain when the confidence is below the threshold)\n", e.System)
		fmt.Fprintf(w, "%-9s %22s %22s\n", "threshold", "answerable abstained", "out of scope declined")
		for _, p := range e.OperatingPoints(Thresholds) {
			t := "as run"
			if !p.AsRun {
				t = fmt.Sprintf("%.2f", p.Threshold)
			}
			fmt.Fprintf(w, "%-9s %22s %22s\n", t, share(p.AnswerableAbstained, p.InScope), share(p.OutScopeDeclined, p.OutScope))
		}
		fmt.Fprintf(w, "\nabstention at best: the threshold on each system's confidence (a baseline's is its top score over the most it\n"+
			"could score) declining the most out-of-scope questions while abstaining on at most %.0f%% of answerable ones,\n"+
			"chosen on this very set (an optimistic bound)\n", 100*MaxFalseAbstain)
		fmt.Fprintf(w, "%-14s %9s %22s %22s\n", "system", "threshold", "answerable abstained", "out of scope declined")
		for _, r := range c.Systems {
			p := r.BestDecline(MaxFalseAbstain)
			fmt.Fprintf(w, "%-14s %9.3f %22s %22s\n", r.System, p.Threshold, share(p.AnswerableAbstained, p.InScope), share(p.OutScopeDeclined, p.OutScope))
		}
	}
}

func categoryWidth(r *Report) int {
	w := max(14, len(r.System), len("overall"))
	for c := range r.ByCategory {
		w = max(w, len(c))
	}
	return w
}

func colWidth(name string) int { return max(7, len([]rune(name))) }

// rate formats v, or "-" when its denominator n is 0.
func rate(v float64, n, width int) string {
	if n == 0 {
		return fmt.Sprintf("%*s", width, "-")
	}
	return fmt.Sprintf("%*.3f", width, v)
}

func delta(v float64, n, width int) string {
	if n == 0 {
		return fmt.Sprintf("%*s", width, "-")
	}
	s := fmt.Sprintf("%+.3f", v)
	if s == "-0.000" {
		s = "+0.000"
	}
	return fmt.Sprintf("%*s", width, s)
}

func length(v float64, n, width int) string {
	if n == 0 {
		return fmt.Sprintf("%*s", width, "-")
	}
	return fmt.Sprintf("%*.0f", width, v)
}

func share(k, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%d of %d (%.1f%%)", k, n, 100*float64(k)/float64(n))
}

// The JSON form of a comparison: every figure of every system, per
// category and overall, the differences and the operating points, so
// figures can be quoted exactly. A rate over no question is null.
type (
	jsonComparison struct {
		Systems     []jsonSystem `json:"systems"`
		Differences []jsonDiff   `json:"differences,omitempty"`
	}
	jsonSystem struct {
		Name            string                `json:"name"`
		Overall         jsonScores            `json:"overall"`
		Categories      map[string]jsonScores `json:"categories"`
		OperatingPoints []jsonPoint           `json:"operating_points,omitempty"`
		// BestDecline is BestDecline(MaxFalseAbstain).
		BestDecline *jsonPoint `json:"best_decline,omitempty"`
		Failures    []string   `json:"failures,omitempty"`
	}
	jsonScores struct {
		Questions             int      `json:"questions"`
		InScope               int      `json:"in_scope"`
		OutOfScope            int      `json:"out_of_scope"`
		WithAnswer            int      `json:"with_answer"`
		AnsweredWithAnswer    int      `json:"answered_with_answer"`
		AnsweredInScope       int      `json:"answered_in_scope"`
		HitAt1                *float64 `json:"hit_at_1"`
		HitAt3                *float64 `json:"hit_at_3"`
		HitAt5                *float64 `json:"hit_at_5"`
		MRRAt5                *float64 `json:"mrr_at_5"`
		AbstainAccuracy       *float64 `json:"abstain_accuracy"`
		AnswerInTop1          *float64 `json:"answer_in_top1"`
		AnswerInTop3          *float64 `json:"answer_in_top3"`
		MedianTop1Chars       *float64 `json:"median_top1_chars"`
		AbstainedOnAnswerable int      `json:"abstained_on_answerable"`
		OutOfScopeAnswered    int      `json:"out_of_scope_answered"`
	}
	jsonDiff struct {
		// Against names the baseline, or "best" for the better baseline
		// of each figure.
		Against    string                `json:"against"`
		Overall    jsonDelta             `json:"overall"`
		Categories map[string]*jsonDelta `json:"categories"`
	}
	jsonDelta struct {
		HitAt1 *float64 `json:"hit_at_1"`
		HitAt5 *float64 `json:"hit_at_5"`
		MRRAt5 *float64 `json:"mrr_at_5"`
	}
	jsonPoint struct {
		Threshold           *float64 `json:"threshold"` // null for the point as run
		AsRun               bool     `json:"as_run,omitempty"`
		AnswerableAbstained int      `json:"answerable_abstained"`
		InScope             int      `json:"in_scope"`
		OutOfScopeDeclined  int      `json:"out_of_scope_declined"`
		OutOfScope          int      `json:"out_of_scope"`
	}
)

func toJSONPoint(p OperatingPoint) jsonPoint {
	jp := jsonPoint{AsRun: p.AsRun, AnswerableAbstained: p.AnswerableAbstained, InScope: p.InScope,
		OutOfScopeDeclined: p.OutScopeDeclined, OutOfScope: p.OutScope}
	if !p.AsRun {
		jp.Threshold = &p.Threshold
	}
	return jp
}

func opt(v float64, n int) *float64 {
	if n == 0 {
		return nil
	}
	return &v
}

func toJSONScores(s Scores) jsonScores {
	return jsonScores{
		Questions: s.Questions, InScope: s.InScope, OutOfScope: s.OutScope,
		WithAnswer: s.WithAns, AnsweredWithAnswer: s.AnsweredWithAns, AnsweredInScope: s.AnsweredInScope,
		HitAt1: opt(s.HitAt1, s.InScope), HitAt3: opt(s.HitAt3, s.InScope),
		HitAt5: opt(s.HitAt5, s.InScope), MRRAt5: opt(s.MRRAt5, s.InScope),
		AbstainAccuracy:       opt(s.AbstainAccuracy, s.Questions),
		AnswerInTop1:          opt(s.AnswerInTop1, s.AnsweredWithAns),
		AnswerInTop3:          opt(s.AnswerInExcerpt, s.WithAns),
		MedianTop1Chars:       opt(s.MedianTop1Runes, s.AnsweredInScope),
		AbstainedOnAnswerable: s.FalseAbstain, OutOfScopeAnswered: s.FalseAnswer,
	}
}

// bestOf returns the highest figure of the groups that have in-scope
// questions; ok is false when none has.
func bestOf(ss []Scores, get func(Scores) float64) (best float64, ok bool) {
	for _, s := range ss {
		if s.InScope > 0 && (!ok || get(s) > best) {
			best, ok = get(s), true
		}
	}
	return best, ok
}

// diff is the engine's figures minus the best of bs for each figure
// (with one baseline, minus its figures).
func diff(e Scores, bs []Scores) *jsonDelta {
	if e.InScope == 0 {
		return &jsonDelta{}
	}
	d := func(get func(Scores) float64) *float64 {
		best, ok := bestOf(bs, get)
		if !ok {
			return nil
		}
		v := get(e) - best
		return &v
	}
	return &jsonDelta{
		HitAt1: d(figures[0].get),
		HitAt5: d(figures[1].get),
		MRRAt5: d(figures[2].get),
	}
}

// WriteJSON prints the comparison as one indented JSON object; with
// failures, the engine's misses are listed too.
func WriteJSON(w io.Writer, c *Comparison, failures bool) error {
	var out jsonComparison
	for i, r := range c.Systems {
		s := jsonSystem{Name: r.System, Overall: toJSONScores(r.Overall), Categories: map[string]jsonScores{}}
		for cat, sc := range r.ByCategory {
			s.Categories[cat] = toJSONScores(sc)
		}
		if r.Overall.OutScope > 0 && r.Overall.InScope > 0 {
			for _, p := range r.OperatingPoints(Thresholds) {
				s.OperatingPoints = append(s.OperatingPoints, toJSONPoint(p))
			}
			p := toJSONPoint(r.BestDecline(MaxFalseAbstain))
			s.BestDecline = &p
		}
		if failures && i == 0 {
			s.Failures = r.Failures
		}
		out.Systems = append(out.Systems, s)
	}
	e := c.Engine()
	against := func(name string, bs []*Report) jsonDiff {
		d := jsonDiff{Against: name, Categories: map[string]*jsonDelta{}}
		pick := func(get func(*Report) Scores) []Scores {
			var ss []Scores
			for _, b := range bs {
				ss = append(ss, get(b))
			}
			return ss
		}
		d.Overall = *diff(e.Overall, pick(func(r *Report) Scores { return r.Overall }))
		for cat := range e.ByCategory {
			d.Categories[cat] = diff(e.ByCategory[cat], pick(func(r *Report) Scores { return r.ByCategory[cat] }))
		}
		return d
	}
	for _, b := range c.Baselines() {
		out.Differences = append(out.Differences, against(b.System, []*Report{b}))
	}
	if len(c.Baselines()) > 1 {
		out.Differences = append(out.Differences, against("best", c.Baselines()))
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("evaluation: write JSON: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}
