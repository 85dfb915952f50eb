package fakediscord_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/askdocs/askdocs/internal/fakediscord"
	"github.com/bwmarrin/discordgo"
)

const waitTimeout = 5 * time.Second

func timeout(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	t.Cleanup(cancel)
	return ctx
}

// newSession returns a real discordgo session attached to srv. intents 0
// keeps discordgo's default (all unprivileged intents).
func newSession(t *testing.T, srv *fakediscord.Server, intents discordgo.Intent) *discordgo.Session {
	t.Helper()
	sess, err := discordgo.New("Bot " + fakediscord.DefaultToken)
	if err != nil {
		t.Fatalf("discordgo.New: %v", err)
	}
	sess.LogLevel = discordgo.LogError
	if intents != 0 {
		sess.Identify.Intents = intents
	}
	srv.Attach(sess)
	return sess
}

func open(t *testing.T, sess *discordgo.Session) {
	t.Helper()
	if err := sess.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
}

// recv waits for a value on ch.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitTimeout):
		var zero T
		t.Fatalf("timed out waiting for %s", what)
		return zero
	}
}

// messages returns a channel fed by the session's MESSAGE_CREATE handler.
func messages(sess *discordgo.Session) <-chan *discordgo.MessageCreate {
	ch := make(chan *discordgo.MessageCreate, 16)
	sess.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { ch <- m })
	return ch
}

func interactions(sess *discordgo.Session) <-chan *discordgo.InteractionCreate {
	ch := make(chan *discordgo.InteractionCreate, 16)
	sess.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { ch <- i })
	return ch
}

func restCode(t *testing.T, err error) (status, code int) {
	t.Helper()
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		t.Fatalf("error %v is not a *discordgo.RESTError", err)
	}
	if re.Message != nil {
		code = re.Message.Code
	}
	return re.Response.StatusCode, code
}

const intentsWithContent = discordgo.IntentsAllWithoutPrivileged | discordgo.IntentMessageContent

func TestOpenReady(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	sess := newSession(t, srv, intentsWithContent)
	guilds := make(chan *discordgo.GuildCreate, 1)
	sess.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) { guilds <- g })
	open(t, sess)
	ctx := timeout(t)
	if err := srv.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	if u := sess.State.User; u == nil || u.ID != fakediscord.BotUserID || u.Username != "askdocs" || !u.Bot {
		t.Errorf("State.User = %+v, want the fake bot user", u)
	}
	if g := recv(t, guilds, "GUILD_CREATE"); g.ID != fakediscord.DefaultGuildID || len(g.Channels) != 1 {
		t.Errorf("GUILD_CREATE = %s with %d channels", g.ID, len(g.Channels))
	}
	if got := srv.Connections(); got != 1 {
		t.Errorf("Connections() = %d, want 1", got)
	}
	id := srv.LastIdentify()
	if id == nil {
		t.Fatal("LastIdentify() = nil")
	}
	if id.Intents != intentsWithContent {
		t.Errorf("identify intents = %d, want %d", id.Intents, intentsWithContent)
	}
	if id.Token != "Bot "+fakediscord.DefaultToken {
		t.Error("identify token is not the session token")
	}
	if err := srv.WaitFor(ctx, func() bool { return heartbeats(srv) > 0 }); err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls()
	if len(calls) == 0 || calls[0].Method != "GET" || calls[0].Route() != "/gateway" || !calls[0].OK() {
		t.Fatalf("first call = %v, want GET /gateway", calls)
	}
	if calls[0].Host != "discord.com" {
		t.Errorf("Host = %q, want discord.com", calls[0].Host)
	}
	if calls[0].Header.Get("Authorization") != "Bot "+fakediscord.DefaultToken {
		t.Error("Authorization header is not the bot token")
	}
}

