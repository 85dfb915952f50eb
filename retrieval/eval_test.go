package retrieval

import (
	"context"
	"os"
	"testing"

	"github.com/askdocs/askdocs/seeds"
)

func seedIndex(t testing.TB) *Index {
	t.Helper()
	ix, warnings, err := Build(context.Background(), seeds.FS, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) > 0 {
		t.Fatalf("warnings: %v", warnings)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// evalCases reads the evaluation's question set.
func evalCases(t *testing.T) []EvalCase {
	t.Helper()
	f, err := os.Open("testdata/questions.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := ReadEvalCases(f)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}
