// Command fixturegen makes the PDF and DOCX fixtures of
// retrieval/testdata/formats and formats-same from their text, so that
// they can be made again:
//
//	go run ./retrieval/testdata/fixturegen
//
// With -formats DIR it writes instead the folders that README's format
// speed figures were measured on: DIR/txt, DIR/md and DIR/html, the same
// 50,000 synthetic paragraphs as plain text, Markdown and HTML:
//
//	go run ./retrieval/testdata/fixturegen -formats /tmp/bt
//	askdocs bench --docs /tmp/bt/md --runs 1
//
// DOCX files are written here (archive/zip); PDFs are printed by
// Chromium (Debian's chromium package, headless), as a real tool makes
// them, the report once more through cairo (poppler-utils'
// pdftocairo), and the report as LibreOffice writes it, DOCX and PDF
// (libreoffice-writer-nogui); each is skipped with a message when its
// tool is not installed.
package main

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"html"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/askdocs/askdocs/internal/synth"
)

const dir = "retrieval/testdata"

func main() {
	formats := flag.String("formats", "", "write the format benchmark folders here instead")
	flag.Parse()
	if *formats != "" {
		must(writeFormatFolders(*formats, 50000, 1000))
		return
	}
	report, err := os.ReadFile(filepath.Join(dir, "formats-same/bao-cao-thu-vien.txt"))
	if err != nil {
		log.Fatal(err)
	}
	paras := paragraphs(string(report))
	must(writeDOCX(filepath.Join(dir, "formats-same/bao-cao-thu-vien.docx"), paras, nil))
	must(printPDF(filepath.Join(dir, "formats-same/bao-cao-thu-vien.pdf"), reportHTML(paras)))
	must(copyFile(filepath.Join(dir, "formats-same/bao-cao-thu-vien.pdf"), filepath.Join(dir, "formats/bao-cao-thu-vien.pdf")))
	must(cairoPDF(filepath.Join(dir, "formats-same/bao-cao-thu-vien.pdf"), filepath.Join(dir, "formats-same/bao-cao-thu-vien.cairo.pdf")))
	must(libreOffice(reportHTML(paras), filepath.Join(dir, "formats-same"), "bao-cao-thu-vien.lo"))
	must(writeDOCX(filepath.Join(dir, "formats/community-policy.docx"), []para{
		{"Title", "Community policy"},
		{"Heading1", "Events"},
		{"", "Online events are announced at least ten days in advance in the events channel."},
		{"", "Each event needs one host and one moderator who stay for the whole event."},
		{"Heading1", "Donations"},
		{"Heading2", "Spending"},
		{"", "Donations pay for the bot's server, which costs 12 dollars a month, and for event prizes."},
	}, [][]string{{"Role", "Colour"}, {"Moderator", "green"}, {"Host", "orange"}}))
	// A scan: a page with a drawing and no text layer.
	must(printPDF(filepath.Join(dir, "formats/scan.pdf"), `<!doctype html><html><body>
<svg width="400" height="300"><rect x="20" y="20" width="300" height="200" fill="#999"/><circle cx="200" cy="120" r="60" fill="#333"/></svg>
</body></html>`))
}

type para struct{ style, text string }

// paragraphs reads the report: its first line is the title, short lines
// without a full stop are headings, the rest paragraphs.
func paragraphs(s string) []para {
	var out []para
	for i, p := range strings.Split(strings.TrimSpace(s), "\n\n") {
		p = strings.TrimSpace(p)
		switch {
		case i == 0:
			out = append(out, para{"Title", p})
		case !strings.HasSuffix(p, "."):
			out = append(out, para{"Heading1", p})
		default:
			out = append(out, para{"", p})
		}
	}
	return out
}

