package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalComparesBaselines checks that eval scores the engine and both
// baselines on the same documents, as a table and as JSON.
func TestEvalComparesBaselines(t *testing.T) {
	docs := t.TempDir()
	os.WriteFile(filepath.Join(docs, "a.txt"), []byte("Hai nước ký thỏa thuận về năng lượng tái tạo.\n\nThương mại song phương đạt 476,8 triệu USD.\n"), 0o644)
	set := filepath.Join(t.TempDir(), "q.jsonl")
	os.WriteFile(set, []byte(`{"q":"nang luong tai tao","category":"nodiac","gold":[{"source":"a.txt","line":1}],"answer":"năng lượng tái tạo"}
{"q":"Thương mại song phương đạt bao nhiêu?","category":"plain","gold":[{"source":"a.txt","line":3}],"answer":"476,8 triệu USD"}
`), 0o644)

	out, _, err := runCmd(t, nil, "", "eval", "--docs", docs, set)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"hit@1              n askdocs    bm25 bm25+bigrams  Δ bm25 Δ bm25+bigrams  Δ best\n",
		"overall            2   1.000   1.000        1.000  +0.000         +0.000  +0.000\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}

	out, _, err = runCmd(t, nil, "", "eval", "--json", "--docs", docs, set)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Systems []struct {
			Name    string `json:"name"`
			Overall struct {
				InScope int      `json:"in_scope"`
				HitAt1  *float64 `json:"hit_at_1"`
			} `json:"overall"`
		} `json:"systems"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("eval --json: %v:\n%s", err, out)
	}
	var names []string
	for _, s := range got.Systems {
		names = append(names, s.Name)
		if s.Overall.InScope != 2 || s.Overall.HitAt1 == nil || *s.Overall.HitAt1 != 1 {
			t.Errorf("%s: in scope %d, hit@1 %v; want 2, 1", s.Name, s.Overall.InScope, s.Overall.HitAt1)
		}
	}
	if strings.Join(names, ",") != "askdocs,bm25,bm25+bigrams" {
		t.Errorf("systems %q", names)
	}
}

// TestEvalVerbose checks that -v lists the engine's misses.
func TestEvalVerbose(t *testing.T) {
	docs := t.TempDir()
	os.WriteFile(filepath.Join(docs, "a.txt"), []byte("Hai nước ký thỏa thuận về năng lượng tái tạo.\n"), 0o644)
	set := filepath.Join(t.TempDir(), "q.jsonl")
	os.WriteFile(set, []byte(`{"q":"giá vàng SJC hôm nay","category":"oos","gold":[{"source":"a.txt","line":1}]}`+"\n"), 0o644)
	out, _, err := runCmd(t, nil, "", "eval", "-v", "--docs", docs, set)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "\n  abstained on \"giá vàng SJC hôm nay\" (terms ") {
		t.Errorf("eval -v does not list the miss:\n%s", out)
	}
}
