package bot

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/askdocs/askdocs/internal/fakediscord"
	"github.com/askdocs/askdocs/retrieval"
	"github.com/bwmarrin/discordgo"
)

// eventually polls cond until it holds, failing the test after
// waitTimeout. It is for state with no event to wait on (the bot's, the
// searcher's); the fake's state is better waited on with srv.WaitFor.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// replyCalls returns the reply POSTs (successful or not) that reference
// the message with ID id.
func replyCalls(t *testing.T, srv *fakediscord.Server, id string) []fakediscord.Call {
	t.Helper()
	var out []fakediscord.Call
	for _, c := range srv.Calls() {
		if !postMessage(c) {
			continue
		}
		ms, err := fakediscord.DecodeMessageSend(c)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if ms.Reference != nil && ms.Reference.MessageID == id {
			out = append(out, c)
		}
	}
	return out
}

// okCount counts the successful calls among calls.
func okCount(calls []fakediscord.Call) int {
	n := 0
	for _, c := range calls {
		if c.OK() {
			n++
		}
	}
	return n
}

// waitAnswered waits for a successful reply to m and returns it.
func (h *harness) waitAnswered(m *discordgo.Message) fakediscord.Call {
	h.t.Helper()
	var got fakediscord.Call
	err := h.srv.WaitFor(h.ctx(), func() bool {
		for _, c := range replyCalls(h.t, h.srv, m.ID) {
			if c.OK() {
				got = c
				return true
			}
		}
		return false
	})
	if err != nil {
		h.t.Fatalf("no reply to %q: %v", m.Content, err)
	}
	return got
}

// assertRepliesOnce checks that each of msgs got exactly one reply POST,
// and that it succeeded.
func (h *harness) assertRepliesOnce(msgs ...*discordgo.Message) {
	h.t.Helper()
	time.Sleep(150 * time.Millisecond) // let a duplicate, if any, arrive
	for _, m := range msgs {
		calls := replyCalls(h.t, h.srv, m.ID)
		if len(calls) != 1 || !calls[0].OK() {
			h.t.Errorf("replies to %q: %v, want exactly one successful POST", m.Content, calls)
		}
	}
}

// logLine returns the first log line containing s, or "".
func (h *harness) logLine(s string) string {
	for _, l := range strings.Split(h.logs.String(), "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// ask sends a guild message to channelID.
func (h *harness) ask(channelID, content string) *discordgo.Message {
	return h.srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, ChannelID: channelID, Content: content})
}

// TestE2EGatewayFaults breaks the gateway under one running bot, step by
// step: a network drop, op 7 Reconnect and a close with 4000 (discordgo
// resumes and the question sent meanwhile is replayed), a close with 4009
// (the session is dead: discordgo identifies again), and op 9 Invalid
// Session, not resumable and resumable (discordgo identifies again on the
// same socket). After each step the bot is ready and answers the next question;
// every question is answered exactly once, and the bot keeps its intents.
func TestE2EGatewayFaults(t *testing.T) {
	t.Parallel()
	h := start(t, Config{RateLimit: 100}, nil)
	first := h.ask(fakediscord.DefaultChannelID, "<@1000> Lào trước?")
	h.waitAnswered(first)
	asked := []*discordgo.Message{first}
	steps := []struct {
		name    string
		breakIt func()
		resumed bool // RESUME accepted: events sent meanwhile are replayed
	}{
		{"network drop", func() { h.srv.CloseGateway(0) }, true},
		{"op 7 reconnect", func() { h.srv.RequestReconnect() }, true},
		{"close 4000", func() { h.srv.CloseGateway(fakediscord.CloseUnknownError) }, true},
		{"close 4009", func() { h.srv.CloseGateway(fakediscord.CloseSessionTimedOut) }, false},
		{"op 9 not resumable", func() { h.srv.InvalidateSession(false) }, false},
		{"op 9 resumable", func() { h.srv.InvalidateSession(true) }, false},
	}
	for i, st := range steps {
		conns, resumes, identifies := h.srv.Connections(), h.srv.Resumes(), h.srv.Identifies()
		st.breakIt()
		if st.resumed {
			// Discord keeps it for the session and replays it on RESUME.
			during := h.ask(fakediscord.DefaultChannelID, fmt.Sprintf("<@1000> Lào trong lúc mất kết nối %d?", i))
			asked = append(asked, during)
		}
		if err := h.srv.WaitConnections(h.ctx(), conns+1); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if st.resumed && (h.srv.Resumes() != resumes+1 || h.srv.Identifies() != identifies) {
			t.Errorf("%s: resumes %d → %d, identifies %d → %d; want a RESUME", st.name, resumes, h.srv.Resumes(), identifies, h.srv.Identifies())
		}
		if !st.resumed && (h.srv.Identifies() != identifies+1 || h.srv.Resumes() != resumes) {
			t.Errorf("%s: resumes %d → %d, identifies %d → %d; want an IDENTIFY", st.name, resumes, h.srv.Resumes(), identifies, h.srv.Identifies())
		}
		if id := h.srv.LastIdentify(); id == nil || id.Intents != Intents {
			t.Errorf("%s: identified with %+v, want intents %d", st.name, id, Intents)
		}
		eventually(t, st.name+": the bot is ready again", h.bot.Ready)
		after := h.ask(fakediscord.DefaultChannelID, fmt.Sprintf("<@1000> Lào sau %d?", i))
		asked = append(asked, after)
		for _, m := range asked {
			h.waitAnswered(m)
		}
		if n := h.srv.OpenConnections(); n != 1 {
			t.Errorf("%s: %d open gateway sockets, want 1", st.name, n)
		}
	}
	h.assertRepliesOnce(asked...)
}

