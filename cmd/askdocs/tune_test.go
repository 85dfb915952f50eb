package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdocs/askdocs/retrieval/rank"
)

// TestTuneWritesModel fits on the seed questions alone, skipping a set
// that is not there with a message, and writes a model that parses.
func TestTuneWritesModel(t *testing.T) {
	out := filepath.Join(t.TempDir(), "model.json")
	stdout, stderr, err := runCmd(t, nil, "", "tune",
		"--set", ":../../retrieval/testdata/questions.jsonl",
		"--set", "/no/such/docs:/no/such/questions.jsonl",
		"--folds", "2", "--rounds", "1", "--out", out)
	if err != nil {
		t.Fatalf("tune: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "tune: skipping /no/such/docs:/no/such/questions.jsonl") {
		t.Errorf("stderr does not say the missing set was skipped:\n%s", stderr)
	}
	for _, want := range []string{"150 questions", "2-fold cross-validated", "hit@1", "out of scope declined", "wrote " + out} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := rank.Parse(b)
	if err != nil {
		t.Fatalf("written model: %v", err)
	}
	if m.Threshold != 0.5 || !strings.Contains(m.Fitted, "150 questions of 1 sets") {
		t.Errorf("model threshold %v, fitted %q", m.Threshold, m.Fitted)
	}
}

func TestTuneRejectsBadSet(t *testing.T) {
	_, _, err := runCmd(t, nil, "", "tune", "--set", "no-colon.jsonl", "--out", "")
	if err == nil || !strings.Contains(err.Error(), "want DOCS:QUESTIONS.jsonl") {
		t.Errorf("err = %v, want the DOCS:QUESTIONS.jsonl form named", err)
	}
}
