package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalThresholds checks that eval exits 1 when a figure falls short
// of its threshold, 0 when all are met, and 2 for a threshold out of
// range; and that a malformed question file is an error naming the line.
func TestEvalThresholds(t *testing.T) {
	dir := t.TempDir()
	// Two questions about the seeds: one answered first, one out of scope.
	good := filepath.Join(dir, "good.jsonl")
	os.WriteFile(good, []byte(`{"q":"Thương mại Việt - Lào quý 1/2024 đạt bao nhiêu?","category":"plain","gold":[{"source":"002_4e688d011fa420cf.txt","line":17}],"answer":"476,8 triệu USD"}
{"q":"Giá vàng SJC hôm nay bao nhiêu?","category":"oos"}
`), 0o644)
	// A gold passage that is never found, and an out-of-scope question
	// that is answered.
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"q":"Thương mại Việt - Lào quý 1/2024 đạt bao nhiêu?","gold":[{"source":"nowhere.txt","line":1}]}
{"q":"hop tac quoc phong an ninh","category":"oos"}
`), 0o644)
	typo := filepath.Join(dir, "typo.jsonl")
	os.WriteFile(typo, []byte(`{"q":"a","gold":[{"source":"a.txt","line":1}]}`+"\n"+`{"qestion":"b"}`+"\n"), 0o644)
	all := []string{"--min-hit1", "1", "--min-hit3", "1", "--min-mrr", "1", "--min-abstain", "1", "--min-answer", "1", "--max-false-abstain", "0", "--max-false-answer", "0"}
	for _, tt := range []struct {
		name string
		args []string
		err  string // "" for exit 0
		code int
	}{
		{"met", append([]string{"eval", good}, all...), "", 0},
		{"no thresholds", []string{"eval", bad}, "", 0},
		{"hit@1 short", []string{"eval", "--min-hit1", "0.5", bad}, "eval: below the thresholds: hit@1 0.000 < 0.500", 1},
		{"every figure short", append([]string{"eval", bad}, all...),
			"eval: below the thresholds: hit@1 0.000 < 1.000; hit@3 0.000 < 1.000; MRR@5 0.000 < 1.000; abstain 0.500 < 1.000; answered 1 out-of-scope > 0", 1},
		{"false answer", []string{"eval", "--max-false-answer", "0", bad}, "eval: below the thresholds: answered 1 out-of-scope > 0", 1},
		{"threshold out of range", []string{"eval", "--min-hit1", "95", good}, "eval: --min-hit1 95: want 0 to 1", 2},
		{"misspelled field", []string{"eval", typo}, "eval: " + typo + `: retrieval: eval line 2: unknown field "qestion"`, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := runCmd(t, nil, "", tt.args...)
			if tt.err == "" {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
			} else if err == nil || err.Error() != tt.err || exitCode(err) != tt.code {
				t.Fatalf("err = %v (exit %d)\nwant  %s (exit %d)", err, exitCode(err), tt.err, tt.code)
			}
			if tt.code != 2 && !strings.Contains(tt.name, "field") && !strings.Contains(out, "overall") {
				t.Errorf("no report printed:\n%s", out)
			}
		})
	}
}
