package retrieval

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/askdocs/askdocs/internal/synth"
	"github.com/askdocs/askdocs/retrieval/analysis/langdetect"
	"github.com/askdocs/askdocs/retrieval/analysis/langstem"
)

// englishCorpus is a tiny English corpus: one passage a paragraph.
var englishCorpus = fstest.MapFS{
	"shop.txt": {Data: []byte("The store opens at nine.\n\n" +
		"The museum closes at noon on Sundays.\n\n" +
		"Parking is free for the customers of the bakery.\n")},
	"vi.txt": {Data: []byte("An ninh và quốc phòng là trụ cột của quan hệ Việt - Lào.\n")},
}

// TestEnglishSearch: an English question finds the English passage by
// stems ("open" finds "opens"), and stop words ("the", "does", "at")
// neither drive ranking nor are bolded.
func TestEnglishSearch(t *testing.T) {
	ctx := context.Background()
	ix, _, err := Build(ctx, englishCorpus, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tests := []struct {
		question string
		source   string
		line     int
		bold     []string // the highlighted words of the top excerpt, in order
	}{
		{"when does the store open", "shop.txt", 1, []string{"store opens"}},
		{"When does the museum close?", "shop.txt", 3, []string{"museum closes"}},
		{"is parking free for customers", "shop.txt", 5, []string{"Parking", "free", "customers"}},
		{"tru cot quoc phong", "vi.txt", 1, []string{"quốc phòng", "trụ cột"}},
	}
	for _, tt := range tests {
		a, err := ix.Search(ctx, tt.question, 3)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Answered || len(a.Results) == 0 {
			t.Errorf("%q: abstained", tt.question)
			continue
		}
		r := a.Results[0]
		if r.Source != tt.source || r.Line != tt.line {
			t.Errorf("%q: top %s:%d, want %s:%d", tt.question, r.Source, r.Line, tt.source, tt.line)
			continue
		}
		var bold []string
		for _, h := range r.Highlights {
			bold = append(bold, r.Excerpt[h.Start:h.End])
		}
		if strings.Join(bold, "|") != strings.Join(tt.bold, "|") {
			t.Errorf("%q: bold %q in %q, want %q", tt.question, bold, r.Excerpt, tt.bold)
		}
	}
}

// TestEnglishTerms: English words are their own terms, stemmed, with
// their stop words as function terms; the Vietnamese "an" of "an ninh"
// is another term, not a function word.
func TestEnglishTerms(t *testing.T) {
	v := newVocab()
	en := v.analyzePassage("The store opens at nine, an hour early.")
	vi := v.analyzePassage("An ninh và quốc phòng.")
	tests := []struct {
		id       uint32
		fold     string
		function bool
		lang     langdetect.Lang
	}{
		{en[0], "the", true, langdetect.English},
		{en[1], "store", false, langdetect.English},
		{en[2], "open", false, langdetect.English},
		{en[3], "at", true, langdetect.English},
		{en[5], "an", true, langdetect.English},
		{en[6], "hour", false, langdetect.English},
		{vi[0], "an", false, langdetect.Vietnamese},
		{vi[2], "va", true, langdetect.Vietnamese},
	}
	for i, tt := range tests {
		tm := v.terms[tt.id]
		if tm.fold != tt.fold || tm.function != tt.function || tm.lang != tt.lang || v.function[tt.id] != tt.function {
			t.Errorf("%d: term %+v, want fold %q function %v lang %v", i, tm, tt.fold, tt.function, tt.lang)
		}
	}
	for i, want := range []bool{false, false, false, false, true, false, false, false} { // "nine"
		if got := v.terms[en[i]].number; got != want {
			t.Errorf("term %q: number %v, want %v", v.terms[en[i]].exact, got, want)
		}
	}
	if en[5] == vi[0] {
		t.Error(`English "an" and Vietnamese "an" are one term`)
	}
	if v.terms[en[5]].foldID != v.terms[vi[0]].foldID {
		t.Error(`English "an" and Vietnamese "an" fold apart`)
	}
}

// TestQuestionLanguage: an English question is tokenised with the
// English chain (stems, stop words marked), a Vietnamese one, with or
// without diacritics, as Vietnamese.
func TestQuestionLanguage(t *testing.T) {
	tests := []struct {
		question string
		lang     string
		folds    string // folded tokens, stop words in brackets
	}{
		{"when does the store open", "en", "[when] [does] [the] store open"},
		{"Who opened the stores?", "en", "[who] open [the] store"},
		{"hop tac quoc phong", "vi", "hop tac quoc phong"},
		{"cho minh hoi an ninh", "vi", "cho minh hoi an ninh"},
		{"Thương mại Việt - Lào quý 1/2024 đạt bao nhiêu?", "vi", "thuong mai viet lao qui 1 2024 dat bao nhieu"},
		{"Où sont les écoles ?", "fr", "ou [sont] [les] ecol"},
		{"USD 2024", "", "usd 2024"},
	}
	for _, tt := range tests {
		lang := DetectLanguage(tt.question)
		if lang != tt.lang {
			t.Errorf("DetectLanguage(%q) = %q, want %q", tt.question, lang, tt.lang)
		}
		l, _ := langdetect.Parse(lang)
		var folds []string
		for _, tk := range tokenizeIn(cleanQuestion(tt.question), langstem.For(l)) {
			if tk.function {
				folds = append(folds, "["+tk.fold+"]")
			} else {
				folds = append(folds, tk.fold)
			}
		}
		if got := strings.Join(folds, " "); got != tt.folds {
			t.Errorf("%q: tokens %q, want %q", tt.question, got, tt.folds)
		}
	}
}

// TestEnglishStored: a stored index keeps each term's language, so a
// reopened index, and one updated with a new English file, still finds
// "opens" for "open" and treats "the" as a stop word.
func TestEnglishStored(t *testing.T) {
	docs, index := t.TempDir(), t.TempDir()+"/idx"
	writeDocs(t, docs, map[string]string{
		"shop.txt": "The store opens at nine.\n\nThe museum closes at noon on Sundays.\n",
		"vi.txt":   "An ninh và quốc phòng là trụ cột của quan hệ Việt - Lào.\n",
	})
	first, _ := open(t, docs, index)
	first.Close()
	ix, rep := open(t, docs, index)
	if rep.Unchanged != 2 {
		t.Fatalf("reopen: %+v, want 2 unchanged", rep)
	}
	check := func(ix *Index, question, source string, line int) {
		t.Helper()
		a, err := ix.Search(context.Background(), question, 3)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Answered || a.Results[0].Source != source || a.Results[0].Line != line {
			t.Fatalf("%q: %+v, want %s:%d", question, a.Results, source, line)
		}
		r := a.Results[0]
		for _, h := range r.Highlights {
			if w := strings.ToLower(r.Excerpt[h.Start:h.End]); strings.Contains(w, "the") {
				t.Errorf("%q: %q bold in %q", question, w, r.Excerpt)
			}
		}
	}
	check(ix, "when does the store open", "shop.txt", 1)
	ix.Close()
	writeDocs(t, docs, map[string]string{"bakery.txt": "The bakery sells the bread baked before dawn.\n"})
	ix2, rep := open(t, docs, index)
	if rep.Added != 1 {
		t.Fatalf("update: %+v, want 1 added", rep)
	}
	check(ix2, "when does the store open", "shop.txt", 1)
	check(ix2, "who bakes the breads", "bakery.txt", 1)
}

// BenchmarkAnalyzePassages measures the analysis a build does before
// bleve: each passage's language detected and its words interned, on a
// synthetic Vietnamese corpus.
func BenchmarkAnalyzePassages(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.WriteCorpus(dir, 1, 5000, 1000); err != nil {
		b.Fatal(err)
	}
	c, _, err := LoadCorpus(context.Background(), os.DirFS(dir))
	if err != nil {
		b.Fatal(err)
	}
	n := int64(0)
	for _, p := range c.Passages {
		n += int64(len(p.Text))
	}
	b.SetBytes(n)
	for b.Loop() {
		v := newVocab()
		for _, p := range c.Passages {
			v.analyzePassage(p.Text)
		}
	}
}
