package retrieval

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/askdocs/askdocs/internal/synth"
	"github.com/askdocs/askdocs/retrieval/analysis/langdetect"
	"github.com/askdocs/askdocs/retrieval/analysis/langstem"
	"github.com/askdocs/askdocs/retrieval/analysis/vietnamese"
	"github.com/askdocs/askdocs/retrieval/analysis/vnbigram"
	"github.com/askdocs/askdocs/seeds"
	"github.com/blevesearch/bleve/v2/analysis"
	index "github.com/blevesearch/bleve_index_api"
)

// TestPassageDocMatchesAnalyzer holds the terms indexed from term ids to
// what the vi_fold analyzer gives for the passage text, on the seeds and
// on text that tests the edges: numbers, tone placement, decomposed
// characters, function words between content words, other scripts.
func TestPassageDocMatchesAnalyzer(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"edge.txt": {Data: []byte(
		"Hợp tác của hai nước; thoả thuận, thỏa thuận. Liệt sỹ, liệt sĩ!\n\n" +
			"1.300 suất học bổng, 476,8 triệu USD (quý I/2024), 12% và 3,5 tỷ.\n\n" +
			"ho\u031b\u0323p ta\u0301c — Ủy ban liên Chính phủ — ĐẢNG, Kỹ thuật\n\n" +
			"Москва 東京 café naïve e-mail x_y www.example.com/a?b=c 😀 của và các")},
		// Other languages: stems, stop words between content words,
		// numbers, one-letter words, accents.
		"en.txt": {Data: []byte("The store opens at nine; the store's 1.300 workers opened it in 2024.\n\n" +
			"An open question: can the Normans' army defend Normandy?")},
		"fr.txt": {Data: []byte("Les écoles de la ville sont fermées et l'hôpital est ouvert.")},
		"de.txt": {Data: []byte("Der Hund schläft in dem Haus und die Katze auch.")}}
	analyzer := func(text string) string {
		if l := langdetect.Detect(text); langstem.For(l) != nil {
			return langstem.FoldAnalyzer(l)
		}
		return vietnamese.Fold
	}
	dir := t.TempDir()
	if _, err := synth.WriteCorpus(dir, 1, 3000, 1000); err != nil {
		t.Fatal(err)
	}
	synthetic := fstest.MapFS{}
	for _, name := range []string{"doc_00001.txt", "doc_00002.txt", "doc_00003.txt"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		synthetic[name] = &fstest.MapFile{Data: b}
	}
	for name, f := range map[string]fstest.MapFS{"seeds": nil, "edge": fsys, "synthetic": synthetic} {
		var ix *Index
		if f == nil {
			ix, _, err = Build(context.Background(), seeds.FS, Options{})
		} else {
			ix, _, err = Build(context.Background(), f, Options{})
		}
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		// As built (on these small corpora most syllables are rarer than
		// pairDF, so few bigrams are indexed), and as on a large corpus
		// where every syllable is common and every bigram is indexed.
		used := map[string]bool{}
		built := ix.vocab.pairable
		all := make([]bool, len(built))
		for i := range all {
			all[i] = true
		}
		for _, pairable := range [][]bool{built, all} {
			ix.vocab.pairable = pairable
			for p, ps := range ix.corpus.Passages {
				used[analyzer(ps.Text)] = true
				a := m.AnalyzerNamed(analyzer(ps.Text))
				var tokens analysis.TokenStream
				for _, tok := range a.Analyze([]byte(ps.Text)) {
					if x, y, ok := strings.Cut(string(tok.Term), vnbigram.Sep); ok && !ix.vocab.pairIndexed(ix.vocab.fold[x], ix.vocab.fold[y]) {
						continue // a bigram of a rare syllable: not indexed
					}
					tokens = append(tokens, tok)
				}
				want := analysis.TokenFrequency(tokens, nil, index.IndexField)
				var got index.TokenFrequencies
				var length int
				ix.passageDoc(p).VisitFields(func(f index.Field) {
					got, length = f.AnalyzedTokenFrequencies(), f.AnalyzedLength()
				})
				if length != len(tokens) || !maps.EqualFunc(got, want, func(x, y *index.TokenFreq) bool {
					return string(x.Term) == string(y.Term) && x.Frequency() == y.Frequency()
				}) {
					t.Errorf("%s passage %d: %d terms %v\nanalyzer: %d terms %v", name, p, length, terms(got), len(tokens), terms(want))
				}
			}
		}
		ix.vocab.pairable = built
		if name == "edge" {
			for _, want := range []string{vietnamese.Fold, "en_fold", "fr_fold", "de_fold"} {
				if !used[want] {
					t.Errorf("edge: no passage analysed by %s (used %v)", want, used)
				}
			}
		}
	}
}

func terms(tf index.TokenFrequencies) map[string]int {
	m := map[string]int{}
	for k, v := range tf {
		m[k] = v.Frequency()
	}
	return m
}

// BenchmarkPassageDoc measures turning a passage's term ids into the
// document bleve indexes, as a build does for every passage.
func BenchmarkPassageDoc(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.WriteCorpus(dir, 1, 2000, 1000); err != nil {
		b.Fatal(err)
	}
	ix, _, err := Build(context.Background(), os.DirFS(dir), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	b.ReportAllocs()
	p := 0
	for b.Loop() {
		ix.passageDoc(p % len(ix.ids))
		p++
	}
}
