package bot

import (
	"testing"

	"github.com/askdocs/askdocs/retrieval"
)

// FuzzBuildReply builds replies from arbitrary documents and questions and
// checks that they never panic and always hold the invariants of
// checkReply: valid UTF-8, Discord's limits, no live mention, balanced
// markdown. The seed corpus is in testdata/fuzz/FuzzBuildReply.
func FuzzBuildReply(f *testing.F) {
	f.Add("Thủ tướng Lào?", "Thủ tướng **Lào** @everyone <@1>", "Tiêu đề", "002_4e688d011fa420cf.txt", "Đoạn\nđầy đủ", "Chủ đề", 0, 5, true, uint8(3), 0, false)
	f.Fuzz(func(t *testing.T, question, excerpt, title, source, passage, suggestion string, hlStart, hlEnd int, answered bool, n uint8, page int, english bool) {
		lang := LangVI
		if english {
			lang = LangEN
		}
		a := retrieval.Answer{Question: question, Answered: answered, Suggestions: []string{suggestion, suggestion + suggestion}}
		for i := 0; i < int(n%12); i++ {
			r := retrieval.Result{
				Source: source, Line: i + hlStart%1000, EndLine: i + hlEnd%1000, Title: title,
				Excerpt: excerpt, Text: passage,
				Highlights: []retrieval.Span{{Start: hlStart, End: hlEnd}, {Start: hlEnd, End: hlEnd + i}, {Start: i, End: i + 3}},
			}
			if i%2 == 1 {
				r.Excerpt, r.Text = passage, excerpt
				r.Also = []retrieval.Location{{Source: source + title, Line: i, EndLine: hlEnd}, {Source: suggestion, Line: 1}}
			}
			a.Results = append(a.Results, r)
		}
		q := Question{Text: question, StateID: testState}
		size := int(n%5) + 1
		checkReply(t, BuildReply(q, a, Page{Index: page, Size: size}, lang))
		checkReply(t, BuildReply(Question{Text: cleanQuestion(question)}, a, Page{Index: page, Size: 10}, lang))
		for i := range a.Results {
			checkReply(t, buildPassage(a, i, lang))
		}
		checkReply(t, buildUsage(suggestion, lang))
	})
}
