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
		cands, _ := ix.candidates(ctx, q)
		for i, c := range cands {
			if i == 4 {
				break
			}
			p := ix.corpus.Passages[c.passage]
			fmt.Printf("  %.3f cov=%.2f %s:%d %.60s\n", c.score, c.cov, ix.corpus.Docs[p.Doc].Source[:3], p.Line, p.Text)
		}
	}
}