// TestE2EReplyRateLimited answers the bot's reply, and then its slash
// command edit, with 429 and a Retry-After: each is delivered exactly
// once, after the wait, and no failure is logged.
func TestE2EReplyRateLimited(t *testing.T) {
	t.Parallel()
	const retry = 500 * time.Millisecond
	h := start(t, Config{}, nil)
	route := "/channels/" + fakediscord.DefaultChannelID + "/messages"

	h.srv.FailNext(route, http.StatusTooManyRequests, retry, 1)
	m := h.ask(fakediscord.DefaultChannelID, "<@1000> Thủ tướng Lào?")
	h.waitAnswered(m)
	h.assertRepliesOnce() // settle
	calls := replyCalls(t, h.srv, m.ID)
	if len(calls) != 2 || calls[0].Status != http.StatusTooManyRequests || !calls[1].OK() {
		t.Fatalf("reply calls %v, want a 429 then one success", calls)
	}
	if string(calls[0].Body) != string(calls[1].Body) {
		t.Errorf("the retried reply differs from the first attempt:\n%s\n%s", calls[0].Body, calls[1].Body)
	}
	if gap := calls[1].Time.Sub(calls[0].Time); gap < retry {
		t.Errorf("retried after %v, before Retry-After %v", gap, retry)
	}
	var fromBot int
	for _, sent := range h.srv.Messages(fakediscord.DefaultChannelID) {
		if sent.Author != nil && sent.Author.ID == fakediscord.BotUserID {
			fromBot++
		}
	}
	if fromBot != 1 {
		t.Errorf("%d bot messages in the channel, want exactly 1", fromBot)
	}

	h.srv.FailNext("/webhooks/", http.StatusTooManyRequests, retry, 1)
	it := h.srv.SendSlash(fakediscord.SlashOpts{GuildID: fakediscord.DefaultGuildID, Name: "ask",
		Options: map[string]string{"question": "Thủ tướng Lào?"}})
	h.waitN(func(c fakediscord.Call) bool { return editOrig(c) && c.OK() }, 1)
	edits := h.settle(editOrig, 2)
	if len(edits) != 2 || edits[0].Status != http.StatusTooManyRequests || okCount(edits) != 1 {
		t.Errorf("edits %v, want a 429 then one success", edits)
	}
	if orig := h.srv.InteractionOriginal(it.ID); orig == nil || len(orig.Embeds) != 1 {
		t.Errorf("original response = %+v, want the answer", orig)
	}
	if logs := h.logs.String(); strings.Contains(logs, "discord API call failed") {
		t.Errorf("a rate-limited call was logged as failed:\n%s", logs)
	}
}

