package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/askdocs/askdocs/internal/syncbuf"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/askdocs/askdocs/internal/fakediscord"
	"github.com/askdocs/askdocs/retrieval"
	"github.com/bwmarrin/discordgo"
	"github.com/prometheus/client_golang/prometheus"
)

// waitTimeout bounds every wait: generous, because CI machines (and -race)
// can be slow.
const waitTimeout = 30 * time.Second

// syncBuffer collects logs written from many goroutines.
type syncBuffer = syncbuf.Buffer

// harness runs a Bot against a fake Discord.
type harness struct {
	t     *testing.T
	srv   *fakediscord.Server
	bot   *Bot
	clock *fakeClock
	logs  *syncBuffer
	reg   *prometheus.Registry
	searchRecorder

	cancel context.CancelFunc
	done   chan error
}

// answerFor is the default search: five results for anything mentioning
// "Lào", an abstention otherwise.
func answerFor(q string) retrieval.Answer {
	if !strings.Contains(strings.ToLower(q), "lào") {
		return retrieval.Answer{Question: q, Suggestions: []string{"Diễn đàn Tương lai ASEAN", "Quan hệ Việt Nam – Lào"}}
	}
	a := retrieval.Answer{Question: q, Answered: true}
	srcs := []string{"002_4e688d011fa420cf.txt", "000_da11b861e531a3f8.txt", "001_0ee21f08bc6a023e.txt", "003_d932ee720da55863.txt", "004_2b285149d3990448.txt"}
	for i, src := range srcs {
		ex := fmt.Sprintf("Kết quả %d: Thủ tướng Lào tham dự Diễn đàn Tương lai ASEAN.", i+1)
		st := strings.Index(ex, "Thủ tướng Lào")
		r := retrieval.Result{
			ID: fmt.Sprintf("%s:%d", src, 17+i), Source: src, Line: 17 + i, EndLine: 17 + i,
			Title: fmt.Sprintf("Bài %d", i+1), Excerpt: ex,
			Highlights: []retrieval.Span{{Start: st, End: st + len("Thủ tướng Lào")}},
			Text:       fmt.Sprintf("Đoạn đầy đủ số %d.\nThủ tướng Lào tham dự Diễn đàn Tương lai ASEAN tại Hà Nội.", i+1),
		}
		if i == 0 {
			r.Also = []retrieval.Location{{Source: "000_da11b861e531a3f8.txt", Line: 13, EndLine: 13}}
		}
		a.Results = append(a.Results, r)
	}
	return a
}

func start(t *testing.T, cfg Config, search func(ctx context.Context, q string, k int) (retrieval.Answer, error)) *harness {
	t.Helper()
	return startWith(t, fakediscord.Options{}, cfg, search)
}

// startWith is start against a fake Discord configured by opts.
func startWith(t *testing.T, opts fakediscord.Options, cfg Config, search func(ctx context.Context, q string, k int) (retrieval.Answer, error)) *harness {
	t.Helper()
	h := &harness{
		t:     t,
		srv:   fakediscord.NewWithOptions(t, opts),
		clock: newFakeClock(),
		logs:  &syncBuffer{},
		done:  make(chan error, 1),
	}
	s := h.searcher(search)
	cfg.Token = fakediscord.DefaultToken
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.reg = prometheus.NewRegistry()
	metrics, err := NewMetrics(h.reg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(cfg, s, log, WithSessionHook(h.srv.Attach), WithClock(h.clock.Now), WithMetrics(metrics))
	if err != nil {
		t.Fatal(err)
	}
	h.bot = b
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- b.Run(ctx) }()
	t.Cleanup(func() {
		h.stop()
		if strings.Contains(h.logs.String(), fakediscord.DefaultToken) {
			t.Errorf("the token appears in the logs:\n%s", h.logs.String())
		}
		if t.Failed() {
			t.Logf("bot logs:\n%s", h.logs.String())
		}
	})
	wctx, wcancel := context.WithTimeout(context.Background(), waitTimeout)
	defer wcancel()
	if err := h.srv.WaitReady(wctx); err != nil {
		t.Fatal(err)
	}
	// /ask is registered once the bot is up.
	if _, err := h.srv.WaitCalls(wctx, fakediscord.Match("PUT", "/applications/*/**"), 1); err != nil {
		t.Fatal(err)
	}
	for !b.Ready() {
		if wctx.Err() != nil {
			t.Fatal("bot never became ready")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return h
}

// stop cancels Run and waits for it, once.
func (h *harness) stop() {
	h.cancel()
	select {
	case err, ok := <-h.done:
		if ok && err != nil {
			h.t.Errorf("Run: %v", err)
		}
		if ok {
			close(h.done)
		}
	case <-time.After(waitTimeout):
		h.t.Error("Run did not return after cancel")
	}
}

// metric returns the value of a counter (or a histogram's sample count)
// with the given label values.
func (h *harness) metric(name string, labels ...string) float64 {
	h.t.Helper()
	return metricValue(h.t, h.reg, name, labels...)
}

// metricValue returns the value in reg of a counter (or a histogram's
// sample count) with the given label values.
func metricValue(t testing.TB, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, lp := range m.GetLabel() {
					found = found || (lp.GetName() == labels[i] && lp.GetValue() == labels[i+1])
				}
				if !found {
					continue next
				}
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			if hs := m.GetHistogram(); hs != nil {
				return float64(hs.GetSampleCount())
			}
		}
	}
	return 0
}

