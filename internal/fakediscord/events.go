package fakediscord

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// MessageOpts describes a message sent by someone other than the bot.
type MessageOpts struct {
	// ChannelID defaults to DefaultChannelID in a guild, or to the DM
	// channel with the author when GuildID is "".
	ChannelID string
	// GuildID "" means a direct message.
	GuildID string
	Content string
	// Author defaults to the user DefaultUserID ("docs-reader").
	Author *discordgo.User
	// Mentions defaults to the users mentioned in Content ("<@id>").
	Mentions []*discordgo.User
	// WebhookID marks the message as sent by a webhook.
	WebhookID string
	// Member overrides the partial guild member sent with guild messages.
	Member *discordgo.Member
	// Reference makes the message a reply (or forward).
	Reference *discordgo.MessageReference
	// Attachments and Embeds are sent as given.
	Attachments []*discordgo.MessageAttachment
	Embeds      []*discordgo.MessageEmbed
}

// SendMessage stores a message and dispatches MESSAGE_CREATE to the
// sessions that would receive it: the shard owning the guild, with the
// GUILD_MESSAGES (guild) or DIRECT_MESSAGES (DM) intent. Sessions without
// the privileged MESSAGE_CONTENT intent get the message with content,
// embeds, attachments and components emptied, unless it is a DM, mentions
// the bot or was written by the bot, as on Discord. The returned message
// (ID auto-assigned, increasing) is the full one.
func (s *Server) SendMessage(o MessageOpts) *discordgo.Message {
	author := o.Author
	if author == nil {
		if o.WebhookID != "" {
			author = &discordgo.User{ID: o.WebhookID, Username: "Webhook", Discriminator: "0000", Bot: true}
		} else {
			author = defaultUser()
		}
	}
	au := *author

	s.mu.Lock()
	if o.WebhookID == "" {
		if _, ok := s.users[au.ID]; !ok {
			uc := au
			s.users[au.ID] = &uc
		}
	}
	channelID := o.ChannelID
	switch {
	case o.GuildID == "" && channelID == "":
		channelID = s.dmChannelLocked(au.ID, &au).ID
	case o.GuildID == "":
		if s.channels[channelID] == nil {
			uc := au
			s.channels[channelID] = &discordgo.Channel{ID: channelID, Type: discordgo.ChannelTypeDM, Recipients: []*discordgo.User{&uc}}
			if s.dms[au.ID] == "" {
				s.dms[au.ID] = channelID
			}
		}
	case channelID == "":
		channelID = DefaultChannelID
		fallthrough
	default:
		if s.channels[channelID] == nil {
			s.channels[channelID] = &discordgo.Channel{ID: channelID, GuildID: o.GuildID, Type: discordgo.ChannelTypeGuildText, Name: "channel-" + channelID}
		}
	}
	m := &discordgo.Message{
		ID:           s.ids.next(),
		ChannelID:    channelID,
		GuildID:      o.GuildID,
		Content:      o.Content,
		Timestamp:    time.Now().UTC(),
		Author:       &au,
		Mentions:     o.Mentions,
		MentionRoles: []string{},
		Attachments:  o.Attachments,
		Embeds:       o.Embeds,
		Components:   []discordgo.MessageComponent{},
		WebhookID:    o.WebhookID,
		Type:         discordgo.MessageTypeDefault,
	}
	if m.Mentions == nil {
		m.Mentions = s.mentionsLocked(o.Content)
	}
	if m.Attachments == nil {
		m.Attachments = []*discordgo.MessageAttachment{}
	}
	if m.Embeds == nil {
		m.Embeds = []*discordgo.MessageEmbed{}
	}
	if o.GuildID != "" && o.WebhookID == "" {
		m.Member = s.memberLocked(o.GuildID, nil, o.Member)
		m.Member.User = nil // MESSAGE_CREATE members omit the user
	}
	if o.Reference != nil {
		s.referLocked(m, *o.Reference)
	}
	s.storeMessageLocked(m)
	full := gatewayMessage(m)
	out := cloneMessage(m)
	s.mu.Unlock()

	ev := event{typ: "MESSAGE_CREATE", data: full, routed: true, guild: o.GuildID, intent: discordgo.IntentGuildMessages}
	if o.GuildID == "" {
		ev.intent = discordgo.IntentDirectMessages
	} else if !mentionsUser(m, BotUserID) && au.ID != BotUserID {
		redacted := *m
		redacted.Content = ""
		redacted.Embeds = []*discordgo.MessageEmbed{}
		redacted.Attachments = []*discordgo.MessageAttachment{}
		redacted.Components = []discordgo.MessageComponent{}
		ev.noContent = gatewayMessage(&redacted)
	}
	s.fanOut(ev)
	return out
}

