package bot

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval"
)

const testState = "0123456789abcdef"

func viAnswer() retrieval.Answer {
	return retrieval.Answer{
		Question: "Thủ tướng Lào dự diễn đàn nào?",
		Answered: true,
		Terms:    []string{"thủ tướng", "lào", "diễn đàn"},
		Results: []retrieval.Result{
			result("002_4e688d011fa420cf.txt", 17, 17, "Thủ tướng Phạm Minh Chính gặp Thủ tướng Lào",
				"Thủ tướng Phạm Minh Chính cảm ơn Thủ tướng Lào đã nhận lời tham dự và phát biểu tại Diễn đàn Tương lai ASEAN.",
				"Thủ tướng Lào", "Diễn đàn Tương lai ASEAN"),
			result("000_da11b861e531a3f8.txt", 3, 5, "Diễn đàn Tương lai ASEAN khai mạc",
				"Diễn đàn Tương lai ASEAN lần đầu tiên được tổ chức tại Hà Nội, với sự tham dự của lãnh đạo các nước.",
				"Diễn đàn Tương lai ASEAN"),
			result("001_0ee21f08bc6a023e.txt", 42, 42, "Quan hệ Việt Nam – Lào",
				"Hai Thủ tướng nhất trí tăng cường hợp tác kinh tế - xã hội giữa hai nước.",
				"Thủ tướng"),
			result("003_d932ee720da55863.txt", 8, 9, "Kế hoạch phát triển 5 năm",
				"Kế hoạch phát triển kinh tế - xã hội 5 năm lần thứ IX của Lào.", "Lào"),
			result("004_2b285149d3990448.txt", 11, 11, "Bun Pi May",
				"Năm mới Bun Pi May của Lào.", "Lào"),
		},
	}
}