func reportHTML(ps []para) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>` + html.EscapeString(ps[0].text) +
		`</title><style>body{font-family:"DejaVu Sans",sans-serif;font-size:12pt} h2.page{page-break-before:always}</style></head><body>`)
	for i, p := range ps {
		t := html.EscapeString(p.text)
		switch {
		case p.style == "Title":
			b.WriteString("<h1>" + t + "</h1>\n")
		case p.style != "" && i > 4:
			b.WriteString(`<h2 class="page">` + t + "</h2>\n") // the plan starts page 2
		case p.style != "":
			b.WriteString("<h2>" + t + "</h2>\n")
		default:
			b.WriteString("<p>" + t + "</p>\n")
		}
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

func printPDF(out, page string) error {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		fmt.Fprintf(os.Stderr, "fixturegen: %s not made: chromium is not installed (apt-get install chromium)\n", out)
		return nil
	}
	tmp, err := os.MkdirTemp("", "fixturegen")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, "page.html")
	if err := os.WriteFile(src, []byte(page), 0o644); err != nil {
		return err
	}
	abs, _ := filepath.Abs(out)
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
		"--user-data-dir="+filepath.Join(tmp, "profile"), "--print-to-pdf="+abs, "file://"+src)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("chromium: %v: %s", err, b)
	}
	return nil
}

// libreOffice writes page as name.docx, then that DOCX as name.pdf, in
// dir, with LibreOffice (Debian's libreoffice-writer-nogui).
func libreOffice(page, dir, name string) error {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		fmt.Fprintf(os.Stderr, "fixturegen: %s.docx and .pdf not made: LibreOffice is not installed (apt-get install libreoffice-writer-nogui)\n", filepath.Join(dir, name))
		return nil
	}
	tmp, err := os.MkdirTemp("", "fixturegen")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, name+".html")
	if err := os.WriteFile(src, []byte(page), 0o644); err != nil {
		return err
	}
	for _, step := range [][]string{
		{"--convert-to", "docx:MS Word 2007 XML", src},
		{"--convert-to", "pdf", filepath.Join(tmp, name+".docx")},
	} {
		args := append([]string{"--headless", "-env:UserInstallation=file://" + filepath.Join(tmp, "profile"), "--outdir", tmp}, step...)
		if b, err := exec.Command(soffice, args...).CombinedOutput(); err != nil {
			return fmt.Errorf("soffice: %v: %s", err, b)
		}
	}
	for _, ext := range []string{".docx", ".pdf"} {
		if err := copyFile(filepath.Join(tmp, name+ext), filepath.Join(dir, name+ext)); err != nil {
			return err
		}
	}
	return nil
}

// cairoPDF writes the PDF from again through cairo (poppler-utils'
// pdftocairo), another producer with other font maps.
func cairoPDF(from, to string) error {
	tool, err := exec.LookPath("pdftocairo")
	if err != nil {
		fmt.Fprintf(os.Stderr, "fixturegen: %s not made: pdftocairo is not installed (apt-get install poppler-utils)\n", to)
		return nil
	}
	if b, err := exec.Command(tool, "-pdf", from, to).CombinedOutput(); err != nil {
		return fmt.Errorf("pdftocairo: %v: %s", err, b)
	}
	return nil
}

// writeDOCX writes a minimal Word document: paragraphs with their
// styles, then a table whose first row is its header.
func writeDOCX(out string, ps []para, table [][]string) error {
	esc := func(s string) string {
		var b bytes.Buffer
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	var body strings.Builder
	for _, p := range ps {
		body.WriteString("<w:p>")
		if p.style != "" {
			body.WriteString(`<w:pPr><w:pStyle w:val="` + p.style + `"/></w:pPr>`)
		}
		// Two runs a paragraph, as Word splits them.
		half := strings.LastIndex(p.text[:len(p.text)/2+1], " ") + 1
		body.WriteString(`<w:r><w:t xml:space="preserve">` + esc(p.text[:half]) + `</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>` + esc(p.text[half:]) + "</w:t></w:r></w:p>")
	}
	if len(table) > 0 {
		body.WriteString("<w:tbl>")
		for _, row := range table {
			body.WriteString("<w:tr>")
			for _, c := range row {
				body.WriteString("<w:tc><w:p><w:r><w:t>" + esc(c) + "</w:t></w:r></w:p></w:tc>")
			}
			body.WriteString("</w:tr>")
		}
		body.WriteString("</w:tbl>")
	}
	files := []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `<w:sectPr/></w:body></w:document>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		if _, err := w.Write([]byte(f.data)); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// writeFormatFolders writes dir/txt, dir/md and dir/html: passages
// synthetic paragraphs, perFile to a file, as plain text, as Markdown
// (front matter, a heading every ten paragraphs) and as HTML (head,
// script, nav, footer, a heading every ten paragraphs, one <p> each).
func writeFormatFolders(dir string, passages, perFile int) error {
	for _, f := range []string{"txt", "md", "html"} {
		if err := os.MkdirAll(filepath.Join(dir, f), 0o755); err != nil {
			return err
		}
	}
	g := synth.New(1)
	for file := 1; passages > 0; file++ {
		n := min(perFile, passages)
		passages -= n
		base := fmt.Sprintf("doc_%05d", file)
		title := "Tài liệu " + base
		var txt, md, h strings.Builder
		md.WriteString("---\ntitle: \"" + title + "\"\nurl: https://docs.example.org/" + base + "\nlang: vi\n---\n\n# " + title + "\n\n")
		h.WriteString("<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>" + title + "</title>\n" +
			"<style>body{font-family:sans-serif}</style><script>var x = \"theo dõi\";</script></head><body>\n" +
			"<nav><a href=\"/\">Trang chủ</a> <a href=\"/tin\">Tin tức</a></nav>\n<h1>" + title + "</h1>\n")
		for i := 0; i < n; i++ {
			p := g.Next()
			if i%10 == 0 {
				fmt.Fprintf(&md, "## Mục %d\n\n", i/10+1)
				fmt.Fprintf(&h, "<h2>Mục %d</h2>\n", i/10+1)
			}
			txt.WriteString(p + "\n\n")
			md.WriteString(p + "\n\n")
			h.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
		}
		h.WriteString("<footer>Bản quyền 2024</footer></body></html>\n")
		for f, b := range map[string]*strings.Builder{"txt": &txt, "md": &md, "html": &h} {
			if err := os.WriteFile(filepath.Join(dir, f, base+"."+f), []byte(b.String()), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}