func TestMessageCreate(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	sess := newSession(t, srv, intentsWithContent)
	got := messages(sess)
	open(t, sess)

	alice := fakediscord.User("4242", "alice")
	sent := srv.SendMessage(fakediscord.MessageOpts{
		ChannelID: fakediscord.DefaultChannelID,
		GuildID:   fakediscord.DefaultGuildID,
		Content:   "<@" + fakediscord.BotUserID + "> how do I install?",
		Author:    alice,
	})
	m := recv(t, got, "MESSAGE_CREATE")
	if m.ID != sent.ID || m.Content != sent.Content || m.Author.ID != "4242" || m.GuildID != fakediscord.DefaultGuildID {
		t.Errorf("received %+v, want %+v", m.Message, sent)
	}
	if len(m.Mentions) != 1 || m.Mentions[0].ID != fakediscord.BotUserID {
		t.Errorf("mentions = %v, want the bot", m.Mentions)
	}
	if m.Member == nil {
		t.Error("guild message has no member")
	}

	dm := srv.SendMessage(fakediscord.MessageOpts{Content: "hi in DM", Author: alice})
	m = recv(t, got, "DM MESSAGE_CREATE")
	if m.ID != dm.ID || m.GuildID != "" || m.Content != "hi in DM" {
		t.Errorf("DM received %+v", m.Message)
	}
	if idA, idB := mustInt(t, sent.ID), mustInt(t, dm.ID); idB <= idA {
		t.Errorf("message IDs not increasing: %d then %d", idA, idB)
	}
	ch, err := sess.Channel(dm.ChannelID)
	if err != nil || ch.Type != discordgo.ChannelTypeDM {
		t.Errorf("Channel(%s) = %+v, %v; want a DM channel", dm.ChannelID, ch, err)
	}
}

func mustInt(t *testing.T, s string) uint64 {
	t.Helper()
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatalf("not a snowflake: %q", s)
	}
	return n
}

func TestMessageContentIntent(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	sess := newSession(t, srv, 0) // discordgo default: no MESSAGE_CONTENT
	got := messages(sess)
	open(t, sess)

	byID := map[string]*discordgo.MessageCreate{}
	plain := srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, Content: "secret"})
	mention := srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, Content: "<@1000> hi"})
	dm := srv.SendMessage(fakediscord.MessageOpts{Content: "dm text"})
	for range 3 {
		m := recv(t, got, "MESSAGE_CREATE")
		byID[m.ID] = m
	}
	if c := byID[plain.ID].Content; c != "" {
		t.Errorf("guild message without MESSAGE_CONTENT intent has content %q", c)
	}
	if c := byID[mention.ID].Content; c != mention.Content {
		t.Errorf("message mentioning the bot has content %q, want %q", c, mention.Content)
	}
	if c := byID[dm.ID].Content; c != dm.Content {
		t.Errorf("DM has content %q, want %q", c, dm.Content)
	}
}

func TestChannelMessageSendComplex(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	sess := newSession(t, srv, 0) // REST only, no gateway needed
	question := srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, Content: "question"})

	send := &discordgo.MessageSend{
		Content: "answer",
		Embeds: []*discordgo.MessageEmbed{{
			Title:       "Install",
			Description: "Run the installer.",
			Fields:      []*discordgo.MessageEmbedField{{Name: "Source", Value: "docs/install.md"}},
		}},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Helpful", Style: discordgo.SuccessButton, CustomID: "feedback:yes"},
			discordgo.Button{Label: "Docs", Style: discordgo.LinkButton, URL: "https://example.com/docs"},
		}}},
		Reference: question.Reference(),
		Files:     []*discordgo.File{{Name: "answer.txt", ContentType: "text/plain", Reader: strings.NewReader("full answer")}},
	}
	msg, err := sess.ChannelMessageSendComplex(fakediscord.DefaultChannelID, send)
	if err != nil {
		t.Fatalf("ChannelMessageSendComplex: %v", err)
	}
	if msg.ID == "" || msg.Author.ID != fakediscord.BotUserID || msg.Content != "answer" || msg.ChannelID != fakediscord.DefaultChannelID {
		t.Errorf("created message = %+v", msg)
	}
	if msg.Type != discordgo.MessageTypeReply || msg.ReferencedMessage == nil || msg.ReferencedMessage.ID != question.ID {
		t.Errorf("reply fields: type %d, referenced %+v", msg.Type, msg.ReferencedMessage)
	}
	if len(msg.Attachments) != 1 || msg.Attachments[0].Filename != "answer.txt" || msg.Attachments[0].Size != len("full answer") {
		t.Errorf("attachments = %+v", msg.Attachments)
	}
	if len(msg.Components) != 1 {
		t.Errorf("components = %v", msg.Components)
	}

	calls, err := srv.WaitCalls(timeout(t), fakediscord.Match("POST", "/channels/*/messages"), 1)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := fakediscord.DecodeMessageSend(calls[0])
	if err != nil {
		t.Fatal(err)
	}
	if dec.Content != "answer" || len(dec.Embeds) != 1 || dec.Embeds[0].Fields[0].Value != "docs/install.md" {
		t.Errorf("decoded = %+v", dec)
	}
	row, ok := dec.Components[0].(*discordgo.ActionsRow)
	if !ok || len(row.Components) != 2 {
		t.Fatalf("decoded components = %#v", dec.Components)
	}
	if b, ok := row.Components[0].(*discordgo.Button); !ok || b.CustomID != "feedback:yes" {
		t.Errorf("first button = %#v", row.Components[0])
	}
	if dec.Reference == nil || dec.Reference.MessageID != question.ID {
		t.Errorf("decoded reference = %+v", dec.Reference)
	}
	if len(dec.Files) != 1 || dec.Files[0].Name != "answer.txt" {
		t.Errorf("decoded files = %+v", dec.Files)
	}

	edited, err := sess.ChannelMessageEdit(fakediscord.DefaultChannelID, msg.ID, "better answer")
	if err != nil {
		t.Fatalf("ChannelMessageEdit: %v", err)
	}
	if edited.Content != "better answer" || edited.EditedTimestamp == nil || len(edited.Embeds) != 1 {
		t.Errorf("edited = %+v", edited)
	}
	if got := srv.Message(msg.ID); got == nil || got.Content != "better answer" {
		t.Errorf("stored message after edit = %+v", got)
	}
	if ms := srv.Messages(fakediscord.DefaultChannelID); len(ms) != 2 || ms[0].ID != question.ID || ms[1].ID != msg.ID {
		t.Errorf("Messages() = %d messages", len(ms))
	}
	if _, err := sess.ChannelMessageEdit(fakediscord.DefaultChannelID, question.ID, "hijack"); err == nil {
		t.Error("editing another user's message succeeded")
	} else if st, code := restCode(t, err); st != http.StatusForbidden || code != 50005 {
		t.Errorf("editing another user's message: status %d code %d", st, code)
	}
}

