package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Searcher is what the bot needs of the search engine.
type Searcher interface {
	Search(ctx context.Context, question string, k int) (retrieval.Answer, error)
}

// Intents are the gateway intents the bot asks for. Message Content is
// privileged: without it Discord still fills in the content of messages
// that mention the bot and of direct messages, but the keyword only works
// with it. If Discord refuses it, Run connects without it.
const Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages |
	discordgo.IntentsDirectMessages | discordgo.IntentsMessageContent

// pagesFetched is how many pages of results one search fetches, so "More
// results" needs no new search.
const pagesFetched = 3

// Timeouts of the work done for one question.
const (
	searchTimeout = 15 * time.Second
	typingDelay   = 800 * time.Millisecond // show "typing…" for slow searches
)

// Bot answers questions on Discord. Create it with New and start it with
// Run.
type Bot struct {
	cfg     Config
	lang    Lang
	search  Searcher
	log     *slog.Logger
	metrics *Metrics
	now     func() time.Time
	hooks   []func(*discordgo.Session)
	limiter *rateLimiter
	states  *stateCache
	order   *channelOrder

	started  atomic.Bool
	stopping atomic.Bool
	ready    atomic.Bool // last known gateway state, see Ready
	sess     atomic.Pointer[discordgo.Session]
	botID    atomic.Pointer[string]

	// mu guards closing and the Add side of inflight, so no handler
	// starts once shutdown waits for the others.
	mu       sync.Mutex
	closing  bool
	inflight sync.WaitGroup
	work     context.Context // handlers' context; Run cancels it when shutdown gives up
}

// Option configures a Bot.
type Option func(*Bot)

// WithSessionHook calls hook with the Discord session Run creates, after
// the bot configured it and before it connects. Tests use it to point the
// session at a fake Discord (sess.Client, sess.Dialer); programs may tune
// the session's HTTP client. The hook must not log the session (it holds
// the token) nor turn off sess.SyncEvents (replies would lose their order).
func WithSessionHook(hook func(sess *discordgo.Session)) Option {
	return func(b *Bot) {
		if hook != nil {
			b.hooks = append(b.hooks, hook)
		}
	}
}

// WithClock sets the clock of the rate limiter and of the button state's
// time to live (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(b *Bot) {
		if now != nil {
			b.now = now
		}
	}
}

// WithMetrics makes the bot record metrics in m (see NewMetrics).
func WithMetrics(m *Metrics) Option {
	return func(b *Bot) { b.metrics = m }
}

