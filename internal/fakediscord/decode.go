package fakediscord

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// uploadedFile is a file part of a multipart request (discordgo sends files
// as parts named "files[N]" next to a "payload_json" part).
type uploadedFile struct {
	Field       string // form field name, e.g. "files[0]"
	Name        string // file name
	ContentType string
	Data        []byte
}

// splitBody returns the JSON payload of a call, taken from the
// "payload_json" part of a multipart body, and any uploaded files.
func splitBody(c Call) ([]byte, []uploadedFile, error) {
	mt, params, err := mime.ParseMediaType(c.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return c.Body, nil, nil
	}
	r := multipart.NewReader(bytes.NewReader(c.Body), params["boundary"])
	var payload []byte
	var files []uploadedFile
	for {
		part, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("reading multipart body: %w", err)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, nil, fmt.Errorf("reading multipart part %q: %w", part.FormName(), err)
		}
		switch name := part.FormName(); {
		case name == "payload_json":
			payload = data
		case part.FileName() != "":
			files = append(files, uploadedFile{
				Field:       name,
				Name:        part.FileName(),
				ContentType: part.Header.Get("Content-Type"),
				Data:        data,
			})
		}
	}
	return payload, files, nil
}

// Payload returns the JSON body of a call: the body itself, or the
// "payload_json" part of a multipart request.
func Payload(c Call) ([]byte, error) {
	p, _, err := splitBody(c)
	if err != nil {
		return nil, fmt.Errorf("fakediscord: payload of %s: %w", c, err)
	}
	return p, nil
}

func discordFiles(files []uploadedFile) []*discordgo.File {
	var out []*discordgo.File
	for _, f := range files {
		out = append(out, &discordgo.File{Name: f.Name, ContentType: f.ContentType, Reader: bytes.NewReader(f.Data)})
	}
	return out
}

func decodeComponents(raws []json.RawMessage) ([]discordgo.MessageComponent, error) {
	if raws == nil {
		return nil, nil
	}
	out := make([]discordgo.MessageComponent, 0, len(raws))
	for i, raw := range raws {
		c, err := discordgo.MessageComponentFromJSON(raw)
		if err != nil {
			return nil, fmt.Errorf("component %d: %w", i, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func decodeComponentsPtr(raws *[]json.RawMessage) (*[]discordgo.MessageComponent, error) {
	if raws == nil {
		return nil, nil
	}
	comps, err := decodeComponents(*raws)
	if err != nil {
		return nil, err
	}
	if comps == nil {
		comps = []discordgo.MessageComponent{}
	}
	return &comps, nil
}

// DecodeMessageSend decodes a message-create call (POST
// /channels/{id}/messages, JSON or multipart payload_json) into the
// discordgo.MessageSend the bot sent, components and files included.
func DecodeMessageSend(c Call) (discordgo.MessageSend, error) {
	payload, files, err := splitBody(c)
	if err != nil {
		return discordgo.MessageSend{}, fmt.Errorf("fakediscord: decoding MessageSend from %s: %w", c, err)
	}
	type alias discordgo.MessageSend
	var v struct {
		alias
		Components []json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal(payload, &v); err != nil {
		return discordgo.MessageSend{}, fmt.Errorf("fakediscord: decoding MessageSend from %s: %w", c, err)
	}
	out := discordgo.MessageSend(v.alias)
	if out.Components, err = decodeComponents(v.Components); err != nil {
		return discordgo.MessageSend{}, fmt.Errorf("fakediscord: decoding MessageSend from %s: %w", c, err)
	}
	out.Files = discordFiles(files)
	return out, nil
}

// DecodeInteractionResponse decodes an interaction callback (POST
// /interactions/{id}/{token}/callback) into discordgo.InteractionResponse.
func DecodeInteractionResponse(c Call) (discordgo.InteractionResponse, error) {
	payload, files, err := splitBody(c)
	if err != nil {
		return discordgo.InteractionResponse{}, fmt.Errorf("fakediscord: decoding InteractionResponse from %s: %w", c, err)
	}
	type dataAlias discordgo.InteractionResponseData
	var v struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data *struct {
			dataAlias
			Components []json.RawMessage `json:"components"`
		} `json:"data"`
	}
	if err := json.Unmarshal(payload, &v); err != nil {
		return discordgo.InteractionResponse{}, fmt.Errorf("fakediscord: decoding InteractionResponse from %s: %w", c, err)
	}
	out := discordgo.InteractionResponse{Type: v.Type}
	if v.Data != nil {
		d := discordgo.InteractionResponseData(v.Data.dataAlias)
		if d.Components, err = decodeComponents(v.Data.Components); err != nil {
			return discordgo.InteractionResponse{}, fmt.Errorf("fakediscord: decoding InteractionResponse from %s: %w", c, err)
		}
		d.Files = discordFiles(files)
		out.Data = &d
	}
	return out, nil
}

// DecodeWebhookEdit decodes a webhook message edit (PATCH
// /webhooks/{app}/{token}/messages/{@original|id}, as sent by
// InteractionResponseEdit and FollowupMessageEdit) into
// discordgo.WebhookEdit.
func DecodeWebhookEdit(c Call) (discordgo.WebhookEdit, error) {
	payload, files, err := splitBody(c)
	if err != nil {
		return discordgo.WebhookEdit{}, fmt.Errorf("fakediscord: decoding WebhookEdit from %s: %w", c, err)
	}
	type alias discordgo.WebhookEdit
	var v struct {
		alias
		Components *[]json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal(payload, &v); err != nil {
		return discordgo.WebhookEdit{}, fmt.Errorf("fakediscord: decoding WebhookEdit from %s: %w", c, err)
	}
	out := discordgo.WebhookEdit(v.alias)
	if out.Components, err = decodeComponentsPtr(v.Components); err != nil {
		return discordgo.WebhookEdit{}, fmt.Errorf("fakediscord: decoding WebhookEdit from %s: %w", c, err)
	}
	out.Files = discordFiles(files)
	return out, nil
}
