package retrieval

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/askdocs/askdocs/retrieval/corpus"
)

// TestFormatsInStoredIndex: a stored index keeps every format's
// citation (page, heading path, address) across a reopen; a changed PDF
// is read again, an unchanged one is not; a read-only open serves the
// stored PDF passages.
func TestFormatsInStoredIndex(t *testing.T) {
	docs, index := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	copyFile := func(from, to string) {
		t.Helper()
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(docs, to), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile("testdata/formats/bao-cao-thu-vien.pdf", "report.pdf")
	copyFile("testdata/formats/huong-dan-cai-dat.md", "guide.md")
	copyFile("testdata/formats/community-policy.docx", "policy.docx")
	urls, err := corpus.ParseURLTemplate("https://example.org/docs/{path}#L{line}")
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{URLs: urls}
	top := func(ix *Index, q string) Result {
		t.Helper()
		a, err := ix.Search(context.Background(), q, 3)
		if err != nil || !a.Answered {
			t.Fatalf("%q: %v, answered %v", q, err, a.Answered)
		}
		return a.Results[0]
	}
	check := func(ix *Index) {
		t.Helper()
		r := top(ix, "Năm 2025 thư viện lắp đặt bao nhiêu máy tự mượn trả sách?")
		if r.Source != "report.pdf" || r.Page != 2 || r.Line != 11 || r.URL != "https://example.org/docs/report.pdf#L11" {
			t.Errorf("pdf result %s p%d line %d url %q", r.Source, r.Page, r.Line, r.URL)
		}
		r = top(ix, "Windows cần bộ nhớ tối thiểu bao nhiêu?")
		if r.Source != "guide.md" || r.Section != "Cài đặt › Windows" || r.Line != 33 || r.URL != "https://docs.example.org/huong-dan-cai-dat" {
			t.Errorf("markdown result %s %q line %d url %q", r.Source, r.Section, r.Line, r.URL)
		}
		r = top(ix, "How much does the bot server cost a month?")
		if r.Source != "policy.docx" || r.Section != "Donations › Spending" || r.Line != 7 || r.Title != "Community policy" {
			t.Errorf("docx result %s %q ¶%d %q", r.Source, r.Section, r.Line, r.Title)
		}
	}
	ix, rep, err := Open(context.Background(), os.DirFS(docs), index, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 3 {
		t.Fatalf("first open: %+v", rep)
	}
	check(ix)
	ix.Close()

	// Unchanged: the PDF is not even opened.
	counted := &countingFS{FS: os.DirFS(docs), opens: map[string]int{}}
	ix, rep, err = Open(context.Background(), counted, index, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Unchanged != 3 || rep.Changed+rep.Added+rep.Removed != 0 || rep.Rebuilt != "" || counted.count("report.pdf") != 0 {
		t.Fatalf("unchanged: %+v, report.pdf opened %d times", rep, counted.count("report.pdf"))
	}
	check(ix)
	ix.Close()

	// Touched but unchanged: hashed, not re-indexed.
	later := time.Now().Add(time.Minute)
	os.Chtimes(filepath.Join(docs, "report.pdf"), later, later)
	ix, rep, err = Open(context.Background(), os.DirFS(docs), index, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Unchanged != 3 || rep.Changed+rep.Added+rep.Removed != 0 || rep.Rebuilt != "" {
		t.Fatalf("touched pdf: %+v", rep)
	}
	check(ix)
	ix.Close()

	// A changed PDF is read again.
	copyFile("testdata/formats-same/bao-cao-thu-vien.pdf", "report.pdf") // same bytes…
	f, err := os.OpenFile(filepath.Join(docs, "report.pdf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("% an incremental save\n%%EOF\n") // …plus a comment, as tools append: new content, same text
	f.Close()
	ix, rep, err = Open(context.Background(), os.DirFS(docs), index, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Changed != 1 || rep.Unchanged != 2 || rep.Rebuilt != "" {
		t.Fatalf("changed pdf: %+v", rep)
	}
	check(ix)
	ix.Close()

	// Read-only: the stored passages, with their pages and sections.
	ix, rep, err = Open(context.Background(), os.DirFS(docs), index, Options{URLs: urls, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Unchanged != 3 {
		t.Fatalf("read-only: %+v", rep)
	}
	check(ix)
	ix.Close()
}

// countingFS counts how often each file is opened.
type countingFS struct {
	fs.FS
	mu    sync.Mutex
	opens map[string]int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.mu.Lock()
	c.opens[name]++
	c.mu.Unlock()
	return c.FS.Open(name)
}

func (c *countingFS) count(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.opens[name]
}

// TestLiveLeavesSkippedFilesAlone: a scan and an image are skipped when
// the index is built; a later look neither reports a change nor reads
// them again (nor rebuilds an index in memory), until they change.
func TestLiveLeavesSkippedFilesAlone(t *testing.T) {
	for _, stored := range []bool{false, true} {
		docs := t.TempDir()
		writeDocs(t, docs, map[string]string{"a.txt": "Hợp tác quốc phòng giữa hai nước.", "photo.png": "\x89PNG"})
		scan, err := os.ReadFile("testdata/formats/scan.pdf")
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(docs, "scan.pdf"), scan, 0o644)
		fsys := &countingFS{FS: os.DirFS(docs), opens: map[string]int{}}
		ctx := context.Background()
		dir := ""
		var ix *Index
		if stored {
			dir = filepath.Join(t.TempDir(), "idx")
			ix, _, err = Open(ctx, fsys, dir, Options{})
		} else {
			ix, _, err = Build(ctx, fsys, Options{})
		}
		if err != nil {
			t.Fatal(err)
		}
		live := newLive(ix, Source{FS: fsys}, dir, Options{}, false)
		reads := fsys.count("scan.pdf")
		for i := 0; i < 3; i++ {
			if rep, err := live.Refresh(ctx); rep != nil || err != nil {
				t.Errorf("stored %v: refresh %d = %+v, %v; want nil, nil", stored, i, rep, err)
			}
		}
		if n := fsys.count("scan.pdf"); n != reads {
			t.Errorf("stored %v: scan.pdf opened %d more times", stored, n-reads)
		}
		// Once it changes, it is looked at again.
		later := time.Now().Add(time.Minute)
		os.Chtimes(filepath.Join(docs, "scan.pdf"), later, later)
		rep, err := live.Refresh(ctx)
		if fsys.count("scan.pdf") == reads || err != nil {
			t.Errorf("stored %v: changed scan not read again (%+v, %v)", stored, rep, err)
		}
		live.Close()
	}
}

// TestOldStoreIsRebuilt: an index stored by the previous store format
// (before passages had pages and heading paths) is rebuilt, and says why.
func TestOldStoreIsRebuilt(t *testing.T) {
	docs, index := t.TempDir(), filepath.Join(t.TempDir(), "idx")
	writeDocs(t, docs, map[string]string{"a.md": "# Cài đặt\n\nHợp tác giáo dục và đào tạo."})
	ix, _ := open(t, docs, index)
	gen := ix.gen
	ix.Close()
	path := filepath.Join(gen, storeFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	copy(b, "ASKDOCS-STORE-5\n") // as the version before wrote it
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	ix, rep := open(t, docs, index)
	defer ix.Close()
	if rep.Rebuilt != "analysis changed" || rep.Added != 1 {
		t.Fatalf("open of an old store: %+v", rep)
	}
	a, err := ix.Search(context.Background(), "hop tac giao duc", 1)
	if err != nil || !a.Answered || a.Results[0].Section != "Cài đặt" {
		t.Fatalf("after rebuild: %+v, %v", a, err)
	}
}
