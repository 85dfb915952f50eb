package retrieval

import (
	"context"
	"fmt"
	"github.com/askdocs/askdocs/internal/synth"
	"github.com/askdocs/askdocs/retrieval/corpus"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeDocs(t *testing.T, dir string, docs map[string]string) {
	t.Helper()
	for name, text := range docs {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func open(t *testing.T, docs, index string) (*Index, *UpdateReport) {
	t.Helper()
	ix, rep, err := Open(context.Background(), os.DirFS(docs), index, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, rep
}

func topSource(t *testing.T, ix *Index, q string) string {
	t.Helper()
	a, err := ix.Search(context.Background(), q, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Answered {
		return ""
	}
	return a.Results[0].Source
}

func TestOpenBuildsReopensAndUpdates(t *testing.T) {
	docs, index := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	writeDocs(t, docs, map[string]string{
		"a.txt":     "Hợp tác quốc phòng giữa hai nước được tăng cường.\n\nĐường sắt Viêng Chăn – Vũng Áng sẽ được xây dựng.",
		"sub/b.md":  "# Học bổng\n\nChính phủ dành 1.300 suất học bổng cho sinh viên Lào.",
		"notes.bin": "not a document",
	})
	ix, rep := open(t, docs, index)
	if rep.Rebuilt != NoIndexYet || rep.Added != 2 || ix.Stats().Passages != 3 || len(rep.Skipped) != 1 || rep.Skipped[0].Kind != corpus.Binary {
		t.Fatalf("first open: %+v, %d passages", rep, ix.Stats().Passages)
	}
	if got := topSource(t, ix, "hoc bong 1300"); got != "sub/b.md" {
		t.Fatalf("top source %q, want sub/b.md", got)
	}
	ix.Close()

	// Nothing changed: a warm start, no rebuild.
	ix, rep = open(t, docs, index)
	if rep.Rebuilt != NotRebuilt || rep.Unchanged != 2 || rep.Added+rep.Changed+rep.Removed != 0 {
		t.Fatalf("warm open: %+v", rep)
	}
	if got := topSource(t, ix, "duong sat vieng chan"); got != "a.txt" {
		t.Fatalf("top source %q, want a.txt", got)
	}
	ix.Close()

	// Change one file, add one, remove one.
	later := time.Now().Add(time.Minute)
	writeDocs(t, docs, map[string]string{
		"a.txt": "Hai nước ký thỏa thuận về năng lượng tái tạo.",
		"c.txt": "Diễn đàn Tương lai ASEAN tổ chức tại Hà Nội.",
	})
	os.Chtimes(filepath.Join(docs, "a.txt"), later, later)
	os.Remove(filepath.Join(docs, "sub/b.md"))
	ix, rep = open(t, docs, index)
	if rep.Rebuilt != NotRebuilt || rep.Changed != 1 || rep.Added != 1 || rep.Removed != 1 {
		t.Fatalf("update: %+v", rep)
	}
	if got := topSource(t, ix, "nang luong tai tao"); got != "a.txt" {
		t.Fatalf("changed file: top source %q, want a.txt", got)
	}
	if got := topSource(t, ix, "dien dan tuong lai asean"); got != "c.txt" {
		t.Fatalf("added file: top source %q, want c.txt", got)
	}
	if got := topSource(t, ix, "hoc bong 1300 suat"); got != "" {
		t.Fatalf("removed file still answers: %q", got)
	}
	if n, _ := ix.bleve.DocCount(); n != 2 {
		t.Fatalf("bleve holds %d passages, want 2", n)
	}
	ix.Close()

	// The update was stored: the next open changes nothing.
	_, rep = open(t, docs, index)
	if rep.Rebuilt != NotRebuilt || rep.Unchanged != 2 || rep.Added+rep.Changed+rep.Removed != 0 {
		t.Fatalf("open after update: %+v", rep)
	}
}

func TestOpenRebuildsDamagedIndex(t *testing.T) {
	docs, index := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	writeDocs(t, docs, map[string]string{"a.txt": "Hợp tác giáo dục và đào tạo nguồn nhân lực."})
	ix, _ := open(t, docs, index)
	ix.Close()
	cur, err := os.ReadFile(filepath.Join(index, currentFile))
	if err != nil {
		t.Fatal(err)
	}
	store := filepath.Join(index, strings.TrimSpace(string(cur)), storeFile)
	b, _ := os.ReadFile(store)
	os.WriteFile(store, b[:len(b)/2], 0o644) // truncated, as by a crash
	ix, rep := open(t, docs, index)
	if rep.Rebuilt != Damaged || !strings.HasPrefix(rep.Why(), "damaged") {
		t.Fatalf("rebuilt = %q (%q), want damaged…", rep.Rebuilt, rep.Why())
	}
	if got := topSource(t, ix, "dao tao nguon nhan luc"); got != "a.txt" {
		t.Fatalf("after rebuild: top source %q", got)
	}
	ix.Close()
	// Exactly one generation is left.
	entries, _ := os.ReadDir(index)
	gens := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "gen-") {
			gens++
		}
	}
	if gens != 1 {
		t.Fatalf("%d generations left, want 1", gens)
	}
}

func TestOpenReadOnlyNeedsIndex(t *testing.T) {
	docs := t.TempDir()
	writeDocs(t, docs, map[string]string{"a.txt": "Hợp tác."})
	_, _, err := Open(context.Background(), os.DirFS(docs), filepath.Join(t.TempDir(), "none"), Options{ReadOnly: true})
	if err == nil || !strings.Contains(err.Error(), "askdocs index") {
		t.Fatalf("err = %v, want a hint to build the index", err)
	}
}

func TestOpenRebuildsDamagedBleveIndex(t *testing.T) {
	docs, index := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	writeDocs(t, docs, map[string]string{"a.txt": "Đường sắt Viêng Chăn – Vũng Áng."})
	ix, _ := open(t, docs, index)
	ix.Close()
	cur, _ := os.ReadFile(filepath.Join(index, currentFile))
	segs, _ := filepath.Glob(filepath.Join(index, strings.TrimSpace(string(cur)), bleveDir, "store", "*.zap"))
	if len(segs) == 0 {
		t.Fatal("no segment files found")
	}
	for _, seg := range segs {
		os.WriteFile(seg, []byte("garbage"), 0o644) // damaged on disk
	}
	ix, rep := open(t, docs, index)
	if rep.Rebuilt != Damaged || !strings.HasPrefix(rep.Why(), "damaged") {
		t.Fatalf("rebuilt = %q (%q), want damaged…", rep.Rebuilt, rep.Why())
	}
	if got := topSource(t, ix, "duong sat vieng chan"); got != "a.txt" {
		t.Fatalf("after rebuild: top source %q", got)
	}
}

// TestOpenReadOnlyShared opens one stored index twice read-only at once,
// as shards sharing a folder do.
func TestOpenReadOnlyShared(t *testing.T) {
	docs, index := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	writeDocs(t, docs, map[string]string{"a.txt": "Đường sắt Viêng Chăn – Vũng Áng."})
	ix, _ := open(t, docs, index)
	ix.Close()
	var shards []*Index
	for i := 0; i < 2; i++ {
		ix, rep, err := Open(context.Background(), os.DirFS(docs), index, Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
		defer ix.Close()
		if rep.Rebuilt != NotRebuilt || rep.Unchanged != 1 {
			t.Fatalf("shard %d: %+v", i, rep)
		}
		shards = append(shards, ix)
	}
	for i, ix := range shards {
		if got := topSource(t, ix, "duong sat vieng chan"); got != "a.txt" {
			t.Errorf("shard %d: top source %q", i, got)
		}
	}
}

// TestBigramCountsMatchIndex: the bigram frequencies counted from term
// ids, which questions use, agree with the passages the candidate walk
// finds for each bigram — from bleve's postings when both syllables are
// common enough for bleve to hold the bigram (see pairDF), else from the
// rarer syllable's postings and the term ids — in a built index, after
// a store round trip, and after an update.
func TestBigramCountsMatchIndex(t *testing.T) {
	docs, index := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	for _, f := range []string{"000_da11b861e531a3f8.txt", "003_d932ee720da55863.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "seeds", f))
		if err != nil {
			t.Fatal(err)
		}
		writeDocs(t, docs, map[string]string{f: string(b)})
	}
	// Enough synthetic passages that some syllables are held by a
	// hundredth of them and some are not (see pairDF), so both ways of
	// walking a bigram are tested.
	if _, err := synth.WriteCorpus(docs, 1, 1000, 1000); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 3; round++ { // built, read from the store, updated
		if round == 2 {
			writeDocs(t, docs, map[string]string{"new.txt": "Sông Mê Kông chảy qua Viêng Chăn.\n\nHợp tác quốc phòng an ninh Việt Lào."})
		}
		ix, rep := open(t, docs, index)
		if round == 2 && rep.Added != 1 {
			t.Fatalf("round 2: %d added, want an update of 1", rep.Added)
		}
		v := ix.vocab
		if len(v.bigramKeys) < 100 {
			t.Fatalf("round %d: only %d bigrams counted", round, len(v.bigramKeys))
		}
		r, err := ix.reader()
		if err != nil {
			t.Fatal(err)
		}
		folds := make(map[uint32]string, len(v.fold))
		for f, id := range v.fold {
			folds[id] = f
		}
		indexed, walked := 0, 0
		stride := max(1, len(v.bigramKeys)/1500) // a sample: bleve's reads are slow
		for i := 0; i < len(v.bigramKeys); i += stride {
			k := v.bigramKeys[i]
			bg := folds[uint32(k>>32)] + " " + folds[uint32(k)]
			want := v.bigramCount(bg)
			if v.pairIndexed(uint32(k>>32), uint32(k)) {
				indexed++
				if got := bleveDF(t, r, bg); got != want {
					t.Errorf("round %d: %q counted in %d passages, bleve has %d", round, bg, want, got)
				}
			} else if got := bleveDF(t, r, bg); got != 0 {
				t.Errorf("round %d: %q of a rare syllable: bleve holds it in %d passages", round, bg, got)
			}
			acc := &accumulator{}
			got, err := ix.accumulate(r, searchTerm{field: fieldFold, term: bg, weight: 1}, acc)
			if err != nil {
				t.Fatal(err)
			}
			if got != want || len(acc.touched) != want {
				t.Errorf("round %d: %q counted in %d passages, the walk finds %d (%d scored)", round, bg, want, got, len(acc.touched))
			}
			walked++
		}
		if indexed == 0 || indexed == walked {
			t.Errorf("round %d: %d of %d bigrams indexed: want both kinds", round, indexed, walked)
		}
		r.Close()
		ix.Close()
	}
}

// TestOpenLargeChanges checks how an update scales: more changed
// passages than one batch holds are indexed in several batches, and when
// most of the corpus changed, it is rebuilt aside instead.
func TestOpenLargeChanges(t *testing.T) {
	ctx := context.Background()
	docs, index := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	para := func(doc, i int, topic string) string {
		return fmt.Sprintf("Đoạn %d của tài liệu %d nói về %s.\n\n", i, doc, topic)
	}
	write := func(doc int, topic string) {
		var b strings.Builder
		for i := 0; i < 4; i++ {
			b.WriteString(para(doc, i, topic))
		}
		name := filepath.Join(docs, fmt.Sprintf("d%02d.txt", doc))
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(time.Duration(doc+1) * time.Minute)
		os.Chtimes(name, later, later)
	}
	for d := 0; d < 10; d++ {
		write(d, "hợp tác giáo dục")
	}
	opts := Options{BatchSize: 3}
	ix, _, err := Open(ctx, os.DirFS(docs), index, opts)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()

	// Two documents, 8 of 40 passages: more than a batch, in place.
	write(3, "năng lượng tái tạo")
	write(7, "năng lượng tái tạo")
	ix, rep, err := Open(ctx, os.DirFS(docs), index, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rebuilt != NotRebuilt || rep.Changed != 2 || rep.Unchanged != 8 {
		t.Fatalf("update of 2 documents: %+v", rep)
	}
	if n, _ := ix.bleve.DocCount(); n != 40 {
		t.Fatalf("bleve holds %d passages, want 40", n)
	}
	a, err := ix.Search(ctx, "nang luong tai tao", 10)
	if err != nil || len(a.Results) == 0 || !strings.HasPrefix(a.Results[0].Source, "d03") && !strings.HasPrefix(a.Results[0].Source, "d07") {
		t.Fatalf("changed passages not found: %+v, %v", a.Results, err)
	}
	ix.Close()

	// Most documents: rebuilt.
	for d := 0; d < 8; d++ {
		write(d, "đường sắt cao tốc")
	}
	ix, rep, err = Open(ctx, os.DirFS(docs), index, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if rep.Rebuilt != LargeChange || rep.Why() != "32 of 40 passages changed" || rep.Added != 10 || rep.Changed != 0 {
		t.Fatalf("update of 8 documents: %+v", rep)
	}
	if n, _ := ix.bleve.DocCount(); n != 40 {
		t.Fatalf("bleve holds %d passages, want 40", n)
	}
	if got := topSource(t, ix, "duong sat cao toc"); got == "" || got > "d07.txt" {
		t.Fatalf("top source %q, want one of d00–d07", got)
	}
	gens, _ := filepath.Glob(filepath.Join(index, "gen-*"))
	if len(gens) != 1 {
		t.Fatalf("generations left: %v", gens)
	}
}

// bleveDF counts the passages bleve's index holds term in.
func bleveDF(t *testing.T, r *reader, term string) int {
	t.Helper()
	tfr, err := r.r.TermFieldReader(context.Background(), []byte(term), fieldFold, false, false, false)
	if err != nil {
		t.Fatal(err)
	}
	defer tfr.Close()
	return int(tfr.Count())
}
