// Package fakediscord is an in-process fake of Discord's REST API and
// gateway, for tests that drive a real *discordgo.Session without touching
// the network.
//
// A Server listens on two loopback ports (127.0.0.1 only): one serves the
// REST API, the other the websocket gateway. Attach points a session at the
// fake by giving it an http.Client whose transport rewrites every request to
// the REST listener (path and query are kept) and a websocket dialer that can
// only reach the fake gateway. discordgo's package-level endpoint variables
// are never modified, so tests using different servers may run in parallel.
//
// The fake behaves like Discord where that is cheap: snowflake IDs, the
// HELLO/IDENTIFY/READY and RESUME handshakes, heartbeat ACKs, session
// resumption with replay of missed events, privileged message-content
// filtering, refusal of privileged intents the bot was not granted
// (Options.DeniedIntents), "Bot <token>" authorization, Discord-style error bodies and the
// message, embed and component size limits. Every REST request is recorded
// as a Call, including requests answered with injected faults.
//
// A typical test:
//
//	srv := fakediscord.New(t)
//	sess, _ := discordgo.New("Bot " + fakediscord.DefaultToken)
//	sess.Identify.Intents |= discordgo.IntentMessageContent
//	srv.Attach(sess)
//	if err := sess.Open(); err != nil { t.Fatal(err) }
//	srv.SendMessage(fakediscord.MessageOpts{ChannelID: fakediscord.DefaultChannelID,
//		GuildID: fakediscord.DefaultGuildID, Content: "!help"})
//	calls, err := srv.WaitCalls(ctx, fakediscord.Match("POST", "/channels/*/messages"), 1)
package fakediscord

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Well-known IDs and defaults used by the fake.
const (
	// BotUserID is the ID of the bot's own user.
	BotUserID = "1000"
	// BotUsername is the bot's username.
	BotUsername = "askdocs"
	// ApplicationID is the bot's application ID (equal to the bot user ID,
	// as for every application created since 2019).
	ApplicationID = "1000"
	// DefaultGuildID is the ID of the guild the bot is in by default.
	DefaultGuildID = "2000"
	// DefaultChannelID is a text channel in the default guild.
	DefaultChannelID = "3000"
	// DefaultUserID is the ID of the human user used when an event does not
	// name an author.
	DefaultUserID = "4000"
	// DefaultToken is the bot token the fake accepts unless Options.Token
	// says otherwise. Sessions must be created with "Bot " + DefaultToken.
	DefaultToken = "test-token"
	// DefaultHeartbeatInterval is the heartbeat interval sent in HELLO.
	DefaultHeartbeatInterval = 45 * time.Second
)

// discordEpoch is the first millisecond of 2015, the snowflake epoch.
const discordEpoch = 1420070400000

// Options configures a Server. The zero value is valid.
type Options struct {
	// Token is the bot token the fake accepts, without the "Bot " prefix.
	// Default: DefaultToken.
	Token string
	// HeartbeatInterval is sent in HELLO. Default: DefaultHeartbeatInterval.
	HeartbeatInterval time.Duration
	// Guilds the bot is a member of. They are announced as unavailable in
	// READY and then sent as GUILD_CREATE, routed by shard. nil means one
	// guild (DefaultGuildID) with one text channel (DefaultChannelID); use
	// an empty non-nil slice for none.
	Guilds []*discordgo.Guild
	// RecommendedShards is the shard count returned by GET /gateway/bot.
	// Default: 1.
	RecommendedShards int
	// EchoOwnMessages makes the fake dispatch MESSAGE_CREATE/MESSAGE_UPDATE/
	// MESSAGE_DELETE for messages the bot itself creates, edits or deletes
	// through REST (including non-ephemeral interaction responses), as
	// Discord does. Off by default.
	EchoOwnMessages bool
	// EnforceInteractionDeadline rejects interaction callbacks arriving
	// later than discordgo.InteractionDeadline (3s) after the interaction
	// was dispatched with 404 "Unknown interaction", as Discord does. Off by
	// default because loaded CI machines make it flaky.
	EnforceInteractionDeadline bool
	// DeniedIntents are privileged intents the bot was not granted in the
	// Developer Portal: an IDENTIFY asking for any of them is answered by
	// closing the socket with CloseDisallowedIntents (4014), as Discord
	// does. The refused IDENTIFY still appears in GatewayReceived but does
	// not count in Identifies. Zero grants every intent.
	DeniedIntents discordgo.Intent
}