// waitLog waits until the logs contain s.
func (h *harness) waitLog(s string) {
	h.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !strings.Contains(h.logs.String(), s) {
		if time.Now().After(deadline) {
			h.t.Fatalf("the logs never contained %q", s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (h *harness) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	h.t.Cleanup(cancel)
	return ctx
}

var (
	postMessage = fakediscord.Match("POST", "/channels/*/messages")
	callback    = fakediscord.Match("POST", "/interactions/*/*/callback")
	editOrig    = fakediscord.Match("PATCH", "/webhooks/*/*/messages/@original")
)

// waitN waits for n calls matching pred and returns them.
func (h *harness) waitN(pred func(fakediscord.Call) bool, n int) []fakediscord.Call {
	h.t.Helper()
	calls, err := h.srv.WaitCalls(h.ctx(), pred, n)
	if err != nil {
		h.t.Fatal(err)
	}
	return calls
}

// settle waits a little and asserts there are exactly n calls matching
// pred (to check that nothing more was sent).
func (h *harness) settle(pred func(fakediscord.Call) bool, n int) []fakediscord.Call {
	h.t.Helper()
	time.Sleep(150 * time.Millisecond)
	var got []fakediscord.Call
	for _, c := range h.srv.Calls() {
		if pred(c) {
			got = append(got, c)
		}
	}
	if len(got) != n {
		h.t.Fatalf("%d matching calls, want %d: %v", len(got), n, got)
	}
	return got
}

// reply waits for the n-th message the bot posts and checks it is a reply
// to m that pings nobody.
func (h *harness) reply(n int, m *discordgo.Message) (fakediscord.Call, discordgo.MessageSend) {
	h.t.Helper()
	c := h.waitN(postMessage, n)[n-1]
	if want := "/channels/" + m.ChannelID + "/messages"; c.Route() != want {
		h.t.Errorf("reply posted to %s, want %s", c.Route(), want)
	}
	if !c.OK() {
		h.t.Errorf("fake Discord refused the reply: %d %s", c.Status, c.Response)
	}
	ms, err := fakediscord.DecodeMessageSend(c)
	if err != nil {
		h.t.Fatal(err)
	}
	ref := ms.Reference
	if ref == nil || ref.MessageID != m.ID || ref.ChannelID != m.ChannelID || ref.FailIfNotExists == nil || *ref.FailIfNotExists {
		h.t.Errorf("message_reference = %+v, want a reply to %s that tolerates its deletion", ref, m.ID)
	}
	assertNoPings(h.t, c)
	return c, ms
}

// assertNoPings asserts the call's JSON body has allowed_mentions {"parse": []}
// (at the top level or under "data") and no live mass mention.
func assertNoPings(t *testing.T, c fakediscord.Call) {
	t.Helper()
	payload, err := fakediscord.Payload(c)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		AllowedMentions *struct {
			Parse       *[]string `json:"parse"`
			RepliedUser bool      `json:"replied_user"`
		} `json:"allowed_mentions"`
		Data *struct {
			AllowedMentions *struct {
				Parse *[]string `json:"parse"`
			} `json:"allowed_mentions"`
		} `json:"data"`
	}
	if err := json.Unmarshal(payload, &body); err != nil {
		t.Fatalf("%s: %v", c, err)
	}
	var parse *[]string
	switch {
	case body.AllowedMentions != nil:
		parse = body.AllowedMentions.Parse
		if body.AllowedMentions.RepliedUser {
			t.Errorf("%s: replied_user is true", c)
		}
	case body.Data != nil && body.Data.AllowedMentions != nil:
		parse = body.Data.AllowedMentions.Parse
	}
	if parse == nil || len(*parse) != 0 {
		t.Errorf("%s: allowed_mentions.parse is not an empty list: %s", c, payload)
	}
	low := strings.ToLower(string(payload))
	for _, m := range []string{"@everyone", "@here"} {
		if strings.Contains(low, m) {
			t.Errorf("%s: live %s in %s", c, m, payload)
		}
	}
}

func description(t *testing.T, embeds []*discordgo.MessageEmbed) string {
	t.Helper()
	if len(embeds) != 1 {
		t.Fatalf("%d embeds, want 1", len(embeds))
	}
	return embeds[0].Description
}

// customIDs lists the buttons' custom IDs.
func customIDs(comps []discordgo.MessageComponent) []string {
	var ids []string
	for _, c := range comps {
		if row, ok := c.(*discordgo.ActionsRow); ok {
			for _, b := range row.Components {
				if btn, ok := b.(*discordgo.Button); ok {
					ids = append(ids, btn.CustomID)
				}
			}
		}
	}
	return ids
}

func findID(t *testing.T, ids []string, prefix string) string {
	t.Helper()
	for _, id := range ids {
		if strings.HasPrefix(id, prefix) {
			return id
		}
	}
	t.Fatalf("no button %s… among %v", prefix, ids)
	return ""
}

// messageID returns the ID of the message a successful call created.
func messageID(t *testing.T, c fakediscord.Call) string {
	t.Helper()
	var m struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(c.Response, &m); err != nil || m.ID == "" {
		t.Fatalf("no message in the response of %s: %s", c, c.Response)
	}
	return m.ID
}

const wantCitation = "\\[1\\] Bài 1 — `002_4e688d011fa420cf.txt:17`"

func TestE2EMention(t *testing.T) {
	t.Parallel()
	h := start(t, Config{}, nil)
	if id := h.srv.LastIdentify(); id == nil || id.Intents != Intents {
		t.Errorf("identified with %+v, want intents %d", id, Intents)
	}
	for i, content := range []string{"<@1000> Thủ tướng Lào dự diễn đàn nào?", "<@!1000>   Thủ tướng Lào dự diễn đàn nào?"} {
		m := h.srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, Content: content})
		_, ms := h.reply(i+1, m)
		d := description(t, ms.Embeds)
		for _, want := range []string{
			"> Kết quả 1: **Thủ tướng Lào** tham dự Diễn đàn Tương lai ASEAN.\n" + wantCitation + "\n↳ cũng có trong: `000_da11b861e531a3f8.txt:13`",
			"\\[3\\] Bài 3 — `001_0ee21f08bc6a023e.txt:19`",
		} {
			if !strings.Contains(d, want) {
				t.Errorf("description lacks %q:\n%s", want, d)
			}
		}
		if strings.Contains(d, "[4]") {
			t.Errorf("first page shows result 4:\n%s", d)
		}
		if a := ms.Embeds[0].Author; a == nil || a.Name != "❓ Thủ tướng Lào dự diễn đàn nào?" {
			t.Errorf("author = %+v", a)
		}
		if f := ms.Embeds[0].Footer; f == nil || f.Text != "Trang 1/2 · kết quả 1–3 trên 5" {
			t.Errorf("footer = %+v", f)
		}
		ids := customIDs(ms.Components)
		if len(ids) != 4 {
			t.Errorf("buttons %v, want 3 full passages and More results", ids)
		}
	}
	got := h.searched()
	if len(got) != 2 || got[0] != "Thủ tướng Lào dự diễn đàn nào?" || got[1] != got[0] {
		t.Errorf("searched %q", got)
	}
	if ks := h.ks(); ks[0] != 9 {
		t.Errorf("k = %d, want 3 pages of 3", ks[0])
	}
	h.waitLog("trigger=mention guild=2000 channel=3000 outcome=answered results=5")
	// Commands are registered globally without GuildID.
	if c := h.waitN(fakediscord.Match("PUT", "/applications/*/**"), 1)[0]; c.Route() != "/applications/1000/commands" {
		t.Errorf("registered with %s, want global", c)
	}
	if got := h.metric("askdocs_bot_questions_total", "trigger", "mention"); got != 2 {
		t.Errorf("questions{mention} = %v, want 2", got)
	}
	if got := h.metric("askdocs_bot_replies_total", "outcome", "answered"); got != 2 {
		t.Errorf("replies{answered} = %v, want 2", got)
	}
	if got := h.metric("askdocs_bot_search_duration_seconds"); got != 2 {
		t.Errorf("search latency samples = %v, want 2", got)
	}
}

