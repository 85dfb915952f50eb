package retrieval

import (
	"context"

	"github.com/askdocs/askdocs/retrieval/rank"
)

// FitQuestions explains every case of an evaluation set with ix and
// returns them as the model fitter sees them: each candidate's features
// and signals, and which candidates are gold.
func FitQuestions(ctx context.Context, ix *Index, set string, cases []EvalCase) ([]rank.Question, error) {
	out := make([]rank.Question, 0, len(cases))
	for _, c := range cases {
		ex, sig, err := ix.Explain(ctx, c.Q)
		if err != nil {
			return nil, err
		}
		q := rank.Question{Set: set, Answerable: len(c.Gold) > 0, Signals: sig}
		for _, e := range ex {
			q.Candidates = append(q.Candidates, rank.Candidate{
				Order: e.Order, Gold: e.Location.Answers(c.Gold), Features: e.Features, Signals: e.Signals,
			})
		}
		out = append(out, q)
	}
	return out, nil
}
