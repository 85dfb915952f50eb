package bot

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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
//	[n] title — `source:line`
//	↳ also in: `source:line`, …
func resultBlock(n int, r retrieval.Result, budget int, m messages) string {
	title := shorten(escapeMarkdown(oneLine(r.Title)), maxTitleInCite, true)
	cite := fmt.Sprintf("\\[%d\\] ", n)
	if title != "" {
		cite += title + " — "
	}
	cite = shorten(cite+code(location(r.Source, r.Line, r.EndLine)), budget/2, true)

	also := ""
	if len(r.Also) > 0 {
		var locs []string
		for i, l := range r.Also {
			if i == maxAlso {
				locs = append(locs, fmt.Sprintf("+%d", len(r.Also)-maxAlso))
				break
			}
			locs = append(locs, code(location(l.Source, l.Line, l.EndLine)))
		}
		also = shorten("↳ "+m.AlsoIn+": "+strings.Join(locs, ", "), budget/4, true)
	}

	room := budget - runesIn(cite) - 3 // "> " and "\n"
	if also != "" {
		room -= runesIn(also) + 1
	}
	excerpt := shortenAround(highlight(r.Excerpt, r.Highlights), room)
	var b strings.Builder
	if excerpt != "" {
		b.WriteString("> " + excerpt + "\n")
	}
	b.WriteString(cite)
	if also != "" {
		b.WriteString("\n" + also)
	}
	return b.String()
}

// location formats a citation: "file.txt:17" or "file.txt:17-19".
func location(source string, line, end int) string {
	s := oneLine(source)
	if line <= 0 {
		return s
	}
	if end > line {
		return s + ":" + strconv.Itoa(line) + "-" + strconv.Itoa(end)
	}
	return s + ":" + strconv.Itoa(line)
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
	sorted := append([]retrieval.Span(nil), spans...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	last := 0
	for _, sp := range sorted {
		start, end := max(sp.Start, last), min(sp.End, len(excerpt))
		if start >= end {
			continue
		}
		for start < end && !utf8.RuneStart(excerpt[start]) {
			start++
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
