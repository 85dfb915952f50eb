package baseline

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/askdocs/askdocs/retrieval"
)

// corpus makes a corpus of one document per passage text, named
// p0.txt, p1.txt, …, each passage on line 1.
func corpus(texts ...string) *retrieval.Corpus {
	c := &retrieval.Corpus{}
	for i, t := range texts {
		c.Docs = append(c.Docs, retrieval.Document{Source: "p" + string(rune('0'+i)) + ".txt", Title: t, First: i, N: 1})
		c.Passages = append(c.Passages, retrieval.Passage{Doc: i, Line: 1, EndLine: 1, Text: t})
	}
	return c
}

func TestSyllables(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"Hợp tác Quốc phòng", []string{"hop", "tac", "quoc", "phong"}},
		{"ĐÀ NẴNG, 1.300 suất", []string{"da", "nang", "1.300", "suat"}},
		{"Kỹ sư kĩ thuật", []string{"ki", "su", "ki", "thuat"}},
		{"thoả thuận = thỏa thuận", []string{"thoa", "thuan", "thoa", "thuan"}},
		{"The Black Death's toll", []string{"the", "black", "death", "s", "toll"}},
		{"Ho\u0300a bi\u0300nh", []string{"hoa", "binh"}}, // decomposed marks
		{" … ", nil},
	} {
		if got := Syllables(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Syllables(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTerms(t *testing.T) {
	for _, tt := range []struct {
		in      string
		bigrams bool
		want    []string
	}{
		{"Hợp tác quốc phòng", false, []string{"hop", "tac", "quoc", "phong"}},
		{"Hợp tác quốc phòng", true, []string{"hop", "tac", "quoc", "phong", "hop tac", "tac quoc", "quoc phong"}},
		{"Lào", true, []string{"lao"}},
		{"", true, nil},
	} {
		if got := Terms(tt.in, tt.bigrams); !slices.Equal(got, tt.want) {
			t.Errorf("Terms(%q, %v) = %q, want %q", tt.in, tt.bigrams, got, tt.want)
		}
	}
}

// TestScoreByHand checks one BM25 value against the formula worked out
// by hand. Passages: "hợp tác quốc phòng" (4 terms), "hợp tác kinh tế
// hợp tác" (6), "thương mại" (2); average length 4. "hop" and "tac" are
// each in 2 of 3 passages: IDF = ln(1 + 1.5/2.5) = ln 1.6. In the second
// passage tf = 2, so each term weighs ln 1.6 · 2 · 1.9 / (2 + 0.9 · (0.6 +
// 0.4 · 6/4)) = ln 1.6 · 3.8 / 3.08; the passage scores twice that,
// 1.1597492150. The first passage (tf = 1, average length) scores 2 ln
// 1.6 = 0.9400072585.
func TestScoreByHand(t *testing.T) {
	m := NewBM25(corpus("hợp tác quốc phòng", "hợp tác kinh tế hợp tác", "thương mại"))
	a, err := m.Search(context.Background(), "Hợp tác?", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Results) != 2 || a.Results[0].Source != "p1.txt" || a.Results[1].Source != "p0.txt" {
		t.Fatalf("results %+v, want p1.txt then p0.txt", a.Results)
	}
	for i, want := range []float64{1.1597492150, 0.9400072585} {
		if got := a.Results[i].Score; math.Abs(got-want) > 1e-9 {
			t.Errorf("score of %s = %.10f, want %.10f", a.Results[i].Source, got, want)
		}
	}
	if got := IDF(3, 2); math.Abs(got-math.Log(1.6)) > 1e-12 {
		t.Errorf("IDF(3, 2) = %v, want ln 1.6", got)
	}
	// Confidence: the top score over 2 · ln 1.6 · (k1 + 1).
	if want := 1.1597492150 / (2 * math.Log(1.6) * 1.9); math.Abs(a.Confidence-want) > 1e-9 {
		t.Errorf("confidence %v, want %v", a.Confidence, want)
	}
	if !a.Answered || !slices.Equal(a.Terms, []string{"hop", "tac"}) {
		t.Errorf("answered %v, terms %q; want true, [hop tac]", a.Answered, a.Terms)
	}
}

// TestOrder checks the ranking of tiny corpora: the exact order of the
// passages returned.
func TestOrder(t *testing.T) {
	for _, tt := range []struct {
		name     string
		passages []string
		bigrams  bool
		question string
		k        int
		want     []string // sources, best first
	}{
		{"one rare term beats two common ones", []string{"lào hợp tác", "việt nam hợp tác", "việt nam kinh tế"}, false, "việt nam lào", 5,
			[]string{"p0.txt", "p1.txt", "p2.txt"}},
		{"ties go to passage order", []string{"tác hợp", "hợp tác", "kinh tế"}, false, "hợp tác", 5,
			[]string{"p0.txt", "p1.txt"}},
		{"bigram breaks the tie", []string{"tác hợp", "hợp tác", "kinh tế"}, true, "hợp tác", 5,
			[]string{"p1.txt", "p0.txt"}},
		{"folded question finds the accented text", []string{"thương mại song phương", "đầu tư"}, false, "dau tu", 5,
			[]string{"p1.txt"}},
		{"shorter passage wins at equal tf", []string{"năng lượng tái tạo ở lào và ở việt nam", "năng lượng sạch"}, false, "năng lượng", 5,
			[]string{"p1.txt", "p0.txt"}},
		{"k cuts", []string{"a b", "a", "a c"}, false, "a", 2,
			[]string{"p1.txt", "p0.txt"}},
		{"repeated question terms count once", []string{"lào lào lào", "việt nam"}, false, "lào lào việt", 5,
			[]string{"p0.txt", "p1.txt"}},
		{"nothing shared", []string{"hợp tác"}, true, "giá vàng", 5, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := corpus(tt.passages...)
			m := NewBM25(c)
			if tt.bigrams {
				m = NewBigrams(c)
			}
			a, err := m.Search(context.Background(), tt.question, tt.k)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range a.Results {
				got = append(got, r.Source)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("order %q, want %q", got, tt.want)
			}
			if a.Answered != (len(tt.want) > 0) {
				t.Errorf("answered %v with %d results", a.Answered, len(got))
			}
		})
	}
}

// TestResults checks what a result carries, on a corpus loaded from
// files.
func TestResults(t *testing.T) {
	fsys := fstest.MapFS{
		"a.txt":     {Data: []byte("Hợp tác Việt – Lào\n\nHai nước ký thỏa thuận về năng lượng tái tạo.\nNhà máy điện gió đầu tiên.\n")},
		"sub/b.txt": {Data: []byte("Thương mại song phương đạt 476,8 triệu USD.\n")},
	}
	c, _, err := retrieval.LoadCorpus(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewBigrams(c).Search(context.Background(), "nang luong tai tao", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Results) != 1 {
		t.Fatalf("results %+v, want one", a.Results)
	}
	r := a.Results[0]
	want := retrieval.Result{ID: "a.txt:3", Source: "a.txt", Line: 3, EndLine: 4, Title: "Hợp tác Việt – Lào",
		Excerpt: "Hai nước ký thỏa thuận về năng lượng tái tạo.\nNhà máy điện gió đầu tiên.",
		Text:    "Hai nước ký thỏa thuận về năng lượng tái tạo.\nNhà máy điện gió đầu tiên."}
	r.Score = 0
	if r.ID != want.ID || r.Source != want.Source || r.Line != want.Line || r.EndLine != want.EndLine ||
		r.Title != want.Title || r.Excerpt != want.Excerpt || r.Text != want.Text {
		t.Errorf("result %+v, want %+v", r, want)
	}
	if a.Results[0].Score <= 0 || a.Confidence <= 0 || a.Confidence >= 1 {
		t.Errorf("score %v, confidence %v: want a positive score and a confidence in (0, 1)", a.Results[0].Score, a.Confidence)
	}
}

func TestSearchCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := NewBM25(corpus("a")).Search(ctx, "a", 5)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestNames(t *testing.T) {
	c := corpus("a")
	if NewBM25(c).Name() != "bm25" || NewBigrams(c).Name() != "bm25+bigrams" {
		t.Errorf("names %q, %q", NewBM25(c).Name(), NewBigrams(c).Name())
	}
}
