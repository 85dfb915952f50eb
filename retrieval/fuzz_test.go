package retrieval

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval/analysis/vnfold"
	"github.com/askdocs/askdocs/retrieval/analysis/vnnumber"
	"github.com/askdocs/askdocs/retrieval/analysis/vntoken"
	"github.com/askdocs/askdocs/retrieval/analysis/vntone"
	"github.com/askdocs/askdocs/seeds"
)

var fuzzSeeds = []string{
	"Thương mại Việt - Lào quý 1/2024 đạt bao nhiêu?",
	"hop tac quoc phong",
	"cho mình hỏi VN-Lào Q1 2024 vậy bot",
	"ho\u031b\u0323p ta\u0301c",
	"+a -b field:x * ? /.*/ a~2 x^100 \"unbalanced (",
	"@everyone <@123> <@&456> **bold** [x](http://e.com)",
	"\x00\x01\u200b\u200e\u202e\ufeff \xff\xfe",
	"🇻🇳🎉 مرحبا שלום",
	strings.Repeat("a", 5000),
	"1.300 476,8 10-15% 22/4 XIV quý I",
}

// FuzzAnalysis: the analysis chain never panics and yields valid UTF-8.
func FuzzAnalysis(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range vntoken.Split(s) {
			if !utf8.ValidString(tok.Text) || tok.Text == "" || s[tok.Start:tok.End] != tok.Text {
				t.Fatalf("bad token %q of %q", tok.Text, s)
			}
			e, f := normalize(tok.Text)
			for _, x := range []string{e, f, vntone.Normalize(strings.ToLower(tok.Text)), vnfold.Fold(tok.Text), vnnumber.Normalize(tok.Text)} {
				if !utf8.ValidString(x) {
					t.Fatalf("invalid UTF-8 %q from %q", x, tok.Text)
				}
			}
		}
	})
}

// FuzzSearch: any question gets an answer without error or panic, with
// valid excerpts of bounded length and highlights inside them.
func FuzzSearch(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	ix, _, err := Build(context.Background(), seeds.FS, Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { ix.Close() })
	f.Fuzz(func(t *testing.T, q string) {
		a, err := ix.Search(context.Background(), q, 5)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.ValidString(a.Question) {
			t.Fatalf("question not cleaned: %q", a.Question)
		}
		if a.Answered != (len(a.Results) > 0) || len(a.Results) > 5 {
			t.Fatalf("answered %v with %d results", a.Answered, len(a.Results))
		}
		if !(a.Confidence >= 0 && a.Confidence <= 1) {
			t.Fatalf("confidence %v", a.Confidence)
		}
		for _, r := range a.Results {
			checkExcerpt(t, r.Excerpt, r.Highlights)
		}
	})
}

// FuzzExcerpt: excerpts of any passage for any question are valid,
// short and correctly highlighted.
func FuzzExcerpt(f *testing.F) {
	f.Add(strings.Repeat("Hợp tác kinh tế; thương mại, đầu tư. ", 40), "hop tac dau tu")
	f.Add("Một câu. Hai câu! Ba câu? …", "câu")
	f.Add(strings.Repeat("x", 1000), "x")
	f.Add("The store opens at nine. The museum closes at noon.", "when does the store open")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, text, question string) {
		if !utf8.ValidString(text) {
			text = strings.ToValidUTF8(text, " ")
		}
		v := newVocab()
		ids := v.analyzePassage(text)
		v.countPassages([][]uint32{ids})
		q := parseQuery(cleanQuestion(question), v, func(string) int { return 1 })
		c := excerpt(text, ids, q, v)
		checkExcerpt(t, c.text, c.hl)
		if c2 := excerpt(text, nil, q, v); c2.text != c.text || !slices.Equal(c2.hl, c.hl) {
			t.Fatalf("excerpt from ids %q %v, looked up %q %v", c.text, c.hl, c2.text, c2.hl)
		}
		c.sentenceTerms()
		qe, pt := q.forExcerpt(), newPText(text, ids, v)
		s, e, _, _ := window(pt, 0, len(text), qe)
		ws, we, _, _ := windowReference(pt, 0, len(text), qe)
		if s != ws || e != we {
			t.Fatalf("window %d:%d, reference %d:%d", s, e, ws, we)
		}
	})
}

func checkExcerpt(t *testing.T, ex string, hl []Span) {
	t.Helper()
	if !utf8.ValidString(ex) {
		t.Fatalf("invalid UTF-8 excerpt %q", ex)
	}
	if n := utf8.RuneCountInString(ex); n > excerptRunes+10 {
		t.Fatalf("excerpt of %d runes: %q", n, ex)
	}
	last := 0
	for _, h := range hl {
		if h.Start < last || h.End <= h.Start || h.End > len(ex) ||
			!utf8.RuneStart(ex[h.Start]) || (h.End < len(ex) && !utf8.RuneStart(ex[h.End])) {
			t.Fatalf("bad highlight %v in %q (%v)", h, ex, hl)
		}
		last = h.End
	}
}