func TestValidation(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	sess := newSession(t, srv, 0)
	long := func(n int) string { return strings.Repeat("é", n) } // code points, not bytes
	row := func(cs ...discordgo.MessageComponent) []discordgo.MessageComponent {
		return []discordgo.MessageComponent{discordgo.ActionsRow{Components: cs}}
	}
	many := make([]*discordgo.MessageEmbed, 11)
	for i := range many {
		many[i] = &discordgo.MessageEmbed{Description: "x"}
	}
	tests := []struct {
		name string
		msg  *discordgo.MessageSend
		code int
	}{
		{"ok at limits", &discordgo.MessageSend{Content: long(2000), Embeds: []*discordgo.MessageEmbed{{Title: long(256), Description: long(4096)}}}, 0},
		{"content", &discordgo.MessageSend{Content: long(2001)}, 50035},
		{"empty", &discordgo.MessageSend{}, 50006},
		{"embed description", &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Description: long(4097)}}}, 50035},
		{"embed title", &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Title: long(257)}}}, 50035},
		{"field value", &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Fields: []*discordgo.MessageEmbedField{{Name: "n", Value: long(1025)}}}}}, 50035},
		{"embed total", &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Description: long(4000)}, {Description: long(2001)}}}, 50035},
		{"too many embeds", &discordgo.MessageSend{Embeds: many}, 50035},
		{"custom_id", &discordgo.MessageSend{Components: row(discordgo.Button{Label: "b", CustomID: long(101)})}, 50035},
		{"button label", &discordgo.MessageSend{Components: row(discordgo.Button{Label: long(81), CustomID: "b"})}, 50035},
		{"duplicate custom_id", &discordgo.MessageSend{Components: row(discordgo.Button{Label: "a", CustomID: "x"}, discordgo.Button{Label: "b", CustomID: "x"})}, 50035},
		{"button outside row", &discordgo.MessageSend{Components: []discordgo.MessageComponent{discordgo.Button{Label: "a", CustomID: "x"}}}, 50035},
	}
	for _, tc := range tests {
		_, err := sess.ChannelMessageSendComplex(fakediscord.DefaultChannelID, tc.msg)
		if tc.code == 0 {
			if err != nil {
				t.Errorf("%s: unexpected error %v", tc.name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: accepted, want error code %d", tc.name, tc.code)
			continue
		}
		if st, code := restCode(t, err); st != http.StatusBadRequest || code != tc.code {
			t.Errorf("%s: status %d code %d, want 400 code %d", tc.name, st, code, tc.code)
		}
	}
	calls := srv.Calls()
	if len(calls) != len(tests) {
		t.Fatalf("recorded %d calls, want %d", len(calls), len(tests))
	}
	if last := calls[len(calls)-1]; last.Status != 400 || errorCode(last) != 50035 || !bytes.Contains(last.Response, []byte(`"UNION_TYPE_CHOICES"`)) {
		t.Errorf("last call = %v %s", last, last.Response)
	}
}

func TestInteractions(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	sess := newSession(t, srv, 0)
	got := interactions(sess)
	open(t, sess)
	ctx := timeout(t)

	sent := srv.SendSlash(fakediscord.SlashOpts{GuildID: fakediscord.DefaultGuildID, Name: "ask", Options: map[string]string{"question": "how?"}, Locale: "fr"})
	in := recv(t, got, "slash INTERACTION_CREATE").Interaction
	if in.ID != sent.ID || in.Token != sent.Token || in.Type != discordgo.InteractionApplicationCommand || in.Locale != discordgo.French {
		t.Fatalf("interaction = %+v, want %+v", in, sent)
	}
	data := in.ApplicationCommandData()
	if data.Name != "ask" || data.GetOption("question").StringValue() != "how?" || in.Member == nil || in.Member.User.ID != fakediscord.DefaultUserID {
		t.Errorf("command data = %+v, member %+v", data, in.Member)
	}

	// Wrong response type for a slash command.
	err := sess.InteractionRespond(in, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage})
	if st, _ := restCode(t, err); st != http.StatusBadRequest {
		t.Errorf("type 7 for a slash command: status %d, want 400", st)
	}
	resp := &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content: "the answer",
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{Label: "Helpful", CustomID: "feedback:yes"},
			}}},
		},
	}
	if err := sess.InteractionRespond(in, resp); err != nil {
		t.Fatalf("InteractionRespond: %v", err)
	}
	calls, err := srv.WaitCalls(ctx, func(c fakediscord.Call) bool {
		return fakediscord.Match("POST", "/interactions/*/*/callback")(c) && c.OK()
	}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if calls[0].Status != http.StatusNoContent {
		t.Errorf("callback status %d, want 204", calls[0].Status)
	}
	ir, err := fakediscord.DecodeInteractionResponse(calls[0])
	if err != nil {
		t.Fatal(err)
	}
	if ir.Type != discordgo.InteractionResponseChannelMessageWithSource || ir.Data.Content != "the answer" {
		t.Errorf("decoded response = %+v", ir)
	}
	if b := ir.Data.Components[0].(*discordgo.ActionsRow).Components[0].(*discordgo.Button); b.CustomID != "feedback:yes" {
		t.Errorf("decoded button = %+v", b)
	}
	if err := sess.InteractionRespond(in, resp); err == nil {
		t.Error("second response accepted")
	} else if _, code := restCode(t, err); code != 40060 {
		t.Errorf("second response: code %d, want 40060", code)
	}

	content := "edited answer"
	edited, err := sess.InteractionResponseEdit(in, &discordgo.WebhookEdit{Content: &content})
	if err != nil {
		t.Fatalf("InteractionResponseEdit: %v", err)
	}
	if edited.Content != content || len(edited.Components) != 1 {
		t.Errorf("edited original = %+v", edited)
	}
	editCalls, err := srv.WaitCalls(ctx, fakediscord.Match("PATCH", "/webhooks/*/*/messages/@original"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if we, err := fakediscord.DecodeWebhookEdit(editCalls[0]); err != nil || we.Content == nil || *we.Content != content {
		t.Errorf("decoded webhook edit = %+v, %v", we, err)
	}
	follow, err := sess.FollowupMessageCreate(in, true, &discordgo.WebhookParams{Content: "one more thing", Flags: discordgo.MessageFlagsEphemeral})
	if err != nil {
		t.Fatalf("FollowupMessageCreate: %v", err)
	}
	if follow.Flags&discordgo.MessageFlagsEphemeral == 0 || follow.Content != "one more thing" {
		t.Errorf("followup = %+v", follow)
	}
	original := srv.InteractionOriginal(in.ID)
	if original == nil || original.Content != content {
		t.Fatalf("InteractionOriginal = %+v", original)
	}

	// A click on the answer's button, answered by updating the message.
	srv.ClickButton(fakediscord.ButtonOpts{GuildID: fakediscord.DefaultGuildID, CustomID: "feedback:yes", MessageID: original.ID})
	click := recv(t, got, "button INTERACTION_CREATE").Interaction
	if click.Type != discordgo.InteractionMessageComponent || click.MessageComponentData().CustomID != "feedback:yes" ||
		click.Message == nil || click.Message.ID != original.ID || len(click.Message.Components) != 1 {
		t.Fatalf("click = %+v", click)
	}
	err = sess.InteractionRespond(click, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: "thanks!", Components: []discordgo.MessageComponent{}},
	})
	if err != nil {
		t.Fatalf("update message: %v", err)
	}
	if m := srv.Message(original.ID); m.Content != "thanks!" || len(m.Components) != 0 {
		t.Errorf("message after update = %+v", m)
	}

}

