package corpus

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// readHTML reads an HTML page: the title from <title>, else the first
// <h1>; passages from the readable body (paragraphs, list items, table
// rows, preformatted blocks), under their heading path, citing the
// source lines; scripts, styles, navigation and footers left out.
// Entities are decoded.
func readHTML(b []byte) (parsed, *Warning) {
	s, w := utf8Text(b)
	if w != nil {
		return parsed{}, w
	}
	h := htmlWalker{line: 1}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		switch tt {
		case html.TextToken:
			h.text(string(z.Text()), raw)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			h.start(atom.Lookup(name), tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			h.end(atom.Lookup(name))
		}
		h.line += bytes.Count(raw, []byte("\n"))
	}
	h.flush()
	p := parsed{title: cleanTitle(h.title), blocks: h.blocks}
	if p.title == "" {
		p.title = h.firstH1
	}
	return p, nil
}

// skipped elements: their text is not the page's content.
var htmlSkip = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Nav: true, atom.Footer: true,
	atom.Noscript: true, atom.Template: true, atom.Svg: true, atom.Head: true,
	atom.Button: true, atom.Select: true, atom.Iframe: true, atom.Object: true,
}

// htmlBreak elements end the passage before them and start a new one.
var htmlBreak = map[atom.Atom]bool{
	atom.P: true, atom.Li: true, atom.Dt: true, atom.Dd: true, atom.Div: true,
	atom.Blockquote: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Aside: true, atom.Header: true, atom.Ul: true, atom.Ol: true, atom.Dl: true,
	atom.Table: true, atom.Caption: true, atom.Figure: true, atom.Figcaption: true,
	atom.Address: true, atom.Hr: true, atom.Body: true, atom.Form: true,
	atom.Details: true, atom.Summary: true,
}

var htmlHeading = map[atom.Atom]int{atom.H1: 1, atom.H2: 2, atom.H3: 3, atom.H4: 4, atom.H5: 5, atom.H6: 6}

type htmlWalker struct {
	line     int // line of the current token's start
	skip     []atom.Atom
	inTitle  bool
	title    string
	firstH1  string
	headings []mdHeading
	heading  int // level of the heading being read, 0 if none
	pre      int

	buf      strings.Builder // the passage (or heading) being read
	from, to int             // its first and last line

	inRow          bool
	cells          []string
	cell           strings.Builder
	header         []string
	rowIsHeader    bool
	rowFrom, rowTo int

	blocks []block
}

func (h *htmlWalker) start(a atom.Atom, selfClosing bool) {
	if a == atom.Title {
		h.inTitle = true
		return
	}
	if len(h.skip) > 0 {
		if htmlSkip[a] && !selfClosing && a != atom.Head {
			h.skip = append(h.skip, a)
		}
		return
	}
	switch {
	case htmlSkip[a] && !selfClosing:
		h.skip = append(h.skip, a)
		return
	case htmlHeading[a] > 0:
		h.flush()
		h.heading = htmlHeading[a]
	case a == atom.Pre:
		h.flush()
		h.pre++
	case a == atom.Tr:
		h.flush()
		h.inRow, h.cells, h.rowIsHeader, h.rowFrom = true, nil, true, 0
	case a == atom.Td || a == atom.Th:
		h.endCell()
		if a == atom.Td {
			h.rowIsHeader = false
		}
	case a == atom.Br:
		h.write(" \n")
	case htmlBreak[a]:
		h.flush()
	}
}

func (h *htmlWalker) end(a atom.Atom) {
	if a == atom.Title {
		h.inTitle = false
		return
	}
	if len(h.skip) > 0 {
		if h.skip[len(h.skip)-1] == a {
			h.skip = h.skip[:len(h.skip)-1]
		}
		return
	}
	switch {
	case htmlHeading[a] > 0 && h.heading > 0:
		t := cleanTitle(h.buf.String())
		level := h.heading
		h.buf.Reset()
		h.heading, h.from = 0, 0
		for len(h.headings) > 0 && h.headings[len(h.headings)-1].level >= level {
			h.headings = h.headings[:len(h.headings)-1]
		}
		if t != "" {
			h.headings = append(h.headings, mdHeading{level, t})
			if level == 1 && h.firstH1 == "" {
				h.firstH1 = t
			}
		}
	case a == atom.Pre:
		h.flush()
		h.pre = max(0, h.pre-1)
	case a == atom.Tr:
		h.endRow()
	case a == atom.Td || a == atom.Th:
		h.endCell()
	case a == atom.Table:
		h.endRow()
		h.header = nil
	case htmlBreak[a]:
		h.flush()
	}
}

// text adds a text token, raw being its source.
func (h *htmlWalker) text(t string, raw []byte) {
	if h.inTitle {
		h.title += t
		return
	}
	if len(h.skip) > 0 {
		return
	}
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		if h.buf.Len() > 0 || h.cell.Len() > 0 {
			h.write(" ")
		}
		return
	}
	first := h.line + bytes.Count(raw[:bytes.Index(raw, trimmed)], []byte("\n"))
	last := first + bytes.Count(trimmed, []byte("\n"))
	if h.inRow {
		if h.rowFrom == 0 {
			h.rowFrom = first
		}
		h.rowTo = last
	} else {
		if h.from == 0 {
			h.from = first
		}
		h.to = last
	}
	h.write(t)
}

func (h *htmlWalker) write(s string) {
	if h.inRow {
		h.cell.WriteString(s)
	} else {
		h.buf.WriteString(s)
	}
}

func (h *htmlWalker) section() string {
	parts := make([]string, len(h.headings))
	for i, x := range h.headings {
		parts[i] = x.text
	}
	return strings.Join(parts, SectionSep)
}

// flush ends the passage being read.
func (h *htmlWalker) flush() {
	if h.heading > 0 {
		return // a heading ends at its end tag
	}
	t := h.buf.String()
	h.buf.Reset()
	from, to := h.from, h.to
	h.from, h.to = 0, 0
	if h.pre > 0 {
		t = strings.Trim(t, "\n")
	} else {
		t = collapseSpace(t)
	}
	if strings.TrimSpace(t) == "" || from == 0 {
		return
	}
	h.blocks = append(h.blocks, block{text: t, line: from, endLine: to, section: h.section(), code: h.pre > 0})
}

func (h *htmlWalker) endCell() {
	if !h.inRow {
		return
	}
	c := collapseSpace(h.cell.String())
	h.cell.Reset()
	if c != "" || len(h.cells) > 0 {
		h.cells = append(h.cells, c)
	}
}

func (h *htmlWalker) endRow() {
	if !h.inRow {
		return
	}
	h.endCell()
	h.inRow = false
	if len(h.cells) == 0 {
		return
	}
	if h.rowIsHeader && h.header == nil {
		h.header = h.cells
		return
	}
	if t := rowText(h.header, h.cells); t != "" && h.rowFrom > 0 {
		h.blocks = append(h.blocks, block{text: t, line: h.rowFrom, endLine: h.rowTo, section: h.section()})
	}
}
