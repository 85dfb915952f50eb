package fakediscord

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
)

// interactionState tracks one dispatched interaction. Guarded by Server.mu.
type interactionState struct {
	id        string
	token     string
	typ       discordgo.InteractionType
	channelID string
	guildID   string
	user      *discordgo.User
	messageID string // message of a component interaction
	created   time.Time

	acked      bool
	respType   discordgo.InteractionResponseType
	originalID string
	followups  map[string]bool
}

// responseTypeAllowed reports whether Discord accepts callback type rt for
// an interaction of type it.
func responseTypeAllowed(it discordgo.InteractionType, rt discordgo.InteractionResponseType) bool {
	switch rt {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource:
		return it == discordgo.InteractionApplicationCommand || it == discordgo.InteractionMessageComponent || it == discordgo.InteractionModalSubmit
	case discordgo.InteractionResponseDeferredMessageUpdate, discordgo.InteractionResponseUpdateMessage:
		return it == discordgo.InteractionMessageComponent || it == discordgo.InteractionModalSubmit
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		return it == discordgo.InteractionApplicationCommandAutocomplete
	case discordgo.InteractionResponseModal:
		return it == discordgo.InteractionApplicationCommand || it == discordgo.InteractionMessageComponent
	}
	return false
}

func (st *interactionState) messageType() discordgo.MessageType {
	if st.typ == discordgo.InteractionApplicationCommand {
		return discordgo.MessageTypeChatInputCommand
	}
	return discordgo.MessageTypeDefault
}

func (st *interactionState) metadata(originalID string) *discordgo.MessageInteractionMetadata {
	u := *st.user
	md := &discordgo.MessageInteractionMetadata{ID: st.id, Type: st.typ, User: &u, OriginalResponseMessageID: originalID}
	if st.typ == discordgo.InteractionMessageComponent {
		md.InteractedMessageID = st.messageID
	}
	return md
}

