package bot

// Discord's limits, in characters (Unicode code points) unless noted.
// Replies use no embed fields and no select menus, so their limits do not
// appear here.
const (
	maxContent        = 2000
	maxEmbedTitle     = 256
	maxEmbedAuthor    = 256
	maxEmbedDesc      = 4096
	maxEmbedFooter    = 2048
	maxEmbedTotal     = 6000 // all embeds of one message together
	maxEmbeds         = 10
	maxButtonLabel    = 80
	maxCustomID       = 100
	maxButtonsPerRow  = 5
	maxComponentRows  = 5
	maxSuggestions    = 10 // topics listed after an abstention
	maxAlso           = 5  // merged locations listed per result
	maxTitleInCite    = 120
	maxQuestionEcho   = 200
	maxPassageCaption = 200
)

// enforceLimits shortens whatever exceeds Discord's limits and drops
// what cannot be shortened (excess embeds, rows, buttons, long custom IDs).
// It is a safety net: builders stay within the limits by themselves.
func enforceLimits(r Reply) Reply {
	r.Content = shorten(r.Content, maxContent, true)
	if len(r.Embeds) > maxEmbeds {
		r.Embeds = r.Embeds[:maxEmbeds]
	}
	embeds := make([]Embed, 0, len(r.Embeds))
	left := maxEmbedTotal
	for _, e := range r.Embeds {
		e.Author = shorten(e.Author, min(maxEmbedAuthor, left), false)
		left -= runesIn(e.Author)
		e.Title = shorten(e.Title, min(maxEmbedTitle, left), true)
		left -= runesIn(e.Title)
		e.Footer = shorten(e.Footer, min(maxEmbedFooter, left), false)
		left -= runesIn(e.Footer)
		e.Description = shorten(e.Description, min(maxEmbedDesc, left), true)
		left -= runesIn(e.Description)
		if e.Author == "" && e.Title == "" && e.Footer == "" && e.Description == "" {
			continue
		}
		embeds = append(embeds, e)
	}
	r.Embeds = embeds
	var rows [][]Button
	for _, row := range r.Rows {
		var kept []Button
		for _, b := range row {
			if b.CustomID == "" || len(b.CustomID) > maxCustomID || len(kept) == maxButtonsPerRow {
				continue
			}
			b.Label = shorten(b.Label, maxButtonLabel, false)
			if b.Label == "" {
				b.Label = "…"
			}
			kept = append(kept, b)
		}
		if len(kept) > 0 && len(rows) < maxComponentRows {
			rows = append(rows, kept)
		}
	}
	r.Rows = rows
	if r.Content == "" && len(r.Embeds) == 0 {
		r.Content = ellipsis
	}
	return r
}
