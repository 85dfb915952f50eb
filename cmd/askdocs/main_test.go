package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// runCmd runs the program with args and an environment, returning its
// output and error.
func runCmd(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err = run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestAskHuman(t *testing.T) {
	out, _, err := runCmd(t, nil, "", "ask", "Thương mại Việt - Lào quý 1/2024 đạt bao nhiêu?")
	if err != nil {
		t.Fatal(err)
	}
	want := "[1] 002_4e688d011fa420cf.txt:17 — Thủ tướng Phạm Minh Chính và Thủ tướng Lào Sonexay…\n"
	if !strings.HasPrefix(out, want) {
		t.Errorf("output starts %q, want %q", out[:min(len(out), 200)], want)
	}
	for _, s := range []string{"476,8 triệu USD", "cũng có trong: 000_da11b861e531a3f8.txt:13"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
}

func TestAskJSONFromStdin(t *testing.T) {
	out, _, err := runCmd(t, nil, "hop tac quoc phong an ninh\n\nGiá vàng SJC hôm nay bao nhiêu?\n", "ask", "--json", "--k", "2")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2 (one per question):\n%s", len(lines), out)
	}
	var a, b struct {
		Question string `json:"question"`
		Answered bool   `json:"answered"`
		Results  []struct {
			Source  string `json:"source"`
			Line    int    `json:"line"`
			EndLine int    `json:"end_line"`
			Title   string `json:"title"`
			Score   float64
			Excerpt string            `json:"excerpt"`
			Also    []json.RawMessage `json:"also"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &b); err != nil {
		t.Fatal(err)
	}
	if !a.Answered || len(a.Results) == 0 || len(a.Results) > 2 || a.Results[0].Line == 0 || a.Results[0].Excerpt == "" || a.Results[0].Also == nil {
		t.Errorf("first answer = %+v", a)
	}
	if b.Answered || b.Results == nil || len(b.Results) != 0 {
		t.Errorf("out-of-scope answer = %+v, want answered false and results []", b)
	}
	for _, key := range []string{`"question":`, `"answered":`, `"results":`, `"source":`, `"line":`, `"end_line":`, `"title":`, `"score":`, `"excerpt":`, `"also":`} {
		if !strings.Contains(lines[0], key) {
			t.Errorf("JSON lacks %s: %s", key, lines[0])
		}
	}
}

func TestAbstainHuman(t *testing.T) {
	out, _, err := runCmd(t, map[string]string{"BOT_LANG": "en"}, "", "ask", "How tall is the Eiffel Tower?")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "The documents do not answer this question.\nThey cover: ") {
		t.Errorf("output = %q", out)
	}
}

func TestErrors(t *testing.T) {
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "image.png"), []byte("\x89PNG"), 0o644)
	tests := []struct {
		args []string
		env  map[string]string
		want string
		code int
	}{
		{[]string{}, nil, "no command given", 2},
		{[]string{"frobnicate"}, nil, `unknown command "frobnicate"`, 2},
		{[]string{"ask", "--bogus", "x"}, nil, "ask: unknown flag -bogus", 2},
		{[]string{"ask", "--k", "0", "x"}, nil, "ask: --k 0: want 1 to 50", 2},
		{[]string{"ask", "--docs", "/nonexistent/askdocs", "x"}, nil, "docs folder /nonexistent/askdocs: no such file or directory", 1},
		{[]string{"ask", "--docs", empty, "x"}, nil, empty + ": no readable documents found (text, Markdown, HTML, PDF or DOCX)", 1},
		{[]string{"ask", "x"}, map[string]string{"LOG_LEVEL": "loud"}, `LOG_LEVEL "loud"`, 2},
		{[]string{"eval"}, nil, "eval: want one question file", 2},
		{[]string{"ask", "--rebuild", "--index", "/nonexistent/ix", "x"}, map[string]string{"INDEX_READONLY": "true"}, "--rebuild and INDEX_READONLY=true: a read-only index cannot be rebuilt", 2},
		{[]string{"index"}, nil, "index: needs --index DIR", 2},
		{[]string{"serve"}, nil, "serve: DISCORD_TOKEN is not set", 2},
		{[]string{"serve"}, map[string]string{"DISCORD_TOKEN": "t", "RATE_LIMIT": "many"}, `RATE_LIMIT "many": want a whole number`, 2},
	}
	for _, tt := range tests {
		_, _, err := runCmd(t, tt.env, "", tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) || exitCode(err) != tt.code {
			t.Errorf("%v: err = %v (exit %d), want %q (exit %d)", tt.args, err, exitCode(err), tt.want, tt.code)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error spans lines: %q", tt.args, err)
		}
	}
}

func TestIndexThenAsk(t *testing.T) {
	docs, index := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	os.WriteFile(filepath.Join(docs, "a.txt"), []byte("Hai nước ký thỏa thuận về năng lượng tái tạo."), 0o644)
	out, _, err := runCmd(t, nil, "", "index", "--docs", docs, "--index", index)
	if err != nil || !strings.HasPrefix(out, "built index (no index yet): 1 added, 0 changed, 0 removed, 0 unchanged, 0 skipped; 1 passages in ") {
		t.Fatalf("index: %q, %v", out, err)
	}
	out, _, err = runCmd(t, nil, "", "index", "--docs", docs, "--index", index)
	if err != nil || !strings.HasPrefix(out, "updated index: 0 added, 0 changed, 0 removed, 1 unchanged, 0 skipped; 1 passages in ") {
		t.Fatalf("second index: %q, %v", out, err)
	}
	out, _, err = runCmd(t, map[string]string{"DOCS_DIR": docs, "INDEX_PATH": index}, "", "ask", "nang luong tai tao")
	if err != nil || !strings.HasPrefix(out, "[1] a.txt:1 — Hai nước ký thỏa thuận về năng lượng tái tạo\n") {
		t.Fatalf("ask: %q, %v", out, err)
	}
}

func TestEvalCommand(t *testing.T) {
	out, _, err := runCmd(t, nil, "", "eval", "../../retrieval/testdata/questions.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "overall") || !strings.Contains(out, "in scope 128 (abstained on ") || !strings.Contains(out, "bm25+bigrams") {
		t.Errorf("eval output:\n%s", out)
	}
}

func TestReadOnlyIndex(t *testing.T) {
	docs, index := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	os.WriteFile(filepath.Join(docs, "a.txt"), []byte("Đường sắt Viêng Chăn – Vũng Áng."), 0o644)
	env := map[string]string{"DOCS_DIR": docs, "INDEX_PATH": index, "INDEX_READONLY": "true"}
	// Read-only needs an index built before.
	if _, _, err := runCmd(t, env, "", "ask", "duong sat"); err == nil || !strings.Contains(err.Error(), "askdocs index") {
		t.Fatalf("read-only open of a missing index: %v", err)
	}
	if _, _, err := runCmd(t, nil, "", "index", "--docs", docs, "--index", index); err != nil {
		t.Fatal(err)
	}
	// A change to the documents is not applied by a read-only reader.
	os.WriteFile(filepath.Join(docs, "b.txt"), []byte("Học bổng cho sinh viên Lào."), 0o644)
	out, _, err := runCmd(t, env, "", "ask", "--json", "hoc bong sinh vien")
	if err != nil || !strings.Contains(out, `"answered":false`) {
		t.Fatalf("read-only ask: %q, %v", out, err)
	}
	out, _, err = runCmd(t, env, "", "ask", "duong sat vieng chan")
	if err != nil || !strings.HasPrefix(out, "[1] a.txt:1") {
		t.Fatalf("read-only ask: %q, %v", out, err)
	}
}

func TestSetGCPercent(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tt := range []struct {
		in   string
		want int
		err  string
	}{{"", defaultGCPercent, ""}, {"200", 200, ""}, {"off", -1, ""},
		{"nonsense", 100, `GOGC "nonsense": want off or a whole number from 1 (percent of live heap)`},
		{"-5", 100, `GOGC "-5": want off or a whole number from 1 (percent of live heap)`}} {
		debug.SetGCPercent(100)
		err := setGCPercent(tt.in)
		if got := debug.SetGCPercent(100); got != tt.want {
			t.Errorf("GOGC=%q: GC percent %d, want %d", tt.in, got, tt.want)
		}
		if (err == nil) != (tt.err == "") || err != nil && err.Error() != tt.err {
			t.Errorf("GOGC=%q: err = %v, want %q", tt.in, err, tt.err)
		}
	}
}
