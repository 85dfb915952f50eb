package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/bwmarrin/discordgo"
	"github.com/prometheus/client_golang/prometheus"
)

// IDs the handler tests use: the bot's user, a guild and its channel.
const (
	testBotID   = "1000"
	testGuild   = "2000"
	testChannel = "3000"
)

// call is one call the handlers made on Discord.
type call struct {
	op          string                 // send, typing, respond, update, defer or edit
	to          *discordgo.Message     // send: the message replied to
	channelID   string                 // typing
	interaction *discordgo.Interaction // respond, update, defer, edit
	reply       Reply                  // send, respond, update, edit
}

// handlerTest runs a Bot's handlers on a fakeDiscord, with no gateway and
// no session, and records every call they make. Questions are handed to
// the handlers as the gateway would, and ask waits until they are done.
type handlerTest struct {
	t     *testing.T
	bot   *Bot
	d     *fakeDiscord
	clock *fakeClock
	logs  *syncBuffer
	reg   *prometheus.Registry
	searchRecorder

	mu    sync.Mutex // guards what follows
	calls []call
	fail  map[string][]error // op → errors the next calls return
	ids   int
}

// newHandlerTest returns a bot configured by cfg that searches with
// search (nil: answerFor), with a fake clock, debug logs and metrics.
func newHandlerTest(t *testing.T, cfg Config, search func(ctx context.Context, q string, k int) (retrieval.Answer, error)) *handlerTest {
	t.Helper()
	h := &handlerTest{t: t, clock: newFakeClock(), logs: &syncBuffer{}, reg: prometheus.NewRegistry(), fail: map[string][]error{}}
	s := h.searcher(search)
	metrics, err := NewMetrics(h.reg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Token = "test-token"
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.bot, err = New(cfg, s, log, WithClock(h.clock.Now), WithMetrics(metrics))
	if err != nil {
		t.Fatal(err)
	}
	h.bot.setBotID(testBotID)
	h.d = &fakeDiscord{
		SendFn: func(_ context.Context, m *discordgo.Message, r Reply) error {
			return h.record(call{op: "send", to: m, reply: r})
		},
		TypingFn: func(_ context.Context, channelID string) error {
			return h.record(call{op: "typing", channelID: channelID})
		},
		RespondFn: func(_ context.Context, i *discordgo.Interaction, r Reply) error {
			return h.record(call{op: "respond", interaction: i, reply: r})
		},
		UpdateFn: func(_ context.Context, i *discordgo.Interaction, r Reply) error {
			return h.record(call{op: "update", interaction: i, reply: r})
		},
		DeferFn: func(_ context.Context, i *discordgo.Interaction) error {
			return h.record(call{op: "defer", interaction: i})
		},
		EditFn: func(_ context.Context, i *discordgo.Interaction, r Reply) error {
			return h.record(call{op: "edit", interaction: i, reply: r})
		},
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("bot logs:\n%s", h.logs.String())
		}
	})
	return h
}

// record keeps c and returns the error queued for its op, if any.
func (h *handlerTest) record(c call) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, c)
	if errs := h.fail[c.op]; len(errs) > 0 {
		h.fail[c.op] = errs[1:]
		return errs[0]
	}
	return nil
}

// failNext makes the next call of op return err.
func (h *handlerTest) failNext(op string, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fail[op] = append(h.fail[op], err)
}

// of returns the calls of op so far.
func (h *handlerTest) of(op string) []call {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []call
	for _, c := range h.calls {
		if c.op == op {
			out = append(out, c)
		}
	}
	return out
}

func (h *handlerTest) nextID() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ids++
	return fmt.Sprint(9000 + h.ids)
}

// ask hands m to the message handler as MESSAGE_CREATE and waits until
// the work it started is done. Unset fields take defaults: a new ID,
// channel testChannel, a human author, the default message type.
func (h *handlerTest) ask(m *discordgo.Message) *discordgo.Message {
	h.t.Helper()
	if m.ID == "" {
		m.ID = h.nextID()
	}
	if m.ChannelID == "" {
		m.ChannelID = testChannel
	}
	if m.Author == nil {
		m.Author = &discordgo.User{ID: "4000", Username: "docs-reader"}
	}
	h.bot.onMessageCreate(h.d, &discordgo.MessageCreate{Message: m})
	h.bot.inflight.Wait()
	return m
}

