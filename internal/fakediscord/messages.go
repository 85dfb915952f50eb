package fakediscord

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// msgPayload is the union of the message bodies discordgo sends:
// MessageSend, MessageEdit, WebhookParams, WebhookEdit and
// InteractionResponseData. Pointer fields distinguish "absent" from "empty".
type msgPayload struct {
	Content         *string                           `json:"content"`
	Embeds          *[]*discordgo.MessageEmbed        `json:"embeds"`
	Components      *[]json.RawMessage                `json:"components"`
	Flags           *discordgo.MessageFlags           `json:"flags"`
	TTS             bool                              `json:"tts"`
	Reference       *discordgo.MessageReference       `json:"message_reference"`
	StickerIDs      []string                          `json:"sticker_ids"`
	Poll            json.RawMessage                   `json:"poll"`
	Attachments     *[]*discordgo.MessageAttachment   `json:"attachments"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	Username        string                            `json:"username"`
	AvatarURL       string                            `json:"avatar_url"`

	files      []uploadedFile
	components []discordgo.MessageComponent // parsed by validateMessage
}

func (p *msgPayload) hasPoll() bool {
	return len(p.Poll) > 0 && string(p.Poll) != "null"
}

// parseMessagePayload decodes a JSON message body (already extracted from
// a multipart request) plus its files.
func parseMessagePayload(payload []byte, files []uploadedFile) (*msgPayload, *apiError) {
	p := &msgPayload{files: files}
	if len(payload) == 0 {
		return p, nil
	}
	if err := json.Unmarshal(payload, p); err != nil {
		return nil, apiErr(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
	}
	return p, nil
}

func parseMessageRequest(c *Call) (*msgPayload, *apiError) {
	payload, files, err := splitBody(*c)
	if err != nil {
		return nil, apiErr(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
	}
	return parseMessagePayload(payload, files)
}

// Flags a message author may set.
const settableFlags = discordgo.MessageFlagsSuppressEmbeds | discordgo.MessageFlagsSuppressNotifications | discordgo.MessageFlagsIsComponentsV2

var mentionRE = regexp.MustCompile(`<@!?([0-9]+)>`)

// mentionsLocked derives the mentioned users from content, as Discord does.
func (s *Server) mentionsLocked(content string) []*discordgo.User {
	mentions := []*discordgo.User{}
	seen := map[string]bool{}
	for _, m := range mentionRE.FindAllStringSubmatch(content, -1) {
		id := m[1]
		if seen[id] {
			continue
		}
		seen[id] = true
		if u := s.users[id]; u != nil {
			uc := *u
			mentions = append(mentions, &uc)
		} else {
			mentions = append(mentions, &discordgo.User{ID: id, Username: "user-" + id, Discriminator: "0"})
		}
	}
	return mentions
}

// ensureChannelLocked returns the channel, creating a guild text channel
// of unknown guild for IDs the fake has not seen (the fake is lenient
// about channels).
func (s *Server) ensureChannelLocked(channelID string) *discordgo.Channel {
	ch := s.channels[channelID]
	if ch == nil {
		ch = &discordgo.Channel{ID: channelID, Type: discordgo.ChannelTypeGuildText, Name: "channel-" + channelID}
		s.channels[channelID] = ch
	}
	return ch
}

// newBotMessageLocked builds (but does not store) a message authored by
// the bot from a validated payload. extraFlags are the flags allowed in
// this context besides settableFlags.
func (s *Server) newBotMessageLocked(channelID string, p *msgPayload, extraFlags discordgo.MessageFlags) *discordgo.Message {
	ch := s.ensureChannelLocked(channelID)
	bot := s.bot
	m := &discordgo.Message{
		ID:           s.ids.next(),
		ChannelID:    channelID,
		GuildID:      ch.GuildID,
		Author:       &bot,
		Timestamp:    time.Now().UTC(),
		TTS:          p.TTS,
		MentionRoles: []string{},
		Attachments:  []*discordgo.MessageAttachment{},
		Embeds:       []*discordgo.MessageEmbed{},
		Mentions:     []*discordgo.User{},
		Components:   []discordgo.MessageComponent{},
		Type:         discordgo.MessageTypeDefault,
	}
	s.applyPayloadLocked(m, p, extraFlags)
	if m.Components == nil {
		m.Components = []discordgo.MessageComponent{}
	}
	if ref := p.Reference; ref != nil && ref.MessageID != "" {
		r := *ref
		if r.GuildID == "" {
			r.GuildID = ch.GuildID
		}
		s.referLocked(m, r)
	}
	return m
}

// referLocked makes m refer to the message r names (in m's channel if r
// names none): a reply, for a default reference, carries a copy of the
// message it replies to.
func (s *Server) referLocked(m *discordgo.Message, r discordgo.MessageReference) {
	if r.ChannelID == "" {
		r.ChannelID = m.ChannelID
	}
	m.MessageReference = &r
	if r.Type == discordgo.MessageReferenceTypeDefault {
		m.Type = discordgo.MessageTypeReply
		if orig := s.messages[r.MessageID]; orig != nil {
			oc := cloneMessage(orig)
			oc.ReferencedMessage = nil
			m.ReferencedMessage = oc
		}
	}
}

func richEmbeds(in []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	out := make([]*discordgo.MessageEmbed, 0, len(in))
	for _, e := range in {
		if e == nil {
			continue
		}
		ec := *e
		if ec.Type == "" {
			ec.Type = discordgo.EmbedTypeRich
		}
		out = append(out, &ec)
	}
	return out
}

func (s *Server) attachmentsLocked(channelID string, files []uploadedFile) []*discordgo.MessageAttachment {
	out := []*discordgo.MessageAttachment{}
	for _, f := range files {
		id := s.ids.next()
		u := fmt.Sprintf("https://cdn.discordapp.com/attachments/%s/%s/%s", channelID, id, f.Name)
		out = append(out, &discordgo.MessageAttachment{
			ID:          id,
			Filename:    f.Name,
			ContentType: f.ContentType,
			Size:        len(f.Data),
			URL:         u,
			ProxyURL:    "https://media.discordapp.net" + u[len("https://cdn.discordapp.com"):],
		})
	}
	return out
}

// applyEditLocked applies an edit payload to m in place.
func (s *Server) applyEditLocked(m *discordgo.Message, p *msgPayload, extraFlags discordgo.MessageFlags) {
	s.applyPayloadLocked(m, p, extraFlags)
	now := time.Now().UTC()
	m.EditedTimestamp = &now
}

// applyPayloadLocked sets what a payload gives of a message (content,
// embeds, components, flags, attachments kept and uploaded) on m in
// place; a new message starts from empty fields.
func (s *Server) applyPayloadLocked(m *discordgo.Message, p *msgPayload, extraFlags discordgo.MessageFlags) {
	if p.Content != nil {
		m.Content = *p.Content
		m.Mentions = s.mentionsLocked(m.Content)
	}
	if p.Embeds != nil {
		m.Embeds = richEmbeds(*p.Embeds)
	}
	if p.Components != nil {
		m.Components = p.components
	}
	if p.Flags != nil {
		keep := m.Flags &^ (settableFlags | extraFlags)
		m.Flags = keep | (*p.Flags & (settableFlags | extraFlags))
	}
	if p.Attachments != nil {
		keepIDs := map[string]bool{}
		for _, a := range *p.Attachments {
			if a != nil {
				keepIDs[a.ID] = true
			}
		}
		var kept []*discordgo.MessageAttachment
		for _, a := range m.Attachments {
			if keepIDs[a.ID] {
				kept = append(kept, a)
			}
		}
		m.Attachments = kept
	}
	m.Attachments = append(m.Attachments, s.attachmentsLocked(m.ChannelID, p.files)...)
	if m.Attachments == nil {
		m.Attachments = []*discordgo.MessageAttachment{}
	}
}

// messageEmpty reports whether Discord would reject m as empty.
func messageEmpty(m *discordgo.Message, p *msgPayload) bool {
	return m.Content == "" && len(m.Embeds) == 0 && len(m.Components) == 0 &&
		len(m.Attachments) == 0 && len(p.StickerIDs) == 0 && !p.hasPoll()
}

func (s *Server) storeMessageLocked(m *discordgo.Message) {
	if _, ok := s.messages[m.ID]; !ok {
		s.channelMsgs[m.ChannelID] = append(s.channelMsgs[m.ChannelID], m.ID)
	}
	s.messages[m.ID] = m
}

func (s *Server) deleteMessageLocked(id string) {
	m := s.messages[id]
	if m == nil {
		return
	}
	delete(s.messages, id)
	ids := s.channelMsgs[m.ChannelID]
	for i, x := range ids {
		if x == id {
			s.channelMsgs[m.ChannelID] = append(ids[:i:i], ids[i+1:]...)
			break
		}
	}
}

// restMessage encodes m as REST answers it: without guild_id and member,
// which only gateway events carry.
func restMessage(m *discordgo.Message) response {
	mc := *m
	mc.GuildID = ""
	mc.Member = nil
	b, err := marshalMessage(&mc)
	if err != nil {
		return apiErr(http.StatusInternalServerError, 0, err.Error()).response()
	}
	return rawJSON(http.StatusOK, b)
}

// gatewayMessage encodes m as a MESSAGE_CREATE/UPDATE payload.
func gatewayMessage(m *discordgo.Message) json.RawMessage {
	mc := *m
	if mc.GuildID != "" && mc.Member == nil && mc.WebhookID == "" {
		mc.Member = &discordgo.Member{Roles: []string{}, JoinedAt: time.Now().UTC().Add(-time.Hour).Truncate(time.Second)}
	}
	b, err := marshalMessage(&mc)
	if err != nil {
		panic(err)
	}
	return b
}

// echo dispatches a gateway event for a message the bot changed through
// REST, if Options.EchoOwnMessages is set. It must be called without s.mu.
func (s *Server) echo(typ string, m *discordgo.Message) {
	if !s.opts.EchoOwnMessages || m == nil || m.Flags&discordgo.MessageFlagsEphemeral != 0 {
		return
	}
	intent := discordgo.IntentGuildMessages
	if m.GuildID == "" {
		intent = discordgo.IntentDirectMessages
	}
	ev := event{typ: typ, routed: true, guild: m.GuildID, intent: intent}
	if typ == "MESSAGE_DELETE" {
		ev.data, _ = json.Marshal(map[string]string{"id": m.ID, "channel_id": m.ChannelID, "guild_id": m.GuildID})
	} else {
		ev.data = gatewayMessage(m)
	}
	s.fanOut(ev)
}

func (s *Server) createChannelMessage(c *Call, channelID string) response {
	p, aerr := parseMessageRequest(c)
	if aerr != nil {
		return aerr.response()
	}
	if err := validateMessage(p); err != nil {
		return err.response()
	}
	s.mu.Lock()
	m := s.newBotMessageLocked(channelID, p, 0)
	if messageEmpty(m, p) {
		s.mu.Unlock()
		return errEmptyMessage().response()
	}
	s.storeMessageLocked(m)
	resp := restMessage(m)
	m = cloneMessage(m)
	s.mu.Unlock()
	s.echo("MESSAGE_CREATE", m)
	return resp
}

func (s *Server) listChannelMessages(c *Call, channelID string) response {
	limit := 50
	if l, err := strconv.Atoi(c.Query.Get("limit")); err == nil {
		limit = l
	}
	if limit < 1 || limit > 100 {
		fe := formErrors{}
		fe.add("limit", "NUMBER_TYPE_MAX", "int value should be less than or equal to 100.")
		return fe.err().response()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := s.channelMsgs[channelID]
	var out []json.RawMessage
	for i := len(ids) - 1; i >= 0 && len(out) < limit; i-- {
		m := s.messages[ids[i]]
		if m == nil || m.Flags&discordgo.MessageFlagsEphemeral != 0 {
			continue
		}
		out = append(out, restMessage(m).body)
	}
	if out == nil {
		out = []json.RawMessage{}
	}
	return jsonResp(http.StatusOK, out)
}

func (s *Server) getChannelMessage(channelID, messageID string) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messages[messageID]
	if m == nil || m.ChannelID != channelID || m.Flags&discordgo.MessageFlagsEphemeral != 0 {
		return errUnknownMessage().response()
	}
	return restMessage(m)
}

func (s *Server) editChannelMessage(c *Call, channelID, messageID string) response {
	p, aerr := parseMessageRequest(c)
	if aerr != nil {
		return aerr.response()
	}
	if err := validateMessage(p); err != nil {
		return err.response()
	}
	s.mu.Lock()
	m := s.messages[messageID]
	if m == nil || m.ChannelID != channelID || m.Flags&discordgo.MessageFlagsEphemeral != 0 {
		s.mu.Unlock()
		return errUnknownMessage().response()
	}
	if m.Author == nil || m.Author.ID != BotUserID {
		if p.Content != nil || p.Embeds != nil || p.Components != nil || p.Attachments != nil || len(p.files) > 0 {
			s.mu.Unlock()
			return apiErr(http.StatusForbidden, 50005, "Cannot edit a message authored by another user").response()
		}
	}
	updated := cloneMessage(m)
	updated.GuildID = m.GuildID
	s.applyEditLocked(updated, p, 0)
	return s.commitEditLocked(updated, p)
}

// commitEditLocked stores updated, an edited copy of a stored message,
// unless the edit left it empty, and announces it with MESSAGE_UPDATE.
// It releases s.mu.
func (s *Server) commitEditLocked(updated *discordgo.Message, p *msgPayload) response {
	if messageEmpty(updated, p) {
		s.mu.Unlock()
		return errEmptyMessage().response()
	}
	s.messages[updated.ID] = updated
	resp := restMessage(updated)
	updated = cloneMessage(updated)
	s.mu.Unlock()
	s.echo("MESSAGE_UPDATE", updated)
	return resp
}

func (s *Server) deleteChannelMessage(channelID, messageID string) response {
	s.mu.Lock()
	m := s.messages[messageID]
	if m == nil || m.ChannelID != channelID || m.Flags&discordgo.MessageFlagsEphemeral != 0 {
		s.mu.Unlock()
		return errUnknownMessage().response()
	}
	s.deleteMessageLocked(messageID)
	s.mu.Unlock()
	s.echo("MESSAGE_DELETE", m)
	return noContent()
}

func (s *Server) createDM(c *Call) response {
	var b struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := json.Unmarshal(c.Body, &b); err != nil {
		return apiErr(http.StatusBadRequest, 50109, "The request body contains invalid JSON.").response()
	}
	if b.RecipientID == "" {
		fe := formErrors{}
		fe.add("recipient_id", "BASE_TYPE_REQUIRED", "This field is required")
		return fe.err().response()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return jsonResp(http.StatusOK, s.dmChannelLocked(b.RecipientID, nil))
}

// dmChannelLocked returns the DM channel with a user, creating it.
func (s *Server) dmChannelLocked(userID string, u *discordgo.User) *discordgo.Channel {
	if u == nil {
		u = s.users[userID]
	}
	if u == nil {
		u = &discordgo.User{ID: userID, Username: "user-" + userID, Discriminator: "0"}
	}
	if id := s.dms[userID]; id != "" {
		if ch := s.channels[id]; ch != nil {
			return ch
		}
	}
	uc := *u
	ch := &discordgo.Channel{ID: s.ids.next(), Type: discordgo.ChannelTypeDM, Recipients: []*discordgo.User{&uc}}
	s.channels[ch.ID] = ch
	s.dms[userID] = ch.ID
	return ch
}

func (s *Server) application(method string) response {
	if method != http.MethodGet {
		return errMethodNotAllowed().response()
	}
	return jsonResp(http.StatusOK, map[string]any{
		"id":                     ApplicationID,
		"name":                   BotUsername,
		"description":            "",
		"bot_public":             false,
		"bot_require_code_grant": false,
		"flags":                  0,
		"verify_key":             "fakediscord",
		"owner":                  defaultUser(),
		"bot":                    s.botUser(),
		"team":                   nil,
	})
}

func (s *Server) guildMember(guildID, userID string) response {
	known := false
	for _, g := range s.opts.Guilds {
		known = known || g.ID == guildID
	}
	if !known {
		return errUnknownGuild().response()
	}
	s.mu.Lock()
	u := s.users[userID]
	s.mu.Unlock()
	if u == nil {
		return errUnknownMember().response()
	}
	return jsonResp(http.StatusOK, &discordgo.Member{
		GuildID:  guildID,
		User:     u,
		Roles:    []string{},
		JoinedAt: time.Now().UTC().Add(-time.Hour).Truncate(time.Second),
	})
}