// Server is an in-process fake of Discord's REST API and gateway on
// 127.0.0.1. Create it with New; all methods are safe for concurrent use.
type Server struct {
	t    testing.TB
	opts Options
	bot  discordgo.User

	rest      *httptest.Server
	restAddr  string
	gw        *httptest.Server
	gwAddr    string
	gwURL     string
	transport *http.Transport
	upgrader  websocket.Upgrader

	ids idGen
	sig signal

	// mu guards the REST state below. It is never held together with gwMu.
	mu           sync.Mutex
	calls        []Call
	faults       []*fault
	messages     map[string]*discordgo.Message
	channelMsgs  map[string][]string
	channels     map[string]*discordgo.Channel
	users        map[string]*discordgo.User
	dms          map[string]string // recipient user ID -> DM channel ID
	commands     map[string][]*discordgo.ApplicationCommand
	interactions map[string]*interactionState
	byToken      map[string]*interactionState

	// gwMu guards the gateway state below and serialises every gateway write.
	gwMu         sync.Mutex
	gwClosed     bool
	conns        map[*gwConn]struct{}
	sessions     map[string]*gwSession
	identifies   int
	resumes      int
	lastIdentify *discordgo.Identify
	received     []GatewayMessage
	wg           sync.WaitGroup

	closeOnce sync.Once
}

// New starts a fake Discord with default Options. t.Cleanup closes it.
func New(t testing.TB) *Server {
	t.Helper()
	return NewWithOptions(t, Options{})
}

// NewWithOptions starts a fake Discord configured by o. t.Cleanup closes it.
func NewWithOptions(t testing.TB, o Options) *Server {
	t.Helper()
	if o.Token == "" {
		o.Token = DefaultToken
	}
	if o.HeartbeatInterval <= 0 {
		o.HeartbeatInterval = DefaultHeartbeatInterval
	}
	if o.RecommendedShards <= 0 {
		o.RecommendedShards = 1
	}
	if o.Guilds == nil {
		o.Guilds = []*discordgo.Guild{{
			ID:      DefaultGuildID,
			Name:    "askdocs test guild",
			OwnerID: DefaultUserID,
			Channels: []*discordgo.Channel{{
				ID:      DefaultChannelID,
				GuildID: DefaultGuildID,
				Name:    "general",
				Type:    discordgo.ChannelTypeGuildText,
			}},
		}}
	}
	s := &Server{
		t:    t,
		opts: o,
		bot: discordgo.User{
			ID:            BotUserID,
			Username:      BotUsername,
			Discriminator: "0",
			Bot:           true,
			Verified:      true,
		},
		upgrader:     websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
		messages:     map[string]*discordgo.Message{},
		channelMsgs:  map[string][]string{},
		channels:     map[string]*discordgo.Channel{},
		users:        map[string]*discordgo.User{},
		dms:          map[string]string{},
		commands:     map[string][]*discordgo.ApplicationCommand{},
		interactions: map[string]*interactionState{},
		byToken:      map[string]*interactionState{},
		conns:        map[*gwConn]struct{}{},
		sessions:     map[string]*gwSession{},
	}
	bot := s.bot
	s.users[bot.ID] = &bot
	for _, g := range o.Guilds {
		for _, c := range g.Channels {
			c := *c
			if c.GuildID == "" {
				c.GuildID = g.ID
			}
			s.channels[c.ID] = &c
		}
	}

	var err error
	s.rest, err = startLoopback(http.HandlerFunc(s.serveREST))
	if err != nil {
		t.Fatalf("fakediscord: starting REST listener: %v", err)
	}
	s.gw, err = startLoopback(http.HandlerFunc(s.serveGateway))
	if err != nil {
		s.rest.Close()
		t.Fatalf("fakediscord: starting gateway listener: %v", err)
	}
	s.restAddr = s.rest.Listener.Addr().String()
	s.gwAddr = s.gw.Listener.Addr().String()
	s.gwURL = "ws://" + s.gwAddr
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	s.transport = &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if addr != s.restAddr {
				return nil, fmt.Errorf("fakediscord: refusing to dial %s: only the fake REST API at %s is reachable", addr, s.restAddr)
			}
			return dialer.DialContext(ctx, "tcp4", addr)
		},
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     30 * time.Second,
	}
	t.Cleanup(s.shutdown)
	return s
}

// startLoopback starts an httptest server bound to 127.0.0.1 only.
func startLoopback(h http.Handler) (*httptest.Server, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on 127.0.0.1: %w", err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	return srv, nil
}

