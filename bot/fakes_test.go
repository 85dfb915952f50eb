package bot

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/bwmarrin/discordgo"
)

// fakeSearcher is a Searcher made of a function; with none it abstains.
type fakeSearcher struct {
	SearchFn func(ctx context.Context, question string, k int) (retrieval.Answer, error)
}

func (f fakeSearcher) Search(ctx context.Context, question string, k int) (retrieval.Answer, error) {
	if f.SearchFn == nil {
		return retrieval.Answer{Question: question}, nil
	}
	return f.SearchFn(ctx, question, k)
}

// searchRecorder records the questions searched and the k asked for.
type searchRecorder struct {
	mu        sync.Mutex
	questions []string
	k         []int
}

// searcher returns a fakeSearcher that records each search, then answers
// with search (nil: answerFor).
func (r *searchRecorder) searcher(search func(ctx context.Context, q string, k int) (retrieval.Answer, error)) fakeSearcher {
	if search == nil {
		search = func(_ context.Context, q string, _ int) (retrieval.Answer, error) { return answerFor(q), nil }
	}
	return fakeSearcher{SearchFn: func(ctx context.Context, q string, k int) (retrieval.Answer, error) {
		r.mu.Lock()
		r.questions = append(r.questions, q)
		r.k = append(r.k, k)
		r.mu.Unlock()
		return search(ctx, q, k)
	}}
}

// searched returns the questions searched so far.
func (r *searchRecorder) searched() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.questions)
}

// ks returns the k of each search so far.
func (r *searchRecorder) ks() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.k)
}

// fakeClock is a settable clock, safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fakeDiscord is a discord made of functions, for the handlers' unit
// tests; a call whose function is nil succeeds and does nothing.
type fakeDiscord struct {
	SendFn             func(ctx context.Context, m *discordgo.Message, r Reply) error
	TypingFn           func(ctx context.Context, channelID string) error
	RespondFn          func(ctx context.Context, i *discordgo.Interaction, r Reply) error
	UpdateFn           func(ctx context.Context, i *discordgo.Interaction, r Reply) error
	DeferFn            func(ctx context.Context, i *discordgo.Interaction) error
	EditFn             func(ctx context.Context, i *discordgo.Interaction, r Reply) error
	RegisterCommandsFn func(ctx context.Context, appID, guildID string, cmds []*discordgo.ApplicationCommand) error
}

var _ discord = (*fakeDiscord)(nil)

func (f *fakeDiscord) Send(ctx context.Context, m *discordgo.Message, r Reply) error {
	if f.SendFn == nil {
		return nil
	}
	return f.SendFn(ctx, m, r)
}

func (f *fakeDiscord) Typing(ctx context.Context, channelID string) error {
	if f.TypingFn == nil {
		return nil
	}
	return f.TypingFn(ctx, channelID)
}

func (f *fakeDiscord) Respond(ctx context.Context, i *discordgo.Interaction, r Reply) error {
	if f.RespondFn == nil {
		return nil
	}
	return f.RespondFn(ctx, i, r)
}

func (f *fakeDiscord) Update(ctx context.Context, i *discordgo.Interaction, r Reply) error {
	if f.UpdateFn == nil {
		return nil
	}
	return f.UpdateFn(ctx, i, r)
}

func (f *fakeDiscord) Defer(ctx context.Context, i *discordgo.Interaction) error {
	if f.DeferFn == nil {
		return nil
	}
	return f.DeferFn(ctx, i)
}

func (f *fakeDiscord) Edit(ctx context.Context, i *discordgo.Interaction, r Reply) error {
	if f.EditFn == nil {
		return nil
	}
	return f.EditFn(ctx, i, r)
}

func (f *fakeDiscord) RegisterCommands(ctx context.Context, appID, guildID string, cmds []*discordgo.ApplicationCommand) error {
	if f.RegisterCommandsFn == nil {
		return nil
	}
	return f.RegisterCommandsFn(ctx, appID, guildID, cmds)
}
