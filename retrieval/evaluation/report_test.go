package evaluation

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/askdocs/askdocs/retrieval"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// tinyFS is a made-up corpus of two documents, three passages each.
var tinyFS = fstest.MapFS{
	"lao.txt":  {Data: []byte("Quan hệ Việt – Lào\n\nViệt Nam và Lào ký hiệp định hợp tác quốc phòng năm 2024.\n\nThương mại song phương đạt 476,8 triệu USD.\n")},
	"dien.txt": {Data: []byte("Điện gió\n\nNhà máy điện gió ở Lào bán điện cho Việt Nam.\n\nNăng lượng tái tạo là ưu tiên hợp tác.\n")},
}

var tinyCases = []retrieval.EvalCase{
	{Q: "Thương mại song phương đạt bao nhiêu?", Category: "plain", Gold: gold("lao.txt", 5), Answer: "476,8 triệu USD"},
	{Q: "hợp tác quốc phòng năm nào", Category: "plain", Gold: gold("lao.txt", 3), Answer: "2024"},
	{Q: "nha may dien gio o dau", Category: "nodiac", Gold: gold("dien.txt", 3), Answer: "Lào"},
	{Q: "nang luong tai tao", Category: "nodiac", Gold: gold("dien.txt", 5)},
	{Q: "giá điện ở Lào hôm nay", Category: "oos"},
	{Q: "thời tiết Việt Nam", Category: "oos"},
}

// tinyEngine stands for the engine, so that the golden files hold the
// evaluation's figures and layout, not the engine's ranking of the day.
var tinyEngine = fakeEngine{
	"Thương mại song phương đạt bao nhiêu?": {Answered: true, Confidence: 0.92, Results: []retrieval.Result{
		res("lao.txt", 5, "Thương mại song phương đạt 476,8 triệu USD.")}},
	"hợp tác quốc phòng năm nào": {Answered: false, Confidence: 0.35},
	"nha may dien gio o dau": {Answered: true, Confidence: 0.71, Results: []retrieval.Result{
		res("dien.txt", 5, "Năng lượng tái tạo là ưu tiên hợp tác."), res("dien.txt", 3, "Nhà máy điện gió ở Lào bán điện…")}},
	"nang luong tai tao": {Answered: true, Confidence: 0.88, Results: []retrieval.Result{
		res("dien.txt", 5, "Năng lượng tái tạo là ưu tiên hợp tác.")}},
	"giá điện ở Lào hôm nay": {Answered: true, Confidence: 0.52, Results: []retrieval.Result{
		res("lao.txt", 5, "Thương mại song phương đạt 476,8 triệu USD.")}},
	"thời tiết Việt Nam": {Answered: false, Confidence: 0.04},
}

func tinyComparison(t *testing.T) *Comparison {
	t.Helper()
	c, _, err := retrieval.LoadCorpus(context.Background(), tinyFS)
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := Compare(context.Background(), tinyEngine, c, tinyCases)
	if err != nil {
		t.Fatal(err)
	}
	return cmp
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it); got:\n%s", path, got)
	}
}

func TestWriteComparisonGolden(t *testing.T) {
	var b bytes.Buffer
	WriteComparison(&b, tinyComparison(t))
	golden(t, "comparison.golden", b.Bytes())
}

func TestWriteJSONGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, tinyComparison(t), true); err != nil {
		t.Fatal(err)
	}
	golden(t, "comparison.json.golden", b.Bytes())
	if !json.Valid(b.Bytes()) {
		t.Error("not valid JSON")
	}
}

// TestTinyFigures checks, independently of the golden files, the figures
// worked out by hand for the tiny set.
func TestTinyFigures(t *testing.T) {
	cmp := tinyComparison(t)
	e := cmp.Engine().Overall
	// In scope: 4; hit@1 for questions 1 and 4, rank 2 for question 3,
	// question 2 abstained on.
	if e.HitAt1 != 0.5 || e.HitAt5 != 0.75 || e.MRRAt5 != (1+0.5+1)/4.0 || e.FalseAbstain != 1 || e.FalseAnswer != 1 {
		t.Errorf("engine overall %+v", e)
	}
	// Answered with an answer: questions 1 and 3; the top excerpt holds
	// it for question 1 only. Top excerpts of answered in-scope
	// questions: 43, 38 and 38 characters.
	if e.AnsweredWithAns != 2 || e.AnswerInTop1 != 0.5 || e.MedianTop1Runes != 38 {
		t.Errorf("engine excerpts %+v", e)
	}
	if n := len(cmp.Systems); n != 3 || cmp.Systems[1].System != "bm25" || cmp.Systems[2].System != "bm25+bigrams" {
		t.Fatalf("systems %d", n)
	}
	// The baselines never abstain: every question is answered.
	for _, b := range cmp.Baselines() {
		if b.Overall.FalseAbstain != 0 || b.Overall.FalseAnswer != 2 {
			t.Errorf("%s: abstained on %d, answered %d out of scope; want 0 and 2", b.System, b.Overall.FalseAbstain, b.Overall.FalseAnswer)
		}
	}
}
