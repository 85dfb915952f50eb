package corpus

import (
	"bytes"
	"html"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// markdownParser parses CommonMark with GitHub tables. It is safe for
// concurrent use.
var markdownParser = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough)).Parser()

// readMarkdown reads Markdown: front matter (title, url, date, lang) is
// metadata; passages are paragraphs, list items, table rows and whole
// code blocks, each under its heading path, citing its source lines.
func readMarkdown(b []byte) (parsed, *Warning) {
	s, w := utf8Text(b)
	if w != nil {
		return parsed{}, w
	}
	src := []byte(s)
	meta := frontMatter(src) // blanks the front matter in src
	m := mdWalker{src: src, lines: lineStarts(src)}
	doc := markdownParser.Parse(text.NewReader(src))
	ast.Walk(doc, m.visit)
	p := parsed{title: cleanTitle(meta["title"]), url: SafeURL(meta["url"]), blocks: m.blocks}
	if p.title == "" {
		p.title = m.firstHeading
	}
	return p, nil
}

type mdWalker struct {
	src          []byte
	lines        []int // byte offset of each line's start
	headings     []mdHeading
	firstHeading string
	blocks       []block
}

type mdHeading struct {
	level int
	text  string
}

func (m *mdWalker) section() string {
	parts := make([]string, len(m.headings))
	for i, h := range m.headings {
		parts[i] = h.text
	}
	return strings.Join(parts, SectionSep)
}

func (m *mdWalker) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	switch n := n.(type) {
	case *ast.Heading:
		t := cleanTitle(m.inline(n))
		for len(m.headings) > 0 && m.headings[len(m.headings)-1].level >= n.Level {
			m.headings = m.headings[:len(m.headings)-1]
		}
		if t != "" {
			m.headings = append(m.headings, mdHeading{n.Level, t})
			if m.firstHeading == "" {
				m.firstHeading = t
			}
		}
		return ast.WalkSkipChildren, nil
	case *ast.Paragraph, *ast.TextBlock:
		from, to := m.span(n)
		if from > 0 {
			m.blocks = append(m.blocks, block{text: m.inline(n), line: from, endLine: to, section: m.section(), lines: true})
		}
		return ast.WalkSkipChildren, nil
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		var b strings.Builder
		segs := n.Lines()
		for i := 0; i < segs.Len(); i++ {
			seg := segs.At(i)
			b.Write(seg.Value(m.src))
		}
		from, to := m.span(n)
		if from > 0 {
			m.blocks = append(m.blocks, block{text: strings.TrimRight(b.String(), "\n"), line: from, endLine: to, section: m.section(), lines: true, code: true})
		}
		return ast.WalkSkipChildren, nil
	case *ast.HTMLBlock:
		return ast.WalkSkipChildren, nil // comments and raw markup
	case *east.Table:
		m.table(n)
		return ast.WalkSkipChildren, nil
	}
	return ast.WalkContinue, nil
}

// table makes a passage of each body row, its cells named by the
// header: "Hệ điều hành: Linux; Lệnh: apt install askdocs".
func (m *mdWalker) table(t *east.Table) {
	var header []string
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, collapseSpace(m.inline(c)))
		}
		if _, ok := row.(*east.TableHeader); ok {
			header = cells
			continue
		}
		from, to := m.span(row)
		if from > 0 {
			m.blocks = append(m.blocks, block{text: rowText(header, cells), line: from, endLine: to, section: m.section()})
		}
	}
}

// rowText joins a table row's cells, named by the header when it has one.
func rowText(header, cells []string) string {
	var parts []string
	for i, c := range cells {
		if c == "" {
			continue
		}
		if i < len(header) && header[i] != "" && header[i] != c {
			c = header[i] + ": " + c
		}
		parts = append(parts, c)
	}
	return strings.Join(parts, "; ")
}

// inline returns the text of n's inline content: link and emphasis text,
// image descriptions, code spans; soft and hard breaks as "\n".
func (m *mdWalker) inline(n ast.Node) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			v := c.Value(m.src)
			if bytes.IndexByte(v, '&') >= 0 {
				b.WriteString(html.UnescapeString(string(v))) // &amp; &eacute; …
			} else {
				b.Write(v)
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte('\n')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.Label(m.src))
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// span returns the first and last source line of block n (1-based), or
// 0, 0 when it has no text.
func (m *mdWalker) span(n ast.Node) (int, int) {
	lo, hi := -1, -1
	add := func(start, stop int) {
		if stop <= start {
			return
		}
		if lo < 0 || start < lo {
			lo = start
		}
		if stop > hi {
			hi = stop
		}
	}
	if segs := n.Lines(); segs != nil && segs.Len() > 0 {
		for i := 0; i < segs.Len(); i++ {
			add(segs.At(i).Start, segs.At(i).Stop)
		}
	}
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			add(t.Segment.Start, t.Segment.Stop)
		}
		return ast.WalkContinue, nil
	})
	if lo < 0 {
		return 0, 0
	}
	return lineOf(m.lines, lo), lineOf(m.lines, hi-1)
}

// lineStarts returns the byte offset at which each line of src starts.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf returns the 1-based line holding byte offset off.
func lineOf(starts []int, off int) int {
	return sort.Search(len(starts), func(i int) bool { return starts[i] > off })
}

// frontMatter reads a leading YAML ("---") or TOML ("+++") block of
// "key: value" / "key = value" lines, and blanks it in src (spaces, the
// line breaks kept) so that it is not text and lines stay exact.
func frontMatter(src []byte) map[string]string {
	var fence string
	switch {
	case bytes.HasPrefix(src, []byte("---\n")):
		fence = "---"
	case bytes.HasPrefix(src, []byte("+++\n")):
		fence = "+++"
	default:
		return nil
	}
	meta := map[string]string{}
	end := -1
	off := len(fence) + 1
	for off < len(src) {
		nl := bytes.IndexByte(src[off:], '\n')
		lineEnd := len(src)
		if nl >= 0 {
			lineEnd = off + nl
		}
		line := strings.TrimSpace(string(src[off:lineEnd]))
		if line == fence || (fence == "---" && line == "...") {
			end = lineEnd
			break
		}
		sep := ":"
		if fence == "+++" {
			sep = "="
		}
		if k, v, ok := strings.Cut(line, sep); ok && !strings.HasPrefix(line, " ") {
			k = strings.ToLower(strings.TrimSpace(k))
			v = strings.TrimSpace(v)
			if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
				v = v[1 : len(v)-1]
			}
			if _, dup := meta[k]; !dup {
				meta[k] = v
			}
		}
		off = lineEnd + 1
	}
	if end < 0 {
		return nil // not closed: not front matter
	}
	for i := 0; i < end; i++ {
		if src[i] != '\n' {
			src[i] = ' '
		}
	}
	return meta
}
