package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Tiếng Việt có dấu", "Tiếng Việt có dấu"},
		{"**bold** *it* _u_ __u__", `\*\*bold\*\* \*it\* \_u\_ \_\_u\_\_`},
		{"~~strike~~ ||spoiler||", `\~\~strike\~\~ \|\|spoiler\|\|`},
		{"`code` ```block```", "\\`code\\` \\`\\`\\`block\\`\\`\\`"},
		{"# h1\n## h2\n-# sub\n> quote\n>>> all", "\\# h1\n\\#\\# h2\n\\-\\# sub\n\\> quote\n\\>\\>\\> all"},
		{"- item\n+ item\n1. one\n  12. twelve\nv1.2 3.5", "\\- item\n\\+ item\n1\\. one\n  12\\. twelve\nv1.2 3.5"},
		{"[click](https://evil.example)", `\[click\]\(https\://evil.example\)`},
		{"see https://a.b/c_d and http://x", `see https\://a.b/c\_d and http\://x`},
		{"a\\b", `a\\b`},
		{"@everyone @here @Everyone @HERE", "@\u200beveryone @\u200bhere @\u200bEveryone @\u200bHERE"},
		{"mail me@here.com", "mail me@\u200bhere.com"},
		{"<@123> <@!123> <@&456> <#789> </ask:1> <t:1700000000:R> <:e:1> <a:e:1>", `\<@123\> \<@!123\> \<@&456\> \<\#789\> \</ask:1\> \<t:1700000000:R\> \<:e:1\> \<a:e:1\>`},
		{"emoji 👍🏽 🇻🇳 and RTL שלום مرحبا", "emoji 👍🏽 🇻🇳 and RTL שלום مرحبا"},
		{"a:b c://", `a:b c\://`},
	}
	for _, tc := range tests {
		if got := escapeMarkdown(tc.in); got != tc.want {
			t.Errorf("escapeMarkdown(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct {
		in        string
		multiline bool
		want      string
	}{
		{"a\x00b\x07c\x1b[31md\x7f", false, "abc[31md"},
		{"line1\r\nline2\rline3\u2028x", true, "line1\nline2\nline3\nx"},
		{"line1\r\nline2", false, "line1 line2"},
		{"tab\there", false, "tab here"},
		{"zero\u200bwidth\ufeff\u2060 bidi\u202eevil\u202c \u2066iso\u2069", false, "zerowidth bidievil iso"},
		{"keep 👨\u200d👩\u200d👧 and \u200c", false, "keep 👨\u200d👩\u200d👧 and \u200c"},
		{"bad \xff\xfe utf8", false, "bad \ufffd utf8"},
		{"e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301x", false, "e\u0301\u0301\u0301\u0301x"},
		{"\u0085nel", true, "\nnel"},
	}
	for _, tc := range tests {
		if got := sanitize(tc.in, tc.multiline); got != tc.want {
			t.Errorf("sanitize(%q, %v) = %q, want %q", tc.in, tc.multiline, got, tc.want)
		}
	}
}

func TestPlainAndCode(t *testing.T) {
	if got, want := plain("hi @everyone <@1> <#2>"), "hi @\u200beveryone <\u200b@1> <\u200b#2>"; got != want {
		t.Errorf("plain = %q, want %q", got, want)
	}
	for in, want := range map[string]string{
		"002_4e688d011fa420cf.txt:17": "`002_4e688d011fa420cf.txt:17`",
		"a`b.txt:1":                   "a\\`b.txt:1",
		"me@x.txt":                    "me@x.txt",
		"<@1>.txt":                    `\<@1\>.txt`,
		"":                            "",
	} {
		if got := code(in); got != want {
			t.Errorf("code(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShorten(t *testing.T) {
	tests := []struct {
		in       string
		max      int
		markdown bool
		want     string
	}{
		{"short", 10, false, "short"},
		{"exactly10!", 10, false, "exactly10!"},
		{"hello world again", 12, false, "hello world…"},
		{"hello world again", 0, false, ""},
		{"hello world again", 1, false, "…"},
		{"abcdefghijklmnop", 6, false, "abcde…"},
		{"Tiếng Việt có dấu rất dài", 12, false, "Tiếng Việt…"},
		{"e\u0301e\u0301e\u0301e\u0301", 3, false, "e\u0301…"},
		{"👨\u200d👩\u200d👧👨\u200d👩\u200d👧👨\u200d👩\u200d👧", 7, false, "👨\u200d👩\u200d👧…"},
		{"🇻🇳🇻🇳🇻🇳", 4, false, "🇻🇳…"},
		{`\*\*\*\*\*\*`, 6, true, `\*\*…`},
		{`\*\*\*\*\*\*`, 5, true, `\*\*…`},
		{"aa **bold text here** bb", 12, true, "aa **bold**…"},
		{"aa **bold text here** bb", 9, true, "aa **b**…"},
		{"aa **bold text here** bb", 7, true, "aa…"},
		{"aa **boldtexthere** bb", 10, true, "aa **bo**…"},
		{"x `002_4e688d011fa420cf.txt:17`", 20, true, "x…"},
		{"a \\<@123\\> b", 6, true, "a \\<@…"},
	}
	for _, tc := range tests {
		got := shorten(tc.in, tc.max, tc.markdown)
		if got != tc.want {
			t.Errorf("shorten(%q, %d, %v) = %q, want %q", tc.in, tc.max, tc.markdown, got, tc.want)
		}
		if n := utf8.RuneCountInString(got); n > max(tc.max, 0) {
			t.Errorf("shorten(%q, %d) has %d runes", tc.in, tc.max, n)
		}
	}
}

// TestShortenInvariants cuts escaped, highlighted text at every length.
func TestShortenInvariants(t *testing.T) {
	inputs := []string{
		highlight("Thủ tướng **Lào** @everyone <@1> `x` https://a.b 👍🏽 e\u0301 \\", spans("Thủ tướng **Lào** @everyone <@1> `x` https://a.b 👍🏽 e\u0301 \\", "Lào", "everyone", "👍")),
		highlight(strings.Repeat("ab **cd** ", 20), spans(strings.Repeat("ab **cd** ", 20), "cd")),
		"x " + code("002_4e688d011fa420cf.txt:17-19") + " " + escapeMarkdown("_*~`|>#-[]()<"),
	}
	for _, in := range inputs {
		checkText(t, "input", in, 1<<20, true)
		for n := 0; n <= utf8.RuneCountInString(in)+1; n++ {
			for _, got := range []string{shorten(in, n, true), shortenAround(in, n)} {
				checkText(t, "shortened", got, n, true)
			}
		}
	}
}
