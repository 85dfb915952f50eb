// Package sentence finds sentence boundaries in passage text, for every
// part of askdocs that needs them: excerpts cut at sentences, long
// paragraphs split at sentence ends, duplicates compared sentence by
// sentence. It is the one sentence splitter of the project.
//
// A sentence ends at '.', '!', '?' or '…' followed by white space and
// then a capital letter, a digit or an opening quote or bracket, and at a
// line break; not after an initial ("William E. Simon", "Y. p.
// pestis") or a common abbreviation ("Dr.", "TP.", "etc.").
package sentence

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a sentence: the half-open byte range [Start, End) of the text,
// its end including the closing punctuation.
type Span struct{ Start, End int }

// abbreviations end with a full stop that does not end a sentence,
// lower-cased, without the stop.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true, "jr": true, "sr": true,
	"vs": true, "etc": true, "no": true, "inc": true, "ltd": true, "co": true, "corp": true, "gen": true,
	"col": true, "lt": true, "rev": true, "mt": true, "ft": true, "approx": true, "dept": true, "est": true,
	"fig": true, "jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "u.s": true, "e.g": true, "i.e": true,
	// Vietnamese: thành phố, tiến sĩ, thạc sĩ, phó giáo sư, giáo sư.
	"tp": true, "ts": true, "ths": true, "pgs": true, "gs": true,
}

// Split returns the sentences of text, in order, each with at least one
// character that is not white space; text of white space only is one
// sentence.
func Split(text string) []Span {
	var out []Span
	start := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		next := i + size
		if r == '\n' || isStop(r) && EndsAt(text, i) {
			if strings.TrimSpace(text[start:next]) != "" {
				out = append(out, Span{start, next})
			}
			start = next
		}
		i = next
	}
	if strings.TrimSpace(text[start:]) != "" {
		out = append(out, Span{start, len(text)})
	}
	if len(out) == 0 {
		out = append(out, Span{0, len(text)})
	}
	return out
}

func isStop(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '…' }

// EndsAt reports whether the stop at text[i] ('.', '!', '?' or '…')
// ends a sentence.
func EndsAt(text string, i int) bool {
	r, size := utf8.DecodeRuneInString(text[i:])
	if !isStop(r) {
		return false
	}
	j := i + size
	k := j
	for k < len(text) && (text[k] == ' ' || text[k] == '\t') {
		k++
	}
	if k == j || k == len(text) {
		return false
	}
	nr, _ := utf8.DecodeRuneInString(text[k:])
	if !(unicode.IsUpper(nr) || unicode.IsDigit(nr) || strings.ContainsRune("\"“‘'(", nr)) {
		return false
	}
	return r != '.' || !abbreviated(text[:i])
}

// abbreviated reports whether before, the text up to a full stop, ends
// with an initial or an abbreviation.
func abbreviated(before string) bool {
	w := len(before)
	for w > 0 {
		r, size := utf8.DecodeLastRuneInString(before[:w])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		w -= size
	}
	word := before[w:]
	if n := utf8.RuneCountInString(word); n == 1 {
		return true // an initial
	}
	return abbreviations[strings.ToLower(word)]
}

// LastEnd returns the byte offset just past the last sentence end in s
// (after the stop and the spaces after it), or past the last "; ", or
// -1 when s has neither.
func LastEnd(s string) int {
	best := -1
	for _, sp := range Split(s) {
		if sp.End < len(s) {
			e := sp.End
			for e < len(s) && s[e] == ' ' {
				e++
			}
			best = e
		}
	}
	if i := strings.LastIndex(s, "; "); i >= 0 && i+2 > best {
		best = i + 2
	}
	return best
}