// interact hands i to the interaction handler and waits until the work it
// started is done. Unset fields take defaults: a new ID and token, the
// bot's application, channel testChannel.
func (h *handlerTest) interact(i *discordgo.Interaction) *discordgo.Interaction {
	h.t.Helper()
	if i.ID == "" {
		i.ID = h.nextID()
		i.Token = "token-" + i.ID
	}
	if i.AppID == "" {
		i.AppID = testBotID
	}
	if i.ChannelID == "" {
		i.ChannelID = testChannel
	}
	h.bot.onInteractionCreate(h.d, &discordgo.InteractionCreate{Interaction: i})
	h.bot.inflight.Wait()
	return i
}

// slash invokes /ask question in the guild, by user (nil: a default user)
// in locale.
func (h *handlerTest) slash(user *discordgo.User, locale, question string) *discordgo.Interaction {
	h.t.Helper()
	if user == nil {
		user = &discordgo.User{ID: "4000", Username: "docs-reader"}
	}
	return h.interact(&discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand, GuildID: testGuild, Locale: discordgo.Locale(locale),
		Member: &discordgo.Member{User: user},
		Data: discordgo.ApplicationCommandInteractionData{Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "question", Type: discordgo.ApplicationCommandOptionString, Value: question},
		}},
	})
}

// click clicks the button customID on message msg, by user (nil: a default
// user) in locale.
func (h *handlerTest) click(user *discordgo.User, locale, customID string, msg *discordgo.Message) *discordgo.Interaction {
	h.t.Helper()
	if user == nil {
		user = &discordgo.User{ID: "4000", Username: "docs-reader"}
	}
	return h.interact(&discordgo.Interaction{
		Type: discordgo.InteractionMessageComponent, GuildID: testGuild, Locale: discordgo.Locale(locale),
		Member:  &discordgo.Member{User: user},
		Message: msg,
		Data:    discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.ButtonComponent},
	})
}

// reply checks that the bot sent n messages so far, the n-th a reply to
// m, and returns it.
func (h *handlerTest) reply(n int, m *discordgo.Message) Reply {
	h.t.Helper()
	sends := h.of("send")
	if len(sends) != n {
		h.t.Fatalf("%d messages sent, want %d", len(sends), n)
	}
	if c := sends[n-1]; c.to != m {
		h.t.Fatalf("message %d replies to %+v, want %s", n, c.to, m.ID)
	}
	return sends[n-1].reply
}

// response checks that the handlers made n calls of op so far, the n-th
// for interaction i, and returns its reply.
func (h *handlerTest) response(op string, n int, i *discordgo.Interaction) Reply {
	h.t.Helper()
	calls := h.of(op)
	if len(calls) != n {
		h.t.Fatalf("%d %s calls, want %d", len(calls), op, n)
	}
	if c := calls[n-1]; c.interaction != i {
		h.t.Fatalf("%s %d answers interaction %+v, want %s", op, n, c.interaction, i.ID)
	}
	return calls[n-1].reply
}

func (h *handlerTest) metric(name string, labels ...string) float64 {
	h.t.Helper()
	return metricValue(h.t, h.reg, name, labels...)
}

// embedText returns the description of r's one embed.
func embedText(t *testing.T, r Reply) string {
	t.Helper()
	if len(r.Embeds) != 1 {
		t.Fatalf("%d embeds, want 1: %+v", len(r.Embeds), r)
	}
	return r.Embeds[0].Description
}

// buttonIDs lists the custom IDs of r's buttons.
func buttonIDs(r Reply) []string {
	var ids []string
	for _, row := range r.Rows {
		for _, b := range row {
			ids = append(ids, b.CustomID)
		}
	}
	return ids
}

func guildMessage(content string) *discordgo.Message {
	return &discordgo.Message{GuildID: testGuild, Content: content}
}