func TestE2ENoPings(t *testing.T) {
	t.Parallel()
	h := start(t, Config{}, func(_ context.Context, q string, _ int) (retrieval.Answer, error) {
		a := answerFor("lào")
		a.Results[0].Excerpt = "Docs say @everyone and @here and <@4000> and <@&77> **must** read [this](https://evil.example)."
		a.Results[0].Highlights = nil
		return a, nil
	})
	m := h.srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID,
		Content: "<@1000> @everyone @here <@&77> <@4001> what is Lào?"})
	c, ms := h.reply(1, m)
	if got := h.searched(); len(got) != 1 || got[0] != "@everyone @here what is Lào?" {
		t.Errorf("searched %q", got)
	}
	body := string(c.Body)
	for _, bad := range []string{"<@4000>", "<@&77>", "<@4001>", "[this](https"} {
		if strings.Contains(body, bad) {
			t.Errorf("reply contains raw %q: %s", bad, body)
		}
	}
	if d := description(t, ms.Embeds); !strings.Contains(d, `\<@4000\>`) || !strings.Contains(d, "@\u200beveryone") {
		t.Errorf("description:\n%s", d)
	}
	// The fake derives mentions from the stored reply: there must be none.
	for _, sent := range h.srv.Messages(fakediscord.DefaultChannelID) {
		if sent.Author != nil && sent.Author.ID == fakediscord.BotUserID && (len(sent.Mentions) > 0 || sent.MentionEveryone) {
			t.Errorf("bot message mentions %v (everyone %v)", sent.Mentions, sent.MentionEveryone)
		}
	}
}