func mentionsUser(m *discordgo.Message, id string) bool {
	for _, u := range m.Mentions {
		if u != nil && u.ID == id {
			return true
		}
	}
	return false
}

// memberLocked builds the guild member for user, starting from override.
func (s *Server) memberLocked(guildID string, user *discordgo.User, override *discordgo.Member) *discordgo.Member {
	var m discordgo.Member
	if override != nil {
		m = *override
	}
	if m.Roles == nil {
		m.Roles = []string{}
	}
	if m.JoinedAt.IsZero() {
		m.JoinedAt = time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Second)
	}
	if m.Permissions == 0 {
		m.Permissions = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
			discordgo.PermissionReadMessageHistory | discordgo.PermissionAddReactions |
			discordgo.PermissionEmbedLinks | discordgo.PermissionAttachFiles |
			discordgo.PermissionUseApplicationCommands
	}
	if user != nil {
		u := *user
		m.User = &u
	}
	m.GuildID = ""
	return &m
}

// SlashOpts describes a slash command invocation.
type SlashOpts struct {
	// ChannelID defaults like MessageOpts.ChannelID.
	ChannelID string
	// GuildID "" means the command was used in a DM with the bot.
	GuildID string
	// Locale is the user's client locale, default "en-US".
	Locale string
	// User defaults to the user DefaultUserID ("docs-reader").
	User *discordgo.User
	// Member overrides the invoking guild member (roles, permissions...).
	Member *discordgo.Member
	// Name is the command name; "group sub" or "cmd sub" invoke
	// subcommands, whose options are then Options.
	Name string
	// Options are the option values by name. If a command of that name was
	// registered, values are converted to the registered option type
	// (integer, number, boolean); otherwise they are strings.
	Options map[string]string
	// Focused, if set, makes this an autocomplete interaction (type 4) with
	// that option focused.
	Focused string
}

// ButtonOpts describes a click on a button.
type ButtonOpts struct {
	ChannelID string
	GuildID   string
	Locale    string
	User      *discordgo.User
	Member    *discordgo.Member
	CustomID  string
	// MessageID is the message carrying the button. If the fake does not
	// know it (or it is ""), a bot message with that ID and a single button
	// is created.
	MessageID string
}

// interactionBase holds what every interaction kind shares.
type interactionBase struct {
	channelID, guildID, locale string
	user                       *discordgo.User
	member                     *discordgo.Member
}