// New returns a bot that answers with s, configured by cfg (zero fields
// take their defaults), logging to log (nil discards logs).
func New(cfg Config, s Searcher, log *slog.Logger, opts ...Option) (*Bot, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if s == nil {
		return nil, errors.New("bot: new: Searcher is nil")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	lang, _ := parseLang(cfg.Lang)
	b := &Bot{cfg: cfg, lang: lang, search: s, log: log, now: time.Now, work: context.Background()}
	for _, o := range opts {
		o(b)
	}
	b.limiter = newRateLimiter(cfg.RateLimit, cfg.RateWindow)
	b.states = newStateCache(cfg.ButtonTTL, maxStates)
	b.order = newChannelOrder()
	return b, nil
}

// Ready reports whether the bot is connected to the gateway and serving,
// for health checks.
func (b *Bot) Ready() bool {
	if b.stopping.Load() {
		return false
	}
	s := b.sess.Load()
	if s == nil {
		return false
	}
	// The session's lock is held for a second while it closes a
	// connection: answer from the last known state rather than wait.
	if s.TryRLock() {
		b.ready.Store(s.DataReady)
		s.RUnlock()
	}
	return b.ready.Load()
}

// Run connects to the Discord gateway, registers the /ask command (in
// Config.GuildID if set, else globally; on shard 0 only) and answers
// questions until ctx is cancelled. It then stops taking questions, waits
// up to Config.ShutdownTimeout for replies in progress, closes the session
// and returns nil. A failure to register /ask is logged, not fatal:
// mentions, the keyword and DMs still work. If Discord refuses the
// privileged Message Content intent (close code 4014), Run logs a warning
// and connects without it: mentions, DMs and /ask still work, the keyword
// does not. If Discord refuses the token, while connecting or once
// connected, Run stops and returns ErrTokenRejected, without retrying.
// Replies in one channel are sent in the order the questions arrived. Run
// may be called once.
func (b *Bot) Run(ctx context.Context) error {
	if !b.started.CompareAndSwap(false, true) {
		return errors.New("bot: run: already started")
	}
	sess, err := discordgo.New("Bot " + b.cfg.Token)
	if err != nil {
		return fmt.Errorf("bot: create session: %w", err)
	}
	// discordgo logs through its own logger; keep it to errors, which do
	// not include the token.
	sess.LogLevel = discordgo.LogError
	sess.Identify.Intents = Intents
	sess.StateEnabled = false // only READY (our user and application) is needed
	// Handlers run one at a time on the gateway's goroutine, in arrival
	// order, so questions take their turn per channel in that order; they
	// only queue work and return.
	sess.SyncEvents = true
	if b.cfg.ShardCount > 1 {
		sess.ShardID, sess.ShardCount = b.cfg.ShardID, b.cfg.ShardCount
	}

	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	b.work = work

	d := session{sess}
	sess.AddHandler(b.onReady)
	sess.AddHandler(func(_ *discordgo.Session, mc *discordgo.MessageCreate) { b.onMessageCreate(d, mc) })
	sess.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) { b.onInteractionCreate(d, ic) })
	for _, h := range b.hooks {
		h(sess)
	}
	if err := ctx.Err(); err != nil {
		return nil
	}
	if err := b.open(sess); err != nil {
		if tokenRejected(err) {
			// Fatal, unlike other failures to connect: trying again
			// cannot help until the token is replaced.
			return ErrTokenRejected
		}
		return fmt.Errorf("bot: open gateway: %w", err)
	}
	b.sess.Store(sess)

	me, appID := readyIdentity(sess)
	if me != nil {
		b.setBotID(me.ID)
	}
	b.log.Info("bot: connected to Discord", "user", userName(me), "shard", b.cfg.ShardID, "shards", max(b.cfg.ShardCount, 1))
	if b.cfg.ShardID == 0 {
		b.registerCommands(ctx, d, appID, me)
	}

	// A token reset while connected makes Discord close the gateway with
	// 4004, and discordgo then retries forever: on each disconnection,
	// ask Discord whether the token still works, and stop if it does not.
	refused := make(chan struct{})
	var probing, stopped atomic.Bool
	sess.AddHandler(func(s *discordgo.Session, _ *discordgo.Disconnect) {
		if ctx.Err() != nil || !probing.CompareAndSwap(false, true) {
			return
		}
		go func() {
			defer probing.Store(false)
			_, err := s.User("@me", discordgo.WithContext(ctx))
			if tokenRejected(err) && stopped.CompareAndSwap(false, true) {
				close(refused)
			}
		}()
	})

	var stop error
	select {
	case <-ctx.Done():
	case <-refused:
		b.log.Error("bot: Discord refused the bot token while connected: stopping")
		stop = ErrTokenRejected
	}
	b.shutdown(sess, cancelWork)
	return stop
}

// open connects sess to the gateway. If Discord closes the connection with
// 4014 (disallowed intents) because the Message Content intent is not
// enabled for the bot, open warns and connects again without it.
func (b *Bot) open(sess *discordgo.Session) error {
	err := sess.Open()
	if err == nil || !isCloseCode(err, closeDisallowedIntents) || sess.Identify.Intents&discordgo.IntentMessageContent == 0 {
		return err
	}
	b.log.Warn("bot: Discord refused the Message Content intent: enable it in the Discord Developer Portal "+
		"(Applications → your bot → Bot → Privileged Gateway Intents → Message Content Intent) for the keyword to work; "+
		"mentions, DMs and /ask work without it. Connecting without it.",
		"keyword", b.cfg.Keyword, "close_code", closeDisallowedIntents)
	sess.Identify.Intents &^= discordgo.IntentMessageContent
	if err := sess.Open(); err != nil {
		return fmt.Errorf("without the Message Content intent: %w", err)
	}
	return nil
}

// closeDisallowedIntents is the gateway close code for privileged intents
// the bot was not granted.
const closeDisallowedIntents = 4014

// closeAuthenticationFailed is the gateway close code for a token Discord
// does not accept.
const closeAuthenticationFailed = 4004

