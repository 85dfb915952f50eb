package corpus

import (
	"github.com/ledongthuc/pdf"
)

// The PDF reader's own page walk mis-places glyphs: it gives composite
// fonts (as Chromium and Word write) no widths, so every glyph of a run
// has one position, and after each TJ it decodes a stray "\n" through
// the font, which yields a letter in fonts whose code 10 is one (as
// LibreOffice's subsets do). pageGlyphs interprets the page's content
// itself, with the reader's parser and font maps, and places each glyph
// by its width.

// pdfMatrix is a PDF transformation matrix [a b 0; c d 0; e f 1].
type pdfMatrix [3][3]float64

var pdfIdentity = pdfMatrix{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}

func (m pdfMatrix) mul(n pdfMatrix) pdfMatrix {
	var r pdfMatrix
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				r[i][j] += m[i][k] * n[k][j]
			}
		}
	}
	return r
}

func pdfTranslate(x, y float64) pdfMatrix { return pdfMatrix{{1, 0, 0}, {0, 1, 0}, {x, y, 1}} }

// pdfFont decodes a font's codes to text and gives their widths.
type pdfFont struct {
	enc    pdf.TextEncoding
	two    bool // two-byte codes (a composite font)
	first  int
	widths []float64       // simple fonts, from first
	cid    map[int]float64 // composite fonts: widths of single codes
	ranges []cidRange      // and of ranges of codes
	dw     float64         // composite fonts' default width
	text   map[int]string
}

// cidRange is a run of codes first … last of one width.
type cidRange struct {
	first, last int
	width       float64
}

func newPDFFont(v pdf.Value) *pdfFont {
	f := &pdfFont{text: map[int]string{}}
	pf := pdf.Font{V: v}
	f.enc = pf.Encoder()
	if v.Key("Subtype").Name() == "Type0" {
		f.two = true
		d := v.Key("DescendantFonts").Index(0)
		f.dw = 1000
		if x := d.Key("DW"); x.Kind() == pdf.Integer || x.Kind() == pdf.Real {
			f.dw = x.Float64()
		}
		f.cid = map[int]float64{}
		w := d.Key("W")
		for i := 0; i+1 < w.Len(); {
			c := int(w.Index(i).Int64())
			if next := w.Index(i + 1); next.Kind() == pdf.Array {
				for k := 0; k < next.Len(); k++ {
					f.cid[c+k] = next.Index(k).Float64()
				}
				i += 2
				continue
			}
			if i+2 >= w.Len() {
				break
			}
			f.ranges = append(f.ranges, cidRange{c, int(w.Index(i + 1).Int64()), w.Index(i + 2).Float64()})
			i += 3
		}
		return f
	}
	f.first = int(v.Key("FirstChar").Int64())
	ws := v.Key("Widths")
	for i := 0; i < ws.Len(); i++ {
		f.widths = append(f.widths, ws.Index(i).Float64())
	}
	if v.Key("Subtype").Name() == "Type3" {
		// Glyph space is the font matrix's, not thousandths of an em.
		if fm := v.Key("FontMatrix"); fm.Len() > 0 {
			for i := range f.widths {
				f.widths[i] *= fm.Index(0).Float64() * 1000
			}
		}
	}
	return f
}

// codes splits a shown string into its codes.
func (f *pdfFont) codes(raw string) []int {
	var out []int
	if f.two {
		for i := 0; i+1 < len(raw); i += 2 {
			out = append(out, int(raw[i])<<8|int(raw[i+1]))
		}
		return out
	}
	for i := 0; i < len(raw); i++ {
		out = append(out, int(raw[i]))
	}
	return out
}

func (f *pdfFont) width(code int) float64 {
	if f.two {
		if w, ok := f.cid[code]; ok {
			return w
		}
		for _, r := range f.ranges {
			if code >= r.first && code <= r.last {
				return r.width
			}
		}
		return f.dw
	}
	if i := code - f.first; i >= 0 && i < len(f.widths) {
		return f.widths[i]
	}
	return 0
}