// newInteractionLocked registers and builds the common part of an
// interaction.
func (s *Server) newInteractionLocked(typ discordgo.InteractionType, b interactionBase) (*discordgo.Interaction, *interactionState) {
	user := b.user
	if user == nil {
		user = defaultUser()
	}
	u := *user
	if _, ok := s.users[u.ID]; !ok {
		uc := u
		s.users[u.ID] = &uc
	}
	channelID := b.channelID
	if channelID == "" {
		if b.guildID == "" {
			channelID = s.dmChannelLocked(u.ID, &u).ID
		} else {
			channelID = DefaultChannelID
		}
	}
	if s.channels[channelID] == nil {
		ch := &discordgo.Channel{ID: channelID, GuildID: b.guildID, Type: discordgo.ChannelTypeGuildText, Name: "channel-" + channelID}
		if b.guildID == "" {
			uc := u
			ch = &discordgo.Channel{ID: channelID, Type: discordgo.ChannelTypeDM, Recipients: []*discordgo.User{&uc}}
		}
		s.channels[channelID] = ch
	}
	locale := b.locale
	if locale == "" {
		locale = string(discordgo.EnglishUS)
	}
	id := s.ids.next()
	i := &discordgo.Interaction{
		ID:             id,
		AppID:          ApplicationID,
		Type:           typ,
		ChannelID:      channelID,
		GuildID:        b.guildID,
		Locale:         discordgo.Locale(locale),
		Token:          "fake-interaction-token-" + id,
		Version:        1,
		AppPermissions: discordgo.PermissionAllText,
	}
	if b.guildID != "" {
		i.Member = s.memberLocked(b.guildID, &u, b.member)
		gl := discordgo.EnglishUS
		i.GuildLocale = &gl
		i.Context = discordgo.InteractionContextGuild
		i.AuthorizingIntegrationOwners = map[discordgo.ApplicationIntegrationType]string{discordgo.ApplicationIntegrationGuildInstall: b.guildID}
	} else {
		uc := u
		i.User = &uc
		i.Context = discordgo.InteractionContextBotDM
		i.AuthorizingIntegrationOwners = map[discordgo.ApplicationIntegrationType]string{discordgo.ApplicationIntegrationGuildInstall: "0"}
	}
	st := &interactionState{
		id:        id,
		token:     i.Token,
		typ:       typ,
		channelID: channelID,
		guildID:   b.guildID,
		user:      &u,
		created:   time.Now(),
	}
	s.interactions[id] = st
	s.byToken[i.Token] = st
	return i, st
}

// sendInteraction dispatches INTERACTION_CREATE (routed to the guild's
// shard, no intent needed) and returns the interaction as a client decodes
// it. msg, if not nil, is the component's message.
func (s *Server) sendInteraction(i *discordgo.Interaction, msg *discordgo.Message) *discordgo.Interaction {
	b, err := json.Marshal(i)
	if err != nil {
		s.t.Errorf("fakediscord: encoding interaction: %v", err)
		return i
	}
	if msg != nil {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err != nil {
			s.t.Errorf("fakediscord: re-encoding interaction: %v", err)
			return i
		}
		obj["message"] = gatewayMessage(msg)
		if b, err = json.Marshal(obj); err != nil {
			s.t.Errorf("fakediscord: re-encoding interaction: %v", err)
			return i
		}
	}
	return s.dispatchInteraction(b, i, "interaction")
}

// SendSlash dispatches INTERACTION_CREATE for a slash command (type 2, or
// type 4 autocomplete if o.Focused is set) and returns the interaction (ID
// and Token auto-assigned). The bot must answer through
// POST /interactions/{id}/{token}/callback.
func (s *Server) SendSlash(o SlashOpts) *discordgo.Interaction {
	typ := discordgo.InteractionApplicationCommand
	if o.Focused != "" {
		typ = discordgo.InteractionApplicationCommandAutocomplete
	}
	words := strings.Fields(o.Name)
	if len(words) == 0 {
		words = []string{""}
	}
	s.mu.Lock()
	i, _ := s.newInteractionLocked(typ, interactionBase{o.ChannelID, o.GuildID, o.Locale, o.User, o.Member})
	cmd := s.lookupCommandLocked(words[0], o.GuildID)
	data := discordgo.ApplicationCommandInteractionData{
		Name:        words[0],
		CommandType: discordgo.ChatApplicationCommand,
	}
	var defs []*discordgo.ApplicationCommandOption
	if cmd != nil {
		data.ID = cmd.ID
		defs = cmd.Options
	} else {
		data.ID = s.ids.next()
	}
	s.mu.Unlock()

	leaves := buildOptions(o.Options, o.Focused, words[1:], defs)
	data.Options = leaves
	i.Data = data
	return s.sendInteraction(i, nil)
}

func (s *Server) lookupCommandLocked(name, guildID string) *discordgo.ApplicationCommand {
	want := &discordgo.ApplicationCommand{Name: name, Type: discordgo.ChatApplicationCommand}
	if guildID != "" {
		if c := findCommand(s.commands[guildID], want); c != nil {
			return c
		}
	}
	return findCommand(s.commands[""], want)
}