func TestRateLimitRetry(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	sess := newSession(t, srv, 0)
	limited := make(chan *discordgo.RateLimit, 1)
	sess.AddHandler(func(_ *discordgo.Session, rl *discordgo.RateLimit) { limited <- rl })

	const retry = 50 * time.Millisecond
	srv.FailNext("/api/v10/channels/", http.StatusTooManyRequests, retry, 1) // version-agnostic prefix
	start := time.Now()
	if _, err := sess.ChannelMessageSend(fakediscord.DefaultChannelID, "hello"); err != nil {
		t.Fatalf("ChannelMessageSend: %v", err)
	}
	if d := time.Since(start); d < retry {
		t.Errorf("discordgo retried after %v, before Retry-After %v", d, retry)
	}
	rl := recv(t, limited, "RateLimit event")
	if rl.RetryAfter != retry {
		t.Errorf("RateLimit.RetryAfter = %v, want %v", rl.RetryAfter, retry)
	}
	calls := srv.Calls()
	if len(calls) != 2 || calls[0].Status != http.StatusTooManyRequests || calls[0].Header.Get("Authorization") == "" {
		t.Fatalf("calls = %v, want a 429 then a success", calls)
	}
	ok := 0
	for _, c := range calls {
		if c.OK() {
			ok++
		}
	}
	if ok != 1 {
		t.Errorf("%d successful calls, want exactly 1", ok)
	}
	if n := len(srv.Messages(fakediscord.DefaultChannelID)); n != 1 {
		t.Errorf("%d messages stored, want 1", n)
	}
}

