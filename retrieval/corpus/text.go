package corpus

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// readText reads plain text (.txt, .rst, .adoc, README, any UTF-8 file
// of unknown extension): a paragraph is a run of non-blank lines; in
// unwrapped prose (one long paragraph a line, as news exports have) each
// line is a paragraph.
func readText(b []byte) (parsed, *Warning) {
	s, w := utf8Text(b)
	if w != nil {
		return parsed{}, w
	}
	lines := strings.Split(s, "\n")
	var p parsed
	start := -1
	emit := func(from, to int) { // lines[from:to] is one paragraph
		run := trimAll(lines[from:to])
		for i, l := range run {
			if markupLine(l) && !strings.HasPrefix(l, "<") && !strings.HasPrefix(l, ":") {
				run[i] = "" // an underline "=====", a rule "----", a directive ".. x"
			}
		}
		p.blocks = append(p.blocks, block{text: strings.Join(run, "\n"), line: from + 1, endLine: to, lines: true})
	}
	flush := func(end int) { // lines[start:end] is a run of non-blank lines
		if unwrapped(lines[start:end]) {
			for i := start; i < end; i++ {
				emit(i, i+1)
			}
		} else {
			emit(start, end)
		}
		start = -1
	}
	for i, l := range lines {
		blank := strings.TrimSpace(l) == ""
		switch {
		case blank && start >= 0:
			flush(i)
		case !blank && start < 0:
			start = i
		}
	}
	if start >= 0 {
		flush(len(lines))
	}
	p.title = textTitle(lines)
	return p, nil
}

// utf8Text checks that b is text and returns it without a byte-order
// mark and with "\n" line ends.
func utf8Text(b []byte) (string, *Warning) {
	if bytes.IndexByte(b, 0) >= 0 {
		return "", &Warning{Kind: Binary, Reason: "binary (holds NUL bytes, not text)"}
	}
	if !utf8.Valid(b) {
		return "", &Warning{Kind: InvalidUTF8, Reason: "not valid UTF-8 (convert it, e.g. from a legacy Vietnamese encoding, to UTF-8)"}
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	s := string(b)
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s, nil
}

// unwrapLineRunes is the line length past which a run of lines is taken
// as unwrapped prose, where each line is a paragraph of its own (news
// exports often put one paragraph a line with no blank line between).
// Hard-wrapped text keeps its lines shorter and its run is one paragraph.
const unwrapLineRunes = 200

func unwrapped(run []string) bool {
	if len(run) < 2 {
		return false
	}
	for _, l := range run {
		if utf8.RuneCountInString(l) > unwrapLineRunes {
			return true
		}
	}
	return false
}

func trimAll(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimSpace(l)
	}
	return out
}
