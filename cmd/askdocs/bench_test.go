package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdocs/askdocs/internal/bench"
)

func TestBenchJSON(t *testing.T) {
	getenv := func(string) string { return "" }
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"bench", "--passages", "300", "--runs", "2", "--bleve=false", "--json"}, getenv, nil, &stdout, &stderr)
	if err != nil {
		t.Fatalf("bench: %v\nstderr: %s", err, stderr.String())
	}
	// Exactly one JSON object.
	dec := json.NewDecoder(&stdout)
	var got map[string]any
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decode %q: %v", stdout.String(), err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		t.Fatalf("output holds more than one JSON value: %q", stdout.String())
	}
	for _, k := range []string{"passages", "corpus_mb", "build_s", "build_mb_s", "warm_start_ms", "p50_us", "p99_us", "max_us", "rss_mb", "index_mb"} {
		if _, ok := got[k].(float64); !ok {
			t.Errorf("%s = %v, want a number", k, got[k])
		}
	}
	num := func(k string) float64 { f, _ := got[k].(float64); return f }
	if num("passages") != 300 {
		t.Errorf("passages = %v, want 300", got["passages"])
	}
	if num("p50_us") <= 0 || num("p99_us") < num("p50_us") || num("max_us") < num("p99_us") {
		t.Errorf("latencies p50 %v, p99 %v, max %v: want 0 < p50 <= p99 <= max", got["p50_us"], got["p99_us"], got["max_us"])
	}
	if num("corpus_mb") <= 0 || num("build_s") <= 0 || num("build_mb_s") <= 0 {
		t.Errorf("corpus_mb %v, build_s %v, build_mb_s %v: want all > 0", got["corpus_mb"], got["build_s"], got["build_mb_s"])
	}
	if num("warm_start_ms") <= 0 {
		t.Errorf("warm_start_ms = %v, want > 0", got["warm_start_ms"])
	}
	if num("rss_mb") <= 0 || num("index_mb") <= 0 {
		t.Errorf("rss_mb %v, index_mb %v: want > 0", got["rss_mb"], got["index_mb"])
	}
	if num("queries") != float64(len(bench.Questions)) || num("runs") != 2 {
		t.Errorf("queries %v, runs %v: want %d and 2", got["queries"], got["runs"], len(bench.Questions))
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
}

// TestBenchZipfBleve runs the zipf corpus with plain bleve beside
// askdocs, as the README's Speed section does.
func TestBenchZipfBleve(t *testing.T) {
	getenv := func(string) string { return "" }
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"bench", "--vocab", "zipf", "--passages", "300", "--runs", "1", "--json"}, getenv, nil, &stdout, &stderr)
	if err != nil {
		t.Fatalf("bench: %v\nstderr: %s", err, stderr.String())
	}
	var got struct {
		Passages   int     `json:"passages"`
		Source     string  `json:"source"`
		BuildMBs   float64 `json:"build_mb_s"`
		BuildRatio float64 `json:"build_ratio"`
		Bleve      *struct {
			BuildS   float64 `json:"build_s"`
			BuildMBs float64 `json:"build_mb_s"`
			P50us    float64 `json:"p50_us"`
			IndexMB  float64 `json:"index_mb"`
		} `json:"bleve"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("decode %q: %v", stdout.String(), err)
	}
	if got.Passages != 300 || !strings.Contains(got.Source, "zipf") {
		t.Errorf("passages %d, source %q: want 300 of the zipf vocabulary", got.Passages, got.Source)
	}
	if got.Bleve == nil {
		t.Fatalf("no plain bleve figures in %s", stdout.String())
	}
	if got.Bleve.BuildS <= 0 || got.Bleve.BuildMBs <= 0 || got.Bleve.P50us <= 0 || got.Bleve.IndexMB <= 0 {
		t.Errorf("plain bleve %+v: want every figure > 0", *got.Bleve)
	}
	if want := got.BuildMBs / got.Bleve.BuildMBs; got.BuildRatio < want-0.01 || got.BuildRatio > want+0.01 {
		t.Errorf("build_ratio %v, want askdocs's MB/s over bleve's, %.2f", got.BuildRatio, want)
	}
}

func TestBenchErrors(t *testing.T) {
	getenv := func(string) string { return "" }
	empty := filepath.Join(t.TempDir(), "q.txt")
	if err := os.WriteFile(empty, []byte("\n# nothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args  []string
		usage bool
		want  string
	}{
		{[]string{"--passages", "0"}, true, "--passages 0"},
		{[]string{"--runs", "0"}, true, "--runs 0"},
		{[]string{"--passages", "10", "--docs", "."}, true, "not both"},
		{[]string{"--vocab", "zipf", "--docs", "."}, true, "not both"},
		{[]string{"--vocab", "zipfian"}, true, `--vocab "zipfian": want chain or zipf`},
		{[]string{"--bogus"}, true, "unknown flag"},
		{[]string{"extra"}, true, "unexpected argument"},
		{[]string{"--docs", filepath.Join(t.TempDir(), "missing")}, false, "docs folder"},
		{[]string{"--passages", "10", "--queries", empty}, false, "no question"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), append([]string{"bench"}, tt.args...), getenv, nil, &stdout, &stderr)
		if err == nil {
			t.Errorf("bench %v: no error", tt.args)
			continue
		}
		if got := exitCode(err) == 2; got != tt.usage {
			t.Errorf("bench %v: %v: usage error %v, want %v", tt.args, err, got, tt.usage)
		}
		if msg := err.Error(); !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
			t.Errorf("bench %v: error %q, want one line holding %q", tt.args, msg, tt.want)
		}
	}
}
