package retrieval

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/askdocs/askdocs/internal/synth"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// benchQuestions are a fixed mix of questions about the seeds: with and
// without diacritics, names, numbers, and one out of scope.
var benchQuestions = []string{
	"hợp tác quốc phòng an ninh",
	"Viêng Chăn",
	"Thương mại song phương Việt - Lào quý I năm 2024 đạt bao nhiêu?",
	"Việt Nam có bao nhiêu dự án đầu tư tại Lào?",
	"Thủ tướng Phạm Minh Chính gặp Thủ tướng Lào ở đâu?",
	"đường sắt Viêng Chăn – Vũng Áng",
	"Việt - Lào thiết lập quan hệ ngoại giao năm nào?",
	"dự án khai thác muối mỏ kali",
	"thuong mai viet lao quy 1 2024",
	"hoc bong cho sinh vien lao",
	"hop tac quoc phong an ninh",
	"thu tuong lao sonexay siphandone",
	"ky hop lan thu 48 uy ban lien chinh phu",
	"tong bi thu to lam",
	"gan ket chien luoc",
	"thoi tiet ha noi ngay mai",
}

// BenchmarkAnalyzeQuestion measures question analysis alone: cleaning,
// tokenising, synonyms, stop words and concept weights.
func BenchmarkAnalyzeQuestion(b *testing.B) {
	ix := seedIndex(b)
	ctx := context.Background()
	df := ix.bigramDF(ctx)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		parseQuery(cleanQuestion(benchQuestions[i%len(benchQuestions)]), ix.vocab, df)
		i++
	}
}

// BenchmarkSearchSeeds measures Search (analysis, bleve, re-ranking,
// excerpts, duplicate merging) on the seed documents.
func BenchmarkSearchSeeds(b *testing.B) {
	benchmarkSearch(b, seedIndex(b), benchQuestions)
}

// synth10k holds the indexes of 10,000-passage synthetic corpora, one
// per vocabulary, built once per test binary: building takes seconds.
var synth10k = map[synth.Vocab]*struct {
	once sync.Once
	ix   *Index
	err  error
}{synth.Chain: {}, synth.Zipf: {}}

func synthIndex(b *testing.B, v synth.Vocab) *Index {
	s := synth10k[v]
	s.once.Do(func() {
		dir := b.TempDir() // the index is in memory: the files may go
		if _, err := synth.WriteCorpusOf(dir, v, 1, 10000, 1000); err != nil {
			s.err = err
			return
		}
		s.ix, _, s.err = Build(context.Background(), os.DirFS(dir), Options{})
	})
	if s.err != nil {
		b.Fatal(s.err)
	}
	return s.ix
}

// BenchmarkSearchSynthetic10k measures Search on 10,000 synthetic
// passages of the chain vocabulary (about 5.7 MB), with questions that
// also name rare tokens.
func BenchmarkSearchSynthetic10k(b *testing.B) {
	qs := append([]string{synth.RareToken(3) + " là ai?", synth.RareToken(40)}, benchQuestions...)
	benchmarkSearch(b, synthIndex(b, synth.Chain), qs)
}

// BenchmarkSearchZipf10k is BenchmarkSearchSynthetic10k on 10,000
// passages of the realistic zipf vocabulary (about 5 MB).
func BenchmarkSearchZipf10k(b *testing.B) {
	qs := append([]string{synth.RareToken(3) + " là ai?", synth.RareToken(40)}, benchQuestions...)
	benchmarkSearch(b, synthIndex(b, synth.Zipf), qs)
}

