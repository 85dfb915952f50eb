package fakediscord_test

import (
	"errors"
	"testing"

	"github.com/askdocs/askdocs/internal/fakediscord"
	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// TestDeniedIntents checks that an IDENTIFY asking for a denied privileged
// intent is closed with 4014, as Discord does, and that the same session
// can then connect without it.
func TestDeniedIntents(t *testing.T) {
	t.Parallel()
	srv := fakediscord.NewWithOptions(t, fakediscord.Options{DeniedIntents: discordgo.IntentMessageContent})
	sess := newSession(t, srv, intentsWithContent)
	err := sess.Open()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != fakediscord.CloseDisallowedIntents {
		t.Fatalf("Open with a denied intent = %v, want a close error %d", err, fakediscord.CloseDisallowedIntents)
	}
	if n := srv.Identifies(); n != 0 {
		t.Errorf("Identifies() = %d after a refused IDENTIFY, want 0", n)
	}
	refused := 0
	for _, m := range srv.GatewayReceived() {
		if m.Op == 2 {
			refused++
		}
	}
	if refused != 1 {
		t.Errorf("%d IDENTIFY payloads received, want 1", refused)
	}

	sess.Identify.Intents = discordgo.IntentsAllWithoutPrivileged
	got := messages(sess)
	open(t, sess)
	if id := srv.LastIdentify(); id == nil || id.Intents&discordgo.IntentMessageContent != 0 {
		t.Fatalf("accepted IDENTIFY = %+v, want one without Message Content", id)
	}
	// Without the intent, mentions still carry their content.
	m := srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, Content: "<@" + fakediscord.BotUserID + "> hi"})
	if r := recv(t, got, "mention"); r.ID != m.ID || r.Content != m.Content {
		t.Errorf("got %+v, want the mention with its content", r.Message)
	}
}
