package retrieval

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestDebugQuestions prints how questions in $ASKDOCS_DEBUG (one per
// line) are analysed and ranked. It is a tuning aid and skips otherwise.
func TestDebugQuestions(t *testing.T) {
	qs := os.Getenv("ASKDOCS_DEBUG")
	if qs == "" {
		t.Skip("set ASKDOCS_DEBUG to questions, one per line")
	}
	ix := seedIndex(t)
	ctx := context.Background()
	for _, question := range strings.Split(qs, "\n") {
		q := parseQuery(cleanQuestion(question), ix.vocab, ix.bigramDF(ctx))
		var cs []string
		for _, c := range q.concepts {
			cs = append(cs, fmt.Sprintf("%s(%.2f)", c.text, c.weight))
		}
		fmt.Printf("Q %s\n  concepts %s\n  bigrams %d\n", question, strings.Join(cs, " "), len(q.bigrams))
		r, err := ix.reader()
		if err != nil {
			t.Fatal(err)
		}
		cands, _ := ix.candidates(ctx, r, q)
		r.Close()
		for i, c := range cands {
			if i == 4 {
				break
			}
			p := ix.corpus.Passages[c.passage]
			fmt.Printf("  %.3f cov=%.2f %s:%d %.60s\n", c.score, c.cov, ix.corpus.Docs[p.Doc].Source[:3], p.Line, p.Text)
		}
	}
}

// bigramDF counts bigrams for tests that analyse questions directly.
func (ix *Index) bigramDF(ctx context.Context) func(string) int {
	return func(bg string) int {
		r, err := ix.reader()
		if err != nil {
			return 0
		}
		defer r.Close()
		return r.df(ctx, fieldFold, bg)
	}
}