func TestHandleKeyword(t *testing.T) {
	t.Parallel()
	h := newHandlerTest(t, Config{}, nil)
	h.ask(guildMessage("!asking Lào is not a question"))
	h.ask(guildMessage("Lào, no keyword"))
	m := h.ask(guildMessage("!ASK Thủ tướng Lào?"))
	r := h.reply(1, m)
	if d := embedText(t, r); !strings.Contains(d, wantCitation) {
		t.Errorf("description lacks the citation:\n%s", d)
	}
	if got := h.searched(); len(got) != 1 || got[0] != "Thủ tướng Lào?" {
		t.Errorf("searched %q", got)
	}
	// A bare keyword gets the one-line usage hint, without a search.
	m = h.ask(guildMessage("!ask"))
	r = h.reply(2, m)
	if !strings.Contains(r.Content, "`!ask làm sao để đổi mật khẩu?`") || strings.Contains(r.Content, "\n") || len(r.Embeds) != 0 {
		t.Errorf("usage hint = %q", r.Content)
	}
	if n := len(h.searched()); n != 1 {
		t.Errorf("%d searches, want 1", n)
	}
	if calls := h.of("typing"); len(calls) != 0 {
		t.Errorf("typing for fast searches: %v", calls)
	}
}

func TestHandleDirectMessage(t *testing.T) {
	t.Parallel()
	h := newHandlerTest(t, Config{Lang: "en"}, nil)
	m := h.ask(&discordgo.Message{ChannelID: "3100", Content: "Thủ tướng Lào?"})
	r := h.reply(1, m)
	if d := embedText(t, r); !strings.Contains(d, wantCitation) || !strings.Contains(d, "↳ also in:") {
		t.Errorf("description:\n%s", d)
	}
	if f := r.Embeds[0].Footer; f != "Page 1/2 · results 1–3 of 5" {
		t.Errorf("footer = %q", f)
	}
	if logs := h.logs.String(); !strings.Contains(logs, "trigger=dm guild=\"\" channel=3100 outcome=answered") {
		t.Errorf("no answered DM in the logs:\n%s", logs)
	}
}

func TestHandleIgnoredAuthors(t *testing.T) {
	t.Parallel()
	h := newHandlerTest(t, Config{}, nil)
	h.ask(&discordgo.Message{GuildID: testGuild, Content: "<@1000> Lào?", Author: &discordgo.User{ID: "5000", Username: "otherbot", Bot: true}})
	h.ask(&discordgo.Message{GuildID: testGuild, Content: "<@1000> Lào?", Author: &discordgo.User{ID: testBotID, Username: "askdocs", Bot: true}})
	h.ask(&discordgo.Message{GuildID: testGuild, Content: "<@1000> Lào?", WebhookID: "6000"})
	h.ask(&discordgo.Message{Content: "Lào?", Author: &discordgo.User{ID: "5001", Username: "dmbot", Bot: true}})
	h.ask(&discordgo.Message{GuildID: testGuild, Content: "<@1000> Lào?", Author: &discordgo.User{ID: "5002", Username: "system", System: true}})
	h.ask(&discordgo.Message{GuildID: testGuild, Content: "<@1000> Lào?", Type: discordgo.MessageTypeGuildMemberJoin})
	m := h.ask(guildMessage("<@1000> Lào?"))
	h.reply(1, m)
	if n := len(h.searched()); n != 1 {
		t.Errorf("%d searches, want 1 (only the human's)", n)
	}
}

func TestHandleTooLong(t *testing.T) {
	t.Parallel()
	h := newHandlerTest(t, Config{}, nil)
	m := h.ask(guildMessage("<@1000> " + strings.Repeat("hỏi?", 1250)))
	if r := h.reply(1, m); !strings.Contains(r.Content, "(5000 ký tự, tối đa 500)") {
		t.Errorf("content = %q", r.Content)
	}
	if n := len(h.searched()); n != 0 {
		t.Errorf("searched %d times for a question over the limit", n)
	}
	if got := h.metric("askdocs_bot_replies_total", "outcome", "too_long"); got != 1 {
		t.Errorf("replies{too_long} = %v, want 1", got)
	}
}

func TestHandleAbstention(t *testing.T) {
	t.Parallel()
	h := newHandlerTest(t, Config{}, nil)
	m := h.ask(guildMessage("<@1000> giá vé máy bay?"))
	r := h.reply(1, m)
	d := embedText(t, r)
	for _, want := range []string{"Tài liệu không có thông tin để trả lời câu hỏi này.", "Tài liệu có nói về:\n• Diễn đàn Tương lai ASEAN\n• Quan hệ Việt Nam – Lào"} {
		if !strings.Contains(d, want) {
			t.Errorf("description lacks %q:\n%s", want, d)
		}
	}
	if len(r.Rows) != 0 {
		t.Errorf("abstention has buttons: %v", r.Rows)
	}
	if !strings.Contains(h.logs.String(), "outcome=abstained") {
		t.Error("no abstention in the logs")
	}
}

