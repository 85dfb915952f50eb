package corpus

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"unicode"

	"github.com/ledongthuc/pdf"
)

// readPDF reads a PDF's text layer page by page (fonts' ToUnicode maps
// give the characters, so Vietnamese comes out as written): lines are
// rebuilt from the characters' positions, and paragraphs from the gaps
// between lines. Each passage cites its page. A PDF without any text (a
// scan) is skipped and said so.
func readPDF(b []byte) (p parsed, w *Warning) {
	defer func() {
		// The reader panics on some malformed files.
		if r := recover(); r != nil {
			p, w = parsed{}, &Warning{Kind: Damaged, Reason: fmt.Sprintf("damaged PDF (%v)", r)}
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return parsed{}, &Warning{Kind: Damaged, Reason: "unreadable PDF (damaged or encrypted): " + err.Error()}
	}
	line := 0 // lines of text so far, across pages
	for n := 1; n <= r.NumPage(); n++ {
		pg := r.Page(n)
		if pg.V.IsNull() {
			continue
		}
		for _, para := range pdfParagraphs(pdfLines(pg.Content().Text)) {
			p.blocks = append(p.blocks, block{
				text: strings.Join(para, "\n"), line: line + 1, endLine: line + len(para),
				page: n, lines: true,
			})
			line += len(para)
		}
	}
	hasText := false
	for _, bl := range p.blocks {
		hasText = hasText || strings.IndexFunc(bl.text, unicode.IsLetter) >= 0
	}
	if !hasText {
		return parsed{}, &Warning{Kind: PDFNoText, Reason: "PDF without a text layer (a scan?): run OCR on it first"}
	}
	if info := r.Trailer().Key("Info"); !info.IsNull() {
		p.title = cleanTitle(info.Key("Title").Text())
	}
	if p.title == "" && len(p.blocks) > 0 {
		p.title = cleanTitle(strings.SplitN(p.blocks[0].text, "\n", 2)[0])
	}
	return p, nil
}

// pdfLine is one line of a page's text, with its font size.
type pdfLine struct {
	text    string
	y, size float64
}

// pdfLines rebuilds the lines of a page from its characters, in the
// order the page draws them (the reading order for the PDFs that tools
// such as browsers and word processors write): a new line starts where
// the baseline moves by more than half a font size. Spaces are the ones
// the PDF holds; the reader does not give glyph widths for every kind of
// font, so gaps cannot be measured.
func pdfLines(chars []pdf.Text) []pdfLine {
	var lines []pdfLine
	var sb strings.Builder
	var y, size float64
	flush := func() {
		if t := collapseSpace(sb.String()); t != "" {
			lines = append(lines, pdfLine{text: t, y: y, size: size})
		}
		sb.Reset()
		size = 0
	}
	for i, c := range chars {
		if i > 0 && math.Abs(c.Y-y) > 0.5*math.Max(size, 1) {
			flush()
		}
		if sb.Len() == 0 {
			y = c.Y
		}
		size = math.Max(size, c.FontSize)
		if strings.IndexFunc(c.S, unicode.IsControl) >= 0 {
			// Some producers' ToUnicode maps give a glyph a control
			// character ("\n" before "ă" in cairo's): not text.
			c.S = strings.Map(func(r rune) rune {
				if unicode.IsControl(r) {
					return -1
				}
				return r
			}, c.S)
		}
		sb.WriteString(c.S)
	}
	flush()
	return lines
}

// pdfParagraphs groups lines into paragraphs: a new one starts where the
// gap to the line above is wider than a line's, or the font size changes
// (a heading).
func pdfParagraphs(lines []pdfLine) [][]string {
	var out [][]string
	for i, l := range lines {
		if i > 0 {
			prev := lines[i-1]
			size := math.Max(math.Max(prev.size, l.size), 1)
			if prev.y-l.y > 1.6*size || math.Abs(prev.size-l.size) > 0.5 {
				out = append(out, nil)
			}
		} else {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], l.text)
	}
	return out
}