// TestE2EReplyServerError answers replies with 5xx under one running bot:
// discordgo retries a 502 (delivered once); a 500 or 503 is logged and not
// retried (Discord may have created the message), and the bot stays up
// and answers the next question.
func TestE2EReplyServerError(t *testing.T) {
	t.Parallel()
	h := start(t, Config{RateLimit: 100}, nil)
	failures := 0
	for i, status := range []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable} {
		h.srv.FailNext("/channels/"+fakediscord.DefaultChannelID+"/messages", status, 0, 1)
		m := h.ask(fakediscord.DefaultChannelID, fmt.Sprintf("<@1000> Lào %d?", i))
		retried := status == http.StatusBadGateway
		if retried {
			h.waitAnswered(m)
		} else {
			failures++
			h.waitLog(fmt.Sprintf("HTTP %d", status))
			line := h.logLine(fmt.Sprintf("HTTP %d", status))
			for _, want := range []string{"level=WARN", `msg="bot: discord API call failed"`, "op=send_message", "channel=" + fakediscord.DefaultChannelID} {
				if !strings.Contains(line, want) {
					t.Errorf("%d: log line lacks %s: %s", status, want, line)
				}
			}
			if got := h.metric("askdocs_bot_discord_errors_total", "op", "send_message"); got != float64(failures) {
				t.Errorf("%d: discord_errors{send_message} = %v, want %d", status, got, failures)
			}
		}
		next := h.ask(fakediscord.DefaultChannelID, fmt.Sprintf("<@1000> Lào tiếp %d?", i))
		h.waitAnswered(next)
		h.assertRepliesOnce(next)
		calls := replyCalls(t, h.srv, m.ID)
		switch {
		case retried && (len(calls) != 2 || calls[0].Status != status || okCount(calls) != 1):
			t.Errorf("%d: replies to the question: %v, want a 502 then one success", status, calls)
		case !retried && (len(calls) != 1 || calls[0].Status != status):
			t.Errorf("%d: replies to the question: %v, want one failed POST", status, calls)
		}
		if !h.bot.Ready() {
			t.Errorf("%d: the bot is not ready after the error", status)
		}
	}
}

// TestE2EMessageContentIntentDenied runs the bot against a Discord that
// closes with 4014 when asked for the Message Content intent: the bot
// warns how to enable it, connects without it, and mentions, DMs and
// /ask work; the keyword cannot (Discord hides the content).
func TestE2EMessageContentIntentDenied(t *testing.T) {
	t.Parallel()
	h := startWith(t, fakediscord.Options{DeniedIntents: discordgo.IntentMessageContent}, Config{}, nil)
	var identifies []string
	for _, m := range h.srv.GatewayReceived() {
		if m.Op == 2 {
			identifies = append(identifies, string(m.Data))
		}
	}
	if len(identifies) != 2 || !strings.Contains(identifies[0], fmt.Sprintf(`"intents":%d`, Intents)) {
		t.Errorf("IDENTIFY payloads %q, want one with Message Content, then one without", identifies)
	}
	if id := h.srv.LastIdentify(); id == nil || id.Intents != Intents&^discordgo.IntentMessageContent {
		t.Errorf("connected with %+v, want intents %d", id, Intents&^discordgo.IntentMessageContent)
	}
	warn := h.logLine("Message Content")
	for _, want := range []string{"level=WARN", "Developer Portal", "keyword", "close_code=4014"} {
		if !strings.Contains(warn, want) {
			t.Errorf("warning %q lacks %q", warn, want)
		}
	}

	mention := h.ask(fakediscord.DefaultChannelID, "<@1000> Thủ tướng Lào?")
	h.waitAnswered(mention)
	dm := h.srv.SendMessage(fakediscord.MessageOpts{Content: "Thủ tướng Lào?"})
	h.waitAnswered(dm)
	h.srv.SendSlash(fakediscord.SlashOpts{GuildID: fakediscord.DefaultGuildID, Name: "ask", Options: map[string]string{"question": "Thủ tướng Lào?"}})
	h.waitN(func(c fakediscord.Call) bool { return editOrig(c) && c.OK() }, 1)
	keyword := h.ask(fakediscord.DefaultChannelID, "!ask Thủ tướng Lào?")
	h.assertRepliesOnce(mention, dm)
	if calls := replyCalls(t, h.srv, keyword.ID); len(calls) != 0 {
		t.Errorf("the keyword was answered without the intent: %v", calls)
	}
	if n := len(h.searched()); n != 3 {
		t.Errorf("%d searches, want 3", n)
	}
}

// blockingSearch is a search that records its questions and waits for
// release (or its context) before answering.
type blockingSearch struct {
	release chan struct{}
	mu      sync.Mutex
	started []string
}

func newBlockingSearch() *blockingSearch { return &blockingSearch{release: make(chan struct{})} }