// buildOptions nests the leaf options under the subcommand path and types
// the values from the registered definitions.
func buildOptions(values map[string]string, focused string, path []string, defs []*discordgo.ApplicationCommandOption) []*discordgo.ApplicationCommandInteractionDataOption {
	if len(path) > 0 {
		var def *discordgo.ApplicationCommandOption
		for _, d := range defs {
			if d != nil && d.Name == path[0] {
				def = d
			}
		}
		typ := discordgo.ApplicationCommandOptionSubCommand
		if len(path) > 1 {
			typ = discordgo.ApplicationCommandOptionSubCommandGroup
		}
		var sub []*discordgo.ApplicationCommandOption
		if def != nil {
			typ = def.Type
			sub = def.Options
		}
		return []*discordgo.ApplicationCommandInteractionDataOption{{
			Name:    path[0],
			Type:    typ,
			Options: buildOptions(values, focused, path[1:], sub),
		}}
	}
	out := []*discordgo.ApplicationCommandInteractionDataOption{}
	for _, name := range sortedKeys(values) {
		raw := values[name]
		typ := discordgo.ApplicationCommandOptionString
		for _, d := range defs {
			if d != nil && d.Name == name {
				typ = d.Type
			}
		}
		var v any = raw
		if name != focused { // focused values are partial input, always strings
			switch typ {
			case discordgo.ApplicationCommandOptionInteger:
				if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
					v = n
				}
			case discordgo.ApplicationCommandOptionNumber:
				if f, err := strconv.ParseFloat(raw, 64); err == nil {
					v = f
				}
			case discordgo.ApplicationCommandOptionBoolean:
				if b, err := strconv.ParseBool(raw); err == nil {
					v = b
				}
			}
		}
		out = append(out, &discordgo.ApplicationCommandInteractionDataOption{
			Name: name, Type: typ, Value: v, Focused: name == focused,
		})
	}
	return out
}

// componentMessageLocked returns the message a component lives on,
// creating a bot message carrying comp if the fake does not know it.
func (s *Server) componentMessageLocked(messageID, channelID, guildID string, comp discordgo.MessageComponent) *discordgo.Message {
	if m := s.messages[messageID]; m != nil {
		return m
	}
	if messageID == "" {
		messageID = s.ids.next()
	}
	bot := s.bot
	m := &discordgo.Message{
		ID:           messageID,
		ChannelID:    channelID,
		GuildID:      guildID,
		Author:       &bot,
		Timestamp:    time.Now().UTC(),
		MentionRoles: []string{},
		Attachments:  []*discordgo.MessageAttachment{},
		Embeds:       []*discordgo.MessageEmbed{},
		Mentions:     []*discordgo.User{},
		Components:   []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{comp}}},
		Content:      "",
	}
	s.storeMessageLocked(m)
	return m
}

// ClickButton dispatches INTERACTION_CREATE for a click on a button
// (type 3, component_type 2) and returns the interaction.
func (s *Server) ClickButton(o ButtonOpts) *discordgo.Interaction {
	s.mu.Lock()
	i, st := s.newInteractionLocked(discordgo.InteractionMessageComponent, interactionBase{o.ChannelID, o.GuildID, o.Locale, o.User, o.Member})
	m := s.componentMessageLocked(o.MessageID, i.ChannelID, o.GuildID, discordgo.Button{Label: "button", Style: discordgo.PrimaryButton, CustomID: o.CustomID})
	st.messageID = m.ID
	msg := cloneMessage(m)
	s.mu.Unlock()
	i.Data = discordgo.MessageComponentInteractionData{CustomID: o.CustomID, ComponentType: discordgo.ButtonComponent}
	return s.sendInteraction(i, msg)
}

// dispatchInteraction sends the encoded interaction b as INTERACTION_CREATE
// and returns it as clients decode it (i if that fails; what names it in
// the test error).
func (s *Server) dispatchInteraction(b []byte, i *discordgo.Interaction, what string) *discordgo.Interaction {
	s.fanOut(event{typ: "INTERACTION_CREATE", data: b, routed: true, guild: i.GuildID})
	var out discordgo.Interaction
	if err := json.Unmarshal(b, &out); err != nil {
		s.t.Errorf("fakediscord: decoding %s: %v", what, err)
		return i
	}
	return &out
}
