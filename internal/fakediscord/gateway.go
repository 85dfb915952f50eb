package fakediscord

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Gateway opcodes.
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opPresenceUpdate = 3
	opVoiceState     = 4
	opResume         = 6
	opReconnect      = 7
	opRequestMembers = 8
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatAck   = 11
)

// Gateway close codes sent by Discord.
const (
	CloseUnknownError         = 4000
	CloseUnknownOpcode        = 4001
	CloseDecodeError          = 4002
	CloseNotAuthenticated     = 4003
	CloseAuthenticationFailed = 4004
	CloseAlreadyAuthenticated = 4005
	CloseInvalidSeq           = 4007
	CloseRateLimited          = 4008
	CloseSessionTimedOut      = 4009
	CloseInvalidShard         = 4010
	CloseShardingRequired     = 4011
	CloseInvalidAPIVersion    = 4012
	CloseInvalidIntents       = 4013
	CloseDisallowedIntents    = 4014
)

// maxClientPayload is Discord's limit on payloads sent by clients.
const maxClientPayload = 4096

// maxReplay is how many dispatched frames each session keeps for resuming.
const maxReplay = 1000

// GatewayMessage is a payload a client sent to the gateway. Tokens in
// IDENTIFY and RESUME payloads are replaced by "REDACTED".
type GatewayMessage struct {
	Op   int
	Data json.RawMessage
	Time time.Time
}

type gatewayFrame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

// gwConn is one websocket connection. Its fields are guarded by Server.gwMu.
type gwConn struct {
	ws         *websocket.Conn
	heartbeats int
	version    int
	compress   bool
	closed     bool
	sess       *gwSession
	// prev is the session this connection had before an op 9; a new
	// IDENTIFY on the same socket replaces it.
	prev *gwSession
}

// gwSession is a gateway session, which outlives connections while it can
// be resumed. Its fields are guarded by Server.gwMu.
type gwSession struct {
	id      string
	shard   *[2]int
	intents discordgo.Intent
	seq     int64
	log     []loggedFrame
	conn    *gwConn
	invalid bool
}

type loggedFrame struct {
	seq   int64
	frame []byte
}

func (ss *gwSession) owns(guildID string) bool {
	if ss.shard == nil {
		return true
	}
	return shardOf(guildID, ss.shard[1]) == ss.shard[0]
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	s.gwMu.Lock()
	if s.gwClosed {
		s.gwMu.Unlock()
		http.Error(w, "fake gateway closed", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	s.gwMu.Unlock()
	defer s.wg.Done()

	version := 10
	if v, err := strconv.Atoi(r.URL.Query().Get("v")); err == nil {
		version = v
	}
	if enc := r.URL.Query().Get("encoding"); enc != "" && enc != "json" {
		http.Error(w, "fakediscord only speaks encoding=json", http.StatusBadRequest)
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade already replied with an error.
	}
	c := &gwConn{ws: ws, version: version}

	s.gwMu.Lock()
	if s.gwClosed {
		s.gwMu.Unlock()
		ws.Close()
		return
	}
	s.conns[c] = struct{}{}
	hello, _ := json.Marshal(map[string]any{
		"heartbeat_interval": s.opts.HeartbeatInterval.Milliseconds(),
		"_trace":             []string{"fakediscord"},
	})
	s.writeFrameLocked(c, opHello, hello)
	s.gwMu.Unlock()

	clientCode := 0
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				clientCode = ce.Code
			}
			break
		}
		s.handleFrame(c, data)
	}

	s.gwMu.Lock()
	delete(s.conns, c)
	c.closed = true
	if ss := c.sess; ss != nil && ss.conn == c {
		ss.conn = nil
		// A client closing with 1000 or 1001 ends its session for good.
		if clientCode == websocket.CloseNormalClosure || clientCode == websocket.CloseGoingAway {
			ss.invalid = true
		}
	}
	s.gwMu.Unlock()
	ws.Close()
	s.sig.broadcast()
}