func TestServerErrors(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	sess := newSession(t, srv, 0)

	// discordgo retries 502 up to MaxRestRetries (3) times.
	srv.FailNext("/channels/", http.StatusBadGateway, 0, 2)
	if _, err := sess.ChannelMessageSend(fakediscord.DefaultChannelID, "a"); err != nil {
		t.Fatalf("after two 502s: %v", err)
	}
	if n := len(srv.Calls()); n != 3 {
		t.Errorf("%d calls after two 502s, want 3", n)
	}
	// It does not retry 500.
	srv.FailNext("", http.StatusInternalServerError, 0, 1)
	_, err := sess.ChannelMessageSend(fakediscord.DefaultChannelID, "b")
	if st, _ := restCode(t, err); st != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", st)
	}
	if _, err := sess.ChannelMessageSend(fakediscord.DefaultChannelID, "c"); err != nil {
		t.Errorf("after the fault: %v", err)
	}
	if n := len(srv.Calls()); n != 5 {
		t.Errorf("%d calls, want 5", n)
	}
}

func TestUnauthorizedAndUnknownRoutes(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	bad, err := discordgo.New("Bot wrong-token")
	if err != nil {
		t.Fatal(err)
	}
	bad.LogLevel = discordgo.LogError
	srv.Attach(bad)
	_, err = bad.User("@me")
	if st, _ := restCode(t, err); st != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", st)
	}
	if err := bad.Open(); err == nil {
		t.Error("Open with a bad token succeeded")
	}
	if n := srv.Identifies(); n != 0 {
		t.Errorf("Identifies() = %d after a bad token", n)
	}

	sess := newSession(t, srv, 0)
	_, err = sess.Request("GET", discordgo.EndpointAPI+"no/such/route", nil)
	if st, _ := restCode(t, err); st != http.StatusNotFound {
		t.Errorf("unknown route: status %d, want 404", st)
	}
	calls, err := srv.WaitCalls(timeout(t), fakediscord.Match("GET", "/no/**"), 1)
	if err != nil {
		t.Fatal(err)
	}
	c := calls[0]
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
		if strings.Contains(s, fakediscord.DefaultToken) {
			t.Errorf("formatted Call leaks the token: %s", s)
		}
	}
	me, err := sess.User("@me")
	if err != nil || me.ID != fakediscord.BotUserID {
		t.Errorf("User(@me) = %+v, %v", me, err)
	}
	dm, err := sess.UserChannelCreate("4242")
	if err != nil || dm.Type != discordgo.ChannelTypeDM {
		t.Errorf("UserChannelCreate = %+v, %v", dm, err)
	}
	if again, _ := sess.UserChannelCreate("4242"); again == nil || again.ID != dm.ID {
		t.Error("UserChannelCreate returned a different channel for the same user")
	}
}

