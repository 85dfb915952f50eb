package retrieval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// EvalCase is one line of an evaluation set (JSON Lines).
type EvalCase struct {
	Q        string     `json:"q"`
	Category string     `json:"category"`
	Gold     []Location `json:"gold"`
	// Answer is a substring a top-3 excerpt must contain ("" for none).
	Answer string `json:"answer"`
}

// UnmarshalJSON reads gold locations written {"source":…,"line":…},
// optionally with "end_line", and nothing else: source must be set, line
// at least 1, end_line (if given) no less than line.
func (l *Location) UnmarshalJSON(b []byte) error {
	var v struct {
		Source  *string `json:"source"`
		Line    *int    `json:"line"`
		EndLine int     `json:"end_line"`
	}
	if err := strictJSON(b, &v); err != nil {
		return err
	}
	switch {
	case v.Source == nil || strings.TrimSpace(*v.Source) == "":
		return fmt.Errorf("gold location %s: no source", b)
	case v.Line == nil || *v.Line < 1:
		return fmt.Errorf("gold location %s: line must be 1 or more", b)
	case v.EndLine != 0 && v.EndLine < *v.Line:
		return fmt.Errorf("gold location %s: end_line before line", b)
	}
	*l = Location{Source: *v.Source, Line: *v.Line, EndLine: v.EndLine}
	return nil
}