func (s *blockingSearch) search(ctx context.Context, q string, _ int) (retrieval.Answer, error) {
	s.mu.Lock()
	s.started = append(s.started, q)
	s.mu.Unlock()
	if strings.Contains(q, "stuck") {
		<-ctx.Done()
		return retrieval.Answer{}, ctx.Err()
	}
	select {
	case <-s.release:
		return answerFor(q), nil
	case <-ctx.Done():
		return retrieval.Answer{}, ctx.Err()
	}
}

func (s *blockingSearch) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.started)
}

// waitRun waits for Run to return after cancel and returns its error.
func (h *harness) waitRun() error {
	h.t.Helper()
	select {
	case err := <-h.done:
		close(h.done)
		return err
	case <-time.After(waitTimeout):
		h.t.Fatal("Run did not return after cancel")
		return nil
	}
}

// TestE2EShutdownUnderLoad cancels Run with eight questions in flight in
// two channels: all eight are answered, completely and once, within the
// shutdown timeout (no timeout warning), Run returns nil, and questions
// arriving once shutdown began are not started.
func TestE2EShutdownUnderLoad(t *testing.T) {
	t.Parallel()
	bs := newBlockingSearch()
	h := start(t, Config{ShutdownTimeout: 25 * time.Second}, bs.search)
	var inflight []*discordgo.Message
	for i := range 8 {
		ch := []string{fakediscord.DefaultChannelID, "3001"}[i%2]
		inflight = append(inflight, h.srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, ChannelID: ch,
			Author: fakediscord.User(fmt.Sprint(4100+i), "asker"), Content: fmt.Sprintf("<@1000> Lào %d?", i)}))
	}
	eventually(t, "eight searches are in flight", func() bool { return bs.count() == 8 })

	h.cancel()
	eventually(t, "the bot reports not ready", func() bool { return !h.bot.Ready() })
	var late []*discordgo.Message
	for i := range 3 {
		late = append(late, h.ask(fakediscord.DefaultChannelID, fmt.Sprintf("<@1000> Lào muộn %d?", i)))
	}
	close(bs.release)
	if err := h.waitRun(); err != nil {
		t.Errorf("Run = %v, want nil", err)
	}

	// Run returned: everything it sent is recorded.
	for _, m := range inflight {
		calls := replyCalls(t, h.srv, m.ID)
		if len(calls) != 1 || !calls[0].OK() {
			t.Errorf("replies to %q: %v, want exactly one successful POST", m.Content, calls)
			continue
		}
		ms, err := fakediscord.DecodeMessageSend(calls[0])
		if err != nil || len(ms.Embeds) != 1 || !strings.Contains(ms.Embeds[0].Description, wantCitation) {
			t.Errorf("reply to %q is not a whole answer: %v %s", m.Content, err, calls[0].Body)
		}
	}
	for _, m := range late {
		if calls := replyCalls(t, h.srv, m.ID); len(calls) != 0 {
			t.Errorf("a question sent during shutdown was answered: %v", calls)
		}
	}
	if n := bs.count(); n != 8 {
		t.Errorf("%d searches, want the 8 in flight only", n)
	}
	if logs := h.logs.String(); strings.Contains(logs, "shutdown timeout") || !strings.Contains(logs, "bot: stopped") {
		t.Errorf("want a clean stop within the timeout:\n%s", logs)
	}
}

// TestE2EShutdownAbandonsStuckReplies cancels Run with one reply that
// would never finish and one that finishes: the finished one is sent, the
// stuck one is abandoned at the timeout without sending anything, and Run
// returns nil.
func TestE2EShutdownAbandonsStuckReplies(t *testing.T) {
	t.Parallel()
	bs := newBlockingSearch()
	h := start(t, Config{ShutdownTimeout: 3 * time.Second}, bs.search)
	stuck := h.ask(fakediscord.DefaultChannelID, "<@1000> stuck Lào?")
	fine := h.ask("3001", "<@1000> Lào?")
	eventually(t, "both searches are in flight", func() bool { return bs.count() == 2 })
	h.cancel()
	close(bs.release)
	if err := h.waitRun(); err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	if calls := replyCalls(t, h.srv, fine.ID); len(calls) != 1 || !calls[0].OK() {
		t.Errorf("replies to the finished question: %v, want one", calls)
	}
	if calls := replyCalls(t, h.srv, stuck.ID); len(calls) != 0 {
		t.Errorf("the abandoned question got %v, want nothing sent", calls)
	}
	if !strings.Contains(h.logs.String(), "shutdown timeout: abandoning replies in progress") {
		t.Error("no shutdown timeout warning")
	}
}