func TestE2ESlashCommand(t *testing.T) {
	t.Parallel()
	h := start(t, Config{GuildID: fakediscord.DefaultGuildID}, nil)
	reg := h.waitN(fakediscord.Match("PUT", "/applications/*/**"), 1)[0]
	if reg.Route() != "/applications/1000/guilds/2000/commands" || !reg.OK() {
		t.Errorf("registered with %s", reg)
	}
	cmds := h.srv.Commands(fakediscord.DefaultGuildID)
	if len(cmds) != 1 || cmds[0].Name != "ask" || cmds[0].Options[0].Name != "question" ||
		(*cmds[0].DescriptionLocalizations)[discordgo.Vietnamese] != "Hỏi một câu về tài liệu" ||
		cmds[0].Options[0].NameLocalizations[discordgo.Vietnamese] != "câu-hỏi" {
		t.Fatalf("commands = %+v", cmds)
	}

	for i, tc := range []struct{ locale, footer string }{{"vi", "Trang 1/2 · kết quả 1–3 trên 5"}, {"en-US", "Page 1/2 · results 1–3 of 5"}} {
		it := h.srv.SendSlash(fakediscord.SlashOpts{GuildID: fakediscord.DefaultGuildID, Locale: tc.locale, Name: "ask",
			Options: map[string]string{"question": "Thủ tướng Lào dự diễn đàn nào? @everyone"}})
		cb := h.waitN(callback, i+1)[i]
		if cb.Route() != "/interactions/"+it.ID+"/"+it.Token+"/callback" {
			t.Errorf("callback %s", cb.Route())
		}
		resp, err := fakediscord.DecodeInteractionResponse(cb)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Errorf("first response type %d, want 5 (deferred)", resp.Type)
		}
		assertNoPings(t, cb)
		ed := h.waitN(editOrig, i+1)[i]
		if ed.Route() != "/webhooks/1000/"+it.Token+"/messages/@original" || !ed.OK() {
			t.Errorf("edit %s: %s", ed, ed.Response)
		}
		assertNoPings(t, ed)
		we, err := fakediscord.DecodeWebhookEdit(ed)
		if err != nil {
			t.Fatal(err)
		}
		if we.Embeds == nil || len(*we.Embeds) != 1 {
			t.Fatalf("edit has no embed: %s", ed.Body)
		}
		e := (*we.Embeds)[0]
		if !strings.Contains(e.Description, wantCitation) || e.Footer == nil || e.Footer.Text != tc.footer {
			t.Errorf("embed: %s / %+v", e.Description, e.Footer)
		}
		if e.Author == nil || !strings.Contains(e.Author.Name, "@\u200beveryone") {
			t.Errorf("author = %+v", e.Author)
		}
		if orig := h.srv.InteractionOriginal(it.ID); orig == nil || len(orig.Embeds) != 1 || orig.Flags&discordgo.MessageFlagsEphemeral != 0 {
			t.Errorf("original response = %+v", orig)
		}
	}
	h.waitLog("trigger=slash")

	// Problems get an immediate ephemeral note, without deferring.
	h.srv.SendSlash(fakediscord.SlashOpts{GuildID: fakediscord.DefaultGuildID, Locale: "en-GB", Name: "ask",
		Options: map[string]string{"question": strings.Repeat("x", 600)}})
	cb := h.waitN(callback, 3)[2]
	resp, err := fakediscord.DecodeInteractionResponse(cb)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 ||
		!strings.Contains(resp.Data.Content, "too long (600 characters, at most 500)") {
		t.Errorf("too-long response = %d %+v", resp.Type, resp.Data)
	}
	assertNoPings(t, cb)
	if n := len(h.searched()); n != 2 {
		t.Errorf("%d searches, want 2", n)
	}
}