func TestHandleSearchErrorAndPanic(t *testing.T) {
	t.Parallel()
	n := 0 // the questions are asked one at a time
	h := newHandlerTest(t, Config{}, func(_ context.Context, q string, _ int) (retrieval.Answer, error) {
		n++
		switch n {
		case 1:
			return retrieval.Answer{}, errors.New("index corrupted")
		case 2:
			panic("searcher bug")
		}
		return answerFor(q), nil
	})
	for i := 1; i <= 3; i++ {
		m := h.ask(guildMessage("<@1000> Lào?"))
		r := h.reply(i, m)
		if i < 3 && !strings.HasPrefix(r.Content, "Xin lỗi, đã có lỗi") {
			t.Errorf("reply %d = %q", i, r.Content)
		}
		if i == 3 && len(r.Embeds) != 1 {
			t.Errorf("the bot did not recover: %+v", r)
		}
	}
	if logs := h.logs.String(); !strings.Contains(logs, "index corrupted") || !strings.Contains(logs, "searcher bug") {
		t.Errorf("errors not logged:\n%s", logs)
	}
	if got := h.metric("askdocs_bot_replies_total", "outcome", "error"); got != 2 {
		t.Errorf("replies{error} = %v, want 2", got)
	}
}

func TestHandleRateLimit(t *testing.T) {
	t.Parallel()
	h := newHandlerTest(t, Config{}, nil)
	user := &discordgo.User{ID: "4321", Username: "eager"}
	for i := 1; i <= 6; i++ {
		m := h.ask(&discordgo.Message{GuildID: testGuild, Author: user, Content: fmt.Sprintf("<@1000> Lào %d?", i)})
		r := h.reply(i, m)
		if i == 6 && (r.Content != "Bạn hỏi hơi nhanh — hãy thử lại sau 30 giây nhé." || len(r.Embeds) != 0) {
			t.Errorf("6th reply = %q", r.Content)
		}
	}
	// A 7th refused question gets no second notice.
	h.ask(&discordgo.Message{GuildID: testGuild, Author: user, Content: "<@1000> Lào 7?"})
	if n := len(h.of("send")); n != 6 {
		t.Errorf("%d messages sent, want 6", n)
	}
	if n := len(h.searched()); n != 5 {
		t.Errorf("%d searches, want 5", n)
	}
	// Another user is not limited; the first user is again after the window.
	m := h.ask(guildMessage("<@1000> Lào?"))
	h.reply(7, m)
	h.clock.Advance(30 * time.Second)
	m = h.ask(&discordgo.Message{GuildID: testGuild, Author: user, Content: "<@1000> Lào again?"})
	if r := h.reply(8, m); len(r.Embeds) != 1 {
		t.Errorf("still limited after the window: %q", r.Content)
	}
}

func TestHandleSlash(t *testing.T) {
	t.Parallel()
	h := newHandlerTest(t, Config{}, nil)
	i := h.slash(nil, "en-US", "Thủ tướng Lào dự diễn đàn nào? <@4001>")
	h.response("defer", 1, i)
	r := h.response("edit", 1, i)
	if d := embedText(t, r); !strings.Contains(d, wantCitation) || r.Embeds[0].Footer != "Page 1/2 · results 1–3 of 5" || r.Ephemeral {
		t.Errorf("answer: %+v", r)
	}
	if got := h.searched(); len(got) != 1 || got[0] != "Thủ tướng Lào dự diễn đàn nào?" {
		t.Errorf("searched %q", got)
	}

	// Problems get an immediate ephemeral note, without deferring.
	i = h.slash(nil, "en-GB", strings.Repeat("x", 600))
	r = h.response("respond", 1, i)
	if !r.Ephemeral || !strings.Contains(r.Content, "too long (600 characters, at most 500)") {
		t.Errorf("too-long response = %+v", r)
	}
	if n := len(h.of("defer")); n != 1 {
		t.Errorf("%d defers, want 1", n)
	}

	// If the deferral fails there is nothing to edit: the failure is
	// logged and counted.
	h.failNext("defer", errors.New("HTTP 404 Not Found, Unknown interaction"))
	h.slash(nil, "vi", "Lào?")
	if n := len(h.of("edit")); n != 1 {
		t.Errorf("%d edits, want only the first", n)
	}
	if got := h.metric("askdocs_bot_discord_errors_total", "op", "interaction_defer"); got != 1 {
		t.Errorf("discord_errors{interaction_defer} = %v, want 1", got)
	}
	if n := len(h.searched()); n != 1 {
		t.Errorf("%d searches, want 1", n)
	}
}

