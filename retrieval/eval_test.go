package retrieval

import (
	"context"
	"os"
	"strings"
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

func TestReadEvalCasesStrict(t *testing.T) {
	const ok = `{"q":"a","gold":[{"source":"a.txt","line":1}]}`
	for _, tt := range []struct {
		name, in, err string
	}{
		{"good", "# comment\n\n" + ok + "\n" + `{"q":"b","category":"oos"}`, ""},
		{"end line", `{"q":"a","gold":[{"source":"a.txt","line":1,"end_line":3}],"answer":"x"}`, ""},
		{"misspelled field", ok + "\n" + `{"question":"a","gold":[]}`, `retrieval: eval line 2: unknown field "question"`},
		{"empty q", `{"q":"  ","category":"plain"}`, "retrieval: eval line 1: empty q"},
		{"no q", `{"category":"plain"}`, "retrieval: eval line 1: empty q"},
		{"gold not a list", `{"q":"a","gold":{"source":"a.txt","line":1}}`, "retrieval: eval line 1: cannot unmarshal object into Go struct field EvalCase.gold of type []retrieval.Location"},
		{"gold without source", `{"q":"a","gold":[{"line":1}]}`, `retrieval: eval line 1: gold location {"line":1}: no source`},
		{"gold line zero", `{"q":"a","gold":[{"source":"a.txt"}]}`, `retrieval: eval line 1: gold location {"source":"a.txt"}: line must be 1 or more`},
		{"gold line as text", `{"q":"a","gold":[{"source":"a.txt","line":"1"}]}`, "retrieval: eval line 1: cannot unmarshal string into Go struct field .line of type int"},
		{"gold unknown field", `{"q":"a","gold":[{"source":"a.txt","line":1,"file":"b"}]}`, `retrieval: eval line 1: unknown field "file"`},
		{"end before line", `{"q":"a","gold":[{"source":"a.txt","line":3,"end_line":2}]}`, `retrieval: eval line 1: gold location {"source":"a.txt","line":3,"end_line":2}: end_line before line`},
		{"answer without gold", `{"q":"a","answer":"x"}`, "retrieval: eval line 1: answer without gold (a question with no gold must be declined)"},
		{"two objects", ok + ok, "retrieval: eval line 1: more than one JSON value on the line"},
		{"not JSON", "q: a", "retrieval: eval line 1: invalid character 'q' looking for beginning of value"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cases, err := ReadEvalCases(strings.NewReader(tt.in))
			if tt.err == "" {
				if err != nil || len(cases) == 0 {
					t.Fatalf("ReadEvalCases = %v, %v", cases, err)
				}
				return
			}
			if err == nil || err.Error() != tt.err {
				t.Fatalf("err = %v\nwant  %s", err, tt.err)
			}
		})
	}
}