func (s *Server) interactionCallback(c *Call, id, token string) response {
	s.mu.Lock()
	st := s.interactions[id]
	s.mu.Unlock()
	if st == nil || st.token != token {
		return errUnknownInteraction().response()
	}
	payload, files, err := splitBody(*c)
	if err != nil {
		return apiErr(http.StatusBadRequest, 50109, "The request body contains invalid JSON.").response()
	}
	var r struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data json.RawMessage                   `json:"data"`
	}
	if err := json.Unmarshal(payload, &r); err != nil {
		return apiErr(http.StatusBadRequest, 50109, "The request body contains invalid JSON.").response()
	}
	if !responseTypeAllowed(st.typ, r.Type) {
		fe := formErrors{}
		fe.add("type", "INTERACTION_RESPONSE_TYPE_INVALID", fmt.Sprintf("Interaction response type %d is not valid for interaction type %d.", r.Type, st.typ))
		return fe.err().response()
	}
	var p *msgPayload
	switch r.Type {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseUpdateMessage,
		discordgo.InteractionResponseDeferredChannelMessageWithSource:
		var aerr *apiError
		if p, aerr = parseMessagePayload(r.Data, files); aerr != nil {
			return aerr.response()
		}
		if aerr := validateMessage(p); aerr != nil {
			return prefixed(aerr, "data").response()
		}
	case discordgo.InteractionResponseModal:
		if aerr := validateModal(r.Data); aerr != nil {
			return aerr.response()
		}
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		if aerr := validateChoices(r.Data); aerr != nil {
			return aerr.response()
		}
	}

	s.mu.Lock()
	if s.opts.EnforceInteractionDeadline && !st.acked && time.Since(st.created) > discordgo.InteractionDeadline {
		s.mu.Unlock()
		return errUnknownInteraction().response()
	}
	if st.acked {
		s.mu.Unlock()
		return errAlreadyAcked().response()
	}
	var echoType string
	var echoMsg *discordgo.Message
	switch r.Type {
	case discordgo.InteractionResponseChannelMessageWithSource:
		m := s.newBotMessageLocked(st.channelID, p, discordgo.MessageFlagsEphemeral)
		if messageEmpty(m, p) {
			s.mu.Unlock()
			return errEmptyMessage().response()
		}
		m.Type = st.messageType()
		m.WebhookID = ApplicationID
		m.InteractionMetadata = st.metadata("")
		s.storeMessageLocked(m)
		st.originalID = m.ID
		echoType, echoMsg = "MESSAGE_CREATE", cloneMessage(m)
	case discordgo.InteractionResponseDeferredChannelMessageWithSource:
		var flags discordgo.MessageFlags
		if p.Flags != nil {
			flags = *p.Flags & discordgo.MessageFlagsEphemeral
		}
		m := s.newBotMessageLocked(st.channelID, &msgPayload{}, 0)
		m.Flags = flags | discordgo.MessageFlagsLoading
		m.Type = st.messageType()
		m.WebhookID = ApplicationID
		m.InteractionMetadata = st.metadata("")
		s.storeMessageLocked(m)
		st.originalID = m.ID
		echoType, echoMsg = "MESSAGE_CREATE", cloneMessage(m)
	case discordgo.InteractionResponseDeferredMessageUpdate:
		st.originalID = st.messageID
	case discordgo.InteractionResponseUpdateMessage:
		m := s.messages[st.messageID]
		if m == nil {
			s.mu.Unlock()
			return errUnknownMessage().response()
		}
		updated := cloneMessage(m)
		s.applyEditLocked(updated, p, 0)
		s.messages[updated.ID] = updated
		st.originalID = updated.ID
		echoType, echoMsg = "MESSAGE_UPDATE", cloneMessage(updated)
	}
	st.acked = true
	st.respType = r.Type
	var withResp response
	if c.Query.Get("with_response") == "true" {
		res := map[string]any{"type": r.Type}
		if echoMsg != nil {
			res["message"] = json.RawMessage(restMessage(echoMsg).body)
		}
		withResp = jsonResp(http.StatusOK, map[string]any{
			"interaction": map[string]any{
				"id":                         st.id,
				"type":                       st.typ,
				"response_message_id":        st.originalID,
				"response_message_loading":   r.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource,
				"response_message_ephemeral": echoMsg != nil && echoMsg.Flags&discordgo.MessageFlagsEphemeral != 0,
			},
			"resource": res,
		})
	}
	s.mu.Unlock()
	if echoMsg != nil {
		s.echo(echoType, echoMsg)
	}
	if withResp.status != 0 {
		return withResp
	}
	return noContent()
}

// prefixed moves a form error tree under key (e.g. "data").
func prefixed(e *apiError, key string) *apiError {
	if e.errors != nil {
		e.errors = formErrors{key: map[string]any(e.errors)}
	}
	return e
}

// webhookState resolves an interaction webhook (application ID + token).
func (s *Server) webhookStateLocked(appID, token string) (*interactionState, *apiError) {
	if appID != ApplicationID {
		return nil, errUnknownWebhook()
	}
	st := s.byToken[token]
	if st == nil {
		return nil, errInvalidWebhookTok()
	}
	if !st.acked {
		return nil, errUnknownWebhook()
	}
	return st, nil
}

// webhookExecute handles followup messages (POST /webhooks/{app}/{token}).
// Discord always waits for interaction followups, so the created message
// is returned whatever the wait parameter says.
func (s *Server) webhookExecute(c *Call, appID, token string) response {
	p, aerr := parseMessageRequest(c)
	if aerr != nil {
		return aerr.response()
	}
	if aerr := validateMessage(p); aerr != nil {
		return aerr.response()
	}
	s.mu.Lock()
	st, aerr := s.webhookStateLocked(appID, token)
	if aerr != nil {
		s.mu.Unlock()
		return aerr.response()
	}
	m := s.newBotMessageLocked(st.channelID, p, discordgo.MessageFlagsEphemeral)
	if messageEmpty(m, p) {
		s.mu.Unlock()
		return errEmptyMessage().response()
	}
	m.Type = st.messageType()
	m.WebhookID = ApplicationID
	m.InteractionMetadata = st.metadata(st.originalID)
	s.storeMessageLocked(m)
	if st.followups == nil {
		st.followups = map[string]bool{}
	}
	st.followups[m.ID] = true
	resp := restMessage(m)
	m = cloneMessage(m)
	s.mu.Unlock()
	s.echo("MESSAGE_CREATE", m)
	return resp
}

