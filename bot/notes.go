package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/askdocs/askdocs/internal/cite"
	"github.com/askdocs/askdocs/retrieval"
)

// buildAbstention says the documents do not answer and lists the topics
// they cover.
func buildAbstention(q Question, a retrieval.Answer, m messages) Reply {
	var b strings.Builder
	b.WriteString(m.NoAnswer + "\n" + m.Rephrase)
	var topics []string
	seen := map[string]bool{}
	for _, s := range a.Suggestions {
		s = oneLine(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		topics = append(topics, "• "+shorten(escapeMarkdown(s), 100, true))
		if len(topics) == maxSuggestions {
			break
		}
	}
	if len(topics) > 0 {
		b.WriteString("\n\n" + m.Covers + "\n" + strings.Join(topics, "\n"))
	}
	return Reply{Embeds: []Embed{{
		Author:      questionEcho(q.Text),
		Description: b.String(),
		Color:       colorAbstain,
	}}}
}

// buildPassage shows the whole passage of result i of a, for the "Full
// passage" button, visible to the clicker only.
func buildPassage(a retrieval.Answer, i int, lang Lang) Reply {
	m := text(lang)
	if i < 0 || i >= len(a.Results) {
		return buildNote(m.Expired(DefaultButtonTTL))
	}
	r := a.Results[i]
	body := r.Text
	if strings.TrimSpace(body) == "" {
		body = r.Excerpt
	}
	author := fmt.Sprintf("[%d] ", i+1)
	if t := oneLine(cite.Heading(r)); t != "" {
		author += plain(t)
	}
	footer := "📄 " + plain(oneLine(cite.Of(r)))
	if len(r.Also) > 0 {
		var locs []string
		for _, l := range r.Also {
			locs = append(locs, plain(oneLine(cite.OfLocation(l))))
		}
		footer += " · " + m.AlsoIn + ": " + strings.Join(locs, ", ")
	}
	return enforceLimits(Reply{
		Embeds: []Embed{{
			Author:      shorten(author, maxPassageCaption, false),
			Description: shorten(escapeMarkdown(tidyPassage(body)), maxEmbedDesc, true),
			Footer:      shorten(footer, 500, false),
			Color:       colorPassage,
		}},
		Ephemeral: true,
	})
}

// tidyPassage sanitizes passage text, keeping line breaks but at most one
// blank line in a row, and trimming trailing spaces.
func tidyPassage(s string) string {
	lines := strings.Split(sanitize(s, true), "\n")
	out := lines[:0]
	blank := false
	for _, l := range lines {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if l == "" {
			if blank || len(out) == 0 {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// buildUsage is the one-line hint for a bare mention or keyword.
func buildUsage(keyword string, lang Lang) Reply {
	m := text(lang)
	return buildNote(m.Usage(code(oneLine(keyword) + " " + m.UsageExample)))
}

// buildTooLong answers a question over the length limit.
func buildTooLong(got, limit int, lang Lang) Reply {
	return buildNote(text(lang).TooLong(got, limit))
}

// buildRateLimited tells the user when they may ask again.
func buildRateLimited(wait time.Duration, lang Lang) Reply {
	return buildNote(text(lang).RateLimited(wait))
}

// buildSearchError is the answer when the search failed.
func buildSearchError(lang Lang) Reply {
	return buildNote(text(lang).SearchError)
}

// buildExpired answers a click on a button whose state is gone.
func buildExpired(ttl time.Duration, lang Lang) Reply {
	r := buildNote(text(lang).Expired(ttl))
	r.Ephemeral = true
	return r
}

func buildNote(s string) Reply { return enforceLimits(Reply{Content: s}) }