func (s *Server) handleFrame(c *gwConn, data []byte) {
	s.gwMu.Lock()
	defer s.gwMu.Unlock()
	defer s.sig.broadcast()
	if c.closed {
		return
	}
	if len(data) > maxClientPayload {
		s.closeConnLocked(c, CloseDecodeError, "Error while decoding payload.")
		return
	}
	var p struct {
		Op *int            `json:"op"`
		D  json.RawMessage `json:"d"`
	}
	if err := json.Unmarshal(data, &p); err != nil || p.Op == nil {
		s.closeConnLocked(c, CloseDecodeError, "Error while decoding payload.")
		return
	}
	op := *p.Op
	s.received = append(s.received, GatewayMessage{Op: op, Data: redactToken(op, p.D), Time: time.Now()})

	switch op {
	case opHeartbeat:
		c.heartbeats++
		s.writeFrameLocked(c, opHeartbeatAck, nil)
	case opIdentify:
		s.identifyLocked(c, p.D)
	case opResume:
		s.resumeLocked(c, p.D)
	case opPresenceUpdate, opVoiceState, opRequestMembers:
		if c.sess == nil {
			s.closeConnLocked(c, CloseNotAuthenticated, "Not authenticated.")
		}
	default:
		s.closeConnLocked(c, CloseUnknownOpcode, "Unknown opcode.")
	}
}

func redactToken(op int, d json.RawMessage) json.RawMessage {
	if op != opIdentify && op != opResume {
		return append(json.RawMessage(nil), d...)
	}
	var m map[string]any
	if err := json.Unmarshal(d, &m); err != nil {
		return nil
	}
	if _, ok := m["token"]; ok {
		m["token"] = "REDACTED"
	}
	b, _ := json.Marshal(m)
	return b
}

func (s *Server) tokenOK(tok string) bool {
	return tok == s.opts.Token || tok == "Bot "+s.opts.Token
}

func (s *Server) identifyLocked(c *gwConn, d json.RawMessage) {
	id, err := parseIdentify(d)
	if err != nil {
		s.closeConnLocked(c, CloseDecodeError, "Error while decoding payload.")
		return
	}
	if c.sess != nil {
		s.closeConnLocked(c, CloseAlreadyAuthenticated, "Already authenticated.")
		return
	}
	if !s.tokenOK(id.Token) {
		s.closeConnLocked(c, CloseAuthenticationFailed, "Authentication failed.")
		return
	}
	if sh := id.Shard; sh != nil && (sh[1] < 1 || sh[0] < 0 || sh[0] >= sh[1]) {
		s.closeConnLocked(c, CloseInvalidShard, "Invalid shard.")
		return
	}
	if id.Intents&s.opts.DeniedIntents != 0 {
		s.closeConnLocked(c, CloseDisallowedIntents, "Disallowed intent(s).")
		return
	}
	if c.prev != nil {
		c.prev.invalid = true
		c.prev = nil
	}
	ss := &gwSession{id: randomHex(16), shard: id.Shard, intents: id.Intents, conn: c}
	s.sessions[ss.id] = ss
	c.sess = ss
	c.compress = id.Compress

	guilds := make([]map[string]any, 0, len(s.opts.Guilds))
	for _, g := range s.opts.Guilds {
		if ss.owns(g.ID) {
			guilds = append(guilds, map[string]any{"id": g.ID, "unavailable": true})
		}
	}
	bot := s.bot
	ready := map[string]any{
		"v":                  c.version,
		"user":               &bot,
		"guilds":             guilds,
		"session_id":         ss.id,
		"session_type":       "normal",
		"resume_gateway_url": s.gwURL,
		"application":        map[string]any{"id": ApplicationID, "flags": 0},
		"private_channels":   []any{},
		"relationships":      []any{},
		"presences":          []any{},
		"_trace":             []string{"fakediscord"},
	}
	if id.Shard != nil {
		ready["shard"] = id.Shard
	}
	b, err := json.Marshal(ready)
	if err != nil {
		s.t.Errorf("fakediscord: encoding READY: %v", err)
		return
	}
	s.dispatchLocked(ss, "READY", b)
	for _, g := range s.opts.Guilds {
		if !ss.owns(g.ID) {
			continue
		}
		b, err := json.Marshal(s.guildCreate(g))
		if err != nil {
			s.t.Errorf("fakediscord: encoding GUILD_CREATE %s: %v", g.ID, err)
			continue
		}
		s.dispatchLocked(ss, "GUILD_CREATE", b)
	}
	s.identifies++
	idCopy := id
	s.lastIdentify = &idCopy
}