func TestCommands(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	sess := newSession(t, srv, 0)
	minN := 1.0
	cmds := []*discordgo.ApplicationCommand{{
		Name:        "ask",
		Description: "Ask the docs",
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "question", Description: "Your question", Required: true},
			{Type: discordgo.ApplicationCommandOptionInteger, Name: "count", Description: "How many", MinValue: &minN},
			{Type: discordgo.ApplicationCommandOptionBoolean, Name: "public", Description: "Show to all"},
		},
	}}
	created, err := sess.ApplicationCommandBulkOverwrite(fakediscord.ApplicationID, "", cmds)
	if err != nil {
		t.Fatalf("bulk overwrite: %v", err)
	}
	if len(created) != 1 || created[0].ID == "" || created[0].ApplicationID != fakediscord.ApplicationID {
		t.Fatalf("created = %+v", created)
	}
	again, err := sess.ApplicationCommandBulkOverwrite(fakediscord.ApplicationID, "", cmds)
	if err != nil || again[0].ID != created[0].ID {
		t.Errorf("re-registering changed the ID: %+v, %v", again, err)
	}
	calls, err := srv.WaitCalls(timeout(t), fakediscord.Match("PUT", "/applications/*/commands"), 2)
	if err != nil {
		t.Fatal(err)
	}
	var dec []*discordgo.ApplicationCommand
	if err := json.Unmarshal(calls[0].Body, &dec); err != nil || len(dec) != 1 || dec[0].Name != "ask" {
		t.Errorf("decoded = %+v, %v", dec, err)
	}
	if _, err := sess.ApplicationCommandCreate(fakediscord.ApplicationID, fakediscord.DefaultGuildID, &discordgo.ApplicationCommand{Name: "Bad Name", Description: "x"}); err == nil {
		t.Error("invalid command name accepted")
	}
	if _, err := sess.ApplicationCommandCreate(fakediscord.ApplicationID, fakediscord.DefaultGuildID, &discordgo.ApplicationCommand{Name: "reindex", Description: "Rebuild"}); err != nil {
		t.Errorf("guild command: %v", err)
	}
	if n := len(srv.Commands(fakediscord.DefaultGuildID)); n != 1 {
		t.Errorf("%d guild commands, want 1", n)
	}

	// Registered option types are applied to SendSlash values.
	in := srv.SendSlash(fakediscord.SlashOpts{Name: "ask", Options: map[string]string{"question": "q", "count": "3", "public": "true"}})
	data := in.ApplicationCommandData()
	if data.ID != created[0].ID || data.GetOption("count").IntValue() != 3 || !data.GetOption("public").BoolValue() {
		t.Errorf("slash data = %+v", data)
	}

	// Interactions can be answered over REST alone, without a gateway.
	ac := srv.SendSlash(fakediscord.SlashOpts{Name: "ask", Options: map[string]string{"question": "inst"}, Focused: "question"})
	if ac.Type != discordgo.InteractionApplicationCommandAutocomplete || !ac.ApplicationCommandData().GetOption("question").Focused {
		t.Errorf("autocomplete interaction = %+v", ac)
	}
	choices := &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "install", Value: "install"}}},
	}
	if err := sess.InteractionRespond(ac, choices); err != nil {
		t.Errorf("autocomplete result: %v", err)
	}
	modal := &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: "report", Title: "Report a problem", Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.TextInput{CustomID: "what", Label: "What went wrong?", Style: discordgo.TextInputParagraph},
			}},
		}},
	}
	if err := sess.InteractionRespond(in, modal); err != nil {
		t.Errorf("modal: %v", err)
	}
	sub := srv.SendSlash(fakediscord.SlashOpts{Name: "ask", Options: map[string]string{"question": "later"}})
	err = sess.InteractionRespond(sub, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
	})
	if err != nil {
		t.Fatalf("deferring: %v", err)
	}
	if orig, err := sess.InteractionResponse(sub); err != nil || orig.Flags&discordgo.MessageFlagsLoading == 0 {
		t.Errorf("deferred original = %+v, %v", orig, err)
	}
	content := "Thanks for the report."
	if orig, err := sess.InteractionResponseEdit(sub, &discordgo.WebhookEdit{Content: &content}); err != nil ||
		orig.Flags&discordgo.MessageFlagsLoading != 0 || orig.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("edited deferred original = %+v, %v", orig, err)
	}
}