// webhookMessage handles GET/PATCH/DELETE
// /webhooks/{app}/{token}/messages/{@original|id}.
func (s *Server) webhookMessage(c *Call, appID, token, messageID string) response {
	var p *msgPayload
	if c.Method == http.MethodPatch {
		var aerr *apiError
		if p, aerr = parseMessageRequest(c); aerr != nil {
			return aerr.response()
		}
		if aerr := validateMessage(p); aerr != nil {
			return aerr.response()
		}
	} else if c.Method != http.MethodGet && c.Method != http.MethodDelete {
		return errMethodNotAllowed().response()
	}

	s.mu.Lock()
	st, aerr := s.webhookStateLocked(appID, token)
	if aerr != nil {
		s.mu.Unlock()
		return aerr.response()
	}
	id := messageID
	if id == "@original" {
		id = st.originalID
	} else if !st.followups[id] && id != st.originalID {
		id = ""
	}
	m := s.messages[id]
	if id == "" || m == nil {
		s.mu.Unlock()
		return errUnknownMessage().response()
	}
	switch c.Method {
	case http.MethodGet:
		resp := restMessage(m)
		s.mu.Unlock()
		return resp
	case http.MethodDelete:
		s.deleteMessageLocked(id)
		if id == st.originalID {
			st.originalID = ""
		}
		s.mu.Unlock()
		s.echo("MESSAGE_DELETE", m)
		return noContent()
	}
	updated := cloneMessage(m)
	s.applyEditLocked(updated, p, 0)
	updated.Flags &^= discordgo.MessageFlagsLoading
	return s.commitEditLocked(updated, p)
}