// shutdown shuts the fake down: gateway sockets are dropped, listeners closed
// and all of the fake's goroutines have exited when it returns. It is
// registered with t.Cleanup by New and may be called more than once.
//
// Sessions still open when the fake closes will try to reconnect forever;
// Attach registers a cleanup that closes the session first.
func (s *Server) shutdown() {
	s.closeOnce.Do(func() {
		s.gwMu.Lock()
		s.gwClosed = true
		for c := range s.conns {
			c.closed = true
			c.ws.Close()
		}
		s.gwMu.Unlock()
		s.gw.Close()
		s.wg.Wait()
		s.transport.CloseIdleConnections()
		s.rest.Close()
		s.transport.CloseIdleConnections()
		s.sig.broadcast()
	})
}

// Attach points sess at the fake: sess.Client gets a transport that sends
// every request (whatever its host) to the fake's REST listener, keeping
// path and query, and sess.Dialer can only reach the fake gateway.
// discordgo's retry and rate-limit settings are left at their defaults.
// Attach also registers a test cleanup that closes sess before the fake
// shuts down, so a forgotten session cannot reconnect forever. (discordgo's
// Close sleeps one second, so every opened session adds a second to its
// test.)
func (s *Server) Attach(sess *discordgo.Session) {
	sess.Client = &http.Client{
		Transport: &rewriteTransport{s: s},
		Timeout:   20 * time.Second,
	}
	sess.Dialer = &websocket.Dialer{
		Proxy:            nil,
		HandshakeTimeout: 5 * time.Second,
		NetDialContext:   s.dialGateway,
	}
	s.t.Cleanup(func() {
		// Closing before discordgo's first heartbeat makes its heartbeat
		// goroutine reconnect after Close; see CloseGateway.
		s.awaitFirstHeartbeats()
		_ = sess.Close()
	})
}

func (s *Server) dialGateway(ctx context.Context, network, addr string) (net.Conn, error) {
	if addr != s.gwAddr {
		return nil, fmt.Errorf("fakediscord: refusing to dial %s: only the fake gateway at %s is reachable", addr, s.gwAddr)
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp4", addr)
}

// hostHeader carries the host the client originally asked for from the
// rewriting transport to the REST handler. It is removed before recording.
const hostHeader = "X-Fakediscord-Original-Host"

type rewriteTransport struct{ s *Server }

// RoundTrip implements http.RoundTripper.
func (rt *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set(hostHeader, req.URL.Host)
	r.URL.Scheme = "http"
	r.URL.Host = rt.s.restAddr
	r.Host = rt.s.restAddr
	return rt.s.transport.RoundTrip(r)
}

// botUser returns the bot's own user (ID BotUserID, Username "askdocs",
// Bot true), as sent in READY and returned by GET /users/@me.
func (s *Server) botUser() *discordgo.User {
	u := s.bot
	return &u
}

// WaitReady waits until a client has identified and READY was sent.
func (s *Server) WaitReady(ctx context.Context) error {
	if err := s.waitFor(ctx, func() bool {
		s.gwMu.Lock()
		defer s.gwMu.Unlock()
		return s.identifies > 0
	}); err != nil {
		return fmt.Errorf("fakediscord: waiting for READY: %w", err)
	}
	return nil
}

// WaitConnections waits until at least n handshakes (IDENTIFY answered by
// READY, or RESUME answered by RESUMED) have completed.
func (s *Server) WaitConnections(ctx context.Context, n int) error {
	if err := s.waitFor(ctx, func() bool { return s.Connections() >= n }); err != nil {
		return fmt.Errorf("fakediscord: waiting for %d gateway handshakes (have %d): %w", n, s.Connections(), err)
	}
	return nil
}

// Connections returns the number of completed IDENTIFY and RESUME
// handshakes so far.
func (s *Server) Connections() int {
	s.gwMu.Lock()
	defer s.gwMu.Unlock()
	return s.identifies + s.resumes
}

// Identifies returns the number of IDENTIFYs answered with READY.
func (s *Server) Identifies() int {
	s.gwMu.Lock()
	defer s.gwMu.Unlock()
	return s.identifies
}

// Resumes returns the number of RESUMEs answered with RESUMED.
func (s *Server) Resumes() int {
	s.gwMu.Lock()
	defer s.gwMu.Unlock()
	return s.resumes
}

// OpenConnections returns the number of currently connected gateway sockets.
func (s *Server) OpenConnections() int {
	s.gwMu.Lock()
	defer s.gwMu.Unlock()
	n := 0
	for c := range s.conns {
		if !c.closed {
			n++
		}
	}
	return n
}

// LastIdentify returns the payload of the most recent accepted IDENTIFY
// (token, intents, shard, properties...), or nil if there was none.
func (s *Server) LastIdentify() *discordgo.Identify {
	s.gwMu.Lock()
	defer s.gwMu.Unlock()
	if s.lastIdentify == nil {
		return nil
	}
	id := *s.lastIdentify
	if id.Shard != nil {
		sh := *id.Shard
		id.Shard = &sh
	}
	return &id
}

// Message returns a copy of the stored message with the given ID, or nil.
// Messages created by SendMessage and by the bot through REST are stored;
// edits and deletions are applied.
func (s *Server) Message(id string) *discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messages[id]
	if m == nil {
		return nil
	}
	return cloneMessage(m)
}

