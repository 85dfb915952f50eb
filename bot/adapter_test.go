package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/askdocs/askdocs/internal/fakediscord"
	"github.com/bwmarrin/discordgo"
)

// TestSessionAdapter makes each call of the discordgo adapter against a
// fake Discord, REST only, and checks the request Discord gets: the
// route, the payload, and that nobody can be pinged.
func TestSessionAdapter(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	sess, err := discordgo.New("Bot " + fakediscord.DefaultToken)
	if err != nil {
		t.Fatal(err)
	}
	srv.Attach(sess)
	d := session{sess}
	ctx := context.Background()
	g := fakediscord.DefaultGuildID

	r := Reply{
		Content: "hi <@4000>", // a raw mention: the payload must still ping nobody
		Embeds:  []Embed{{Author: "a", Title: "t", Description: "d", Footer: "f", Color: colorAnswer}},
		Rows:    [][]Button{{{Label: "More", CustomID: "more:x:1", Primary: true}, {Label: "[1]", CustomID: "full:x:0"}}},
	}
	asked := srv.SendMessage(fakediscord.MessageOpts{GuildID: g, Content: "<@1000> Lào?"})
	slash := srv.SendSlash(fakediscord.SlashOpts{GuildID: g, Name: "ask", Options: map[string]string{"question": "Lào?"}})
	other := srv.SendSlash(fakediscord.SlashOpts{GuildID: g, Name: "ask", Options: map[string]string{"question": "Lào?"}})
	click := srv.ClickButton(fakediscord.ButtonOpts{GuildID: g, CustomID: "more:x:1"})
	click2 := srv.ClickButton(fakediscord.ButtonOpts{GuildID: g, CustomID: "more:x:1"})

	for _, tc := range []struct {
		name   string
		call   func() error
		method string
		route  string
		pings  bool // whether the payload carries messages (and allowed_mentions)
		check  func(t *testing.T, c fakediscord.Call)
	}{
		{"send", func() error { return d.Send(ctx, asked, r) }, "POST", "/channels/3000/messages", true, func(t *testing.T, c fakediscord.Call) {
			ms, err := fakediscord.DecodeMessageSend(c)
			if err != nil {
				t.Fatal(err)
			}
			ref := ms.Reference
			if ref == nil || ref.MessageID != asked.ID || ref.ChannelID != asked.ChannelID || ref.GuildID != g || ref.FailIfNotExists == nil || *ref.FailIfNotExists {
				t.Errorf("message_reference = %+v, want a reply to %s that tolerates its deletion", ref, asked.ID)
			}
			if ms.Content != r.Content || len(ms.Embeds) != 1 || ms.Embeds[0].Footer == nil || ms.Embeds[0].Footer.Text != "f" ||
				ms.Embeds[0].Author == nil || ms.Embeds[0].Author.Name != "a" || ms.Embeds[0].Color != colorAnswer {
				t.Errorf("message = %+v", ms)
			}
			var styles []discordgo.ButtonStyle
			for _, row := range ms.Components {
				for _, b := range row.(*discordgo.ActionsRow).Components {
					styles = append(styles, b.(*discordgo.Button).Style)
				}
			}
			if len(styles) != 2 || styles[0] != discordgo.PrimaryButton || styles[1] != discordgo.SecondaryButton {
				t.Errorf("button styles %v, want primary then secondary", styles)
			}
		}},
		{"typing", func() error { return d.Typing(ctx, "3000") }, "POST", "/channels/3000/typing", false, nil},
		{"defer", func() error { return d.Defer(ctx, slash) }, "POST", "/interactions/" + slash.ID + "/" + slash.Token + "/callback", true, func(t *testing.T, c fakediscord.Call) {
			if resp := decodeCallback(t, c); resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
				t.Errorf("type %d, want 5 (deferred)", resp.Type)
			}
		}},
		{"edit", func() error { return d.Edit(ctx, slash, r) }, "PATCH", "/webhooks/1000/" + slash.Token + "/messages/@original", true, func(t *testing.T, c fakediscord.Call) {
			we, err := fakediscord.DecodeWebhookEdit(c)
			if err != nil {
				t.Fatal(err)
			}
			if we.Content == nil || *we.Content != r.Content || we.Embeds == nil || len(*we.Embeds) != 1 || we.Components == nil || len(*we.Components) != 1 {
				t.Errorf("edit = %s", c.Body)
			}
		}},
		{"respond ephemeral", func() error { return d.Respond(ctx, other, withEphemeral(r)) }, "POST", "/interactions/" + other.ID + "/" + other.Token + "/callback", true, func(t *testing.T, c fakediscord.Call) {
			if resp := decodeCallback(t, c); resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags != discordgo.MessageFlagsEphemeral {
				t.Errorf("type %d flags %d, want an ephemeral message", resp.Type, resp.Data.Flags)
			}
		}},
		{"respond", func() error { return d.Respond(ctx, click, r) }, "POST", "/interactions/" + click.ID + "/" + click.Token + "/callback", true, func(t *testing.T, c fakediscord.Call) {
			if resp := decodeCallback(t, c); resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags != 0 || resp.Data.Content != r.Content {
				t.Errorf("type %d flags %d content %q, want a public message", resp.Type, resp.Data.Flags, resp.Data.Content)
			}
		}},
		{"update", func() error { return d.Update(ctx, click2, r) }, "POST", "/interactions/" + click2.ID + "/" + click2.Token + "/callback", true, func(t *testing.T, c fakediscord.Call) {
			if resp := decodeCallback(t, c); resp.Type != discordgo.InteractionResponseUpdateMessage || len(resp.Data.Embeds) != 1 {
				t.Errorf("type %d, want 7 (update message) with the embed", resp.Type)
			}
			if m := srv.Message(click2.Message.ID); m == nil || m.Content != r.Content {
				t.Errorf("the clicked message is %+v, want it updated", m)
			}
		}},
		{"register", func() error {
			return d.RegisterCommands(ctx, "1000", g, []*discordgo.ApplicationCommand{askCommand(500)})
		}, "PUT", "/applications/1000/guilds/2000/commands", false, func(t *testing.T, c fakediscord.Call) {
			if cmds := srv.Commands(g); len(cmds) != 1 || cmds[0].Name != "ask" {
				t.Errorf("commands %+v", cmds)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(srv.Calls())
			if err := tc.call(); err != nil {
				t.Fatal(err)
			}
			calls := srv.Calls()[before:]
			if len(calls) != 1 {
				t.Fatalf("calls %v, want one", calls)
			}
			c := calls[0]
			if c.Method != tc.method || c.Route() != tc.route || !c.OK() {
				t.Errorf("%s: %s, want %s %s answered with success", c, c.Response, tc.method, tc.route)
			}
			if tc.pings {
				assertNoPings(t, c)
			}
			if strings.Contains(string(c.Body), fakediscord.DefaultToken) {
				t.Errorf("the token is in the body: %s", c.Body)
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}