// askAndGetButtons asks by mention and returns the reply's message ID and
// buttons.
func askAndGetButtons(h *harness, user *discordgo.User) (string, []string) {
	h.t.Helper()
	m := h.srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, Author: user, Content: "<@1000> Thủ tướng Lào?"})
	c, ms := h.reply(1, m)
	return messageID(h.t, c), customIDs(ms.Components)
}

func decodeCallback(t *testing.T, c fakediscord.Call) discordgo.InteractionResponse {
	t.Helper()
	if !c.OK() {
		t.Errorf("fake Discord refused %s: %s", c, c.Response)
	}
	assertNoPings(t, c)
	resp, err := fakediscord.DecodeInteractionResponse(c)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Data == nil {
		t.Fatalf("callback without data: %s", c.Body)
	}
	return resp
}

func TestE2EMoreResults(t *testing.T) {
	t.Parallel()
	h := start(t, Config{}, nil)
	asker := fakediscord.User("4100", "asker")
	msgID, ids := askAndGetButtons(h, asker)
	more := findID(t, ids, "more:")
	if !strings.HasSuffix(more, ":1") {
		t.Fatalf("more button %q does not lead to page 2", more)
	}

	// The asker pages the reply itself.
	h.srv.ClickButton(fakediscord.ButtonOpts{GuildID: fakediscord.DefaultGuildID, User: asker, Locale: "en-US", CustomID: more, MessageID: msgID})
	resp := decodeCallback(t, h.waitN(callback, 1)[0])
	if resp.Type != discordgo.InteractionResponseUpdateMessage {
		t.Errorf("response type %d, want 7 (update message)", resp.Type)
	}
	d := description(t, resp.Data.Embeds)
	if !strings.Contains(d, "\\[4\\] Bài 4 — `003_d932ee720da55863.txt:20`") || !strings.Contains(d, "\\[5\\] Bài 5") || strings.Contains(d, "\\[1\\]") {
		t.Errorf("page 2:\n%s", d)
	}
	if f := resp.Data.Embeds[0].Footer; f == nil || f.Text != "Trang 2/2 · kết quả 4–5 trên 5" {
		t.Errorf("footer %+v (the message keeps its language)", f)
	}
	if stored := h.srv.Message(msgID); stored == nil || !strings.Contains(stored.Embeds[0].Description, "\\[4\\]") {
		t.Error("the message was not updated")
	}
	back := findID(t, customIDs(resp.Data.Components), "more:")
	if !strings.HasSuffix(back, ":0") {
		t.Errorf("page 2 buttons %v: want a way back to page 1", customIDs(resp.Data.Components))
	}

	// Someone else gets the page for themselves only, in their language.
	h.srv.ClickButton(fakediscord.ButtonOpts{GuildID: fakediscord.DefaultGuildID, User: fakediscord.User("4200", "bystander"), Locale: "en-US", CustomID: more, MessageID: msgID})
	resp = decodeCallback(t, h.waitN(callback, 2)[1])
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("bystander got type %d flags %d, want an ephemeral message", resp.Type, resp.Data.Flags)
	}
	if f := resp.Data.Embeds[0].Footer; f == nil || f.Text != "Page 2/2 · results 4–5 of 5" {
		t.Errorf("bystander footer %+v", f)
	}
	if n := len(h.searched()); n != 1 {
		t.Errorf("%d searches, want 1: paging must not search again", n)
	}
}

