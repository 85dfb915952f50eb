package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/askdocs/askdocs/internal/fakediscord"
	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/seeds"
)

// loadQuestions are asked in turn by TestLoad: questions the seed
// documents answer, and some they do not.
var loadQuestions = []string{
	"Thủ tướng Lào sang Việt Nam dự diễn đàn nào?",
	"Lào coi những thành tựu của Việt Nam là gì?",
	"Diễn đàn Tương lai ASEAN có sự tham gia của những ai?",
	"Hợp tác quốc phòng và an ninh giữ vai trò gì trong quan hệ Việt Nam – Lào?",
	"Thương mại Việt - Lào quý 1/2024 đạt bao nhiêu?",
	"Thủ tướng Phạm Minh Chính chúc mừng Thủ tướng Lào nhân dịp gì?",
	"hop tac quoc phong an ninh",
	"Giá vàng SJC hôm nay bao nhiêu?",
	"Thời tiết Hà Nội ngày mai thế nào?",
	"năm mới Bun Pi May",
}

// Shape of the load.
const (
	loadQuestionCount = 200
	loadChannels      = 5
	loadUsers         = 50 // 4 questions each: under the default rate limit
)

// loadResult is what one load run measured.
type loadResult struct {
	took      time.Duration   // first dispatch to last reply
	latencies []time.Duration // dispatch to reply POST, per question
	peakHeap  uint64          // live heap with every reply sent, before shutdown
}

// TestLoad sends 200 questions at once, from 50 users in 5 channels, over
// the fake gateway to a bot answering with the real engine on the seed
// documents. Every question must be answered exactly once, the replies in
// each channel in the order the questions arrived; after shutdown the
// goroutines and the heap must be back near where they were. It logs the
// throughput and the latency from dispatch to reply POST (run with -v).
//
// It is not parallel, so that other tests do not disturb the goroutine
// count and the heap (parallel tests wait until it is done).
func TestLoad(t *testing.T) {
	ix, _, err := retrieval.Build(context.Background(), seeds.FS, retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Search(context.Background(), loadQuestions[0], 9); err != nil { // warm up
		t.Fatal(err)
	}

	goroutines, heap := baseline()
	var res loadResult
	t.Run("run", func(t *testing.T) { res = runLoad(t, ix) })
	if t.Failed() {
		return
	}

	// The fake and the bot are closed (the subtest's cleanups ran).
	deadline := time.Now().Add(waitTimeout)
	for n := runtime.NumGoroutine(); n > goroutines; n = runtime.NumGoroutine() {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines after shutdown, %d before:\n%s", n, goroutines, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond) // goroutines end with no event to wait on
	}
	// The run's live data (the bot's answers kept for buttons, the fake's
	// records) is several MiB; keeping any of it would show.
	_, after := baseline()
	const slack = 1 << 20
	if after > heap+slack {
		t.Errorf("heap %d KiB after shutdown, %d KiB before (%d KiB at the peak): more than %d KiB kept",
			after>>10, heap>>10, res.peakHeap>>10, slack>>10)
	}

	slices.Sort(res.latencies)
	pct := func(p float64) time.Duration {
		return res.latencies[min(len(res.latencies)-1, int(p*float64(len(res.latencies))))].Round(time.Microsecond)
	}
	t.Logf("load: %d questions, %d channels, %d users: %.0f questions/s; latency p50 %v, p99 %v, max %v; heap %d → %d → %d KiB",
		loadQuestionCount, loadChannels, loadUsers, float64(loadQuestionCount)/res.took.Seconds(),
		pct(0.50), pct(0.99), res.latencies[len(res.latencies)-1].Round(time.Microsecond), heap>>10, res.peakHeap>>10, after>>10)
}

// baseline returns the goroutine count and the live heap after a full
// collection.
func baseline() (goroutines int, heap uint64) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return runtime.NumGoroutine(), ms.HeapAlloc
}

// runLoad runs the bot with ix against a fake Discord, sends the load and
// checks the replies; its cleanups close both.
func runLoad(t *testing.T, ix *retrieval.Index) loadResult {
	srv := fakediscord.New(t)
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	b, err := New(Config{Token: fakediscord.DefaultToken}, ix, log, WithSessionHook(srv.Attach))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run = %v", err)
			}
		case <-time.After(waitTimeout):
			t.Error("Run did not return after cancel")
		}
	}
	t.Cleanup(stop)
	wctx, wcancel := context.WithTimeout(context.Background(), 4*waitTimeout)
	defer wcancel()
	if err := srv.WaitReady(wctx); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the bot is ready", b.Ready)

	// Send everything at once: the fake writes each MESSAGE_CREATE to the
	// socket before SendMessage returns.
	var res loadResult
	dispatched := make(map[string]time.Time, loadQuestionCount)
	channelOf := make(map[string]string, loadQuestionCount)
	for i := range loadQuestionCount {
		ch := strconv.Itoa(3000 + i%loadChannels)
		user := fakediscord.User(strconv.Itoa(4100+i%loadUsers), fmt.Sprintf("user%d", i%loadUsers))
		at := time.Now()
		m := srv.SendMessage(fakediscord.MessageOpts{GuildID: fakediscord.DefaultGuildID, ChannelID: ch, Author: user,
			Content: fmt.Sprintf("<@%s> %s", fakediscord.BotUserID, loadQuestions[i%len(loadQuestions)])})
		dispatched[m.ID] = at
		channelOf[m.ID] = ch
	}
	if _, err := srv.WaitCalls(wctx, postMessage, loadQuestionCount); err != nil {
		t.Fatal(err)
	}
	_, res.peakHeap = baseline()
	stop() // Run waits for replies in progress, so every call is recorded
	if t.Failed() {
		return loadResult{}
	}

	replies := map[string]int{}
	lastInChannel := map[string]uint64{}
	var first, last time.Time
	for _, at := range dispatched {
		if first.IsZero() || at.Before(first) {
			first = at
		}
	}
	for _, c := range srv.Calls() {
		if !postMessage(c) {
			continue
		}
		if !c.OK() {
			t.Errorf("%s: %s", c, c.Response)
			continue
		}
		ms, err := fakediscord.DecodeMessageSend(c)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if ms.Reference == nil {
			t.Errorf("%s is not a reply", c)
			continue
		}
		id := ms.Reference.MessageID
		at, ok := dispatched[id]
		if !ok {
			t.Errorf("%s replies to unknown message %s", c, id)
			continue
		}
		replies[id]++
		if len(ms.Embeds) != 1 {
			t.Errorf("reply to %s is not an answer: %q", id, ms.Content)
		}
		if ch := c.Route(); ch != "/channels/"+channelOf[id]+"/messages" {
			t.Errorf("reply to %s posted to %s", id, ch)
		}
		n, _ := strconv.ParseUint(id, 10, 64)
		if prev := lastInChannel[channelOf[id]]; n <= prev {
			t.Errorf("channel %s: reply to %d after reply to %d: out of order", channelOf[id], n, prev)
		}
		lastInChannel[channelOf[id]] = n
		res.latencies = append(res.latencies, c.Time.Sub(at))
		last = c.Time
	}
	for id := range dispatched {
		if replies[id] != 1 {
			t.Errorf("question %s got %d replies, want exactly 1", id, replies[id])
		}
	}
	if len(lastInChannel) != loadChannels {
		t.Errorf("replies in %d channels, want %d", len(lastInChannel), loadChannels)
	}
	if l := logs.String(); strings.TrimSpace(l) != "" {
		t.Errorf("warnings or errors under load:\n%s", l)
	}
	res.took = last.Sub(first)
	return res
}