func TestHandleSlashRateLimited(t *testing.T) {
	t.Parallel()
	h := newHandlerTest(t, Config{RateLimit: 1}, nil)
	h.slash(nil, "vi", "Lào?")
	i := h.slash(nil, "vi", "Lào?")
	r := h.response("respond", 1, i)
	if !r.Ephemeral || !strings.Contains(r.Content, "thử lại sau 30 giây") {
		t.Errorf("rate-limited response = %+v", r)
	}
	if n := len(h.of("defer")); n != 1 {
		t.Errorf("%d defers, want 1", n)
	}
}

// askAndGetButtons asks by mention, as user, and returns the reply as
// Discord stores it (for clicks on it) and its buttons.
func (h *handlerTest) askAndGetButtons(user *discordgo.User) (*discordgo.Message, []string) {
	h.t.Helper()
	m := h.ask(&discordgo.Message{GuildID: testGuild, Author: user, Content: "<@1000> Thủ tướng Lào?"})
	r := h.reply(1, m)
	sent := &discordgo.Message{ID: "8000", ChannelID: m.ChannelID, GuildID: m.GuildID, Author: &discordgo.User{ID: testBotID, Bot: true}}
	return sent, buttonIDs(r)
}

// TestHandleButtonPages checks who sees which page: the asker pages the
// reply itself in its language, anyone else gets the page as an ephemeral
// message in their own language, and paging an ephemeral copy updates it.
func TestHandleButtonPages(t *testing.T) {
	t.Parallel()
	h := newHandlerTest(t, Config{}, nil)
	asker := &discordgo.User{ID: "4100", Username: "asker"}
	msg, ids := h.askAndGetButtons(asker)
	more := findID(t, ids, "more:")
	if !strings.HasSuffix(more, ":1") {
		t.Fatalf("more button %q does not lead to page 2", more)
	}

	i := h.click(asker, "en-US", more, msg)
	r := h.response("update", 1, i)
	d := embedText(t, r)
	if !strings.Contains(d, "\\[4\\] Bài 4 — `003_d932ee720da55863.txt:20`") || !strings.Contains(d, "\\[5\\] Bài 5") || strings.Contains(d, "\\[1\\]") {
		t.Errorf("page 2:\n%s", d)
	}
	if f := r.Embeds[0].Footer; f != "Trang 2/2 · kết quả 4–5 trên 5" || r.Ephemeral {
		t.Errorf("footer %q ephemeral %v (the message keeps its language)", f, r.Ephemeral)
	}
	if back := findID(t, buttonIDs(r), "more:"); !strings.HasSuffix(back, ":0") {
		t.Errorf("page 2 buttons %v: want a way back to page 1", buttonIDs(r))
	}

	i = h.click(&discordgo.User{ID: "4200", Username: "bystander"}, "en-US", more, msg)
	r = h.response("respond", 1, i)
	if !r.Ephemeral || r.Embeds[0].Footer != "Page 2/2 · results 4–5 of 5" {
		t.Errorf("bystander got ephemeral %v footer %q, want an ephemeral message in English", r.Ephemeral, r.Embeds[0].Footer)
	}

	copyMsg := &discordgo.Message{ID: "8001", ChannelID: msg.ChannelID, Flags: discordgo.MessageFlagsEphemeral}
	back := findID(t, buttonIDs(r), "more:")
	i = h.click(&discordgo.User{ID: "4200", Username: "bystander"}, "en-US", back, copyMsg)
	r = h.response("update", 2, i)
	if !r.Ephemeral || r.Embeds[0].Footer != "Page 1/2 · results 1–3 of 5" {
		t.Errorf("ephemeral copy updated to ephemeral %v footer %q, want page 1, still ephemeral", r.Ephemeral, r.Embeds[0].Footer)
	}
	if n := len(h.searched()); n != 1 {
		t.Errorf("%d searches, want 1: paging must not search again", n)
	}
	if got := h.metric("askdocs_bot_button_clicks_total", "kind", "more", "state", "ok"); got != 3 {
		t.Errorf("clicks{more, ok} = %v, want 3", got)
	}
}