// parseIdentify decodes an IDENTIFY payload. discordgo.Identify cannot
// decode what discordgo itself sends (its presence activity encodes
// created_at as a time but decodes it as an integer), so the presence is
// decoded leniently.
func parseIdentify(d json.RawMessage) (discordgo.Identify, error) {
	var w struct {
		Token          string                       `json:"token"`
		Properties     discordgo.IdentifyProperties `json:"properties"`
		Compress       bool                         `json:"compress"`
		LargeThreshold int                          `json:"large_threshold"`
		Shard          *[2]int                      `json:"shard"`
		Intents        *discordgo.Intent            `json:"intents"`
		Presence       json.RawMessage              `json:"presence"`
	}
	if err := json.Unmarshal(d, &w); err != nil {
		return discordgo.Identify{}, fmt.Errorf("decoding identify: %w", err)
	}
	if w.Intents == nil {
		return discordgo.Identify{}, fmt.Errorf("identify without intents")
	}
	id := discordgo.Identify{
		Token:          w.Token,
		Properties:     w.Properties,
		Compress:       w.Compress,
		LargeThreshold: w.LargeThreshold,
		Shard:          w.Shard,
		Intents:        *w.Intents,
	}
	var pres struct {
		Since  int    `json:"since"`
		Status string `json:"status"`
		AFK    bool   `json:"afk"`
	}
	if len(w.Presence) > 0 && json.Unmarshal(w.Presence, &pres) == nil {
		id.Presence.Since, id.Presence.Status, id.Presence.AFK = pres.Since, pres.Status, pres.AFK
	}
	return id, nil
}

// guildCreate fills in the fields Discord always sends in GUILD_CREATE.
func (s *Server) guildCreate(g *discordgo.Guild) *discordgo.Guild {
	out := *g
	if out.OwnerID == "" {
		out.OwnerID = DefaultUserID
	}
	if out.JoinedAt.IsZero() {
		out.JoinedAt = time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	}
	var channels []*discordgo.Channel
	for _, c := range g.Channels {
		c := *c
		if c.GuildID == "" {
			c.GuildID = g.ID
		}
		channels = append(channels, &c)
	}
	if channels == nil {
		channels = []*discordgo.Channel{}
	}
	out.Channels = channels
	if out.Roles == nil {
		out.Roles = []*discordgo.Role{{ID: g.ID, Name: "@everyone", Permissions: discordgo.PermissionAllText}}
	}
	if out.Members == nil {
		bot := s.bot
		out.Members = []*discordgo.Member{{GuildID: g.ID, User: &bot, Roles: []string{}, JoinedAt: out.JoinedAt}}
	}
	if out.MemberCount == 0 {
		out.MemberCount = len(out.Members) + 1
	}
	if out.Emojis == nil {
		out.Emojis = []*discordgo.Emoji{}
	}
	out.Unavailable = false
	return &out
}