// Messages returns copies of the messages currently in a channel, oldest
// first (ephemeral interaction responses included).
func (s *Server) Messages(channelID string) []*discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*discordgo.Message
	for _, id := range s.channelMsgs[channelID] {
		if m := s.messages[id]; m != nil {
			out = append(out, cloneMessage(m))
		}
	}
	return out
}

// Commands returns the application commands registered for guildID, or the
// global ones if guildID is "".
func (s *Server) Commands(guildID string) []*discordgo.ApplicationCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneCommands(s.commands[guildID])
}

// InteractionOriginal returns the original response message of an
// interaction (after a type 4/5 callback, or the component's message after
// type 6/7), or nil.
func (s *Server) InteractionOriginal(interactionID string) *discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.interactions[interactionID]
	if st == nil || st.originalID == "" {
		return nil
	}
	if m := s.messages[st.originalID]; m != nil {
		return cloneMessage(m)
	}
	return nil
}

// User builds a human user with the given ID and username.
func User(id, username string) *discordgo.User {
	return &discordgo.User{ID: id, Username: username, GlobalName: username, Discriminator: "0"}
}

// defaultUser returns the human user used when an event names no author.
func defaultUser() *discordgo.User { return User(DefaultUserID, "docs-reader") }

// WaitFor blocks until cond returns true or ctx is done. cond is evaluated
// now and again whenever the fake records a REST call or a gateway event,
// so it may test any of the Server's accessors (Messages, Calls...).
func (s *Server) WaitFor(ctx context.Context, cond func() bool) error {
	if err := s.waitFor(ctx, cond); err != nil {
		return fmt.Errorf("fakediscord: waiting for condition: %w", err)
	}
	return nil
}

// waitFor blocks until cond returns true or ctx is done.
func (s *Server) waitFor(ctx context.Context, cond func() bool) error {
	for {
		ch := s.sig.wait()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// signal is a broadcast condition: wait returns a channel that is closed on
// the next broadcast.
type signal struct {
	mu sync.Mutex
	ch chan struct{}
}

func (g *signal) wait() <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ch == nil {
		g.ch = make(chan struct{})
	}
	return g.ch
}

func (g *signal) broadcast() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ch != nil {
		close(g.ch)
		g.ch = nil
	}
}

// idGen generates increasing snowflakes whose timestamps are the current
// time, so discordgo.SnowflakeTimestamp works on them.
type idGen struct {
	mu   sync.Mutex
	last uint64
}

func (g *idGen) next() string {
	id := uint64(time.Now().UnixMilli()-discordEpoch) << 22
	g.mu.Lock()
	if id <= g.last {
		id = g.last + 1
	}
	g.last = id
	g.mu.Unlock()
	return strconv.FormatUint(id, 10)
}

// randomHex returns n random bytes, hex encoded.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("fakediscord: crypto/rand: %v", err))
	}
	return hex.EncodeToString(b)
}

// marshalMessage encodes m like Discord does, including its components
// (discordgo.Message has no MarshalJSON and tags Components with "-").
func marshalMessage(m *discordgo.Message) ([]byte, error) {
	type message discordgo.Message
	comps := m.Components
	if comps == nil {
		comps = []discordgo.MessageComponent{}
	}
	b, err := json.Marshal(struct {
		*message
		Components []discordgo.MessageComponent `json:"components"`
	}{(*message)(m), comps})
	if err != nil {
		return nil, fmt.Errorf("fakediscord: encoding message %s: %w", m.ID, err)
	}
	return b, nil
}

// cloneMessage deep-copies m through its JSON form.
func cloneMessage(m *discordgo.Message) *discordgo.Message {
	b, err := marshalMessage(m)
	if err != nil {
		panic(err)
	}
	var out discordgo.Message
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("fakediscord: decoding message copy: %v", err))
	}
	return &out
}

func cloneCommands(cmds []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
	b, err := json.Marshal(cmds)
	if err != nil {
		panic(fmt.Sprintf("fakediscord: encoding commands: %v", err))
	}
	var out []*discordgo.ApplicationCommand
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("fakediscord: decoding commands: %v", err))
	}
	return out
}

// shardOf returns the shard that receives events of guildID.
func shardOf(guildID string, count int) int {
	if guildID == "" || count <= 1 {
		return 0
	}
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil {
		return 0
	}
	return int((id >> 22) % uint64(count))
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