func TestHandleFullPassage(t *testing.T) {
	t.Parallel()
	h := newHandlerTest(t, Config{}, nil)
	msg, ids := h.askAndGetButtons(nil)
	i := h.click(nil, "vi", findID(t, ids, "full:"), msg)
	r := h.response("respond", 1, i)
	if !r.Ephemeral {
		t.Error("the passage is not ephemeral")
	}
	e := r.Embeds[0]
	if e.Description != "Đoạn đầy đủ số 1.\nThủ tướng Lào tham dự Diễn đàn Tương lai ASEAN tại Hà Nội." {
		t.Errorf("passage = %q", e.Description)
	}
	if e.Footer != "📄 002_4e688d011fa420cf.txt:17 · cũng có trong: 000_da11b861e531a3f8.txt:13" {
		t.Errorf("footer = %q", e.Footer)
	}
	if e.Author != "[1] Bài 1" {
		t.Errorf("author = %q", e.Author)
	}
}

func TestHandleExpiredButton(t *testing.T) {
	t.Parallel()
	h := newHandlerTest(t, Config{ButtonTTL: 2 * time.Minute}, nil)
	msg, ids := h.askAndGetButtons(nil)
	h.clock.Advance(2 * time.Minute)
	for n, id := range []string{findID(t, ids, "more:"), findID(t, ids, "full:"), "more:ffffffffffffffff:1", "full:" + testState + ":7", "garbage"} {
		i := h.click(nil, "vi", id, msg)
		r := h.response("respond", n+1, i)
		if !r.Ephemeral {
			t.Errorf("%s: not ephemeral", id)
		}
		if r.Content != "Nút này đã hết hạn (mình chỉ nhớ kết quả trong 2 phút). Bạn hãy hỏi lại nhé!" {
			t.Errorf("%s: content %q", id, r.Content)
		}
	}
	if calls := h.of("update"); len(calls) != 0 {
		t.Errorf("an expired click changed the message: %v", calls)
	}
	if got := h.metric("askdocs_bot_button_clicks_total", "kind", "unknown", "state", "expired"); got != 1 {
		t.Errorf("clicks{unknown, expired} = %v, want 1", got)
	}
}

func TestHandleDiscordErrorsAreSurvived(t *testing.T) {
	t.Parallel()
	h := newHandlerTest(t, Config{}, nil)
	h.failNext("send", errors.New("HTTP 500 Internal Server Error"))
	first := h.ask(guildMessage("<@1000> Lào?"))
	h.reply(1, first)
	if !strings.Contains(h.logs.String(), "discord API call failed") {
		t.Error("the failure was not logged")
	}
	if got := h.metric("askdocs_bot_discord_errors_total", "op", "send_message"); got != 1 {
		t.Errorf("discord_errors{send_message} = %v, want 1", got)
	}
	// Later questions are answered.
	m := h.ask(guildMessage("<@1000> Lào?"))
	if r := h.reply(2, m); len(r.Embeds) != 1 {
		t.Errorf("reply = %+v", r)
	}
}

func TestHandleHostileInput(t *testing.T) {
	t.Parallel()
	h := newHandlerTest(t, Config{RateLimit: 100}, nil)
	inputs := []struct {
		content string
		search  bool // whether a search is expected
		want    string
	}{
		{"<@1000>", false, "`!ask làm sao để đổi mật khẩu?`"},
		{"<@1000>    \t  ", false, "`!ask"},
		{"<@1000> \u200b\u200b\ufeff\u202e", false, "`!ask"},
		{"<@1000> <@1000> <@!1000>", false, "`!ask"},
		{"<@1000> " + strings.Repeat("Lào\x00\u200b ", 20000), false, "tối đa 500"},
		{"<@1000> Lào\x01\x02\x1b[31m đỏ", true, ""},
		{"<@1000> שלום Lào مرحبا 👨\u200d👩\u200d👧 🇻🇳", true, ""},
		{"<@1000> **Lào** __x__ ||y|| `z` > q # h [a](https://b.c)", true, ""},
		{"<@1000> +Lào -Campuchia title:\"x\" * ? ~ ^2 AND OR NOT (", true, ""},
		{"<@1000> L\xffào", true, ""},
	}
	searches := 0
	for i, in := range inputs {
		m := h.ask(guildMessage(in.content))
		r := h.reply(i+1, m)
		if in.search {
			searches++
			if len(r.Embeds) != 1 {
				t.Errorf("input %d: no answer: %q", i, r.Content)
			}
		} else if !strings.Contains(r.Content, in.want) {
			t.Errorf("input %d: reply %q lacks %q", i, r.Content, in.want)
		}
		if n := len(h.searched()); n != searches {
			t.Fatalf("input %d: %d searches, want %d", i, n, searches)
		}
	}
	for _, q := range h.searched() {
		if strings.ContainsAny(q, "\x00\x01\x1b\u200b") || strings.Contains(q, "<@") {
			t.Errorf("searched unsanitized %q", q)
		}
	}
	if strings.Contains(h.logs.String(), "panicked") {
		t.Error("a handler panicked")
	}
}