func benchmarkSearch(b *testing.B, ix *Index, questions []string) {
	ctx := context.Background()
	for _, q := range questions { // warm up
		if _, err := ix.Search(ctx, q, 3); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := ix.Search(ctx, questions[i%len(questions)], 3); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkExcerpt measures excerpt building for the best passage of
// each answered seed question.
func BenchmarkExcerpt(b *testing.B) {
	ix := seedIndex(b)
	ctx := context.Background()
	type job struct {
		text string
		ids  []uint32
		q    *query
	}
	var jobs []job
	for _, question := range benchQuestions {
		a, err := ix.Search(ctx, question, 1)
		if err != nil {
			b.Fatal(err)
		}
		if !a.Answered {
			continue
		}
		q := parseQuery(cleanQuestion(question), ix.vocab, ix.bigramDF(ctx))
		var ids []uint32 // the passage's term ids, as Search passes them
		for p, ps := range ix.corpus.Passages {
			if ps.Text == a.Results[0].Text {
				ids = ix.ids[p]
			}
		}
		jobs = append(jobs, job{a.Results[0].Text, ids, q})
	}
	if len(jobs) == 0 {
		b.Fatal("no seed question answered")
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		j := jobs[i%len(jobs)]
		excerpt(j.text, j.ids, j.q, ix.vocab)
		i++
	}
}

// bigramDF counts the passages holding a folded bigram, for benchmarks
// that analyse questions directly.
func (ix *Index) bigramDF(context.Context) func(string) int {
	return ix.vocab.bigramCount
}

// BenchmarkBuild measures building a stored index of 10,000 synthetic
// passages of each vocabulary (the seeds' chain, and the realistic zipf
// one), in MB/s of passage text: "whole" is what Open does when there is
// no index yet (read, analyse, index, merge, write the store); "bleve"
// is bleve's share alone, given every passage already analysed in
// memory: the floor the whole build cannot go below.
func BenchmarkBuild(b *testing.B) {
	for _, v := range []synth.Vocab{synth.Chain, synth.Zipf} {
		b.Run(string(v), func(b *testing.B) { benchmarkBuild(b, v) })
	}
}

func benchmarkBuild(b *testing.B, v synth.Vocab) {
	ctx := context.Background()
	dir := b.TempDir()
	if _, err := synth.WriteCorpusOf(dir, v, 1, 10000, 1000); err != nil {
		b.Fatal(err)
	}
	c, _, err := LoadCorpus(ctx, os.DirFS(dir))
	if err != nil {
		b.Fatal(err)
	}
	bytes := int64(0)
	for _, p := range c.Passages {
		bytes += int64(len(p.Text))
	}
	b.Run("whole", func(b *testing.B) {
		b.SetBytes(bytes)
		for b.Loop() {
			ix, _, err := Open(ctx, os.DirFS(dir), b.TempDir(), Options{})
			if err != nil {
				b.Fatal(err)
			}
			ix.Close()
		}
	})
	b.Run("bleve", func(b *testing.B) {
		ix := &Index{corpus: c, vocab: newVocab()}
		if ix.ids, err = ix.vocab.analyzeAll(ctx, c.Passages); err != nil {
			b.Fatal(err)
		}
		ix.vocab.countPassages(ix.ids)
		ix.vocab.setPairable()
		docs := make([]*document.Document, len(c.Passages))
		for i := range docs {
			docs[i] = ix.passageDoc(i)
		}
		m, err := newMapping()
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(bytes)
		for b.Loop() {
			bi, err := bleve.NewUsing(filepath.Join(b.TempDir(), "bleve"), m, scorch.Name, scorch.Name, buildConfig())
			if err != nil {
				b.Fatal(err)
			}
			ix.bleve = bi
			var wg sync.WaitGroup
			next := make(chan int)
			for w := 0; w < runtime.GOMAXPROCS(0); w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for from := range next {
						if err := ix.indexBatch(docs[from:min(from+1000, len(docs))]); err != nil {
							b.Error(err)
						}
					}
				}()
			}
			for from := 0; from < len(docs); from += 1000 {
				next <- from
			}
			close(next)
			wg.Wait()
			if err := mergeOne(ctx, bi); err != nil {
				b.Fatal(err)
			}
			bi.Close()
		}
	})
}