// ErrTokenRejected is Run's error when Discord refuses the bot token: while
// connecting, the gateway closes with 4004 (authentication failed) or the
// REST API answers 401; once connected, after a disconnection, the REST
// API answers 401 when asked who the bot is. Run then returns at once,
// without retrying.
var ErrTokenRejected = errors.New("bot: Discord refused the bot token")

// tokenRejected reports whether err says Discord refused the token.
func tokenRejected(err error) bool {
	var re *discordgo.RESTError
	return isCloseCode(err, closeAuthenticationFailed) ||
		errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized
}

// isCloseCode reports whether err is a websocket close with code.
func isCloseCode(err error, code int) bool {
	var ce *websocket.CloseError
	return errors.As(err, &ce) && ce.Code == code
}

// readyIdentity returns the bot's user and application ID from READY.
func readyIdentity(s *discordgo.Session) (*discordgo.User, string) {
	s.State.RLock()
	defer s.State.RUnlock()
	appID := ""
	if s.State.Application != nil {
		appID = s.State.Application.ID
	}
	var me *discordgo.User
	if s.State.User != nil {
		u := *s.State.User
		me = &u
	}
	return me, appID
}

func userName(u *discordgo.User) string {
	if u == nil {
		return ""
	}
	return u.Username
}

// registerCommands overwrites the application's commands with /ask.
func (b *Bot) registerCommands(ctx context.Context, d discord, appID string, me *discordgo.User) {
	if appID == "" && me != nil {
		// Applications created since 2019 share the bot user's ID.
		appID = me.ID
	}
	if appID == "" {
		b.log.Error("bot: register commands: no application ID in READY; /ask is not available")
		return
	}
	scope := "global"
	if b.cfg.GuildID != "" {
		scope = "guild " + b.cfg.GuildID
	}
	cmds := []*discordgo.ApplicationCommand{askCommand(b.cfg.MaxQuestion)}
	if err := d.RegisterCommands(ctx, appID, b.cfg.GuildID, cmds); err != nil {
		b.metrics.discordError("register_commands")
		b.log.Error("bot: register commands: /ask is not available", "scope", scope, "err", err)
		return
	}
	b.log.Info("bot: registered /ask", "scope", scope)
}

// shutdown stops taking questions, closes the gateway, and waits for the
// replies in progress, at most Config.ShutdownTimeout.
func (b *Bot) shutdown(sess *discordgo.Session, cancelWork context.CancelFunc) {
	start := time.Now()
	b.stopping.Store(true)
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	b.log.Info("bot: shutting down")

	done := make(chan struct{})
	go func() {
		b.inflight.Wait()
		close(done)
	}()
	closed := make(chan error, 1)
	go func() { closed <- sess.Close() }()

	timer := time.NewTimer(b.cfg.ShutdownTimeout)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		b.log.Warn("bot: shutdown timeout: abandoning replies in progress", "timeout", b.cfg.ShutdownTimeout)
		cancelWork()
		select {
		case <-done:
		case <-time.After(time.Second):
		}
	}
	if err := <-closed; err != nil {
		b.log.Debug("bot: close gateway", "err", err)
	}
	b.log.Info("bot: stopped", "took", time.Since(start).Round(time.Millisecond))
}

// begin counts one unit of in-flight work, unless shutdown began, and
// reports whether it did; the work must then be run with go b.run.
func (b *Bot) begin() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closing {
		return false
	}
	b.inflight.Add(1)
	return true
}

// run runs fn as the unit of in-flight work counted by begin; it recovers
// and logs a panic.
func (b *Bot) run(handler string, fn func(ctx context.Context)) {
	defer b.inflight.Done()
	defer b.recoverPanic(handler)
	fn(b.work)
}

// track runs fn in a new goroutine as one unit of in-flight work, unless
// shutdown began.
func (b *Bot) track(handler string, fn func(ctx context.Context)) {
	if b.begin() {
		go b.run(handler, fn)
	}
}

// recoverPanic logs a panic of handler; it must be deferred.
func (b *Bot) recoverPanic(handler string) {
	if r := recover(); r != nil {
		b.log.Error("bot: handler panicked", "handler", handler, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	}
}

func (b *Bot) setBotID(id string) {
	if id != "" {
		b.botID.Store(&id)
	}
}

func (b *Bot) botUserID() string {
	if p := b.botID.Load(); p != nil {
		return *p
	}
	return ""
}

func (b *Bot) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	if r != nil && r.User != nil {
		b.setBotID(r.User.ID)
	}
}