func TestHandleTypingForSlowSearch(t *testing.T) {
	t.Parallel()
	h := newHandlerTest(t, Config{}, func(_ context.Context, q string, _ int) (retrieval.Answer, error) {
		time.Sleep(typingDelay + 400*time.Millisecond)
		return answerFor(q), nil
	})
	m := h.ask(guildMessage("<@1000> Lào?"))
	if typing := h.of("typing"); len(typing) != 1 || typing[0].channelID != testChannel {
		t.Errorf("typing calls %+v, want one in %s", typing, testChannel)
	}
	h.reply(1, m)
}

// TestRegisterCommands checks where /ask is registered, and that a
// failure is logged and counted, not fatal.
func TestRegisterCommands(t *testing.T) {
	t.Parallel()
	me := &discordgo.User{ID: testBotID, Username: "askdocs", Bot: true}
	for _, tc := range []struct {
		name       string
		guildID    string
		appID      string
		me         *discordgo.User
		fail       error
		wantApp    string // "" for no call
		wantLog    string
		wantErrors float64
	}{
		{"global", "", "1001", me, nil, "1001", "msg=\"bot: registered /ask\" scope=global", 0},
		{"guild", testGuild, "1001", me, nil, "1001", "scope=\"guild 2000\"", 0},
		{"application is the bot user", "", "", me, nil, testBotID, "scope=global", 0},
		{"no application", "", "", nil, nil, "", "no application ID in READY; /ask is not available", 0},
		{"refused", "", "1001", me, errors.New("HTTP 403 Forbidden"), "1001", "level=ERROR msg=\"bot: register commands: /ask is not available\" scope=global err=\"HTTP 403 Forbidden\"", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHandlerTest(t, Config{GuildID: tc.guildID, MaxQuestion: 300}, nil)
			type reg struct {
				appID, guildID string
				cmds           []*discordgo.ApplicationCommand
			}
			var got []reg
			d := &fakeDiscord{RegisterCommandsFn: func(_ context.Context, appID, guildID string, cmds []*discordgo.ApplicationCommand) error {
				got = append(got, reg{appID, guildID, cmds})
				return tc.fail
			}}
			h.bot.registerCommands(context.Background(), d, tc.appID, tc.me)
			switch {
			case tc.wantApp == "" && len(got) != 0:
				t.Errorf("registered %+v, want nothing", got)
			case tc.wantApp != "" && (len(got) != 1 || got[0].appID != tc.wantApp || got[0].guildID != tc.guildID):
				t.Errorf("registered %+v, want app %s guild %q", got, tc.wantApp, tc.guildID)
			case tc.wantApp != "" && (len(got[0].cmds) != 1 || got[0].cmds[0].Name != "ask" || got[0].cmds[0].Options[0].MaxLength != 300):
				t.Errorf("commands %+v, want /ask with questions up to 300 characters", got[0].cmds)
			}
			if logs := h.logs.String(); !strings.Contains(logs, tc.wantLog) {
				t.Errorf("logs lack %q:\n%s", tc.wantLog, logs)
			}
			if n := h.metric("askdocs_bot_discord_errors_total", "op", "register_commands"); n != tc.wantErrors {
				t.Errorf("discord_errors{register_commands} = %v, want %v", n, tc.wantErrors)
			}
		})
	}
}
