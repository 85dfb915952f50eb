package corpus

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval/analysis/sentence"
)

// textTitle returns a plain text's title: its first line of words when
// that reads as a headline, else the opening words of its first
// sentence; "" (the file name then) when the text opens with no words.
// Lines of markup (an underline "=====", a comment "<!--", a directive
// ".. ") are passed over.
func textTitle(lines []string) string {
	first := ""
	for i, l := range lines {
		if i > 20 {
			break
		}
		l = strings.TrimSpace(l)
		if l == "" || markupLine(l) {
			continue
		}
		first = l
		break
	}
	if len(first) > 600 {
		// A title is in the first words; a huge one-line file must not
		// make it costly.
		cut := 600
		for cut > 0 && !utf8.RuneStart(first[cut]) {
			cut--
		}
		first = first[:cut]
	}
	first = strings.TrimSpace(strings.TrimLeft(first, "#= "))
	first = stripMetadata(first)
	if isHeadline(first) {
		return first
	}
	return openingWords(first, 10)
}

// markupLine reports whether l is markup rather than words.
func markupLine(l string) bool {
	if strings.HasPrefix(l, "<") || strings.HasPrefix(l, "..") || strings.HasPrefix(l, ":") {
		return true
	}
	return strings.IndexFunc(l, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0
}

// fileTitle makes a file name readable: "huong-dan-cai-dat.md" →
// "Huong dan cai dat".
func fileTitle(source string) string {
	name := path.Base(source)
	if ext := path.Ext(name); ext != "" && ext != name {
		name = strings.TrimSuffix(name, ext)
	}
	name = strings.Join(strings.FieldsFunc(name, func(r rune) bool {
		return r == '-' || r == '_' || r == '.' || unicode.IsSpace(r)
	}), " ")
	if name == "" {
		return path.Base(source)
	}
	r, n := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[n:]
}

// cleanTitle is a heading or <title> made one line; "" if it has no
// words.
func cleanTitle(s string) string {
	s = collapseSpace(s)
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		return ""
	}
	if utf8.RuneCountInString(s) > 200 {
		return openingWords(s, 12)
	}
	return s
}

// stripMetadata removes a leading "date 2025-12-03" (or "date: …") tag,
// which some exports put before the first sentence.
func stripMetadata(s string) string {
	f := strings.Fields(s)
	if len(f) >= 3 && strings.EqualFold(strings.TrimSuffix(f[0], ":"), "date") && looksLikeDate(f[1]) {
		return strings.TrimSpace(s[strings.Index(s, f[1])+len(f[1]):])
	}
	return s
}

func looksLikeDate(s string) bool {
	if len(s) < 8 {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '-' && r != '/' && r != '.' {
			return false
		}
	}
	return true
}

// isHeadline: short, no sentence punctuation at the end.
func isHeadline(s string) bool {
	n := utf8.RuneCountInString(s)
	if n == 0 || n > 140 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".!?;:,…", last) && len(strings.Fields(s)) <= 25
}

// openingWords returns up to n words of s's first sentence, with "…" when
// it cuts.
func openingWords(s string, n int) string {
	first := sentence.Split(s)[0]
	s = strings.TrimRight(s[first.Start:first.End], ".!?…")
	s = strings.TrimRight(s, ",:; ")
	f := strings.Fields(s)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return strings.TrimRight(strings.Join(f[:n], " "), ",:;-–") + "…"
}
