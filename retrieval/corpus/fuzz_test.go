package corpus

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// FuzzReadFile: no file, however malformed, makes a reader crash or hang;
// each either gives passages within their document or a warning.
func FuzzReadFile(f *testing.F) {
	for _, name := range []string{"formats/bao-cao-thu-vien.pdf", "formats-same/bao-cao-thu-vien.lo.pdf", "formats-same/bao-cao-thu-vien.cairo.pdf", "formats/community-policy.docx", "formats-same/bao-cao-thu-vien.lo.docx", "formats/moderation-guide.html", "formats/huong-dan-cai-dat.md"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(filepath.Ext(name), b)
		f.Add(filepath.Ext(name), b[:len(b)/2])
	}
	f.Add(".md", []byte("---\ntitle: x\n"))
	f.Add(".html", []byte("<title><script></title></nav>&amp"))
	f.Fuzz(func(t *testing.T, ext string, data []byte) {
		name := "f" + ext
		fsys := fstest.MapFS{name: {Data: data}}
		if _, err := fsys.Open(name); err != nil {
			return // not a valid file name
		}
		r := ReadFile(fsys, File{Source: name})
		var c Corpus
		w, ok := c.Add(r)
		if !ok {
			if w.Kind == "" || w.Reason == "" || w.Source != name {
				t.Fatalf("skipped without a reason: %+v", w)
			}
			return
		}
		for _, p := range c.Passages {
			if p.Line < 1 || p.EndLine < p.Line || p.Text == "" {
				t.Fatalf("passage %+v", p)
			}
		}
	})
}