// commandsRoute handles /applications/{app}[/guilds/{guild}]/commands.
func (s *Server) commandsRoute(c *Call, appID, guildID string) response {
	if aerr := s.checkCommandScope(appID, guildID); aerr != nil {
		return aerr.response()
	}
	switch c.Method {
	case http.MethodGet:
		s.mu.Lock()
		defer s.mu.Unlock()
		cmds := s.commands[guildID]
		if cmds == nil {
			cmds = []*discordgo.ApplicationCommand{}
		}
		return jsonResp(http.StatusOK, cmds)
	case http.MethodPut:
		var cmds []*discordgo.ApplicationCommand
		if err := json.Unmarshal(c.Body, &cmds); err != nil {
			return apiErr(http.StatusBadRequest, 50109, "The request body contains invalid JSON.").response()
		}
		fe := formErrors{}
		validateCommands(fe, cmds, true)
		if aerr := fe.err(); aerr != nil {
			return aerr.response()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		old := s.commands[guildID]
		out := make([]*discordgo.ApplicationCommand, 0, len(cmds))
		for _, cmd := range cmds {
			out = append(out, s.assignCommandLocked(cmd, guildID, findCommand(old, cmd)))
		}
		s.commands[guildID] = out
		return jsonResp(http.StatusOK, out)
	case http.MethodPost:
		var cmd discordgo.ApplicationCommand
		if err := json.Unmarshal(c.Body, &cmd); err != nil {
			return apiErr(http.StatusBadRequest, 50109, "The request body contains invalid JSON.").response()
		}
		fe := formErrors{}
		validateCommands(fe, []*discordgo.ApplicationCommand{&cmd}, false)
		if aerr := fe.err(); aerr != nil {
			return aerr.response()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		old := findCommand(s.commands[guildID], &cmd)
		nc := s.assignCommandLocked(&cmd, guildID, old)
		status := http.StatusCreated
		if old != nil {
			status = http.StatusOK
			s.replaceCommandLocked(guildID, old.ID, nc)
		} else {
			s.commands[guildID] = append(s.commands[guildID], nc)
		}
		return jsonResp(status, nc)
	}
	return errMethodNotAllowed().response()
}

// commandRoute handles /applications/{app}[/guilds/{guild}]/commands/{id}.
func (s *Server) commandRoute(c *Call, appID, guildID, cmdID string) response {
	if aerr := s.checkCommandScope(appID, guildID); aerr != nil {
		return aerr.response()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var cur *discordgo.ApplicationCommand
	for _, cmd := range s.commands[guildID] {
		if cmd.ID == cmdID {
			cur = cmd
		}
	}
	if cur == nil {
		return errUnknownCommand().response()
	}
	switch c.Method {
	case http.MethodGet:
		return jsonResp(http.StatusOK, cur)
	case http.MethodDelete:
		var kept []*discordgo.ApplicationCommand
		for _, cmd := range s.commands[guildID] {
			if cmd.ID != cmdID {
				kept = append(kept, cmd)
			}
		}
		s.commands[guildID] = kept
		return noContent()
	case http.MethodPatch:
		merged := cloneCommands([]*discordgo.ApplicationCommand{cur})[0]
		if err := json.Unmarshal(c.Body, merged); err != nil {
			return apiErr(http.StatusBadRequest, 50109, "The request body contains invalid JSON.").response()
		}
		fe := formErrors{}
		validateCommands(fe, []*discordgo.ApplicationCommand{merged}, false)
		if aerr := fe.err(); aerr != nil {
			return aerr.response()
		}
		nc := s.assignCommandLocked(merged, guildID, cur)
		s.replaceCommandLocked(guildID, cmdID, nc)
		return jsonResp(http.StatusOK, nc)
	}
	return errMethodNotAllowed().response()
}

func (s *Server) checkCommandScope(appID, guildID string) *apiError {
	if appID != ApplicationID {
		return errMissingAccess()
	}
	if guildID == "" {
		return nil
	}
	for _, g := range s.opts.Guilds {
		if g.ID == guildID {
			return nil
		}
	}
	return errMissingAccess()
}

func findCommand(cmds []*discordgo.ApplicationCommand, want *discordgo.ApplicationCommand) *discordgo.ApplicationCommand {
	wt := want.Type
	if wt == 0 {
		wt = discordgo.ChatApplicationCommand
	}
	for _, c := range cmds {
		if c.Name == want.Name && c.Type == wt {
			return c
		}
	}
	return nil
}

// assignCommandLocked returns a stored copy of cmd with the server-set
// fields filled in; an existing command of the same name keeps its ID.
func (s *Server) assignCommandLocked(cmd *discordgo.ApplicationCommand, guildID string, old *discordgo.ApplicationCommand) *discordgo.ApplicationCommand {
	nc := cloneCommands([]*discordgo.ApplicationCommand{cmd})[0]
	if old != nil {
		nc.ID = old.ID
	} else {
		nc.ID = s.ids.next()
	}
	nc.ApplicationID = ApplicationID
	nc.GuildID = guildID
	nc.Version = s.ids.next()
	if nc.Type == 0 {
		nc.Type = discordgo.ChatApplicationCommand
	}
	if nc.Options == nil && nc.Type == discordgo.ChatApplicationCommand {
		nc.Options = []*discordgo.ApplicationCommandOption{}
	}
	return nc
}

func (s *Server) replaceCommandLocked(guildID, id string, nc *discordgo.ApplicationCommand) {
	for i, c := range s.commands[guildID] {
		if c.ID == id {
			s.commands[guildID][i] = nc
		}
	}
}
