package bot

import "github.com/bwmarrin/discordgo"

// noPings allows no mention of any kind, not even of the user replied to.
// Every message the bot sends or edits carries it.
func noPings() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

func (r Reply) discordEmbeds() []*discordgo.MessageEmbed {
	out := make([]*discordgo.MessageEmbed, 0, len(r.Embeds))
	for _, e := range r.Embeds {
		de := &discordgo.MessageEmbed{
			Type:        discordgo.EmbedTypeRich,
			Title:       e.Title,
			Description: e.Description,
			Color:       e.Color,
		}
		if e.Author != "" {
			de.Author = &discordgo.MessageEmbedAuthor{Name: e.Author}
		}
		if e.Footer != "" {
			de.Footer = &discordgo.MessageEmbedFooter{Text: e.Footer}
		}
		out = append(out, de)
	}
	return out
}

func (r Reply) discordComponents() []discordgo.MessageComponent {
	out := make([]discordgo.MessageComponent, 0, len(r.Rows))
	for _, row := range r.Rows {
		var comps []discordgo.MessageComponent
		for _, b := range row {
			style := discordgo.SecondaryButton
			if b.Primary {
				style = discordgo.PrimaryButton
			}
			comps = append(comps, discordgo.Button{Label: b.Label, Style: style, CustomID: b.CustomID})
		}
		out = append(out, discordgo.ActionsRow{Components: comps})
	}
	return out
}

// messageSend is r as a new channel message replying to ref.
func (r Reply) messageSend(ref *discordgo.MessageReference) *discordgo.MessageSend {
	return &discordgo.MessageSend{
		Content:         r.Content,
		Embeds:          r.discordEmbeds(),
		Components:      r.discordComponents(),
		AllowedMentions: noPings(),
		Reference:       ref,
	}
}

// webhookEdit is r as an edit of an interaction's original response.
func (r Reply) webhookEdit() *discordgo.WebhookEdit {
	content := r.Content
	embeds := r.discordEmbeds()
	comps := r.discordComponents()
	return &discordgo.WebhookEdit{
		Content:         &content,
		Embeds:          &embeds,
		Components:      &comps,
		AllowedMentions: noPings(),
	}
}

// response is r as an interaction response of type typ.
func (r Reply) response(typ discordgo.InteractionResponseType) *discordgo.InteractionResponse {
	data := &discordgo.InteractionResponseData{
		Content:         r.Content,
		Embeds:          r.discordEmbeds(),
		Components:      r.discordComponents(),
		AllowedMentions: noPings(),
	}
	if r.Ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	return &discordgo.InteractionResponse{Type: typ, Data: data}
}

// replyTo references m for a reply that still goes out if m was deleted.
func replyTo(m *discordgo.Message) *discordgo.MessageReference {
	f := false
	return &discordgo.MessageReference{
		MessageID:       m.ID,
		ChannelID:       m.ChannelID,
		GuildID:         m.GuildID,
		FailIfNotExists: &f,
	}
}