// reconnectCase closes the socket some way and checks how discordgo gets
// back. Each case takes about two seconds because discordgo's Close sleeps
// one second (once in the reconnect, once at cleanup).
func TestReconnect(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		breakIt  func(*fakediscord.Server)
		resumed  bool // RESUME accepted, so missed events are replayed
		identify int
	}{
		{"close 4000 resumes", func(s *fakediscord.Server) { s.CloseGateway(fakediscord.CloseUnknownError) }, true, 1},
		{"abrupt close resumes", func(s *fakediscord.Server) { s.CloseGateway(0) }, true, 1},
		{"op 7 resumes", func(s *fakediscord.Server) { s.RequestReconnect() }, true, 1},
		{"close 4009 re-identifies", func(s *fakediscord.Server) { s.CloseGateway(fakediscord.CloseSessionTimedOut) }, false, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := fakediscord.New(t)
			sess := newSession(t, srv, intentsWithContent)
			got := messages(sess)
			open(t, sess)
			ctx := timeout(t)

			tc.breakIt(srv)
			var during *discordgo.Message
			if tc.resumed && tc.name != "op 7 resumes" {
				// Sent while disconnected: replayed on RESUME.
				during = srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, Content: "during"})
			}
			if err := srv.WaitConnections(ctx, 2); err != nil {
				t.Fatal(err)
			}
			if got, want := srv.Identifies(), tc.identify; got != want {
				t.Errorf("Identifies() = %d, want %d", got, want)
			}
			if tc.resumed && srv.Resumes() != 1 {
				t.Errorf("Resumes() = %d, want 1", srv.Resumes())
			}
			if during != nil {
				if m := recv(t, got, "replayed message"); m.ID != during.ID {
					t.Errorf("replayed %s, want %s", m.ID, during.ID)
				}
			}
			after := srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, Content: "after"})
			if m := recv(t, got, "message after reconnect"); m.ID != after.ID || m.Content != "after" {
				t.Errorf("after reconnect got %+v", m.Message)
			}
		})
	}
}

func TestInvalidateSession(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	sess := newSession(t, srv, intentsWithContent)
	readies := make(chan *discordgo.Ready, 2)
	sess.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { readies <- r })
	got := messages(sess)
	open(t, sess)
	first := recv(t, readies, "first READY")

	srv.InvalidateSession(false)
	second := recv(t, readies, "second READY")
	if first.SessionID == second.SessionID {
		t.Error("new READY reused the session ID")
	}
	if srv.Identifies() != 2 || srv.Connections() != 2 || srv.OpenConnections() != 1 {
		t.Errorf("identifies %d, connections %d, open sockets %d; want 2, 2, 1", srv.Identifies(), srv.Connections(), srv.OpenConnections())
	}
	m := srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, Content: "still here"})
	if r := recv(t, got, "message after op 9"); r.ID != m.ID {
		t.Errorf("got %s, want %s", r.ID, m.ID)
	}
}

// TestReopenAfterClose documents discordgo's behaviour: Close sends close
// code 1000, which ends the session on Discord's side, but discordgo keeps
// the session ID, so a later Open sends RESUME, gets op 9 and identifies.
func TestReopenAfterClose(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	sess := newSession(t, srv, intentsWithContent)
	got := messages(sess)
	open(t, sess)
	ctx := timeout(t)
	// Closing before discordgo's first heartbeat races its heartbeat
	// goroutine into a spurious reconnect, so wait for it.
	if err := srv.WaitFor(ctx, func() bool { return heartbeats(srv) > 0 }); err != nil {
		t.Fatal(err)
	}
	if err := sess.Close(); err != nil {
		t.Fatal(err)
	}
	open(t, sess) // returns after op 9; READY follows
	if err := srv.WaitConnections(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if srv.Identifies() != 2 || srv.Resumes() != 0 {
		t.Errorf("identifies %d, resumes %d; want 2, 0", srv.Identifies(), srv.Resumes())
	}
	m := srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, Content: "again"})
	if r := recv(t, got, "message after reopening"); r.ID != m.ID {
		t.Errorf("got %s, want %s", r.ID, m.ID)
	}
}

