package bot

import (
	"context"

	"github.com/askdocs/askdocs/retrieval"
)

// fakeSearcher is a Searcher made of a function.
type fakeSearcher struct {
	SearchFn func(ctx context.Context, question string, k int) (retrieval.Answer, error)
}

func (f fakeSearcher) Search(ctx context.Context, question string, k int) (retrieval.Answer, error) {
	if f.SearchFn == nil {
		return retrieval.Answer{Question: question}, nil
	}
	return f.SearchFn(ctx, question, k)
}