func TestE2EGracefulShutdown(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	h := start(t, Config{ShutdownTimeout: 20 * time.Second}, func(_ context.Context, q string, _ int) (retrieval.Answer, error) {
		started <- struct{}{}
		<-release
		return answerFor(q), nil
	})
	m := h.srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, Content: "<@1000> Lào?"})
	<-started
	h.cancel()
	for h.bot.Ready() {
		time.Sleep(5 * time.Millisecond)
	}
	// Questions after shutdown began are not taken.
	h.srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, Content: "<@1000> Lào again?"})
	time.Sleep(100 * time.Millisecond)
	close(release)
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
		close(h.done)
	case <-time.After(waitTimeout):
		t.Fatal("Run did not return")
	}
	// The in-flight question was answered before Run returned.
	h.reply(1, m)
	h.settle(postMessage, 1)
	if n := len(h.searched()); n != 1 {
		t.Errorf("%d searches, want 1", n)
	}
}

func TestE2EShutdownTimeout(t *testing.T) {
	t.Parallel()
	h := start(t, Config{ShutdownTimeout: 200 * time.Millisecond}, func(ctx context.Context, _ string, _ int) (retrieval.Answer, error) {
		<-ctx.Done() // a search that never finishes by itself
		return retrieval.Answer{}, ctx.Err()
	})
	h.srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, Content: "<@1000> Lào?"})
	for len(h.searched()) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	h.cancel()
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
		close(h.done)
	case <-time.After(waitTimeout):
		t.Fatal("Run did not return")
	}
	if took := time.Since(start); took > 8*time.Second {
		t.Errorf("shutdown took %v with a 200ms timeout", took)
	}
	if !strings.Contains(h.logs.String(), "shutdown timeout") {
		t.Error("no shutdown timeout warning")
	}
}

func TestE2EShardRegistersNoCommands(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	b, err := New(Config{Token: fakediscord.DefaultToken, ShardID: 1, ShardCount: 2},
		fakeSearcher{SearchFn: func(_ context.Context, q string, _ int) (retrieval.Answer, error) { return answerFor(q), nil }},
		nil, WithSessionHook(srv.Attach))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	wctx, wcancel := context.WithTimeout(context.Background(), waitTimeout)
	defer wcancel()
	if err := srv.WaitReady(wctx); err != nil {
		t.Fatal(err)
	}
	for !b.Ready() {
		if wctx.Err() != nil {
			t.Fatal("never ready")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if id := srv.LastIdentify(); id == nil || id.Shard == nil || *id.Shard != [2]int{1, 2} {
		t.Errorf("identify shard = %+v", id)
	}
	time.Sleep(100 * time.Millisecond)
	for _, c := range srv.Calls() {
		if strings.Contains(c.Path, "/commands") {
			t.Errorf("shard 1 registered commands: %s", c)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
	if b.Ready() {
		t.Error("still ready after Run returned")
	}
}

func TestE2EBadToken(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	const token = "wrong-but-secret-token"
	b, err := New(Config{Token: token},
		fakeSearcher{SearchFn: func(_ context.Context, q string, _ int) (retrieval.Answer, error) { return answerFor(q), nil }},
		nil, WithSessionHook(srv.Attach))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	err = b.Run(ctx)
	if err == nil {
		t.Fatal("Run succeeded with a bad token")
	}
	if strings.Contains(err.Error(), token) {
		t.Errorf("error leaks the token: %v", err)
	}
}