// strictJSON decodes one JSON value from b into v, refusing unknown
// fields and anything after the value.
func strictJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	if d.More() {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

// ReadEvalCases reads an evaluation set, one JSON object per line; blank
// lines and lines starting with # are skipped. It is strict, so that a
// mistake in the file is not scored as a question: an unknown field, an
// empty q, a malformed gold location or a line that is not one JSON
// object is an error naming the line.
func ReadEvalCases(r io.Reader) ([]EvalCase, error) {
	var out []EvalCase
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var c EvalCase
		if err := strictJSON([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("retrieval: eval line %d: %w", n, err)
		}
		if strings.TrimSpace(c.Q) == "" {
			return nil, fmt.Errorf("retrieval: eval line %d: empty q", n)
		}
		if c.Answer != "" && len(c.Gold) == 0 {
			return nil, fmt.Errorf("retrieval: eval line %d: answer without gold (a question with no gold must be declined)", n)
		}
		if c.Category == "" {
			c.Category = "uncategorized"
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("retrieval: read eval set: %w", err)
	}
	return out, nil
}

// Scores are the evaluation figures of a group of questions.
type Scores struct {
	Questions int // all questions
	InScope   int // questions with gold passages
	OutScope  int // questions that must abstain
	WithAns   int // in-scope questions with an answer substring

	HitAt1, HitAt3, MRRAt5 float64 // over in-scope questions
	// AbstainAccuracy is the share of questions answered or abstained on
	// correctly: in scope answered, out of scope abstained.
	AbstainAccuracy float64
	// AnswerInExcerpt is the share of questions with an answer substring
	// that a top-3 excerpt contains.
	AnswerInExcerpt float64
	FalseAbstain    int // in-scope questions abstained on
	FalseAnswer     int // out-of-scope questions answered
}

// EvalReport is the result of Evaluate.
type EvalReport struct {
	Overall    Scores
	ByCategory map[string]Scores
	// Failures describe each question that missed, for tuning.
	Failures []string
}

// Categories returns the report's categories, sorted.
func (r *EvalReport) Categories() []string {
	var out []string
	for c := range r.ByCategory {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Searcher answers questions; *Index is one.
type Searcher interface {
	Search(ctx context.Context, question string, k int) (Answer, error)
}

type tally struct {
	s                              Scores
	hit1, hit3, rr, absOK, ansHits float64
}

// Evaluate runs every case through s and scores the answers.
func Evaluate(ctx context.Context, s Searcher, cases []EvalCase) (*EvalReport, error) {
	all := &tally{}
	by := map[string]*tally{}
	rep := &EvalReport{ByCategory: map[string]Scores{}}
	for _, c := range cases {
		a, err := s.Search(ctx, c.Q, 5)
		if err != nil {
			return nil, err
		}
		t := by[c.Category]
		if t == nil {
			t = &tally{}
			by[c.Category] = t
		}
		rank := 0
		for i, r := range a.Results {
			if rank == 0 && matchesGold(r, c.Gold) {
				rank = i + 1
			}
		}
		inExcerpt := false
		for i, r := range a.Results {
			if i < 3 && c.Answer != "" && strings.Contains(r.Excerpt, c.Answer) {
				inExcerpt = true
			}
		}
		for _, t := range []*tally{all, t} {
			t.s.Questions++
			if len(c.Gold) == 0 {
				t.s.OutScope++
				if a.Answered {
					t.s.FalseAnswer++
				} else {
					t.absOK++
				}
				continue
			}
			t.s.InScope++
			if !a.Answered {
				t.s.FalseAbstain++
			} else {
				t.absOK++
			}
			if rank == 1 {
				t.hit1++
			}
			if rank >= 1 && rank <= 3 {
				t.hit3++
			}
			if rank >= 1 {
				t.rr += 1 / float64(rank)
			}
			if c.Answer != "" {
				t.s.WithAns++
				if inExcerpt {
					t.ansHits++
				}
			}
		}
		switch {
		case len(c.Gold) == 0 && a.Answered:
			rep.Failures = append(rep.Failures, fmt.Sprintf("answered out-of-scope %q: top %s", c.Q, a.Results[0].ID))
		case len(c.Gold) > 0 && !a.Answered:
			rep.Failures = append(rep.Failures, fmt.Sprintf("abstained on %q (terms %q)", c.Q, a.Terms))
		case len(c.Gold) > 0 && rank != 1:
			top := ""
			if len(a.Results) > 0 {
				top = a.Results[0].ID
			}
			rep.Failures = append(rep.Failures, fmt.Sprintf("rank %d for %q (gold %s:%d, top %s)", rank, c.Q, c.Gold[0].Source, c.Gold[0].Line, top))
		}
		if len(c.Gold) > 0 && c.Answer != "" && !inExcerpt && a.Answered {
			ex := ""
			if len(a.Results) > 0 {
				ex = a.Results[0].Excerpt
			}
			rep.Failures = append(rep.Failures, fmt.Sprintf("answer %q not in excerpts of %q: %q", c.Answer, c.Q, ex))
		}
	}
	rep.Overall = all.scores()
	for c, t := range by {
		rep.ByCategory[c] = t.scores()
	}
	return rep, nil
}

func (t *tally) scores() Scores {
	s := t.s
	if s.InScope > 0 {
		n := float64(s.InScope)
		s.HitAt1, s.HitAt3, s.MRRAt5 = t.hit1/n, t.hit3/n, t.rr/n
	}
	if s.Questions > 0 {
		s.AbstainAccuracy = t.absOK / float64(s.Questions)
	}
	if s.WithAns > 0 {
		s.AnswerInExcerpt = t.ansHits / float64(s.WithAns)
	}
	return s
}

// matchesGold reports whether r, or a duplicate merged into it, is one of
// the gold passages.
func matchesGold(r Result, gold []Location) bool {
	locs := append([]Location{{Source: r.Source, Line: r.Line, EndLine: r.EndLine}}, r.Also...)
	for _, l := range locs {
		for _, g := range gold {
			end := l.EndLine
			if end < l.Line {
				end = l.Line
			}
			if l.Source == g.Source && g.Line >= l.Line && g.Line <= end {
				return true
			}
		}
	}
	return false
}

// WriteReport prints a report as a table.
func WriteReport(w io.Writer, r *EvalReport) {
	fmt.Fprintf(w, "%-14s %5s %7s %7s %7s %9s %9s\n", "category", "n", "hit@1", "hit@3", "MRR@5", "abstain", "answer")
	f := func(v float64, n int, width int) string {
		if n == 0 {
			return fmt.Sprintf("%*s", width, "-")
		}
		return fmt.Sprintf("%*.3f", width, v)
	}
	row := func(name string, s Scores) {
		fmt.Fprintf(w, "%-14s %5d %s %s %s %s %s\n", name, s.Questions,
			f(s.HitAt1, s.InScope, 7), f(s.HitAt3, s.InScope, 7), f(s.MRRAt5, s.InScope, 7),
			f(s.AbstainAccuracy, s.Questions, 9), f(s.AnswerInExcerpt, s.WithAns, 9))
	}
	for _, c := range r.Categories() {
		row(c, r.ByCategory[c])
	}
	row("overall", r.Overall)
	fmt.Fprintf(w, "in scope %d (abstained on %d), out of scope %d (answered %d)\n",
		r.Overall.InScope, r.Overall.FalseAbstain, r.Overall.OutScope, r.Overall.FalseAnswer)
}
