package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ellipsis marks shortened text.
const ellipsis = "…"

// shorten returns s unchanged if it has at most max runes. Otherwise it
// returns a prefix of s followed by "…", at most max runes in all, cut at a
// word boundary when that does not lose more than a third of the text,
// else between characters: never inside a UTF-8 sequence, never between a
// character and its combining marks or joined emoji.
//
// With markdown set, s is Discord markdown as this package writes it:
// backslash escapes are kept whole, inline code spans are kept whole or
// dropped, and a "**" bold left open by the cut is closed (or removed if
// it would be empty).
func shorten(s string, max int, markdown bool) string {
	if max <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	if max == 1 {
		return ellipsis
	}
	type cut struct {
		end, runes int
		bold       bool
		boldAt     int // byte offset of the open "**"
		ok         bool
	}
	var hard, word cut
	runes, bold, boldAt := 0, false, 0
	for i := 0; i < len(s); {
		n, nr, kind := nextAtom(s[i:], markdown)
		if kind == atomSpace {
			// The boundary before a space ends a word.
			if c := runes + 1 + boolInt(bold)*2; c <= max && i > 0 {
				word = cut{end: i, runes: runes, bold: bold, boldAt: boldAt, ok: true}
			}
		}
		runes += nr
		if kind == atomBold {
			if !bold {
				boldAt = i
			}
			bold = !bold
		}
		i += n
		if runes+1+boolInt(bold)*2 <= max {
			hard = cut{end: i, runes: runes, bold: bold, boldAt: boldAt, ok: true}
		} else if runes+1 > max {
			break
		}
	}
	c := hard
	if word.ok && (!hard.ok || word.runes*3 >= hard.runes*2) {
		c = word
	}
	if !c.ok {
		return ellipsis
	}
	out := strings.TrimRightFunc(s[:c.end], unicode.IsSpace)
	if c.bold {
		if len(out) <= c.boldAt+2 {
			// The bold would be empty: drop its opening marker.
			out = strings.TrimRightFunc(s[:c.boldAt], unicode.IsSpace)
		} else {
			out += "**"
		}
	}
	return out + ellipsis
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

type atomKind int

const (
	atomText atomKind = iota
	atomSpace
	atomBold
)

// nextAtom returns the byte and rune length of the unit at the start of s
// that shorten must not split, and its kind.
func nextAtom(s string, markdown bool) (n, runes int, kind atomKind) {
	if markdown {
		switch {
		case strings.HasPrefix(s, "**"):
			return 2, 2, atomBold
		case s[0] == '\\' && len(s) > 1:
			_, size := utf8.DecodeRuneInString(s[1:])
			n = extendCluster(s, 1+size)
			return n, runesIn(s[:n]), atomText
		case s[0] == '`':
			if j := strings.IndexByte(s[1:], '`'); j >= 0 {
				return j + 2, utf8.RuneCountInString(s[:j+2]), atomText
			}
		}
	}
	r, size := utf8.DecodeRuneInString(s)
	if unicode.IsSpace(r) {
		return size, 1, atomSpace
	}
	n = extendCluster(s, size)
	return n, runesIn(s[:n]), atomText
}

// extendCluster extends the unit s[:n] over the combining marks, variation
// selectors and zero-width-joined characters that follow it, and pairs
// regional indicators (flags).
func extendCluster(s string, n int) int {
	first, _ := utf8.DecodeRuneInString(s)
	prev := first
	if first == '\\' && n > 1 {
		prev, _ = utf8.DecodeRuneInString(s[1:])
	}
	pairedRI := false
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == '\u200d' ||
			(r >= 0xE0020 && r <= 0xE007F) || (r >= 0x1F3FB && r <= 0x1F3FF):
		case prev == '\u200d' && !unicode.IsSpace(r):
		case isRegional(prev) && isRegional(r) && !pairedRI:
			pairedRI = true
		default:
			return n
		}
		prev = r
		n += size
	}
	return n
}

func isRegional(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

func runesIn(s string) int { return utf8.RuneCountInString(s) }

// shortenAround is shorten for a highlighted excerpt: if the first "**"
// bold would fall in the last two thirds of what fits, leading words are
// dropped (replaced by "…") so the first highlight stays visible.
func shortenAround(s string, limit int) string {
	if limit <= 0 || utf8.RuneCountInString(s) <= limit {
		return shorten(s, limit, true)
	}
	// Find the rune offset of the first bold marker and the word starts
	// before it.
	type start struct{ byte, rune int }
	var starts []start // word starts before the bold
	runes, first := 0, -1
	firstByte := 0
	for i := 0; i < len(s); {
		n, nr, kind := nextAtom(s[i:], true)
		if kind == atomBold {
			first, firstByte = runes, i
			break
		}
		if kind == atomSpace {
			starts = append(starts, start{i + n, runes + nr})
		}
		runes += nr
		i += n
	}
	if first < 0 || first <= limit/3 {
		return shorten(s, limit, true)
	}
	// Start at a word before the highlight, keeping as much leading text
	// as fits with the rest, and at least a sixth of the room.
	budget := max(limit/6, limit-utf8.RuneCountInString(s[firstByte:])-2)
	want := firstByte
	for j := len(starts) - 1; j >= 0; j-- {
		if first-starts[j].rune > budget {
			break
		}
		want = starts[j].byte
	}
	return shorten(ellipsis+" "+strings.TrimLeftFunc(s[want:], unicode.IsSpace), limit, true)
}