func TestBuildReplyGolden(t *testing.T) {
	merged := viAnswer()
	merged.Results = merged.Results[:2]
	merged.Results[0].Also = []retrieval.Location{
		{Source: "000_da11b861e531a3f8.txt", Line: 13, EndLine: 13},
		{Source: "004_2b285149d3990448.txt", Line: 2, EndLine: 4},
	}
	manyAlso := viAnswer()
	manyAlso.Results = manyAlso.Results[:1]
	for i := 0; i < 8; i++ {
		manyAlso.Results[0].Also = append(manyAlso.Results[0].Also, retrieval.Location{Source: "dup_" + string(rune('a'+i)) + ".txt", Line: i + 1, EndLine: i + 1})
	}

	abstain := retrieval.Answer{
		Question:    "giá vé máy bay đi Đà Nẵng?",
		Answered:    false,
		Suggestions: []string{"Diễn đàn Tương lai ASEAN", "Quan hệ Việt Nam – Lào", "Kế hoạch **5 năm**", "Diễn đàn Tương lai ASEAN"},
	}

	long := viAnswer()
	long.Results = long.Results[:3]
	for i := range long.Results {
		ex := strings.Repeat("Đây là một câu rất dài về hợp tác giữa hai nước láng giềng. ", 60) + "Cuối cùng là Diễn đàn Tương lai ASEAN."
		long.Results[i].Excerpt = ex
		long.Results[i].Highlights = spans(ex, "hợp tác", "Diễn đàn Tương lai ASEAN")
		if i == 1 {
			// Only a highlight near the end: the excerpt is cut on both sides.
			long.Results[i].Highlights = spans(ex, "Diễn đàn Tương lai ASEAN")
		}
		long.Results[i].Title = strings.Repeat("Tiêu đề rất dài ", 20)
	}

	hostileText := "Click [here](https://evil.example/login) **now** @everyone <@123> <@&456> <#789> `rm -rf` # Title\n> quote ||spoiler|| ~~gone~~ __u__ https://bare.example/x_y 1. list \\ end"
	hostile := retrieval.Answer{
		Question: "x",
		Answered: true,
		Results: []retrieval.Result{
			result("evil`name.txt", 1, 2, "**Bold** title @here <@1>", hostileText, "now", "@everyone", "spoiler"),
			result("docs/<@123>.txt", 5, 5, "[t](https://x.y)", "plain excerpt *with* stars", "stars"),
		},
	}

	en := retrieval.Answer{
		Question: "When is the ASEAN Future Forum?",
		Answered: true,
		Results: []retrieval.Result{
			result("forum.md", 4, 6, "ASEAN Future Forum", "The ASEAN Future Forum opens on 23 April in Hanoi.", "ASEAN Future Forum", "23 April"),
		},
	}

	messy := retrieval.Answer{
		Answered: true,
		Results: []retrieval.Result{{
			Source: "a.txt", Line: 1, Title: "Messy spans",
			Excerpt: "Tiếng Việt có dấu\x00 và\u200b emoji 👍🏽 và \xff byte lỗi",
			// Out of range, overlapping, mid-rune, adjacent and blank spans.
			Highlights: []retrieval.Span{{Start: 1, End: 4}, {Start: 2, End: 9}, {Start: 10, End: 11}, {Start: 11, End: 12}, {Start: 12, End: 13}, {Start: 40, End: 500}},
		}},
	}

	tenPerPage := viAnswer()
	for len(tenPerPage.Results) < 12 {
		tenPerPage.Results = append(tenPerPage.Results, tenPerPage.Results[len(tenPerPage.Results)%5])
	}

	tests := []struct {
		name string
		q    Question
		a    retrieval.Answer
		pg   Page
		lang Lang
	}{
		{"normal_vi", Question{Text: "Thủ tướng Lào dự diễn đàn nào?", StateID: testState}, viAnswer(), Page{0, 3}, LangVI},
		{"page2_vi", Question{Text: "Thủ tướng Lào dự diễn đàn nào?", StateID: testState}, viAnswer(), Page{1, 3}, LangVI},
		{"page_out_of_range", Question{Text: "Thủ tướng Lào?", StateID: testState}, viAnswer(), Page{9, 3}, LangVI},
		{"no_buttons", Question{Text: "Thủ tướng Lào?"}, viAnswer(), Page{0, 3}, LangVI},
		{"merged_duplicates", Question{Text: "Thủ tướng Lào?", StateID: testState}, merged, Page{0, 3}, LangVI},
		{"many_also", Question{Text: "Thủ tướng Lào?", StateID: testState}, manyAlso, Page{0, 3}, LangEN},
		{"abstention_vi", Question{Text: "giá vé máy bay đi Đà Nẵng?"}, abstain, Page{0, 3}, LangVI},
		{"abstention_en", Question{Text: "flight prices to Da Nang?"}, abstain, Page{0, 3}, LangEN},
		{"abstention_no_suggestions", Question{Text: "?"}, retrieval.Answer{}, Page{0, 3}, LangVI},
		{"long_excerpts", Question{Text: strings.Repeat("rất dài ", 100), StateID: testState}, long, Page{0, 3}, LangVI},
		{"markdown_injection", Question{Text: "@here <@&1> **hi** [x](https://y.z)", StateID: testState}, hostile, Page{0, 3}, LangVI},
		{"english", Question{Text: "When is the ASEAN Future Forum?", StateID: testState}, en, Page{0, 3}, LangEN},
		{"messy_spans", Question{Text: "x"}, messy, Page{0, 3}, LangVI},
		{"ten_per_page", Question{Text: "Lào", StateID: testState}, tenPerPage, Page{0, 10}, LangEN},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := BuildReply(tc.q, tc.a, tc.pg, tc.lang)
			checkReply(t, r)
			golden(t, "reply_"+tc.name, dump(r))
		})
	}
}

func TestBuildReplyCitation(t *testing.T) {
	r := BuildReply(Question{Text: "q"}, viAnswer(), Page{0, 3}, LangVI)
	d := r.Embeds[0].Description
	for _, want := range []string{
		"\\[1\\] Thủ tướng Phạm Minh Chính gặp Thủ tướng Lào — `002_4e688d011fa420cf.txt:17`",
		"\\[2\\] Diễn đàn Tương lai ASEAN khai mạc — `000_da11b861e531a3f8.txt:3-5`",
		"**Diễn đàn Tương lai ASEAN**",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("description lacks %q:\n%s", want, d)
		}
	}
	if strings.Contains(d, "[4]") {
		t.Errorf("page 1 shows result 4:\n%s", d)
	}
}

