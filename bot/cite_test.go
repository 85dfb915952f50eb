package bot

import (
	"strings"
	"testing"

	"github.com/askdocs/askdocs/retrieval"
)

// TestCitationLinks: a result's citation names its title, heading path
// and place (line, PDF page, DOCX paragraph), and is a link when its
// address is safe; an unsafe address is left out, never able to break
// the markdown or ping anyone.
func TestCitationLinks(t *testing.T) {
	tests := []struct {
		name string
		r    retrieval.Result
		want string
	}{{
		name: "markdown with url",
		r:    retrieval.Result{Source: "guide/cai-dat.md", Line: 33, EndLine: 33, Title: "Hướng dẫn", Section: "Cài đặt › Windows", URL: "https://docs.example.org/cai-dat"},
		want: "\\[1\\] Hướng dẫn › Cài đặt › Windows — [guide/cai\\-dat.md:33](https://docs.example.org/cai-dat)",
	}, {
		name: "pdf page",
		r:    retrieval.Result{Source: "report.pdf", Line: 11, EndLine: 12, Page: 2, Title: "Báo cáo", URL: "https://x.org/report.pdf#page=2"},
		want: "\\[1\\] Báo cáo — [report.pdf p. 2](https://x.org/report.pdf#page=2)",
	}, {
		name: "docx paragraph, no url",
		r:    retrieval.Result{Source: "policy.docx", Line: 7, EndLine: 7, Title: "Policy", Section: "Donations"},
		want: "\\[1\\] Policy › Donations — `policy.docx ¶ 7`",
	}, {
		name: "section repeating the title",
		r:    retrieval.Result{Source: "a.html", Line: 3, EndLine: 3, Title: "Guide", Section: "Guide › Appeals"},
		want: "\\[1\\] Guide › Appeals — `a.html:3`",
	}, {
		name: "url that would close the link",
		r:    retrieval.Result{Source: "a.md", Line: 1, EndLine: 1, Title: "A", URL: "https://x.org/a) @everyone [x](y"},
		want: "\\[1\\] A — `a.md:1`",
	}, {
		name: "url with a mention-like @",
		r:    retrieval.Result{Source: "a.md", Line: 1, EndLine: 1, Title: "A", URL: "https://x.org/@everyone"},
		want: "\\[1\\] A — `a.md:1`",
	}, {
		name: "not http",
		r:    retrieval.Result{Source: "a.md", Line: 1, EndLine: 1, Title: "A", URL: "javascript:alert(1)"},
		want: "\\[1\\] A — `a.md:1`",
	}, {
		name: "markup in the title and section",
		r:    retrieval.Result{Source: "a.md", Line: 2, EndLine: 2, Title: "**[bold](x)**", Section: "<@42> @here", URL: "https://x.org/a"},
		want: "\\[1\\] \\*\\*\\[bold\\]\\(x\\)\\*\\* › \\<@42\\> @\u200bhere — [a.md:2](https://x.org/a)",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.r.Excerpt = "Đoạn trích."
			a := retrieval.Answer{Question: "q", Answered: true, Results: []retrieval.Result{tt.r}}
			r := BuildReply(Question{Text: "q"}, a, Page{0, 3}, LangVI)
			checkReply(t, r)
			lines := strings.Split(r.Embeds[0].Description, "\n")
			if got := lines[len(lines)-1]; got != tt.want {
				t.Errorf("citation\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestFullPassageHeadingPath: the "Full passage" view names the heading
// path above the passage and its place.
func TestFullPassageHeadingPath(t *testing.T) {
	a := retrieval.Answer{Question: "q", Answered: true, Results: []retrieval.Result{{
		Source: "report.pdf", Line: 11, EndLine: 12, Page: 2, Title: "Báo cáo", Section: "Kế hoạch 2025",
		Text: "Năm 2025, thư viện dự kiến lắp đặt 20 máy.", Excerpt: "20 máy",
	}}}
	r := buildPassage(a, 0, LangVI)
	checkReply(t, r)
	e := r.Embeds[0]
	if e.Author != "[1] Báo cáo › Kế hoạch 2025" || e.Footer != "📄 report.pdf p. 2" || e.Description != "Năm 2025, thư viện dự kiến lắp đặt 20 máy." {
		t.Errorf("passage: author %q footer %q description %q", e.Author, e.Footer, e.Description)
	}
}
