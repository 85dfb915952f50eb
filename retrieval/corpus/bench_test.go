package corpus

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/askdocs/askdocs/internal/synth"
)

// benchCorpus is the same synthetic text as plain text, Markdown (front
// matter, headings every ten paragraphs) and HTML (head, script, nav,
// headings, one <p> a paragraph): 20 files of 500 paragraphs.
func benchCorpus(format string) fstest.MapFS {
	g := synth.New(1)
	fsys := fstest.MapFS{}
	for f := 0; f < 20; f++ {
		var b strings.Builder
		title := fmt.Sprintf("Tài liệu %d", f)
		switch format {
		case "md":
			b.WriteString("---\ntitle: \"" + title + "\"\nlang: vi\n---\n\n# " + title + "\n\n")
		case "html":
			b.WriteString("<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>" + title +
				"</title><script>var x = 1;</script></head><body>\n<nav><a href=\"/\">Trang chủ</a></nav>\n<h1>" + title + "</h1>\n")
		}
		for i := 0; i < 500; i++ {
			p := g.Next()
			switch format {
			case "txt":
				b.WriteString(p + "\n\n")
			case "md":
				if i%10 == 0 {
					fmt.Fprintf(&b, "## Mục %d\n\n", i/10+1)
				}
				b.WriteString(p + "\n\n")
			case "html":
				if i%10 == 0 {
					fmt.Fprintf(&b, "<h2>Mục %d</h2>\n", i/10+1)
				}
				b.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
			}
		}
		if format == "html" {
			b.WriteString("<footer>Bản quyền</footer></body></html>\n")
		}
		fsys[fmt.Sprintf("doc_%02d.%s", f, format)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}

// BenchmarkLoad reads and splits the same text in each format: the part
// of indexing that differs between formats.
func BenchmarkLoad(b *testing.B) {
	for _, format := range []string{"txt", "md", "html"} {
		fsys := benchCorpus(format)
		size := 0
		for _, f := range fsys {
			size += len(f.Data)
		}
		b.Run(format, func(b *testing.B) {
			b.SetBytes(int64(size))
			for i := 0; i < b.N; i++ {
				c, _, err := Load(context.Background(), fsys)
				if err != nil || len(c.Passages) != 10000 {
					b.Fatal(err, len(c.Passages))
				}
			}
		})
	}
}
