package bot

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

// discord is what the bot does on Discord, in its own terms: replies are
// Reply values, and the adapter (session) turns them into Discord's
// payloads, every one allowing no mention. The handlers take a discord, so
// their tests need no gateway (see fakeDiscord in the tests).
type discord interface {
	// Send posts r in m's channel as a reply to m that still goes out if m
	// was deleted meanwhile.
	Send(ctx context.Context, m *discordgo.Message, r Reply) error
	// Typing shows "typing…" in the channel for a few seconds.
	Typing(ctx context.Context, channelID string) error
	// Respond answers interaction i with r as a new message (ephemeral if
	// r.Ephemeral).
	Respond(ctx context.Context, i *discordgo.Interaction, r Reply) error
	// Update answers the button click i by replacing the message clicked
	// with r.
	Update(ctx context.Context, i *discordgo.Interaction, r Reply) error
	// Defer acknowledges i at once; Edit then gives the answer.
	Defer(ctx context.Context, i *discordgo.Interaction) error
	// Edit replaces the original response to i with r.
	Edit(ctx context.Context, i *discordgo.Interaction, r Reply) error
	// RegisterCommands overwrites the application's commands with cmds, in
	// guildID, or globally if guildID is "".
	RegisterCommands(ctx context.Context, appID, guildID string, cmds []*discordgo.ApplicationCommand) error
}

// session is discord over a discordgo session.
type session struct{ s *discordgo.Session }

var _ discord = session{}

func (d session) Send(ctx context.Context, m *discordgo.Message, r Reply) error {
	_, err := d.s.ChannelMessageSendComplex(m.ChannelID, r.messageSend(replyTo(m)), discordgo.WithContext(ctx))
	return err
}

func (d session) Typing(ctx context.Context, channelID string) error {
	return d.s.ChannelTyping(channelID, discordgo.WithContext(ctx))
}

func (d session) Respond(ctx context.Context, i *discordgo.Interaction, r Reply) error {
	return d.s.InteractionRespond(i, r.response(discordgo.InteractionResponseChannelMessageWithSource), discordgo.WithContext(ctx))
}

func (d session) Update(ctx context.Context, i *discordgo.Interaction, r Reply) error {
	return d.s.InteractionRespond(i, r.response(discordgo.InteractionResponseUpdateMessage), discordgo.WithContext(ctx))
}

func (d session) Defer(ctx context.Context, i *discordgo.Interaction) error {
	return d.s.InteractionRespond(i, (Reply{}).response(discordgo.InteractionResponseDeferredChannelMessageWithSource), discordgo.WithContext(ctx))
}

func (d session) Edit(ctx context.Context, i *discordgo.Interaction, r Reply) error {
	_, err := d.s.InteractionResponseEdit(i, r.webhookEdit(), discordgo.WithContext(ctx))
	return err
}

func (d session) RegisterCommands(ctx context.Context, appID, guildID string, cmds []*discordgo.ApplicationCommand) error {
	_, err := d.s.ApplicationCommandBulkOverwrite(appID, guildID, cmds, discordgo.WithContext(ctx))
	return err
}

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
