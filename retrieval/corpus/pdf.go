package corpus

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/ledongthuc/pdf"
)

// readPDF reads a PDF's text layer page by page (fonts' ToUnicode maps
// give the characters, so Vietnamese comes out as written): lines are
// rebuilt from the glyphs' positions (pageGlyphs), and paragraphs from
// the gaps between lines. Each passage cites its page. A PDF without any text (a
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
		for _, para := range pdfParagraphs(pdfLines(pageGlyphs(pg))) {
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

// pdfLines rebuilds the lines of a page from its glyphs: a new line
// starts where the baseline moves by more than half a font size. Within
// a line, glyphs are read left to right (LibreOffice draws a line's
// Vietnamese letters from a fallback font after the rest), with a space
// where a gap is, when every glyph's width is known; when one is not (a
// font without widths), the line is read in the order it is drawn, with
// the spaces the PDF holds.
func pdfLines(chars []pdf.Text) []pdfLine {
	var lines []pdfLine
	var cur []pdf.Text
	flush := func() {
		if len(cur) == 0 {
			return
		}
		placed := true
		size := 0.0
		for _, c := range cur {
			placed = placed && c.W > 0
			size = math.Max(size, c.FontSize)
		}
		if placed {
			sort.SliceStable(cur, func(a, b int) bool { return cur[a].X < cur[b].X })
		}
		var sb strings.Builder
		for i, c := range cur {
			if placed && i > 0 {
				prev := cur[i-1]
				if gap := c.X - (prev.X + prev.W); gap > 0.15*math.Max(c.FontSize, 1) &&
					!strings.HasSuffix(prev.S, " ") && !strings.HasPrefix(c.S, " ") {
					sb.WriteByte(' ')
				}
			}
			sb.WriteString(pdfText(c.S))
		}
		if t := collapseSpace(sb.String()); t != "" {
			lines = append(lines, pdfLine{text: t, y: cur[0].Y, size: size})
		}
		cur = cur[:0]
	}
	for _, c := range chars {
		if len(cur) > 0 && math.Abs(c.Y-cur[0].Y) > 0.5*math.Max(cur[0].FontSize, 1) {
			flush()
		}
		cur = append(cur, c)
	}
	flush()
	return lines
}

// pdfText is a glyph's text without control characters, which some
// producers' ToUnicode maps give ("\n" before "ă" in cairo's).
func pdfText(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
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
