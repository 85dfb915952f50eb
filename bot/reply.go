package bot

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/askdocs/askdocs/internal/cite"
	"github.com/askdocs/askdocs/retrieval"
)

// Reply is a message the bot sends, as a plain value: BuildReply and its
// siblings make one, and an adapter converts it to discordgo types. Every
// text is already escaped and within Discord's limits.
type Reply struct {
	// Content is the message text (markdown).
	Content string
	// Embeds are rich embeds.
	Embeds []Embed
	// Rows are rows of buttons.
	Rows [][]Button
	// Ephemeral replies to interactions are visible to the user only.
	Ephemeral bool
}

// Embed is a rich embed. Author and Footer are plain text; Description is
// markdown.
type Embed struct {
	Author      string
	Title       string
	Description string
	Footer      string
	Color       int
}

// Button is a button; CustomID says what a click does.
type Button struct {
	Label    string
	CustomID string
	Primary  bool
}

// Question is a question as the bot received it, for BuildReply.
type Question struct {
	// Text is the question (sanitized; it is escaped when echoed).
	Text string
	// StateID is the key of the answer kept for the buttons; empty means
	// the reply has no buttons.
	StateID string
}

// Page selects the results shown: results [Index*Size, (Index+1)*Size).
type Page struct {
	Index int // 0-based
	Size  int // results per page; < 1 means DefaultResults
}

// Embed colours.
const (
	colorAnswer  = 0x3B82F6
	colorAbstain = 0x9CA3AF
	colorPassage = 0x10B981
)

// Custom ID prefixes of the buttons.
const (
	idMore = "more"
	idFull = "full"
)

// BuildReply builds the reply to q for the answer a, showing page pg, in
// lang. It is a pure function of its arguments. An answered question shows
// each result's excerpt with the matched words in bold, then its citation
// ("[1] title — `file.txt:17`"), then the locations of merged duplicates;
// buttons open the whole passages and page through the results. An
// abstention says so plainly and lists the topics the documents cover.
func BuildReply(q Question, a retrieval.Answer, pg Page, lang Lang) Reply {
	m := text(lang)
	if pg.Size < 1 {
		pg.Size = DefaultResults
	}
	if !a.Answered || len(a.Results) == 0 {
		return enforceLimits(buildAbstention(q, a, m))
	}
	total := len(a.Results)
	pages := (total + pg.Size - 1) / pg.Size
	pg.Index = min(max(pg.Index, 0), pages-1)
	from := pg.Index * pg.Size
	to := min(from+pg.Size, total)

	// Each result gets an equal share of the description.
	n := to - from
	budget := (maxEmbedDesc - 2*(n-1)) / n
	blocks := make([]string, 0, n)
	for i := from; i < to; i++ {
		blocks = append(blocks, resultBlock(i+1, a.Results[i], budget, m))
	}
	footer := m.ResultCount(total)
	if pages > 1 {
		footer = m.PageFooter(pg.Index+1, pages, from+1, to, total)
	}
	e := Embed{
		Author:      questionEcho(q.Text),
		Description: strings.Join(blocks, "\n\n"),
		Footer:      footer,
		Color:       colorAnswer,
	}
	r := Reply{Embeds: []Embed{e}}
	if q.StateID != "" {
		r.Rows = buttons(q.StateID, pg.Index, pages, from, to, m)
	}
	return enforceLimits(r)
}

// questionEcho is the question shown above the results (plain text).
func questionEcho(q string) string {
	q = oneLine(q)
	if q == "" {
		return ""
	}
	return shorten("❓ "+plain(q), maxQuestionEcho, false)
}

