package corpus

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/askdocs/askdocs/seeds"
)

func TestPassagesAndTitles(t *testing.T) {
	fsys := fstest.MapFS{
		// Unwrapped prose: each line a paragraph, blank lines or not.
		"news.txt": {Data: []byte("Việt Nam- Lào thống nhất tiếp tục nâng cao hiệu quả hợp tác\n" +
			strings.Repeat("Câu dài một. ", 20) + "\n" + strings.Repeat("Câu dài hai. ", 20) + "\n\n\nDòng cuối.\n")},
		// Hard-wrapped text: a run of lines is one paragraph.
		"wrapped.md": {Data: []byte("# Tiêu đề bài\n\nDòng một của đoạn văn\ndòng hai của đoạn văn.\n\nĐoạn thứ hai.\n")},
		// A metadata tag before the first sentence, and CRLF line ends.
		"tagged.txt": {Data: []byte(" date 2025-12-03 Kỳ họp nhằm rà soát, đánh giá tình hình triển khai thực hiện các thỏa thuận.\r\n\r\nHết.\r\n")},
	}
	c, warnings, err := Load(context.Background(), fsys)
	if err != nil || len(warnings) > 0 {
		t.Fatal(err, warnings)
	}
	type loc struct {
		src        string
		line, end  int
		textPrefix string
	}
	var got []loc
	for _, p := range c.Passages {
		got = append(got, loc{c.Docs[p.Doc].Source, p.Line, p.EndLine, firstWords(p.Text, 2)})
	}
	want := []loc{
		{"news.txt", 1, 1, "Việt Nam-"},
		{"news.txt", 2, 2, "Câu dài"},
		{"news.txt", 3, 3, "Câu dài"},
		{"news.txt", 6, 6, "Dòng cuối."},
		{"tagged.txt", 1, 1, "date 2025-12-03"},
		{"tagged.txt", 3, 3, "Hết."},
		{"wrapped.md", 3, 4, "Dòng một"},
		{"wrapped.md", 6, 6, "Đoạn thứ"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("passages:\n got %v\nwant %v", got, want)
	}
	titles := map[string]string{}
	for _, d := range c.Docs {
		titles[d.Source] = d.Title
	}
	wantTitles := map[string]string{
		"news.txt":   "Việt Nam- Lào thống nhất tiếp tục nâng cao hiệu quả hợp tác",
		"wrapped.md": "Tiêu đề bài",
		"tagged.txt": "Kỳ họp nhằm rà soát, đánh giá tình hình triển…",
	}
	if !reflect.DeepEqual(titles, wantTitles) {
		t.Errorf("titles = %q, want %q", titles, wantTitles)
	}
}

func TestSeedsPassageLines(t *testing.T) {
	c, _, err := Load(context.Background(), seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	// Every non-blank line of the seeds is a passage of its own, cited
	// by its line number.
	for _, d := range c.Docs {
		b, _ := seeds.FS.ReadFile(d.Source)
		lines := strings.Split(string(b), "\n")
		n := 0
		for _, l := range lines {
			if strings.TrimSpace(l) != "" {
				n++
			}
		}
		if d.N != n {
			t.Errorf("%s: %d passages, want %d (one per non-blank line)", d.Source, d.N, n)
		}
		for _, p := range c.Passages[d.First : d.First+d.N] {
			if strings.TrimSpace(lines[p.Line-1]) != p.Text {
				t.Errorf("%s:%d: passage text differs from the line", d.Source, p.Line)
			}
		}
	}
}

func TestLongParagraphIsCut(t *testing.T) {
	line := strings.Repeat("Một câu khá dài về hợp tác kinh tế giữa hai nước. ", 2000) // ~100 KB, one line
	c, _, err := Load(context.Background(), fstest.MapFS{"big.txt": {Data: []byte(line)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Passages) < 20 {
		t.Fatalf("%d passages, want the line cut into many", len(c.Passages))
	}
	for i, p := range c.Passages {
		if len(p.Text) > maxPassageBytes || p.Line != 1 || p.Chunk != i {
			t.Fatalf("passage %d: %d bytes, line %d, chunk %d", i, len(p.Text), p.Line, p.Chunk)
		}
	}
}

// TestBadFilesAreSkipped: each bad file is named in a warning and the
// rest is indexed.
func TestBadFilesAreSkipped(t *testing.T) {
	dir := t.TempDir()
	writeDocs(t, dir, map[string]string{
		"good.txt":         "Hợp tác giáo dục giữa hai nước.",
		"legacy.txt":       "H\xe3p t\xe1c", // VNI/TCVN-era bytes: not UTF-8
		"binary.txt":       "PK\x03\x04\x00\x00binary",
		"empty.txt":        "",
		"blank.md":         "   \n\n  \n",
		"notes/skip.pdf":   "%PDF-1.4",
		"photo.JPG":        "\xff\xd8\xff",
		".hidden/x.txt":    "Không đọc thư mục ẩn.",
		"unreadable.txt":   "bí mật",
		"sub/deeper/ok.md": "Đường sắt Viêng Chăn – Vũng Áng.",
	})
	os.Chmod(filepath.Join(dir, "unreadable.txt"), 0)
	defer os.Chmod(filepath.Join(dir, "unreadable.txt"), 0o644)
	// A symbolic link loop must not trap the walk.
	os.Symlink(dir, filepath.Join(dir, "sub", "loop"))
	c, warnings, err := Load(context.Background(), os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	var sources []string
	for _, d := range c.Docs {
		sources = append(sources, d.Source)
	}
	want := []string{"good.txt", "sub/deeper/ok.md"}
	if os.Geteuid() == 0 { // root reads anything
		want = append(want, "unreadable.txt")
	}
	if !reflect.DeepEqual(sources, want) {
		t.Errorf("indexed %v, want %v", sources, want)
	}
	got := map[string]string{}
	for _, w := range warnings {
		got[w.Source] = w.Reason
	}
	wantPrefix := map[string]string{
		"legacy.txt":     "not valid UTF-8",
		"binary.txt":     "binary",
		"empty.txt":      "empty",
		"blank.md":       "no text",
		"notes/skip.pdf": "unreadable PDF",
		"photo.JPG":      "image",
		"sub/loop":       "folder already read as .",
	}
	if os.Geteuid() != 0 { // root reads anything
		wantPrefix["unreadable.txt"] = "unreadable"
	}
	for src, prefix := range wantPrefix {
		if !strings.HasPrefix(got[src], prefix) {
			t.Errorf("warning for %s = %q, want %q…", src, got[src], prefix)
		}
	}
}

func TestNoDocuments(t *testing.T) {
	dir := t.TempDir()
	writeDocs(t, dir, map[string]string{"image.png": "\x89PNG", "empty.txt": ""})
	_, _, err := Load(context.Background(), os.DirFS(dir))
	if !errors.Is(err, ErrNoDocuments) {
		t.Fatalf("err = %v, want ErrNoDocuments", err)
	}
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(n, len(f))], " ")
}

// TestHugeOneLineFile loads a 50 MB file that is a single line.
func TestHugeOneLineFile(t *testing.T) {
	if testing.Short() {
		t.Skip("50 MB")
	}
	line := strings.Repeat("hợp tác kinh tế thương mại đầu tư ", 50<<20/40)
	c, warnings, err := Load(context.Background(), fstest.MapFS{"huge.txt": {Data: []byte(line)}})
	if err != nil || len(warnings) > 0 {
		t.Fatal(err, warnings)
	}
	total := 0
	for _, p := range c.Passages {
		if len(p.Text) > maxPassageBytes {
			t.Fatalf("passage of %d bytes", len(p.Text))
		}
		total += len(p.Text)
	}
	if total < len(line)*9/10 {
		t.Fatalf("passages hold %d of %d bytes", total, len(line))
	}
}

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
