package corpus

import (
	"archive/zip"
	"bytes"
	"encoding/xml"

	"io"
	"strconv"
	"strings"
)

// maxDOCXPart bounds how much of one part of a DOCX is unpacked, so a
// crafted archive cannot exhaust memory.
const maxDOCXPart = 4 * MaxFileSize

// readDOCX reads a Word document: its paragraphs and headings from
// word/document.xml, table rows as passages of their cells. A passage's
// Line is its paragraph number, counting the non-empty paragraphs from
// the start, headings and table cells included. The title is the
// document's own (docProps/core.xml), else its Title paragraph, else its
// first heading.
func readDOCX(b []byte) (parsed, *Warning) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return parsed{}, &Warning{Kind: Damaged, Reason: "damaged DOCX (not a zip archive): " + err.Error()}
	}
	part := func(name string) []byte {
		f, err := zr.Open(name)
		if err != nil {
			return nil
		}
		defer f.Close()
		data, _ := io.ReadAll(io.LimitReader(f, maxDOCXPart))
		return data
	}
	body := part("word/document.xml")
	if body == nil {
		return parsed{}, &Warning{Kind: Damaged, Reason: "damaged DOCX (no word/document.xml)"}
	}
	d := docxWalker{levels: docxHeadingStyles(part("word/styles.xml"))}
	if err := d.walk(body); err != nil {
		return parsed{}, &Warning{Kind: Damaged, Reason: "damaged DOCX: " + err.Error()}
	}
	p := parsed{title: cleanTitle(docxCoreTitle(part("docProps/core.xml"))), blocks: d.blocks}
	if p.title == "" {
		p.title = d.title
	}
	if p.title == "" {
		p.title = d.firstHeading
	}
	return p, nil
}

// docxHeadingStyles maps the ids of heading styles to their level, from
// their name ("heading 2") or outline level; the Title style is level 0.
func docxHeadingStyles(styles []byte) map[string]int {
	levels := map[string]int{"Title": 0}
	for i := 1; i <= 9; i++ {
		levels["Heading"+strconv.Itoa(i)] = i
	}
	if styles == nil {
		return levels
	}
	var doc struct {
		Styles []struct {
			ID   string `xml:"styleId,attr"`
			Name struct {
				Val string `xml:"val,attr"`
			} `xml:"name"`
			Outline *struct {
				Val string `xml:"val,attr"`
			} `xml:"pPr>outlineLvl"`
		} `xml:"style"`
	}
	if xml.Unmarshal(styles, &doc) != nil {
		return levels
	}
	for _, s := range doc.Styles {
		name := strings.ToLower(s.Name.Val)
		switch {
		case name == "title":
			levels[s.ID] = 0
		case strings.HasPrefix(name, "heading "):
			if n, err := strconv.Atoi(strings.TrimPrefix(name, "heading ")); err == nil && n >= 1 && n <= 9 {
				levels[s.ID] = n
			}
		case s.Outline != nil:
			if n, err := strconv.Atoi(s.Outline.Val); err == nil && n >= 0 && n < 9 {
				levels[s.ID] = n + 1
			}
		}
	}
	return levels
}

func docxCoreTitle(core []byte) string {
	if core == nil {
		return ""
	}
	var doc struct {
		Title string `xml:"title"`
	}
	if xml.Unmarshal(core, &doc) != nil {
		return ""
	}
	return doc.Title
}

type docxWalker struct {
	levels       map[string]int
	n            int // non-empty paragraphs so far
	headings     []mdHeading
	title        string
	firstHeading string
	blocks       []block
}

func (d *docxWalker) section() string {
	parts := make([]string, len(d.headings))
	for i, h := range d.headings {
		parts[i] = h.text
	}
	return strings.Join(parts, SectionSep)
}

// walk reads the body's paragraphs and tables in order.
func (d *docxWalker) walk(body []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(body))
	var (
		para    strings.Builder
		style   string
		outline = -1
		inText  bool
		depth   int // table nesting
		pDepth  int // paragraph nesting (text boxes hold paragraphs)
		row     []string
		header  []string
		rows    int // rows of the current table
		cell    strings.Builder
		rowFrom int
		rowTo   int
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				pDepth++
				if pDepth == 1 {
					para.Reset()
					style, outline = "", -1
				} else {
					para.WriteByte(' ')
				}
			case "pStyle":
				if pDepth == 1 {
					style = attr(t, "val")
				}
			case "outlineLvl":
				if n, err := strconv.Atoi(attr(t, "val")); err == nil && pDepth == 1 {
					outline = n
				}
			case "t":
				inText = true
			case "tab":
				para.WriteByte(' ')
			case "br", "cr":
				para.WriteByte(' ')
			case "tbl":
				depth++
				if depth == 1 {
					header, rows = nil, 0
				}
			case "tr":
				if depth == 1 {
					row, rowFrom = nil, 0
				}
			case "tc":
				if depth == 1 {
					cell.Reset()
				}
			case "delText", "instrText", "Fallback": // deleted text, field codes, a text box's copy
				if err := dec.Skip(); err != nil {
					return err
				}
			}
		case xml.CharData:
			if inText {
				para.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if pDepth--; pDepth > 0 {
					para.WriteByte(' ') // a text box's paragraph is part of its own
					continue
				}
				text := collapseSpace(para.String())
				if text == "" {
					continue
				}
				d.n++
				if depth > 0 {
					if cell.Len() > 0 {
						cell.WriteByte(' ')
					}
					cell.WriteString(text)
					if rowFrom == 0 {
						rowFrom = d.n
					}
					rowTo = d.n
					continue
				}
				level, heading := d.levels[style]
				if outline >= 0 && outline < 9 {
					level, heading = outline+1, true
				}
				if heading {
					d.heading(level, text)
					continue
				}
				d.blocks = append(d.blocks, block{text: text, line: d.n, endLine: d.n, section: d.section()})
			case "tc":
				if depth == 1 {
					row = append(row, cell.String())
				}
			case "tr":
				if depth == 1 && rowFrom > 0 {
					rows++
					if rows == 1 {
						// The first row names the columns of the others.
						header = row
						d.blocks = append(d.blocks, block{text: rowText(nil, row), line: rowFrom, endLine: rowTo, section: d.section()})
						continue
					}
					if rows == 2 {
						d.blocks = d.blocks[:len(d.blocks)-1] // a header after all
					}
					d.blocks = append(d.blocks, block{text: rowText(header, row), line: rowFrom, endLine: rowTo, section: d.section()})
				}
			case "tbl":
				depth--
			}
		}
	}
}

func (d *docxWalker) heading(level int, text string) {
	t := cleanTitle(text)
	if t == "" {
		return
	}
	if level == 0 {
		if d.title == "" {
			d.title = t
		}
		return
	}
	for len(d.headings) > 0 && d.headings[len(d.headings)-1].level >= level {
		d.headings = d.headings[:len(d.headings)-1]
	}
	d.headings = append(d.headings, mdHeading{level, t})
	if d.firstHeading == "" {
		d.firstHeading = t
	}
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