func TestNotesGolden(t *testing.T) {
	var b strings.Builder
	for _, lang := range []Lang{LangVI, LangEN} {
		for _, c := range []struct {
			name string
			r    Reply
		}{
			{"usage", buildUsage("!ask", lang)},
			{"usage with odd keyword", buildUsage("!`a@sk", lang)},
			{"too long", buildTooLong(5000, 500, lang)},
			{"rate limited", buildRateLimited(12300*time.Millisecond, lang)},
			{"rate limited 1s", buildRateLimited(200*time.Millisecond, lang)},
			{"search error", buildSearchError(lang)},
			{"expired", buildExpired(15*time.Minute, lang)},
			{"passage", buildPassage(passageAnswer(), 0, lang)},
			{"passage out of range", buildPassage(passageAnswer(), 7, lang)},
		} {
			checkReply(t, c.r)
			b.WriteString("== " + string(lang) + " " + c.name + "\n" + dump(c.r) + "\n")
		}
	}
	golden(t, "notes", b.String())
}

func passageAnswer() retrieval.Answer {
	a := viAnswer()
	a.Results[0].Text = "Dòng đầu của đoạn.\r\n\r\n\r\n# Không phải tiêu đề\n- không phải danh sách\n   \nThủ tướng Lào @everyone <@42> đã tham dự.\t\u202eđảo chiều\u202c"
	a.Results[0].Also = []retrieval.Location{{Source: "000_da11b861e531a3f8.txt", Line: 13, EndLine: 14}}
	return a
}

func TestBuildPassageLong(t *testing.T) {
	a := viAnswer()
	a.Results[0].Text = strings.Repeat("Một câu *đậm* với `mã` và @here. ", 500)
	r := buildPassage(a, 0, LangVI)
	checkReply(t, r)
	if !r.Ephemeral {
		t.Error("passage is not ephemeral")
	}
	if n := runesIn(r.Embeds[0].Description); n > maxEmbedDesc || n < maxEmbedDesc-100 {
		t.Errorf("description has %d runes, want close to %d", n, maxEmbedDesc)
	}
	if !strings.HasSuffix(r.Embeds[0].Description, ellipsis) {
		t.Error("shortened passage does not end with an ellipsis")
	}
}

func TestCustomIDRoundTrip(t *testing.T) {
	for _, kind := range []string{idMore, idFull} {
		id := customID(kind, testState, 7)
		if len(id) > maxCustomID {
			t.Fatalf("custom id %q too long", id)
		}
		k, s, n, ok := parseCustomID(id)
		if !ok || k != kind || s != testState || n != 7 {
			t.Errorf("parseCustomID(%q) = %q %q %d %v", id, k, s, n, ok)
		}
	}
	for _, bad := range []string{"", "more", "more:x:1", "more:0123456789abcdef", "more:0123456789abcdef:-1",
		"more:0123456789ABCDEF:1", "del:0123456789abcdef:1", "more:0123456789abcdef:1:2", "full:0123456789abcdef:99999"} {
		if _, _, _, ok := parseCustomID(bad); ok {
			t.Errorf("parseCustomID(%q) accepted", bad)
		}
	}
}

// checkReply asserts the invariants every reply must hold.
func checkReply(t testing.TB, r Reply) {
	t.Helper()
	if r.Content == "" && len(r.Embeds) == 0 {
		t.Error("empty reply")
	}
	checkText(t, "content", r.Content, maxContent, true)
	total := 0
	for i, e := range r.Embeds {
		checkText(t, "author", e.Author, maxEmbedAuthor, false)
		checkText(t, "title", e.Title, maxEmbedTitle, true)
		checkText(t, "description", e.Description, maxEmbedDesc, true)
		checkText(t, "footer", e.Footer, maxEmbedFooter, false)
		total += runesIn(e.Author) + runesIn(e.Title) + runesIn(e.Description) + runesIn(e.Footer)
		if e.Author == "" && e.Title == "" && e.Description == "" && e.Footer == "" {
			t.Errorf("embed %d is empty", i)
		}
	}
	if total > maxEmbedTotal {
		t.Errorf("embeds total %d runes > %d", total, maxEmbedTotal)
	}
	if len(r.Rows) > maxComponentRows {
		t.Errorf("%d component rows", len(r.Rows))
	}
	ids := map[string]bool{}
	for _, row := range r.Rows {
		if len(row) == 0 || len(row) > maxButtonsPerRow {
			t.Errorf("row with %d buttons", len(row))
		}
		for _, b := range row {
			checkText(t, "label", b.Label, maxButtonLabel, false)
			if b.Label == "" || b.CustomID == "" || len(b.CustomID) > maxCustomID || !utf8.ValidString(b.CustomID) {
				t.Errorf("bad button %+v", b)
			}
			if ids[b.CustomID] {
				t.Errorf("duplicate custom id %q", b.CustomID)
			}
			ids[b.CustomID] = true
		}
	}
}