func (f *pdfFont) decode(code int) string {
	if s, ok := f.text[code]; ok {
		return s
	}
	raw := string([]byte{byte(code)})
	if f.two {
		raw = string([]byte{byte(code >> 8), byte(code)})
	}
	s := f.enc.Decode(raw)
	f.text[code] = s
	return s
}

// pageGlyphs returns the glyphs a page draws, in drawing order, each at
// its place on the page with its width and font size.
func pageGlyphs(pg pdf.Page) []pdf.Text {
	strm := pg.V.Key("Contents")
	if strm.Kind() == pdf.Null {
		return nil
	}
	resources := pg.Resources().Key("Font")
	fonts := map[string]*pdfFont{}
	type state struct {
		ctm, tm, tlm               pdfMatrix
		tc, tw, th, tl, tfs, trise float64
		font                       *pdfFont
	}
	g := state{ctm: pdfIdentity, tm: pdfIdentity, tlm: pdfIdentity, th: 1}
	var saved []state
	var out []pdf.Text
	show := func(raw string) {
		if g.font == nil {
			return
		}
		for _, code := range g.font.codes(raw) {
			w0 := g.font.width(code)
			trm := pdfMatrix{{g.tfs * g.th, 0, 0}, {0, g.tfs, 0}, {0, g.trise, 1}}.mul(g.tm).mul(g.ctm)
			out = append(out, pdf.Text{S: g.font.decode(code), X: trm[2][0], Y: trm[2][1], W: w0 / 1000 * trm[0][0], FontSize: trm[0][0]})
			tx := w0/1000*g.tfs + g.tc
			if !g.font.two && code == ' ' {
				tx += g.tw
			}
			g.tm = pdfTranslate(tx*g.th, 0).mul(g.tm)
		}
	}
	nextLine := func() {
		g.tlm = pdfTranslate(0, -g.tl).mul(g.tlm)
		g.tm = g.tlm
	}
	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		matrixArg := func() pdfMatrix {
			return pdfMatrix{{num(0), num(1), 0}, {num(2), num(3), 0}, {num(4), num(5), 1}}
		}
		switch op {
		case "q":
			saved = append(saved, g)
		case "Q":
			if n := len(saved); n > 0 {
				g, saved = saved[n-1], saved[:n-1]
			}
		case "cm":
			if len(args) == 6 {
				g.ctm = matrixArg().mul(g.ctm)
			}
		case "BT":
			g.tm, g.tlm = pdfIdentity, pdfIdentity
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				f, ok := fonts[name]
				if !ok {
					f = newPDFFont(resources.Key(name))
					fonts[name] = f
				}
				g.font, g.tfs = f, num(1)
			}
		case "Tc":
			g.tc = num(0)
		case "Tw":
			g.tw = num(0)
		case "Tz":
			g.th = num(0) / 100
		case "TL":
			g.tl = num(0)
		case "Ts":
			g.trise = num(0)
		case "Td", "TD":
			if op == "TD" {
				g.tl = -num(1)
			}
			g.tlm = pdfTranslate(num(0), num(1)).mul(g.tlm)
			g.tm = g.tlm
		case "Tm":
			if len(args) == 6 {
				g.tm = matrixArg()
				g.tlm = g.tm
			}
		case "T*":
			nextLine()
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "'":
			nextLine()
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "\"":
			if len(args) == 3 {
				g.tw, g.tc = num(0), num(1)
				nextLine()
				show(args[2].RawString())
			}
		case "TJ":
			if len(args) != 1 {
				return
			}
			for i := 0; i < args[0].Len(); i++ {
				x := args[0].Index(i)
				if x.Kind() == pdf.String {
					show(x.RawString())
				} else {
					g.tm = pdfTranslate(-x.Float64()/1000*g.tfs*g.th, 0).mul(g.tm)
				}
			}
		}
	})
	return out
}
