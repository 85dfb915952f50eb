package bot

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/bwmarrin/discordgo"
)

func TestChannelOrder(t *testing.T) {
	o := newChannelOrder()
	a1, a2, a3 := o.next("a"), o.next("a"), o.next("a")
	b1 := o.next("b")
	if n := o.pending(); n != 2 {
		t.Fatalf("pending() = %d, want 2 channels", n)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	bg := context.Background()
	// First turns go at once, in every channel.
	if err := a1.wait(bg); err != nil {
		t.Errorf("first turn of a: %v", err)
	}
	if err := b1.wait(bg); err != nil {
		t.Errorf("first turn of b: %v", err)
	}
	// Later turns wait for every earlier one; only the context ends the
	// wait.
	if err := a2.wait(cancelled); err == nil {
		t.Error("a2 went before a1 ended")
	}
	b1.end()
	if err := a2.wait(cancelled); err == nil {
		t.Error("a2 went when b1 ended")
	}
	a1.end()
	if err := a2.wait(bg); err != nil {
		t.Errorf("a2 after a1: %v", err)
	}
	if err := a3.wait(cancelled); err == nil {
		t.Error("a3 went before a2 ended")
	}
	a2.end()
	if err := a3.wait(bg); err != nil {
		t.Errorf("a3 after a2: %v", err)
	}
	if n := o.pending(); n != 1 {
		t.Errorf("pending() = %d with a3 not ended, want 1", n)
	}
	a3.end()
	if n := o.pending(); n != 0 {
		t.Errorf("pending() = %d after every turn ended, want 0: channels must not be kept", n)
	}
	// A new turn after the queue emptied goes at once.
	if err := o.next("a").wait(bg); err != nil {
		t.Errorf("new turn: %v", err)
	}
}

// TestClosingRefusesQuestions checks that once shutdown began, a question
// reaching the handler is not started: no search, no turn, no in-flight
// work, and a debug line says so.
func TestClosingRefusesQuestions(t *testing.T) {
	var logs bytes.Buffer
	searched := 0
	b, err := New(Config{Token: "t"}, fakeSearcher{SearchFn: func(context.Context, string, int) (retrieval.Answer, error) {
		searched++
		return retrieval.Answer{}, nil
	}}, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	b.setBotID("1000")
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	b.onMessageCreate(&fakeDiscord{}, &discordgo.MessageCreate{Message: &discordgo.Message{
		ID: "1", ChannelID: "3000", GuildID: "2000", Content: "<@1000> Lào?",
		Author: &discordgo.User{ID: "4000"}, Type: discordgo.MessageTypeDefault,
	}})
	b.inflight.Wait() // returns at once: nothing was started
	if searched != 0 || b.order.pending() != 0 {
		t.Errorf("searched %d times, %d channels pending; want nothing started", searched, b.order.pending())
	}
	if !strings.Contains(logs.String(), "question not taken") {
		t.Errorf("no debug line for the refused question:\n%s", logs.String())
	}
}