// checkText asserts one text: valid UTF-8, within max runes, no control
// characters but newlines, no live mention, and for markdown balanced bold
// markers and no dangling backslash.
func checkText(t testing.TB, field, s string, max int, markdown bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s: invalid UTF-8: %q", field, s)
	}
	if n := runesIn(s); n > max {
		t.Errorf("%s: %d runes > %d", field, n, max)
	}
	for _, r := range s {
		if r != '\n' && keepOut(r) && r != '\u200b' {
			t.Errorf("%s: control or format character %U in %q", field, r, s)
			break
		}
	}
	if live := liveMention(s); live != "" {
		t.Errorf("%s: live mention %q in %q", field, live, s)
	}
	if markdown {
		if md := markdownProblem(s); md != "" {
			t.Errorf("%s: %s in %q", field, md, s)
		}
	}
}

// liveMention returns a mention Discord could render in s, or "".
func liveMention(s string) string {
	low := strings.ToLower(s)
	for _, m := range []string{"@everyone", "@here"} {
		if strings.Contains(low, m) {
			return m
		}
	}
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '<' && strings.ContainsRune("@#:/t", rune(s[i+1])) {
			bs := 0
			for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
				bs++
			}
			if bs%2 == 0 {
				return s[i:min(i+12, len(s))]
			}
		}
	}
	return ""
}

// linkAt returns the length of the link "[text](address)" at the start
// of s, whose text has no unescaped bracket and whose address linkable
// accepts; 0 if there is none.
func linkAt(s string) int {
	for j := 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '[':
			return 0
		case ']':
			if !strings.HasPrefix(s[j:], "](") {
				return 0
			}
			end := strings.IndexByte(s[j:], ')')
			if end < 0 {
				return 0
			}
			u := s[j+2 : j+end]
			if linkable(u) != u || u == "" {
				return 0
			}
			return j + end + 1
		}
	}
	return 0
}

// markdownProblem reports unbalanced "**", an unclosed code span or a
// dangling backslash in markdown this package wrote.
func markdownProblem(s string) string {
	bold, inCode := false, false
	for i := 0; i < len(s); {
		switch {
		case inCode:
			if s[i] == '`' {
				inCode = false
			}
			i++
		case s[i] == '\\':
			if i+1 >= len(s) {
				return "dangling backslash"
			}
			_, size := utf8.DecodeRuneInString(s[i+1:])
			if s[i+1] == '\n' || s[i+1] == ' ' {
				return "backslash before white space"
			}
			i += 1 + size
		case strings.HasPrefix(s[i:], "**"):
			bold = !bold
			i += 2
		case s[i] == '[' && linkAt(s[i:]) > 0:
			// A link this package wrote: escaped text, a safe address.
			n := linkAt(s[i:])
			if md := markdownProblem(s[i+1 : i+strings.Index(s[i:], "](")]); md != "" {
				return "link text: " + md
			}
			i += n
		case s[i] == '*' || s[i] == '_' || s[i] == '~' || s[i] == '|' || s[i] == '[' || s[i] == ']':
			return "unescaped " + string(s[i])
		case s[i] == '`':
			inCode = true
			i++
		default:
			i++
		}
	}
	switch {
	case bold:
		return "unbalanced **"
	case inCode:
		return "unclosed code span"
	}
	return ""
}