func (s *Server) resumeLocked(c *gwConn, d json.RawMessage) {
	var rp struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(d, &rp); err != nil {
		s.closeConnLocked(c, CloseDecodeError, "Error while decoding payload.")
		return
	}
	if c.sess != nil {
		s.closeConnLocked(c, CloseAlreadyAuthenticated, "Already authenticated.")
		return
	}
	if !s.tokenOK(rp.Token) {
		s.closeConnLocked(c, CloseAuthenticationFailed, "Authentication failed.")
		return
	}
	ss := s.sessions[rp.SessionID]
	if ss == nil || ss.invalid || (len(ss.log) > 0 && ss.log[0].seq > rp.Seq+1) {
		s.writeFrameLocked(c, opInvalidSession, json.RawMessage("false"))
		return
	}
	if rp.Seq > ss.seq {
		ss.invalid = true
		s.closeConnLocked(c, CloseInvalidSeq, "Invalid seq.")
		return
	}
	if old := ss.conn; old != nil && old != c {
		old.closed = true
		old.ws.Close()
	}
	ss.conn = c
	c.sess = ss
	c.compress = false
	for _, f := range ss.log {
		if f.seq > rp.Seq {
			s.writeLocked(c, f.frame)
		}
	}
	s.dispatchLocked(ss, "RESUMED", json.RawMessage(`{"_trace":["fakediscord"]}`))
	s.resumes++
}

// writeFrameLocked sends a non-dispatch frame.
func (s *Server) writeFrameLocked(c *gwConn, op int, d json.RawMessage) {
	b, err := json.Marshal(gatewayFrame{Op: op, D: d})
	if err != nil {
		s.t.Errorf("fakediscord: encoding op %d: %v", op, err)
		return
	}
	s.writeLocked(c, b)
}

// writeLocked writes one frame, zlib-compressed if the client asked for
// payload compression in IDENTIFY.
func (s *Server) writeLocked(c *gwConn, frame []byte) {
	if c.closed {
		return
	}
	mt := websocket.TextMessage
	if c.compress {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		zw.Write(frame)
		zw.Close()
		frame, mt = buf.Bytes(), websocket.BinaryMessage
	}
	c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := c.ws.WriteMessage(mt, frame); err != nil {
		s.dropConnLocked(c)
	}
}

// dispatchLocked sends a dispatch (op 0) to a session with its next
// sequence number, keeping it for replay on RESUME. If the session has no
// connection the event only goes to the replay log.
func (s *Server) dispatchLocked(ss *gwSession, typ string, d json.RawMessage) {
	ss.seq++
	seq := ss.seq
	frame, err := json.Marshal(gatewayFrame{Op: opDispatch, D: d, S: &seq, T: &typ})
	if err != nil {
		s.t.Errorf("fakediscord: encoding %s: %v", typ, err)
		return
	}
	ss.log = append(ss.log, loggedFrame{seq: seq, frame: frame})
	if len(ss.log) > maxReplay {
		ss.log = append([]loggedFrame(nil), ss.log[len(ss.log)-maxReplay:]...)
	}
	if c := ss.conn; c != nil {
		s.writeLocked(c, frame)
	}
}

// closeConnLocked sends a close frame with code and drops the connection.
// code <= 0 drops the TCP connection without a close frame.
func (s *Server) closeConnLocked(c *gwConn, code int, reason string) {
	if c.closed {
		return
	}
	if code > 0 {
		msg := websocket.FormatCloseMessage(code, reason)
		c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
	}
	s.dropConnLocked(c)
}

func (s *Server) dropConnLocked(c *gwConn) {
	c.closed = true
	c.ws.Close()
	if ss := c.sess; ss != nil && ss.conn == c {
		ss.conn = nil
	}
}

// event is a dispatch to fan out to sessions.
type event struct {
	typ    string
	data   json.RawMessage
	routed bool             // deliver only to the shard owning guildID
	guild  string           // guild ID for routing
	intent discordgo.Intent // intent a session needs to receive it (0: none)
	// noContent, if set, is sent instead of data to sessions without the
	// MESSAGE_CONTENT intent.
	noContent json.RawMessage
}

