package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/askdocs/askdocs/internal/synth"
)

func TestPlainAnalyzer(t *testing.T) {
	m, err := plainMapping()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []string
	}{
		{"Hợp tác quốc phòng", []string{"hop", "tac", "quoc", "phong"}},
		{"Đường sắt Viêng Chăn–Vũng Áng, 2024.", []string{"duong", "sat", "vieng", "chan", "vung", "ang", "2024"}},
		{"THỦ TƯỚNG", []string{"thu", "tuong"}},
	}
	for _, tt := range tests {
		a := m.AnalyzerNamed(plainAnalyzer)
		if a == nil {
			t.Fatal("no plain analyzer")
		}
		var got []string
		for _, tok := range a.Analyze([]byte(tt.text)) {
			got = append(got, string(tok.Term))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("analyze %q = %q, want %q", tt.text, got, tt.want)
		}
	}
	fm := m.DefaultMapping.Properties[plainField].Fields[0]
	if fm.Store || fm.IncludeTermVectors || fm.IncludeInAll || fm.DocValues {
		t.Errorf("plain field %+v: want nothing stored, no term vectors, no _all, no doc values", fm)
	}
	if m.DefaultMapping.Dynamic {
		t.Error("plain mapping is dynamic, want static")
	}
}

func TestSummary(t *testing.T) {
	ms := func(xs ...int) []time.Duration {
		var out []time.Duration
		for _, x := range xs {
			out = append(out, time.Duration(x)*time.Millisecond)
		}
		return out
	}
	tests := []struct {
		perQ              [][]time.Duration
		p50, p99, maxTime float64
	}{
		{nil, 0, 0, 0},
		{[][]time.Duration{ms(1)}, 1000, 1000, 1000},
		{[][]time.Duration{ms(3, 1), ms(2, 4)}, 2000, 4000, 4000},
		{[][]time.Duration{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)}, 5000, 10000, 10000},
	}
	for _, tt := range tests {
		p50, p99, mx := summary(tt.perQ)
		if p50 != tt.p50 || p99 != tt.p99 || mx != tt.maxTime {
			t.Errorf("summary(%v) = %v, %v, %v; want %v, %v, %v", tt.perQ, p50, p99, mx, tt.p50, tt.p99, tt.maxTime)
		}
	}
	got := slowest([]string{"a", "b", "c"}, [][]time.Duration{ms(1, 1), ms(5, 3), ms(8, 9)}, 2)
	if len(got) != 2 || got[0].Question != "c" || got[1].Question != "b" {
		t.Errorf("slowest = %+v, want c then b", got)
	}
}

func TestReadQuestions(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		body string
		want []string
		err  string
	}{
		{"một\n\n# note\n  hai  \n", []string{"một", "hai"}, ""},
		{"\n# nothing\n", nil, "no question in the file"},
	}
	for i, tt := range tests {
		path := filepath.Join(dir, "q"+string(rune('0'+i)))
		if err := os.WriteFile(path, []byte(tt.body), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := ReadQuestions(path)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ReadQuestions(%q): err %v, want %q", tt.body, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ReadQuestions(%q) = %q, %v; want %q", tt.body, got, err, tt.want)
		}
	}
	if _, err := ReadQuestions(filepath.Join(dir, "missing")); err == nil {
		t.Error("ReadQuestions of a missing file: no error")
	}
}

func TestProcess(t *testing.T) {
	hwm, rss, err := procMemory()
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	if hwm < rss || rss < 1<<20 {
		t.Errorf("VmHWM %d, VmRSS %d: want HWM >= RSS >= 1 MB", hwm, rss)
	}
	if cpu := procCPU(); cpu < 0 {
		t.Errorf("procCPU = %v, want >= 0", cpu)
	}
	if l := loadAvg(); l < 0 {
		t.Errorf("loadAvg = %v, want >= 0", l)
	}
}

func TestRun(t *testing.T) {
	res, err := Run(context.Background(), Config{
		Vocab: synth.Zipf, Passages: 200, Seed: 3, Runs: 2, Baseline: true,
		Questions: []string{synth.RareToken(0), "hợp tác quốc phòng"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Passages != 200 || res.Documents != 1 || res.Queries != 2 || res.Runs != 2 {
		t.Errorf("passages %d, documents %d, queries %d, runs %d: want 200, 1, 2, 2", res.Passages, res.Documents, res.Queries, res.Runs)
	}
	if res.Answered < 1 {
		t.Errorf("answered %d: the rare token of passage 50 has an answer", res.Answered)
	}
	if res.Bleve == nil || res.Bleve.BuildMBs <= 0 || res.BuildRatio <= 0 || res.Bleve.Runs != 2 {
		t.Fatalf("plain bleve %+v, ratio %v: want measured", res.Bleve, res.BuildRatio)
	}
	if res.UpdateFiles != 1 || res.UpdateS <= 0 || res.UpdateRebuilt != "" {
		t.Errorf("update: %d files in %v s, rebuilt %q: want 1 file updated in place", res.UpdateFiles, res.UpdateS, res.UpdateRebuilt)
	}
	for _, n := range res.Notes {
		t.Errorf("note: %s", n)
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"200 passages, 1 documents", "zipf vocabulary", "plain bleve build", "askdocs builds at", "1 file changed, updated in place"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
}