// resultBlock renders result number n within budget runes:
//
//	> excerpt with **matched** words
//	[n] title › section — `source:line`
//	↳ also in: `source:line`, …
//
// When the passage's address is known, the place is a link to it:
// "[n] title — [guide.md:17](https://…)", and the link is never cut.
func resultBlock(n int, r retrieval.Result, budget int, m messages) string {
	title := shorten(escapeMarkdown(oneLine(cite.Heading(r))), maxTitleInCite, true)
	where := oneLine(cite.Of(r))
	head := fmt.Sprintf("\\[%d\\] ", n)
	if title != "" {
		head += title + " — "
	}
	citation := shorten(head+code(where), budget/2, true)
	if u := linkable(r.URL); u != "" {
		link := "[" + escapeMarkdown(where) + "](" + u + ")"
		if room := budget/2 - runesIn(link); room >= 8 {
			citation = shorten(head, room, true) + link
		}
	}

	also := ""
	if len(r.Also) > 0 {
		var locs []string
		for i, l := range r.Also {
			if i == maxAlso {
				locs = append(locs, fmt.Sprintf("+%d", len(r.Also)-maxAlso))
				break
			}
			locs = append(locs, code(oneLine(cite.OfLocation(l))))
		}
		also = shorten("↳ "+m.AlsoIn+": "+strings.Join(locs, ", "), budget/4, true)
	}

	room := budget - runesIn(citation) - 3 // "> " and "\n"
	if also != "" {
		room -= runesIn(also) + 1
	}
	excerpt := shortenAround(highlight(r.Excerpt, r.Highlights), room)
	var b strings.Builder
	if excerpt != "" {
		b.WriteString("> " + excerpt + "\n")
	}
	b.WriteString(citation)
	if also != "" {
		b.WriteString("\n" + also)
	}
	return b.String()
}

// linkable returns u when it is safe as the target of a Markdown link:
// an http or https address of printable ASCII with no parentheses, angle
// brackets, brackets, quotes, backslashes, backticks, pipes or "@"
// (nothing that could end the link, open markup or read as a mention);
// "" otherwise.
func linkable(u string) string {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return ""
	}
	if len(u) > 512 || strings.ContainsAny(u, "()<>[]\\`\"'|@") {
		return ""
	}
	for i := 0; i < len(u); i++ {
		if u[i] <= ' ' || u[i] > '~' {
			return ""
		}
	}
	return u
}

// highlight escapes an excerpt and wraps its highlighted byte ranges in
// "**". Ranges that are out of bounds, overlapping, unsorted or not on
// character boundaries are repaired or ignored; adjacent ones are merged
// and white space is kept outside the bold markers.
func highlight(excerpt string, spans []retrieval.Span) string {
	type seg struct {
		text string
		bold bool
	}
	var segs []seg
	var add func(s string, bold bool)
	add = func(s string, bold bool) {
		s = sanitize(s, false)
		if s == "" {
			return
		}
		if bold {
			// Keep surrounding white space out of the markers.
			lead := len(s) - len(strings.TrimLeftFunc(s, unicode.IsSpace))
			trail := len(strings.TrimRightFunc(s, unicode.IsSpace))
			if lead >= trail {
				add(s, false)
				return
			}
			if lead > 0 {
				segs = append(segs, seg{s[:lead], false})
			}
			segs = append(segs, seg{s[lead:trail], true})
			if trail < len(s) {
				segs = append(segs, seg{s[trail:], false})
			}
			return
		}
		segs = append(segs, seg{s, false})
	}
	for _, sg := range cite.Segments(excerpt, spans) {
		add(sg.Text, sg.Bold)
	}

	var b strings.Builder
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		if !s.bold {
			b.WriteString(escapeMarkdown(s.text))
			continue
		}
		// Merge bold segments that touch, so no "****" appears.
		t := s.text
		for i+1 < len(segs) && segs[i+1].bold {
			i++
			t += segs[i].text
		}
		b.WriteString("**" + escapeMarkdown(t) + "**")
	}
	return b.String()
}

// buttons builds the full-passage buttons of results [from, to) and the
// paging buttons.
func buttons(id string, page, pages, from, to int, m messages) [][]Button {
	var rows [][]Button
	var row []Button
	for i := from; i < to; i++ {
		row = append(row, Button{Label: m.FullPassage(i + 1), CustomID: customID(idFull, id, i)})
		if len(row) == maxButtonsPerRow {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	var nav []Button
	if page > 0 {
		nav = append(nav, Button{Label: m.Previous, CustomID: customID(idMore, id, page-1)})
	}
	if page < pages-1 {
		nav = append(nav, Button{Label: m.More, CustomID: customID(idMore, id, page+1), Primary: true})
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	return rows
}

// customID encodes a button action: "more:<id>:<page>" or
// "full:<id>:<result index>".
func customID(kind, id string, n int) string {
	return kind + ":" + id + ":" + strconv.Itoa(n)
}

// parseCustomID decodes customID; ok is false for anything malformed.
func parseCustomID(s string) (kind, id string, n int, ok bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 || (parts[0] != idMore && parts[0] != idFull) || !isStateID(parts[1]) {
		return "", "", 0, false
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil || n < 0 || n > 1000 {
		return "", "", 0, false
	}
	return parts[0], parts[1], n, true
}