func TestShards(t *testing.T) {
	t.Parallel()
	g0 := strconv.FormatUint(2<<22, 10) // (id >> 22) % 2 == 0
	g1 := strconv.FormatUint(3<<22, 10) // (id >> 22) % 2 == 1
	srv := fakediscord.NewWithOptions(t, fakediscord.Options{Guilds: []*discordgo.Guild{{ID: g0, Name: "zero"}, {ID: g1, Name: "one"}}})

	type shard struct {
		sess   *discordgo.Session
		mu     sync.Mutex
		events []string
		notify chan struct{}
	}
	shards := make([]*shard, 2)
	for i := range shards {
		sh := &shard{sess: newSession(t, srv, intentsWithContent), notify: make(chan struct{}, 16)}
		sh.sess.ShardID, sh.sess.ShardCount = i, 2
		sh.sess.SyncEvents = true // handlers run in arrival order
		sh.sess.AddHandler(func(_ *discordgo.Session, e *discordgo.Event) {
			if e.Type == "READY" {
				return
			}
			var id struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(e.RawData, &id); err != nil {
				t.Errorf("decoding %s: %v", e.Type, err)
			}
			sh.mu.Lock()
			sh.events = append(sh.events, e.Type+":"+id.ID)
			sh.mu.Unlock()
			select {
			case sh.notify <- struct{}{}:
			default:
			}
		})
		shards[i] = sh
	}
	for _, sh := range shards {
		open(t, sh.sess)
	}
	// Close both sessions at once: each discordgo Close sleeps a second.
	t.Cleanup(func() {
		var wg sync.WaitGroup
		for _, sh := range shards {
			wg.Add(1)
			go func() { defer wg.Done(); sh.sess.Close() }()
		}
		wg.Wait()
	})
	if n := srv.Identifies(); n != 2 {
		t.Fatalf("Identifies() = %d, want 2", n)
	}
	if sh := srv.LastIdentify().Shard; sh == nil || sh[1] != 2 {
		t.Errorf("LastIdentify().Shard = %v", sh)
	}
	m1 := srv.SendMessage(fakediscord.MessageOpts{GuildID: g1, ChannelID: "77", Content: "for shard 1"})
	dm := srv.SendMessage(fakediscord.MessageOpts{Content: "DMs go to shard 0"})
	// One last message per shard: anything misrouted arrives before it.
	end0 := srv.SendMessage(fakediscord.MessageOpts{GuildID: g0, ChannelID: "76", Content: "end of shard 0"})
	end1 := srv.SendMessage(fakediscord.MessageOpts{GuildID: g1, ChannelID: "77", Content: "end of shard 1"})

	want := [][]string{
		{"GUILD_CREATE:" + g0, "MESSAGE_CREATE:" + dm.ID, "MESSAGE_CREATE:" + end0.ID},
		{"GUILD_CREATE:" + g1, "MESSAGE_CREATE:" + m1.ID, "MESSAGE_CREATE:" + end1.ID},
	}
	for i, sh := range shards {
		for {
			sh.mu.Lock()
			n := len(sh.events)
			sh.mu.Unlock()
			if n >= len(want[i]) {
				break
			}
			recv(t, sh.notify, fmt.Sprintf("shard %d events", i))
		}
	}
	for i, sh := range shards {
		sh.mu.Lock()
		got := strings.Join(sh.events, " ")
		sh.mu.Unlock()
		if got != strings.Join(want[i], " ") {
			t.Errorf("shard %d got %q, want %q", i, got, strings.Join(want[i], " "))
		}
	}
}

func TestEchoOwnMessages(t *testing.T) {
	t.Parallel()
	srv := fakediscord.NewWithOptions(t, fakediscord.Options{EchoOwnMessages: true})
	sess := newSession(t, srv, intentsWithContent)
	got := messages(sess)
	open(t, sess)
	sent, err := sess.ChannelMessageSend(fakediscord.DefaultChannelID, "my own words")
	if err != nil {
		t.Fatal(err)
	}
	if m := recv(t, got, "echo"); m.ID != sent.ID || m.Author.ID != fakediscord.BotUserID || m.GuildID != fakediscord.DefaultGuildID {
		t.Errorf("echo = %+v", m.Message)
	}
}

// TestNoGoroutineLeak runs a full session against a fake and checks that
// once both are closed the goroutine count is back to where it was. It is
// not parallel so other tests do not add noise.
func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Run("session", func(t *testing.T) {
		srv := fakediscord.New(t)
		sess := newSession(t, srv, intentsWithContent)
		got := messages(sess)
		open(t, sess)
		srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, Content: "hi"})
		recv(t, got, "message")
		if _, err := sess.ChannelMessageSend(fakediscord.DefaultChannelID, "bye"); err != nil {
			t.Fatal(err)
		}
		if err := sess.Close(); err != nil {
			t.Fatal(err)
		}
		// The fake shuts down in the subtest's cleanup.
	})
	deadline := time.Now().Add(waitTimeout)
	for {
		n := runtime.NumGoroutine()
		if n <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines after close, %d before:\n%s", n, before, buf)
		}
		time.Sleep(10 * time.Millisecond) // polling a condition that has no event to wait on
	}
}

// heartbeats counts the heartbeats (op 1) clients sent.
func heartbeats(srv *fakediscord.Server) int {
	n := 0
	for _, m := range srv.GatewayReceived() {
		if m.Op == 1 {
			n++
		}
	}
	return n
}

// errorCode returns the Discord JSON error code in a failed call's
// response (e.g. 50035 for Invalid Form Body), or 0.
func errorCode(c fakediscord.Call) int {
	var v struct {
		Code int `json:"code"`
	}
	if json.Unmarshal(c.Response, &v) != nil {
		return 0
	}
	return v.Code
}
