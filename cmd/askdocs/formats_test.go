package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const formatsDir = "../../retrieval/testdata/formats"

// TestAskCitesEveryFormat: --json names the heading path, PDF page and
// address of each result, and leaves out what is unknown; the human
// output cites the page, the paragraph and the heading path.
func TestAskCitesEveryFormat(t *testing.T) {
	env := map[string]string{"DOCS_DIR": formatsDir, "DOCS_BASE_URL": "https://github.com/org/docs/blob/main/{path}#L{line}"}
	tests := []struct {
		q, json, human string
	}{{
		q:     "Năm 2025 thư viện lắp đặt bao nhiêu máy tự mượn trả sách?",
		json:  `"source":"bao-cao-thu-vien.pdf","line":11,"end_line":12,"title":"Báo cáo hoạt động thư viện năm 2024","page":2,"url":"https://github.com/org/docs/blob/main/bao-cao-thu-vien.pdf#L11",`,
		human: "[1] bao-cao-thu-vien.pdf p. 2 — Báo cáo hoạt động thư viện năm 2024\n",
	}, {
		q:     "Windows cần bộ nhớ tối thiểu bao nhiêu?",
		json:  `"source":"huong-dan-cai-dat.md","line":33,"end_line":33,"title":"Hướng dẫn cài đặt askdocs","section":"Cài đặt › Windows","url":"https://docs.example.org/huong-dan-cai-dat",`,
		human: "[1] huong-dan-cai-dat.md:33 — Hướng dẫn cài đặt askdocs › Cài đặt › Windows\n",
	}, {
		q:     "How much does the bot server cost a month?",
		json:  `"source":"community-policy.docx","line":7,"end_line":7,"title":"Community policy","section":"Donations › Spending","url":"https://github.com/org/docs/blob/main/community-policy.docx#L7",`,
		human: "[1] community-policy.docx ¶ 7 — Community policy › Donations › Spending\n",
	}, {
		q:     "When does the volunteer team meet?",
		json:  `"source":"README","line":6,"end_line":6,"title":"Community documents","url":"https://github.com/org/docs/blob/main/README#L6",`,
		human: "[1] README:6 — Community documents\n",
	}}
	for _, tt := range tests {
		out, _, err := runCmd(t, env, "", "ask", "--json", "--k", "1", tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, `"results":[{`+tt.json) {
			t.Errorf("%s: json\n %s\nwant it to hold\n %s", tt.q, out, tt.json)
		}
		out, _, err = runCmd(t, env, "", "ask", "--k", "1", tt.q)
		if err != nil || !strings.HasPrefix(out, tt.human) {
			t.Errorf("%s: human output %q, %v; want %q…", tt.q, out, err, tt.human)
		}
	}
	// Without DOCS_BASE_URL, a file without front matter has no url.
	out, _, err := runCmd(t, map[string]string{"DOCS_DIR": formatsDir}, "", "ask", "--json", "--k", "1", "When does the volunteer team meet?")
	if err != nil || strings.Contains(out, `"url"`) || strings.Contains(out, `"page"`) || strings.Contains(out, `"section"`) {
		t.Errorf("json without a url template: %s, %v", out, err)
	}
}

func TestBadDocsBaseURL(t *testing.T) {
	_, _, err := runCmd(t, map[string]string{"DOCS_BASE_URL": "docs.example.org/{file}"}, "", "ask", "x")
	want := `DOCS_BASE_URL unknown field in "docs.example.org/{file}": use {path}, {path_noext}, {line} or {page}`
	if err == nil || err.Error() != want || exitCode(err) != 2 {
		t.Errorf("err = %v (exit %d), want %q (exit 2)", err, exitCode(err), want)
	}
}

// TestIndexSaysWhatWasSkipped: index counts the skipped files by kind;
// --verbose names each; the log says the same once.
func TestIndexSaysWhatWasSkipped(t *testing.T) {
	docs, index := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	scan, err := os.ReadFile(filepath.Join(formatsDir, "scan.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"a.txt": []byte("Hai nước ký thỏa thuận về năng lượng tái tạo."),
		"b.png": []byte("\x89PNG"), "c.jpg": []byte("\xff\xd8"), "scan.pdf": scan, "old.txt": []byte("H\xe3p"),
	} {
		if err := os.WriteFile(filepath.Join(docs, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, logs, err := runCmd(t, nil, "", "index", "--verbose", "--docs", docs, "--index", index)
	if err != nil {
		t.Fatal(err)
	}
	out = regexp.MustCompile(`in [0-9.]+m?s\n`).ReplaceAllString(out, "in T\n")
	want := "built index (no index yet): 1 added, 0 changed, 0 removed, 0 unchanged, 4 skipped; 1 passages in T\n" +
		"skipped 4: 2 images (not text), 1 PDF without a text layer, 1 invalid UTF-8\n" +
		"  skipped b.png: image (not text)\n" +
		"  skipped c.jpg: image (not text)\n" +
		"  skipped old.txt: not valid UTF-8 (convert it, e.g. from a legacy Vietnamese encoding, to UTF-8)\n" +
		"  skipped scan.pdf: PDF without a text layer (a scan?): run OCR on it first\n"
	if out != want {
		t.Errorf("index output:\n%s\nwant:\n%s", out, want)
	}
	if !strings.Contains(logs, `msg="skipped 4: 2 images (not text), 1 PDF without a text layer, 1 invalid UTF-8"`) {
		t.Errorf("log lacks the summary:\n%s", logs)
	}
}
