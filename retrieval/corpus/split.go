package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval/analysis/sentence"
)

type span struct{ start, end int }

// chunk cuts s into pieces of at most max bytes, at a sentence end when
// one is near the limit, else at a space, else at a rune boundary.
func chunk(s string, max int) []span {
	if len(s) <= max {
		a, b := 0, len(s)
		for a < b && (s[a] == ' ' || s[a] == '\n') {
			a++
		}
		for b > a && (s[b-1] == ' ' || s[b-1] == '\n') {
			b--
		}
		if a < b {
			return []span{{a, b}}
		}
		return nil
	}
	var out []span
	for start := 0; start < len(s); {
		end := len(s)
		if end-start > max {
			end = start + max
			for end > start && !utf8.RuneStart(s[end]) {
				end--
			}
			cut := -1
			window := s[start:end]
			if i := sentence.LastEnd(window); i > len(window)/2 {
				cut = start + i
			} else if i := strings.LastIndexAny(window, " \n\t"); i > len(window)/2 {
				cut = start + i + 1
			}
			if cut > start {
				end = cut
			}
		}
		// Trim the spaces a cut leaves around pieces.
		a, b := start, end
		for a < b && (s[a] == ' ' || s[a] == '\n') {
			a++
		}
		for b > a && (s[b-1] == ' ' || s[b-1] == '\n') {
			b--
		}
		if a < b {
			out = append(out, span{a, b})
		}
		start = end
	}
	return out
}

// collapseSpace returns s with runs of white space made one space and
// the ends trimmed, as strings.Join(strings.Fields(s), " ") does, but
// without splitting s when it is already collapsed (most text is).
func collapseSpace(s string) string {
	clean, prevSpace := true, true // a space at the start is not clean
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			sp := c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
			if sp && (c != ' ' || prevSpace) {
				clean = false
				break
			}
			prevSpace = sp
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			clean = false
			break
		}
		prevSpace = false
		i += n - 1
	}
	if clean && !prevSpace {
		return s
	}
	if clean && s == "" {
		return ""
	}
	return strings.Join(strings.Fields(s), " ")
}
