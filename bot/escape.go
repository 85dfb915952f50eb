package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// zwsp (zero-width space) is inserted to break mentions such as @everyone.
const zwsp = "\u200b"

// maxCombining caps combining marks on one base character ("Zalgo" text).
const maxCombining = 4

// sanitize makes untrusted text safe to process and display: invalid UTF-8
// becomes U+FFFD; control characters, invisible formatting characters
// (zero-width spaces, bidirectional overrides, BOM) and excess combining
// marks are removed; CR LF and other line breaks become "\n" (or a space
// when multiline is false) and tabs become spaces. Zero-width joiners and
// non-joiners are kept (emoji sequences and some scripts need them).
func sanitize(s string, multiline bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	combining := 0
	for i, r := range s {
		switch {
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			r = '\n'
		case r == '\u2028' || r == '\u2029' || r == '\u0085':
			r = '\n'
		case r == '\t' || r == '\v' || r == '\f':
			r = ' '
		}
		if r == '\n' && !multiline {
			r = ' '
		}
		if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) {
			combining++
			if combining > maxCombining {
				continue
			}
		} else {
			combining = 0
		}
		if r != '\n' && keepOut(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// keepOut reports whether sanitize drops r.
func keepOut(r rune) bool {
	switch {
	case r == '\u200c' || r == '\u200d': // ZWNJ, ZWJ
		return false
	case r >= 0xE0020 && r <= 0xE007F: // tags, used by flag emoji
		return false
	case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
		return true
	case r >= 0xFFF9 && r <= 0xFFFB: // interlinear annotations
		return true
	}
	return false
}

// oneLine sanitizes s into a single line with runs of white space
// collapsed, trimmed.
func oneLine(s string) string {
	return strings.Join(strings.Fields(sanitize(s, false)), " ")
}

// sanitizeLine is oneLine shortened to max runes, with mentions broken,
// for untrusted values quoted in logs-free plain text such as errors.
func sanitizeLine(s string, max int) string {
	return shorten(plain(oneLine(s)), max, false)
}

// markdownSpecial reports whether Discord markdown gives r a meaning.
func markdownSpecial(r rune) bool {
	switch r {
	case '\\', '*', '_', '~', '`', '|', '>', '<', '#', '-', '[', ']', '(', ')':
		return true
	}
	return false
}

// escapeMarkdown makes sanitized text display literally in Discord
// markdown: formatting characters are backslash-escaped; user, role,
// channel, emoji, timestamp and command tokens (<@…>, <@&…>, <#…>, <:…>,
// <t:…>, </…>) lose their meaning with their "<"; @everyone and @here get a
// zero-width space; "://" loses its colon so bare URLs are not links; and
// "1." at the start of a line is not a list. Newlines are kept.
func escapeMarkdown(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	lineStart, digits := true, false
	for i, r := range s {
		switch {
		case markdownSpecial(r):
			b.WriteByte('\\')
		case r == ':' && strings.HasPrefix(s[i+1:], "//"):
			b.WriteByte('\\')
		case r == '.' && digits:
			b.WriteByte('\\')
		case r == '+' && lineStart:
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		if r == '@' && massMention(s[i+1:]) {
			b.WriteString(zwsp)
		}
		switch {
		case r == '\n':
			lineStart, digits = true, false
		case r == ' ' && lineStart && !digits:
		case r >= '0' && r <= '9' && (lineStart || digits):
			lineStart, digits = false, true
		default:
			lineStart, digits = false, false
		}
	}
	return b.String()
}

// massMention reports whether s, following an "@", starts with "everyone"
// or "here" (in any case).
func massMention(s string) bool {
	for _, w := range []string{"everyone", "here"} {
		if len(s) >= len(w) && strings.EqualFold(s[:len(w)], w) {
			return true
		}
	}
	return false
}

// plain makes sanitized text safe for fields Discord shows without
// markdown (embed author and footer, button labels): @everyone and @here
// get a zero-width space and "<" is followed by one, so nothing there can
// read as a mention if Discord ever renders it.
func plain(s string) string {
	if !strings.ContainsAny(s, "@<") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		b.WriteRune(r)
		if (r == '@' && massMention(s[i+1:])) || r == '<' {
			b.WriteString(zwsp)
		}
	}
	return b.String()
}

// code formats a sanitized single-line value such as a file name as inline
// code, so it reads exactly and can be copied. Values a code span cannot
// hold safely (backticks, "<", "@", very long) are escaped instead.
func code(s string) string {
	if s == "" || strings.ContainsAny(s, "`<@\n") || utf8.RuneCountInString(s) > 200 {
		return escapeMarkdown(s)
	}
	return "`" + s + "`"
}