func (s *Server) fanOut(ev event) {
	s.gwMu.Lock()
	defer s.gwMu.Unlock()
	for _, ss := range s.sessions {
		if ss.invalid {
			continue
		}
		if ev.routed && !ss.owns(ev.guild) {
			continue
		}
		if ev.intent != 0 && ss.intents&ev.intent == 0 {
			continue
		}
		d := ev.data
		if ev.noContent != nil && ss.intents&discordgo.IntentMessageContent == 0 {
			d = ev.noContent
		}
		s.dispatchLocked(ss, ev.typ, d)
	}
}

// CloseGateway closes every connected socket with a close frame carrying
// code, or, if code <= 0, drops the TCP connections without a close frame
// (like a network failure). Sessions stay resumable except after the codes
// Discord uses for dead sessions (4007, 4009) and the fatal ones (4004,
// 4010-4014). discordgo reconnects by itself after about one second (its
// Close sleeps 1s) and RESUMEs, whatever the code.
//
// Before closing, CloseGateway waits (up to two seconds) until every
// identified connection has sent its first heartbeat: discordgo sends it
// right after Open returns, and if the socket dies before that, discordgo's
// heartbeat goroutine races its reader into a second Close/reconnect that
// can drop events. Real Discord does not wait; this keeps tests
// deterministic.
func (s *Server) CloseGateway(code int) {
	s.awaitFirstHeartbeats()
	s.gwMu.Lock()
	defer s.gwMu.Unlock()
	defer s.sig.broadcast()
	for c := range s.conns {
		if ss := c.sess; ss != nil {
			switch code {
			case CloseInvalidSeq, CloseSessionTimedOut, CloseAuthenticationFailed,
				CloseInvalidShard, CloseShardingRequired, CloseInvalidAPIVersion,
				CloseInvalidIntents, CloseDisallowedIntents:
				ss.invalid = true
			}
		}
		s.closeConnLocked(c, code, fmt.Sprintf("fakediscord close %d", code))
	}
}

// awaitFirstHeartbeats waits, for at most two seconds, until every open
// identified connection has sent a heartbeat.
func (s *Server) awaitFirstHeartbeats() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = s.waitFor(ctx, func() bool {
		s.gwMu.Lock()
		defer s.gwMu.Unlock()
		for c := range s.conns {
			if !c.closed && c.sess != nil && c.heartbeats == 0 {
				return false
			}
		}
		return true
	})
}

// InvalidateSession sends op 9 (Invalid Session) with d = resumable to every
// identified connection. discordgo answers with a new IDENTIFY on the same
// socket whatever resumable says; the fake then sends a fresh READY. If
// resumable is false the old session can no longer be resumed.
func (s *Server) InvalidateSession(resumable bool) {
	s.gwMu.Lock()
	defer s.gwMu.Unlock()
	defer s.sig.broadcast()
	d := json.RawMessage("false")
	if resumable {
		d = json.RawMessage("true")
	}
	for c := range s.conns {
		ss := c.sess
		if c.closed || ss == nil {
			continue
		}
		s.writeFrameLocked(c, opInvalidSession, d)
		if !resumable {
			ss.invalid = true
		}
		ss.conn = nil
		c.sess = nil
		c.prev = ss
	}
}

// RequestReconnect sends op 7 (Reconnect) to every connected client.
// discordgo closes the socket with code 1012 and RESUMEs on a new one
// (after its one-second Close delay).
//
// Like CloseGateway it first waits for each connection's first heartbeat.
func (s *Server) RequestReconnect() {
	s.awaitFirstHeartbeats()
	s.gwMu.Lock()
	defer s.gwMu.Unlock()
	for c := range s.conns {
		if c.sess != nil && !c.closed {
			s.writeFrameLocked(c, opReconnect, nil)
		}
	}
}

// GatewayReceived returns every payload clients sent to the gateway, in
// order (heartbeats included).
func (s *Server) GatewayReceived() []GatewayMessage {
	s.gwMu.Lock()
	defer s.gwMu.Unlock()
	return append([]GatewayMessage(nil), s.received...)
}
