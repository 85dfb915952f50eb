// Package cite says where an answer comes from, one way for every front
// end: the place of a passage ("guide.md:17-19", "report.pdf p. 3",
// "policy.docx ¶ 12"), its heading path, and the matched words of an
// excerpt as repaired, ordered segments. It formats no markup of its
// own: the bot escapes for Discord, the command line for a terminal.
package cite

import (
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval"
)

// Where formats a place in a document: "file.txt:17", "file.txt:17-19";
// "report.pdf p. 3" for a PDF page; "policy.docx ¶ 12" (or "¶ 12-14")
// for DOCX paragraphs. Line breaks in source are made spaces.
func Where(source string, line, end, page int) string {
	s := strings.Join(strings.Fields(source), " ")
	switch {
	case page > 0:
		return s + " p. " + strconv.Itoa(page)
	case line <= 0:
		return s
	case strings.EqualFold(path.Ext(s), ".docx"):
		return s + " ¶ " + span(line, end)
	}
	return s + ":" + span(line, end)
}

func span(line, end int) string {
	if end > line {
		return strconv.Itoa(line) + "-" + strconv.Itoa(end)
	}
	return strconv.Itoa(line)
}

// Of is Where for a result.
func Of(r retrieval.Result) string { return Where(r.Source, r.Line, r.EndLine, r.Page) }

// OfLocation is Where for a merged duplicate.
func OfLocation(l retrieval.Location) string { return Where(l.Source, l.Line, l.EndLine, l.Page) }

// Heading is a result's title and heading path, "Title › Cài đặt ›
// Linux", without repeating a title that is also the first heading.
func Heading(r retrieval.Result) string {
	title := strings.Join(strings.Fields(r.Title), " ")
	section := strings.Join(strings.Fields(r.Section), " ")
	switch {
	case section == "":
		return title
	case title == "" || section == title || strings.HasPrefix(section, title+" › "):
		return section
	}
	return title + " › " + section
}

// Segment is a piece of an excerpt, matched (Bold) or not.
type Segment struct {
	Text string
	Bold bool
}

// Segments cuts an excerpt at its highlighted byte ranges. Ranges that
// are out of bounds, overlapping, unsorted or not on character
// boundaries are repaired or ignored; touching ones are merged. The
// segments' texts, joined, are the excerpt.
func Segments(excerpt string, spans []retrieval.Span) []Segment {
	sorted := append([]retrieval.Span(nil), spans...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	var out []Segment
	add := func(s string, bold bool) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Bold == bold {
			out[n-1].Text += s
			return
		}
		out = append(out, Segment{s, bold})
	}
	last := 0
	for _, sp := range sorted {
		start, end := max(sp.Start, last), min(sp.End, len(excerpt))
		if start >= end {
			continue
		}
		for start > last && !utf8.RuneStart(excerpt[start]) {
			start-- // take in the whole character
		}
		for end < len(excerpt) && !utf8.RuneStart(excerpt[end]) {
			end++
		}
		if start >= end {
			continue
		}
		add(excerpt[last:start], false)
		add(excerpt[start:end], true)
		last = end
	}
	add(excerpt[last:], false)
	return out
}

// Mark wraps the matched segments of an excerpt in open and close.
func Mark(excerpt string, spans []retrieval.Span, open, close string) string {
	var b strings.Builder
	for _, s := range Segments(excerpt, spans) {
		if s.Bold {
			b.WriteString(open + s.Text + close)
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}
