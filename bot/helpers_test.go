package bot

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdocs/askdocs/retrieval"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name.golden, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run go test -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// dump renders r readably for golden files.
func dump(r Reply) string {
	var b strings.Builder
	if r.Ephemeral {
		b.WriteString("ephemeral: true\n")
	}
	if r.Content != "" {
		fmt.Fprintf(&b, "content (%d):\n%s\n", runesIn(r.Content), r.Content)
	}
	for i, e := range r.Embeds {
		fmt.Fprintf(&b, "embed %d (color %#06x):\n", i, e.Color)
		if e.Author != "" {
			fmt.Fprintf(&b, "  author (%d): %s\n", runesIn(e.Author), e.Author)
		}
		if e.Title != "" {
			fmt.Fprintf(&b, "  title (%d): %s\n", runesIn(e.Title), e.Title)
		}
		if e.Description != "" {
			fmt.Fprintf(&b, "  description (%d):\n", runesIn(e.Description))
			for _, l := range strings.Split(e.Description, "\n") {
				b.WriteString("    | " + l + "\n")
			}
		}
		if e.Footer != "" {
			fmt.Fprintf(&b, "  footer (%d): %s\n", runesIn(e.Footer), e.Footer)
		}
	}
	for i, row := range r.Rows {
		fmt.Fprintf(&b, "row %d:", i)
		for _, btn := range row {
			style := ""
			if btn.Primary {
				style = "*"
			}
			fmt.Fprintf(&b, " [%s%s → %s]", style, btn.Label, btn.CustomID)
		}
		b.WriteString("\n")
	}
	return strings.ReplaceAll(b.String(), zwsp, "<ZWSP>")
}

// result builds a result whose highlights are every occurrence of words.
func result(source string, line, end int, title, excerpt string, words ...string) retrieval.Result {
	r := retrieval.Result{
		ID: fmt.Sprintf("%s:%d", source, line), Source: source, Line: line, EndLine: end,
		Title: title, Excerpt: excerpt, Text: excerpt, Score: 1,
	}
	r.Highlights = spans(excerpt, words...)
	return r
}

// spans returns the sorted, non-overlapping byte ranges of words in s.
func spans(s string, words ...string) []retrieval.Span {
	var out []retrieval.Span
	taken := make([]bool, len(s))
	for _, w := range words {
		for i := 0; ; {
			j := strings.Index(s[i:], w)
			if j < 0 {
				break
			}
			st := i + j
			free := true
			for k := st; k < st+len(w); k++ {
				free = free && !taken[k]
			}
			if free {
				for k := st; k < st+len(w); k++ {
					taken[k] = true
				}
				out = append(out, retrieval.Span{Start: st, End: st + len(w)})
			}
			i = st + len(w)
		}
	}
	// sort
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Start < out[j-1].Start; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
